//! The fields of one step, by kind: what a person edits in place. Each kind says which
//! fields it has as data — a label, a value, and a plain function that puts a new value
//! into the step — and one renderer draws them all: the page carries one piece of code for
//! every text field, not one for each.

use looplab_shared::model::{Call, ExcClass, Expr, Handler, Op, OpKind, Scenario, StartKind, Step};
use yew::prelude::*;

use super::expr_input::expr_input;
use super::inputs::{check, choice, number, saturate, seconds, text};

/// `None` in a pool choice: the loop's default executor.
pub const DEFAULT_EXECUTOR: &str = "None (the loop's default)";
const THREAD: &str = "threading.Thread";
const PROCESS: &str = "multiprocessing.Process";
/// A bare `raise` in the choice of what to raise.
const RERAISE: &str = "(the exception caught)";
const CALL_KINDS: [&str; 3] = ["coroutine", "run_in_executor", "kept task or future"];

/// One field of a `T` (a step or a call).
enum Field<T> {
    Text(&'static str, String, fn(&mut T, String)),
    Number(&'static str, u64, fn(&mut T, u64)),
    /// A duration in whole milliseconds, shown and typed in seconds.
    Seconds(&'static str, u64, fn(&mut T, u64)),
    Choice(&'static str, String, Vec<String>, fn(&mut T, String)),
    Check(&'static str, bool, fn(&mut T, bool)),
    /// An optional name: empty means none.
    Into(&'static str, Option<String>, fn(&mut T, Option<String>)),
    /// Argument `k` of the call, for parameter `label`.
    Arg(String, usize, Expr, fn(&mut T, usize, Expr)),
    /// A value that is not an argument.
    Value(Expr, fn(&mut T, Expr)),
    /// An executor: a pool's variable, or `None` for the loop's default.
    Pool(Option<String>, Vec<String>, fn(&mut T, Option<String>)),
    /// A choice that replaces the whole `T` with the value it names.
    Replace(&'static str, String, Vec<(String, T)>),
}

fn names<X>(items: &[X], name: impl Fn(&X) -> &str) -> Vec<String> {
    items.iter().map(|i| name(i).to_owned()).collect()
}

/// The parameters of task (`task`) or function `name`.
pub fn params_of(s: &Scenario, name: &str, task: bool) -> Vec<String> {
    let def = if task { s.task(name) } else { s.function(name) };
    def.map_or_else(Vec::new, |d| d.params.clone())
}

/// Draws `fields` of `target`; a change puts the new `T` out through `emit`.
fn render<T: Clone + 'static>(fields: Vec<Field<T>>, target: &T, emit: &Callback<T>) -> Html {
    let html = fields.into_iter().map(|field| match field {
        Field::Text(label, value, set) => {
            let (target, emit) = (target.clone(), emit.clone());
            text(label, &value, move |v| {
                let mut t = target.clone();
                set(&mut t, v);
                emit.emit(t)
            })
        }
        Field::Number(label, value, set) => {
            let (target, emit) = (target.clone(), emit.clone());
            number(label, value, move |v| {
                let mut t = target.clone();
                set(&mut t, v);
                emit.emit(t)
            })
        }
        Field::Seconds(label, ms, set) => {
            let (target, emit) = (target.clone(), emit.clone());
            seconds(label, ms, move |v| {
                let mut t = target.clone();
                set(&mut t, v);
                emit.emit(t)
            })
        }
        Field::Choice(label, value, options, set) => {
            let (target, emit) = (target.clone(), emit.clone());
            choice(label, &value, options, move |v| {
                let mut t = target.clone();
                set(&mut t, v);
                emit.emit(t)
            })
        }
        Field::Check(label, value, set) => {
            let (target, emit) = (target.clone(), emit.clone());
            check(label, value, move |v| {
                let mut t = target.clone();
                set(&mut t, v);
                emit.emit(t)
            })
        }
        Field::Into(label, value, set) => {
            let (target, emit) = (target.clone(), emit.clone());
            text(label, value.as_deref().unwrap_or(""), move |v| {
                let v = v.trim().to_owned();
                let mut t = target.clone();
                set(&mut t, (!v.is_empty()).then_some(v));
                emit.emit(t)
            })
        }
        Field::Arg(label, k, value, set) => {
            let (target, emit) = (target.clone(), emit.clone());
            expr_input(
                label,
                &value,
                Callback::from(move |v| {
                    let mut t = target.clone();
                    set(&mut t, k, v);
                    emit.emit(t)
                }),
            )
        }
        Field::Pool(value, pools, set) => {
            let (target, emit) = (target.clone(), emit.clone());
            let mut options = vec![DEFAULT_EXECUTOR.to_owned()];
            options.extend(pools);
            choice(
                "pool",
                value.as_deref().unwrap_or(DEFAULT_EXECUTOR),
                options,
                move |v| {
                    let mut t = target.clone();
                    set(&mut t, (v != DEFAULT_EXECUTOR).then_some(v));
                    emit.emit(t)
                },
            )
        }
        Field::Replace(label, value, options) => {
            let emit = emit.clone();
            let names = options.iter().map(|(name, _)| name.clone()).collect();
            choice(label, &value, names, move |v| {
                if let Some((_, t)) = options.iter().find(|(name, _)| *name == v) {
                    emit.emit(t.clone())
                }
            })
        }
        Field::Value(value, set) => {
            let (target, emit) = (target.clone(), emit.clone());
            expr_input(
                "value".into(),
                &value,
                Callback::from(move |v| {
                    let mut t = target.clone();
                    set(&mut t, v);
                    emit.emit(t)
                }),
            )
        }
    });
    html! { <>{ for html }</> }
}

/// A field for each of `params`: the call's arguments, which `set` puts in place.
fn args<T>(params: &[String], now: &[Expr], set: fn(&mut T, usize, Expr)) -> Vec<Field<T>> {
    params
        .iter()
        .enumerate()
        .map(|(k, p)| Field::Arg(p.clone(), k, now.get(k).cloned().unwrap_or(Expr::None), set))
        .collect()
}

/// Puts `v` at `k` in `args`, growing it if it is short.
fn put(args: &mut Vec<Expr>, k: usize, v: Expr) {
    if args.len() <= k {
        args.resize(k + 1, Expr::None);
    }
    args[k] = v;
}

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

/// The fields of one call: a coroutine, an executor job, or a kept task or future.
/// `repeat` offers how many copies (in a gather).
pub fn call_fields(s: &Scenario, call: &Call, repeat: bool, set: Callback<Call>) -> Html {
    let now = match call {
        Call::Task { .. } => CALL_KINDS[0],
        Call::Executor { .. } => CALL_KINDS[1],
        Call::Handle { .. } => CALL_KINDS[2],
    };
    // Another kind of call starts from what the scenario has: its first coroutine, or its
    // first function on its first pool.
    let task = s
        .tasks
        .iter()
        .find(|t| t.name != "main")
        .or(s.tasks.first());
    let function = s.functions.first();
    let none = |n: usize| vec![Expr::None; n];
    let kinds = vec![
        (
            CALL_KINDS[0].to_owned(),
            Call::Task {
                task: task.map(|t| t.name.clone()).unwrap_or_default(),
                args: none(task.map_or(0, |t| t.params.len())),
                times: 1,
            },
        ),
        (
            CALL_KINDS[1].to_owned(),
            Call::Executor {
                pool: s.pools.first().map(|p| p.name.clone()),
                function: function.map(|f| f.name.clone()).unwrap_or_default(),
                args: none(function.map_or(0, |f| f.params.len())),
                times: 1,
            },
        ),
        (
            CALL_KINDS[2].to_owned(),
            Call::Handle {
                name: "task".into(),
            },
        ),
    ];
    let mut list = vec![Field::Replace("call", now.into(), kinds)];
    match call {
        Call::Task {
            task,
            args: now,
            times,
        } => {
            list.push(Field::Choice(
                "coroutine",
                task.clone(),
                names(&s.tasks, |t| &t.name),
                |c, v| {
                    if let Call::Task { task, .. } = c {
                        *task = v
                    }
                },
            ));
            list.extend(args(&params_of(s, task, true), now, |c, k, v| {
                if let Call::Task { args, .. } = c {
                    put(args, k, v)
                }
            }));
            if repeat {
                list.push(Field::Number("times", (*times).into(), |c, v| {
                    if let Call::Task { times, .. } = c {
                        *times = saturate(v).max(1)
                    }
                }));
            }
        }
        Call::Executor {
            pool,
            function,
            args: now,
            times,
        } => {
            list.push(Field::Pool(
                pool.clone(),
                names(&s.pools, |p| &p.name),
                |c, v| {
                    if let Call::Executor { pool, .. } = c {
                        *pool = v
                    }
                },
            ));
            list.push(Field::Choice(
                "function",
                function.clone(),
                names(&s.functions, |f| &f.name),
                |c, v| {
                    if let Call::Executor { function, .. } = c {
                        *function = v
                    }
                },
            ));
            list.extend(args(&params_of(s, function, false), now, |c, k, v| {
                if let Call::Executor { args, .. } = c {
                    put(args, k, v)
                }
            }));
            if repeat {
                list.push(Field::Number("times", (*times).into(), |c, v| {
                    if let Call::Executor { times, .. } = c {
                        *times = saturate(v).max(1)
                    }
                }));
            }
        }
        Call::Handle { name } => list.push(Field::Text("variable", name.clone(), |c, v| {
            if let Call::Handle { name } = c {
                *name = v
            }
        })),
    }
    render(list, call, &set)
}

/// A gather's calls, each editable and removable, and a button for one more like the last.
fn gather_calls(s: &Scenario, step: &Step, calls: &[Call], set: &Callback<Step>) -> Html {
    let replace = |i: usize, call: Option<Call>| {
        let mut st = step.clone();
        if let Step::Gather { calls, .. } = &mut st {
            match call {
                Some(c) if i < calls.len() => calls[i] = c,
                Some(c) => calls.push(c),
                None if i < calls.len() => drop(calls.remove(i)),
                None => {}
            }
        }
        st
    };
    let items = calls.iter().enumerate().map(|(i, call)| {
        let one = set.reform({
            let step = step.clone();
            move |c: Call| {
                let mut st = step.clone();
                if let Step::Gather { calls, .. } = &mut st {
                    calls[i] = c
                }
                st
            }
        });
        let remove = {
            let (set, st) = (set.clone(), replace(i, None));
            Callback::from(move |_: MouseEvent| set.emit(st.clone()))
        };
        html! {
            <li class="call">
                { call_fields(s, call, true, one) }
                <button onclick={remove} title="Remove call" aria-label="Remove call">{ "✕" }</button>
            </li>
        }
    });
    let next = calls.last().cloned().unwrap_or_else(|| Call::Task {
        task: s.tasks.first().map(|t| t.name.clone()).unwrap_or_default(),
        args: vec![],
        times: 1,
    });
    let add = {
        let (set, st) = (set.clone(), replace(usize::MAX, Some(next)));
        Callback::from(move |_: MouseEvent| set.emit(st.clone()))
    };
    html! {
        <ul class="calls">
            { for items }
            <li><button onclick={add} class="add" data-testid="add-call">{ "+ call" }</button></li>
        </ul>
    }
}
