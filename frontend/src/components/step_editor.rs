//! One step in the builder: its kind, its fields, and buttons to move or remove it.

use looplab_shared::model::{Call, Scenario, Step};
use yew::prelude::*;

use super::inputs::{check, choice, number, saturate, text};
use crate::edit::{Body, Edit, kind_of, new_step, step_kinds, steps};
use crate::pseudo;

#[derive(Debug, Properties, PartialEq)]
pub struct StepEditorProps {
    pub scenario: Scenario,
    pub body: Body,
    pub index: usize,
    pub error: Option<String>,
    pub on_edit: Callback<Edit>,
}

/// Edits `scenario`'s step `index` of `body`.
#[component]
pub fn StepEditor(props: &StepEditorProps) -> Html {
    let (body, index) = (props.body, props.index);
    let Some(step) = steps(&props.scenario, body).get(index).cloned() else {
        return html! {};
    };
    let edit = props.on_edit.clone();
    let set = move |step: Step| edit.emit(Edit::SetStep(body, index, step));
    let scenario = props.scenario.clone();
    let kind = {
        let set = set.clone();
        let kinds = step_kinds(body.on_loop())
            .iter()
            .map(|k| (*k).to_owned())
            .collect();
        choice("kind", kind_of(&step), kinds, move |k| {
            set(new_step(&scenario, &k))
        })
    };
    let fields = fields(&props.scenario, &step, set);
    let on = |edit: Edit| {
        let cb = props.on_edit.clone();
        Callback::from(move |_: MouseEvent| cb.emit(edit.clone()))
    };
    html! {
        <li class={classes!("step", props.error.is_some().then_some("invalid"))} data-step={format!("{}[{index}]", body.path())}>
            <div class="step-row">
                { kind }
                { fields }
                <span class="step-buttons">
                    <button onclick={on(Edit::MoveStep(body, index, true))} title="Move up">{ "↑" }</button>
                    <button onclick={on(Edit::MoveStep(body, index, false))} title="Move down">{ "↓" }</button>
                    <button onclick={on(Edit::RemoveStep(body, index))} title="Remove" data-testid="remove-step">{ "✕" }</button>
                </span>
            </div>
            <code class="as-python">{ pseudo::line(&step, body.on_loop()) }</code>
            if let Some(error) = &props.error {
                <div class="field-error" data-testid="field-error">{ error }</div>
            }
        </li>
    }
}

fn names<T>(items: &[T], name: impl Fn(&T) -> &str) -> Vec<String> {
    items.iter().map(|i| name(i).to_owned()).collect()
}

/// The fields of one step; `set` replaces the step.
fn fields(s: &Scenario, step: &Step, set: impl Fn(Step) + Clone + 'static) -> Html {
    let tasks = names(&s.tasks, |t| &t.name);
    let functions = names(&s.functions, |f| &f.name);
    match step.clone() {
        Step::Print { text: t } => text("text", &t, move |text| set(Step::Print { text })),
        Step::Sleep { ms } => number("ms", ms, move |ms| set(Step::Sleep { ms })),
        Step::BlockingSleep { ms } => number("ms", ms, move |ms| set(Step::BlockingSleep { ms })),
        Step::Cpu { ms } => number("ms", ms, move |ms| set(Step::Cpu { ms })),
        Step::ParCpu { ms, chunks } => {
            let set2 = set.clone();
            html! { <>
                { number("ms", ms, move |ms| set(Step::ParCpu { ms, chunks })) }
                { number("chunks", chunks.into(), move |c| set2(Step::ParCpu { ms, chunks: saturate(c) })) }
            </> }
        }
        Step::Spawn { task } => choice("task", &task, tasks, move |task| set(Step::Spawn { task })),
        Step::StartThread {
            function,
            daemon,
            arg,
        } => start(
            function,
            daemon,
            arg,
            functions,
            set,
            |function, daemon, arg| Step::StartThread {
                function,
                daemon,
                arg,
            },
        ),
        Step::StartProcess {
            function,
            daemon,
            arg,
        } => start(
            function,
            daemon,
            arg,
            functions,
            set,
            |function, daemon, arg| Step::StartProcess {
                function,
                daemon,
                arg,
            },
        ),
        Step::Gather { calls } => gather(s, calls, set),
    }
}

/// The fields of `start_thread` and `start_process`; `make` builds the step back.
fn start(
    function: String,
    daemon: bool,
    arg: String,
    functions: Vec<String>,
    set: impl Fn(Step) + Clone + 'static,
    make: fn(String, bool, String) -> Step,
) -> Html {
    let (s1, s2, s3) = (set.clone(), set.clone(), set);
    let (a1, a2, f2, f3) = (arg.clone(), arg.clone(), function.clone(), function.clone());
    html! { <>
        { choice("function", &function, functions, move |f| s1(make(f, daemon, a1.clone()))) }
        { check("daemon", daemon, move |d| s2(make(f2.clone(), d, a2.clone()))) }
        { text("arg", &arg, move |a| s3(make(f3.clone(), daemon, a))) }
    </> }
}

/// The calls of a gather, each editable, with a button for one more.
fn gather(s: &Scenario, calls: Vec<Call>, set: impl Fn(Step) + Clone + 'static) -> Html {
    let tasks = names(&s.tasks, |t| &t.name);
    let functions = names(&s.functions, |f| &f.name);
    let pools = names(&s.pools, |p| &p.name);
    let first_task = tasks.first().cloned().unwrap_or_default();
    let with = move |calls: &[Call], i: usize, call: Option<Call>| {
        let mut calls = calls.to_vec();
        match call {
            Some(call) if i < calls.len() => calls[i] = call,
            Some(call) => calls.push(call),
            None if i < calls.len() => drop(calls.remove(i)),
            None => {}
        }
        Step::Gather { calls }
    };
    let items: Vec<Html> = calls.iter().enumerate().map(|(i, call)| {
        let (all, set) = (calls.clone(), set.clone());
        let put = move |call: Option<Call>| set(with(&all, i, call));
        let kind = {
            let (put, pool, function, task) = (put.clone(), pools.first().cloned(), functions.first().cloned(), first_task.clone());
            let now = if matches!(call, Call::Task { .. }) { "task" } else { "executor" };
            choice("call", now, vec!["task".into(), "executor".into()], move |k| {
                put(Some(if k == "task" {
                    Call::Task { task: task.clone(), times: 1 }
                } else {
                    Call::Executor { pool: pool.clone().unwrap_or_default(), function: function.clone().unwrap_or_default(), arg: String::new(), times: 1 }
                }))
            })
        };
        let detail = match call.clone() {
            Call::Task { task, times } => {
                let (p1, p2, t1) = (put.clone(), put.clone(), task.clone());
                html! { <>
                    { choice("task", &task, tasks.clone(), move |task| p1(Some(Call::Task { task, times }))) }
                    { number("times", times.into(), move |n| p2(Some(Call::Task { task: t1.clone(), times: saturate(n) }))) }
                </> }
            }
            Call::Executor { pool, function, arg, times } => {
                let call = Call::Executor { pool: pool.clone(), function: function.clone(), arg: arg.clone(), times };
                let field = |f: fn(&mut Call, String)| {
                    let (put, call) = (put.clone(), call.clone());
                    move |v: String| {
                        let mut c = call.clone();
                        f(&mut c, v);
                        put(Some(c));
                    }
                };
                let (put_n, call_n) = (put.clone(), call.clone());
                html! { <>
                    { choice("pool", &pool, pools.clone(), field(|c, v| if let Call::Executor { pool, .. } = c { *pool = v })) }
                    { choice("function", &function, functions.clone(), field(|c, v| if let Call::Executor { function, .. } = c { *function = v })) }
                    { text("arg", &arg, field(|c, v| if let Call::Executor { arg, .. } = c { *arg = v })) }
                    { number("times", times.into(), move |n| {
                        let mut c = call_n.clone();
                        if let Call::Executor { times, .. } = &mut c { *times = saturate(n) }
                        put_n(Some(c));
                    }) }
                </> }
            }
        };
        let remove = {
            let put = put.clone();
            Callback::from(move |_: MouseEvent| put(None))
        };
        html! { <li class="call">{ kind }{ detail }<button onclick={remove} title="Remove call">{ "✕" }</button></li> }
    }).collect();
    let add = {
        let (calls, task) = (calls.clone(), first_task.clone());
        Callback::from(move |_: MouseEvent| {
            set(with(
                &calls,
                usize::MAX,
                Some(Call::Task {
                    task: task.clone(),
                    times: 1,
                }),
            ))
        })
    };
    html! {
        <ul class="calls">
            { for items.into_iter() }
            <li><button onclick={add} class="add">{ "+ call" }</button></li>
        </ul>
    }
}
