//! The builder: everything the scenario model can say, without code.

use looplab_shared::model::{LoopFlavor, PoolKind, Requests, Scenario};
use looplab_shared::validate::ValidationError;
use yew::prelude::*;

use super::body_editor::BodyEditor;
use super::inputs::{check, choice, number, saturate, text};
use crate::edit::{Body, Edit};

#[derive(Debug, Properties, PartialEq)]
pub struct BuilderProps {
    pub scenario: Scenario,
    pub error: Option<ValidationError>,
    pub on_edit: Callback<Edit>,
}

/// Options, pools, tasks, functions, main and requests, each editable in place.
#[component]
pub fn Builder(props: &BuilderProps) -> Html {
    let s = &props.scenario;
    let click = |e: Edit| {
        let edit = props.on_edit.clone();
        Callback::from(move |_: MouseEvent| edit.emit(e.clone()))
    };
    let workers = match s.options.loop_flavor {
        LoopFlavor::SingleThread => None,
        LoopFlavor::MultiThread { workers } => Some(workers),
    };
    let edit = props.on_edit.clone();
    let gil = check("GIL", s.options.gil, move |on| edit.emit(Edit::Gil(on)));
    let edit = props.on_edit.clone();
    let loop_kind = choice(
        "loop",
        if workers.is_some() {
            "multi-threaded"
        } else {
            "single-threaded"
        },
        vec!["single-threaded".into(), "multi-threaded".into()],
        move |k| edit.emit(Edit::LoopWorkers((k == "multi-threaded").then_some(2))),
    );
    let edit = props.on_edit.clone();
    let scale = text("time scale", &s.time_scale.to_string(), move |v| {
        if let Ok(x) = v.trim().parse() {
            edit.emit(Edit::Scale(x));
        }
    });
    let pools = s.pools.iter().enumerate().map(|(i, p)| {
        let edit = props.on_edit.clone();
        let kind = if p.kind == PoolKind::Thread { "ThreadPoolExecutor" } else { "ProcessPoolExecutor" };
        html! {
            <li class="pool">
                <code>{ format!("{} = {kind}", p.name) }</code>
                { number("max_workers", p.max_workers.into(), move |n| edit.emit(Edit::PoolWorkers(i, saturate(n)))) }
                <button onclick={click(Edit::RemovePool(i))} title="Remove pool">{ "✕" }</button>
            </li>
        }
    });
    let def = |body: Body, name: &str, prefix: &str| {
        let edit = props.on_edit.clone();
        html! {
            <div class="def">
                <div class="def-head">
                    { text("name", name, move |n| edit.emit(Edit::RenameDef(body, n))) }
                    <button onclick={click(Edit::RemoveDef(body))} title="Remove">{ "✕" }</button>
                </div>
                <BodyEditor scenario={s.clone()} {body} title={format!("{prefix} {name}():")} error={props.error.clone()} on_edit={props.on_edit.clone()} />
            </div>
        }
    };
    let tasks = s
        .tasks
        .iter()
        .enumerate()
        .map(|(i, t)| def(Body::Task(i), &t.name, "async def"));
    let functions = s
        .functions
        .iter()
        .enumerate()
        .map(|(i, f)| def(Body::Function(i), &f.name, "def"));
    let requests = requests(s, &props.on_edit);
    let edit = props.on_edit.clone();
    let name = text("scenario name", &s.name, move |n| edit.emit(Edit::Name(n)));
    html! {
        <div class="builder" data-testid="builder">
            <div class="options-row">
                { name }{ scale }{ loop_kind }
                if let Some(w) = workers {
                    { number("loop workers", w.into(), {
                        let edit = props.on_edit.clone();
                        move |n| edit.emit(Edit::LoopWorkers(Some(saturate(n))))
                    }) }
                }
                { gil }
                <button onclick={click(Edit::Clear)} data-testid="new-scenario">{ "New empty scenario" }</button>
            </div>
            <section>
                <h4>{ "Pools" }</h4>
                <ul class="pools">{ for pools }</ul>
                <button class="add" onclick={click(Edit::AddPool(PoolKind::Thread))}>{ "+ thread pool" }</button>
                <button class="add" onclick={click(Edit::AddPool(PoolKind::Process))}>{ "+ process pool" }</button>
            </section>
            <section>
                <h4>{ "Functions (run by pools, threads and processes)" }</h4>
                { for functions }
                <button class="add" onclick={click(Edit::AddDef(false))} data-testid="add-function">{ "+ function" }</button>
            </section>
            <section>
                <h4>{ "Tasks (coroutines on the loop)" }</h4>
                { for tasks }
                <button class="add" onclick={click(Edit::AddDef(true))} data-testid="add-task">{ "+ task" }</button>
            </section>
            <section>
                <BodyEditor scenario={s.clone()} body={Body::Main} title={"async def main():".to_owned()} error={props.error.clone()} on_edit={props.on_edit.clone()} />
            </section>
            <section>{ requests }</section>
        </div>
    }
}

/// The request source: on or off, its handler, its pace and its count.
fn requests(s: &Scenario, on_edit: &Callback<Edit>) -> Html {
    let handler = s.tasks.first().map(|t| t.name.clone()).unwrap_or_default();
    let edit = on_edit.clone();
    let toggle = check(
        "requests arrive while main runs",
        s.requests.is_some(),
        move |on| {
            edit.emit(Edit::Requests(on.then(|| Requests {
                handler: handler.clone(),
                every_ms: 100,
                count: 10,
            })))
        },
    );
    let Some(r) = s.requests.clone() else {
        return toggle;
    };
    let tasks = s.tasks.iter().map(|t| t.name.clone()).collect();
    let set = |f: fn(&mut Requests, u64)| {
        let (edit, r) = (on_edit.clone(), r.clone());
        move |v: u64| {
            let mut r = r.clone();
            f(&mut r, v);
            edit.emit(Edit::Requests(Some(r)));
        }
    };
    let (edit, r2) = (on_edit.clone(), r.clone());
    html! { <>
        { toggle }
        { choice("handler", &r.handler, tasks, move |handler| edit.emit(Edit::Requests(Some(Requests { handler, ..r2.clone() })))) }
        { number("every ms", r.every_ms, set(|r, v| r.every_ms = v)) }
        { number("count", r.count.into(), set(|r, v| r.count = saturate(v))) }
    </> }
}
