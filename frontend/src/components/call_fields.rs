//! The fields of a call (a coroutine, an executor job, a kept task or future) and of a
//! gather's list of calls.

use looplab_shared::model::{Call, Expr, Scenario, Step};
use yew::prelude::*;

use super::field::{Field, args, names, params_of, put, render};
use super::inputs::saturate;

const CALL_KINDS: [&str; 3] = ["coroutine", "run_in_executor", "kept task or future"];

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
pub(super) fn gather_calls(
    s: &Scenario,
    step: &Step,
    calls: &[Call],
    set: &Callback<Step>,
) -> Html {
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
