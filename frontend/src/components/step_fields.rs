//! The fields of one step, by kind: what a person edits in place. Each kind says which
//! fields it has as data — a label, a value, and a plain function that puts a new value
//! into the step — and one renderer draws them all: the page carries one piece of code for
//! every text field, not one for each.

use looplab_shared::model::{Call, ExcClass, Handler, Op, OpKind, Scenario, StartKind, Step};
use yew::prelude::*;

use super::call_fields::{call_fields, gather_calls};
use super::field::{Field, args, names, params_of, put, render};
use super::inputs::saturate;

const THREAD: &str = "threading.Thread";
const PROCESS: &str = "multiprocessing.Process";
/// A bare `raise` in the choice of what to raise.
const RERAISE: &str = "(the exception caught)";

/// The fields of `step`; `set` replaces it.
pub fn fields(s: &Scenario, step: &Step, set: Callback<Step>) -> Html {
    let tasks = names(&s.tasks, |t| &t.name);
    let functions = names(&s.functions, |f| &f.name);
    let pools = names(&s.pools, |p| &p.name);
    let mut list: Vec<Field<Step>> = Vec::new();
    match step {
        Step::Print { text } => list.push(Field::Text("text", text.clone(), |st, v| {
            if let Step::Print { text } = st {
                *text = v
            }
        })),
        // `await asyncio.sleep(0)` has nothing to set.
        Step::Yield => {}
        Step::Sleep { ms } | Step::BlockingSleep { ms } | Step::Cpu { ms } => {
            list.push(Field::Seconds("seconds", *ms, |st, v| {
                if let Step::Sleep { ms } | Step::BlockingSleep { ms } | Step::Cpu { ms } = st {
                    *ms = v
                }
            }))
        }
        Step::ParCpu { ms, chunks } => {
            list.push(Field::Seconds("seconds of CPU", *ms, |st, v| {
                if let Step::ParCpu { ms, .. } = st {
                    *ms = v
                }
            }));
            list.push(Field::Number("chunks", (*chunks).into(), |st, v| {
                if let Step::ParCpu { chunks, .. } = st {
                    *chunks = saturate(v)
                }
            }));
        }
        Step::Assign { name, value } => {
            list.push(Field::Text("name", name.clone(), |st, v| {
                if let Step::Assign { name, .. } = st {
                    *name = v
                }
            }));
            list.push(Field::Value(value.clone(), |st, v| {
                if let Step::Assign { value, .. } = st {
                    *value = v
                }
            }));
        }
        Step::Return { value } => list.push(Field::Value(value.clone(), |st, v| {
            if let Step::Return { value } = st {
                *value = v
            }
        })),
        Step::Spawn {
            task,
            args: now,
            into,
            group,
        } => {
            list.push(Field::Into("in task group", group.clone(), |st, v| {
                if let Step::Spawn { group, .. } = st {
                    *group = v
                }
            }));
            list.push(Field::Choice("coroutine", task.clone(), tasks, |st, v| {
                if let Step::Spawn { task, .. } = st {
                    *task = v
                }
            }));
            list.extend(args(&params_of(s, task, true), now, |st, k, v| {
                if let Step::Spawn { args, .. } = st {
                    put(args, k, v)
                }
            }));
            list.push(Field::Into("keep as", into.clone(), |st, v| {
                if let Step::Spawn { into, .. } = st {
                    *into = v
                }
            }));
        }
        Step::Run { task, args: now } => {
            list.push(Field::Choice("coroutine", task.clone(), tasks, |st, v| {
                if let Step::Run { task, .. } = st {
                    *task = v
                }
            }));
            list.extend(args(&params_of(s, task, true), now, |st, k, v| {
                if let Step::Run { args, .. } = st {
                    put(args, k, v)
                }
            }));
        }
        Step::Submit {
            pool,
            function,
            args: now,
            into,
        } => {
            list.push(Field::Pool(pool.clone(), pools, |st, v| {
                if let Step::Submit { pool, .. } = st {
                    *pool = v
                }
            }));
            list.push(Field::Choice(
                "function",
                function.clone(),
                functions,
                |st, v| {
                    if let Step::Submit { function, .. } = st {
                        *function = v
                    }
                },
            ));
            list.extend(args(&params_of(s, function, false), now, |st, k, v| {
                if let Step::Submit { args, .. } = st {
                    put(args, k, v)
                }
            }));
            list.push(Field::Text("keep as", into.clone(), |st, v| {
                if let Step::Submit { into, .. } = st {
                    *into = v
                }
            }));
        }
        Step::Await {
            call,
            into,
            timeout_ms,
        } => {
            list.push(Field::Seconds(
                "wait_for timeout (0: none)",
                timeout_ms.unwrap_or(0),
                |st, v| {
                    if let Step::Await { timeout_ms, .. } = st {
                        *timeout_ms = (v > 0).then_some(v)
                    }
                },
            ));
            let inner = set.reform({
                let step = step.clone();
                move |c: Call| {
                    let mut st = step.clone();
                    if let Step::Await { call, .. } = &mut st {
                        *call = c
                    }
                    st
                }
            });
            let call_html = call_fields(s, call, false, inner);
            list.push(Field::Into("result into", into.clone(), |st, v| {
                if let Step::Await { into, .. } = st {
                    *into = v
                }
            }));
            return html! { <>{ call_html }{ render(list, step, &set) }</> };
        }
        Step::Gather { calls, into } => {
            list.push(Field::Into("results into", into.clone(), |st, v| {
                if let Step::Gather { into, .. } = st {
                    *into = v
                }
            }));
            return html! { <>{ gather_calls(s, step, calls, &set) }{ render(list, step, &set) }</> };
        }
        Step::Start(start) => {
            let kind = match start.kind {
                StartKind::Thread => THREAD,
                StartKind::Process => PROCESS,
            };
            list.push(Field::Choice(
                "kind",
                kind.into(),
                vec![THREAD.into(), PROCESS.into()],
                |st, v| {
                    if let Step::Start(start) = st {
                        start.kind = if v == THREAD {
                            StartKind::Thread
                        } else {
                            StartKind::Process
                        }
                    }
                },
            ));
            list.push(Field::Choice(
                "target",
                start.function.clone(),
                functions,
                |st, v| {
                    if let Step::Start(start) = st {
                        start.function = v
                    }
                },
            ));
            list.extend(args(
                &params_of(s, &start.function, false),
                &start.args,
                |st, k, v| {
                    if let Step::Start(start) = st {
                        put(&mut start.args, k, v)
                    }
                },
            ));
            list.push(Field::Check("daemon", start.daemon, |st, v| {
                if let Step::Start(start) = st {
                    start.daemon = v
                }
            }));
            list.push(Field::Into("keep as", start.into.clone(), |st, v| {
                if let Step::Start(start) = st {
                    start.into = v
                }
            }));
        }
        Step::Join { name } => list.push(Field::Text("variable", name.clone(), |st, v| {
            if let Step::Join { name } = st {
                *name = v
            }
        })),
        Step::With { pool, .. } => {
            list.push(Field::Choice("pool", pool.clone(), pools, |st, v| {
                if let Step::With { pool, .. } = st {
                    *pool = v
                }
            }))
        }
        Step::For { var, times, .. } => {
            list.push(Field::Text("variable", var.clone(), |st, v| {
                if let Step::For { var, .. } = st {
                    *var = v
                }
            }));
            list.push(Field::Number("range", (*times).into(), |st, v| {
                if let Step::For { times, .. } = st {
                    *times = saturate(v)
                }
            }));
        }
        Step::Hold { resource, .. } => {
            let held = s.resources.iter().filter(|r| r.kind.is_held());
            let held = held.map(|r| r.name.clone()).collect();
            list.push(Field::Choice("lock", resource.clone(), held, |st, v| {
                if let Step::Hold { resource, .. } = st {
                    *resource = v
                }
            }));
        }
        Step::Use { resource, op } => {
            // Another object keeps the method if it has it, else takes its first one.
            let objects = s.resources.iter().filter(|r| !r.kind.is_held()).map(|r| {
                let op = if op.kind().applies_to(r.kind) {
                    op.clone()
                } else {
                    let first = OpKind::ALL.into_iter().find(|o| o.applies_to(r.kind));
                    first.unwrap_or(OpKind::Set).example()
                };
                let step = Step::Use {
                    resource: r.name.clone(),
                    op,
                };
                (r.name.clone(), step)
            });
            list.push(Field::Replace(
                "object",
                resource.clone(),
                objects.collect(),
            ));
            let kind = s.resource(resource).map(|r| r.kind);
            let ops = OpKind::ALL
                .into_iter()
                .filter(|o| kind.is_none_or(|k| o.applies_to(k)))
                .map(|o| {
                    let mut st = step.clone();
                    if let Step::Use { op, .. } = &mut st {
                        *op = o.example();
                    }
                    (o.method().to_owned(), st)
                })
                .collect();
            list.push(Field::Replace("method", op.kind().method().into(), ops));
            match op {
                Op::Put { value } => list.push(Field::Value(value.clone(), |st, v| {
                    if let Step::Use {
                        op: Op::Put { value },
                        ..
                    } = st
                    {
                        *value = v
                    }
                })),
                Op::Get { into } => list.push(Field::Into("item into", into.clone(), |st, v| {
                    if let Step::Use {
                        op: Op::Get { into },
                        ..
                    } = st
                    {
                        *into = v
                    }
                })),
                Op::Set | Op::Wait | Op::TaskDone | Op::Join => {}
            }
        }
        Step::Raise { class, text } => {
            let classes = ExcClass::ALL.into_iter().filter(|c| c.raisable());
            let mut options: Vec<String> = classes.map(|c| c.python().to_owned()).collect();
            options.push(RERAISE.into());
            let now = class.map_or(RERAISE, ExcClass::python).to_owned();
            list.push(Field::Choice("raise", now, options, |st, v| {
                if let Step::Raise { class, .. } = st {
                    *class = ExcClass::ALL.into_iter().find(|c| c.python() == v)
                }
            }));
            if class.is_some() {
                list.push(Field::Text("message", text.clone(), |st, v| {
                    if let Step::Raise { text, .. } = st {
                        *text = v
                    }
                }));
            }
        }
        Step::Try { handlers, star, .. } => {
            let options = ExcClass::ALL.map(|c| c.python().to_owned()).to_vec();
            let first = handlers.first().map_or("", |h| h.class.python()).to_owned();
            list.push(Field::Choice("except", first, options, |st, v| {
                if let (Step::Try { handlers, .. }, Some(class)) =
                    (st, ExcClass::ALL.into_iter().find(|c| c.python() == v))
                {
                    match handlers.first_mut() {
                        Some(h) => h.class = class,
                        None => handlers.push(Handler {
                            class,
                            body: vec![],
                        }),
                    }
                }
            }));
            list.push(Field::Check("except*", *star, |st, v| {
                if let Step::Try { star, .. } = st {
                    *star = v
                }
            }));
        }
        Step::Cancel { name } => list.push(Field::Text("task", name.clone(), |st, v| {
            if let Step::Cancel { name } = st {
                *name = v
            }
        })),
        Step::Timeout { ms, .. } => list.push(Field::Seconds("timeout", *ms, |st, v| {
            if let Step::Timeout { ms, .. } = st {
                *ms = v
            }
        })),
        Step::TaskGroup { name, .. } => list.push(Field::Text("as", name.clone(), |st, v| {
            if let Step::TaskGroup { name, .. } = st {
                *name = v
            }
        })),
    }
    render(list, step, &set)
}
