//! The builder: everything the scenario model can say, without code.

use looplab_shared::model::{LoopFlavor, PoolKind, ResourceKind, Scenario};
use looplab_shared::python::render;
use looplab_shared::validate::ValidationError;
use yew::prelude::*;

use super::body_editor::BodyEditor;
use super::inputs::{check, choice, number, saturate, text};
use super::server_editor::ServerEditor;
use crate::edit::{BodyPath, Edit, Root};

#[derive(Debug, Properties, PartialEq)]
pub struct BuilderProps {
    pub scenario: Scenario,
    pub error: Option<ValidationError>,
    /// Shown, not changeable: the Python has an error, and a change here would replace it.
    pub locked: bool,
    pub on_edit: Callback<Edit>,
}

/// Parameters as typed: names separated by commas.
fn params(text: &str) -> Vec<String> {
    text.split(',')
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(str::to_owned)
        .collect()
}

/// Options, pools, functions, tasks, the module's code and the web app, each editable in
/// place.
#[component]
pub fn Builder(props: &BuilderProps) -> Html {
    let s = &props.scenario;
    let click = |e: Edit| {
        let edit = props.on_edit.clone();
        Callback::from(move |_: MouseEvent| edit.emit(e.clone()))
    };
    let emit = |f: fn(String) -> Option<Edit>| {
        let edit = props.on_edit.clone();
        move |v: String| {
            if let Some(e) = f(v) {
                edit.emit(e)
            }
        }
    };
    let workers = match s.options.loop_flavor {
        LoopFlavor::SingleThread => None,
        LoopFlavor::MultiThread { workers } => Some(workers),
    };
    let edit = props.on_edit.clone();
    let gil = check(
        "GIL: threads take turns running Python, as in CPython 3.11 (unticked: not Python)",
        s.options.gil,
        move |on| edit.emit(Edit::Gil(on)),
    );
    let edit = props.on_edit.clone();
    let loop_kind = choice(
        "loop",
        if workers.is_some() {
            "tokio multi-threaded (not Python)"
        } else {
            "asyncio (one thread)"
        },
        vec![
            "asyncio (one thread)".into(),
            "tokio multi-threaded (not Python)".into(),
        ],
        move |k| edit.emit(Edit::LoopWorkers(k.starts_with("tokio").then_some(2))),
    );
    let pools = s.pools.iter().enumerate().map(|(i, p)| {
        let edit = props.on_edit.clone();
        let workers = p.max_workers.map(|n| n.to_string()).unwrap_or_default();
        html! {
            <li class="pool">
                <code>{ format!("{} = {}", p.name, render::pool_ctor(p)) }</code>
                { text("max_workers (empty: default)", &workers, move |v| {
                    let v = v.trim();
                    match v.parse::<u64>() {
                        Ok(n) => edit.emit(Edit::PoolWorkers(i, Some(saturate(n)))),
                        Err(_) if v.is_empty() => edit.emit(Edit::PoolWorkers(i, None)),
                        Err(_) => {}
                    }
                }) }
                <button onclick={click(Edit::RemovePool(i))} title="Remove pool" aria-label={format!("Remove pool {}", p.name)}>{ "✕" }</button>
            </li>
        }
    });
    let resources = s.resources.iter().enumerate().map(|(i, r)| {
        let edit = props.on_edit.clone();
        let size = match r.kind {
            ResourceKind::Semaphore { value } => Some(("value", value)),
            ResourceKind::Queue { maxsize } => Some(("maxsize (0: unbounded)", maxsize)),
            ResourceKind::Lock | ResourceKind::Event | ResourceKind::ThreadLock => None,
        };
        html! {
            <li class="pool">
                <code>{ format!("{} = {}", r.name, render::resource_ctor(r.kind)) }</code>
                if let Some((label, n)) = size {
                    { number(label, n.into(), move |n| edit.emit(Edit::ResourceSize(i, saturate(n)))) }
                }
                <button onclick={click(Edit::RemoveResource(i))} title="Remove" aria-label={format!("Remove {}", r.name)}>{ "✕" }</button>
            </li>
        }
    });
    let add_resources = ResourceKind::ALL.into_iter().map(|kind| {
        html! { <button class="add" onclick={click(Edit::AddResource(kind))}>{ format!("+ {}", kind.class()) }</button> }
    });
    let def = |root: Root, name: &str, params_now: &[String], prefix: &str| {
        let (e1, e2) = (props.on_edit.clone(), props.on_edit.clone());
        let title = format!("{prefix} {name}({}):", params_now.join(", "));
        html! {
            <div class="def">
                <div class="def-head">
                    { text("name", name, move |n| e1.emit(Edit::RenameDef(root, n))) }
                    { text("parameters", &params_now.join(", "), move |p| e2.emit(Edit::Params(root, params(&p)))) }
                    <button onclick={click(Edit::RemoveDef(root))} title="Remove" aria-label={format!("Remove {name}")}>{ "✕" }</button>
                </div>
                <BodyEditor scenario={s.clone()} body={BodyPath::of(root)} title={title} error={props.error.clone()} on_edit={props.on_edit.clone()} />
            </div>
        }
    };
    let tasks = s
        .tasks
        .iter()
        .enumerate()
        .map(|(i, t)| def(Root::Task(i), &t.name, &t.params, "async def"));
    let functions = s
        .functions
        .iter()
        .enumerate()
        .map(|(i, f)| def(Root::Function(i), &f.name, &f.params, "def"));
    html! {
        // A disabled fieldset disables every field and button inside it.
        <fieldset class="builder" data-testid="builder" disabled={props.locked}>
            <div class="options-row">
                { text("scenario name", &s.name, emit(|n| Some(Edit::Name(n)))) }
                { text("time scale", &s.time_scale.to_string(), emit(|v| v.trim().parse().ok().map(Edit::Scale))) }
                { loop_kind }
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
                <h4>{ "Executors" }</h4>
                <ul class="pools">{ for pools }</ul>
                <button class="add" onclick={click(Edit::AddPool(PoolKind::Thread))}>{ "+ ThreadPoolExecutor" }</button>
                <button class="add" onclick={click(Edit::AddPool(PoolKind::Process))}>{ "+ ProcessPoolExecutor" }</button>
            </section>
            <section>
                <h4>{ "Locks, semaphores, events and queues" }</h4>
                <ul class="pools">{ for resources }</ul>
                { for add_resources }
            </section>
            <section>
                <h4>{ "Functions (def: run by pools, threads and processes)" }</h4>
                { for functions }
                <button class="add" onclick={click(Edit::AddDef(false))} data-testid="add-function">{ "+ def" }</button>
            </section>
            <section>
                <h4>{ "Coroutines (async def: tasks on the loop)" }</h4>
                { for tasks }
                <button class="add" onclick={click(Edit::AddDef(true))} data-testid="add-task">{ "+ async def" }</button>
            </section>
            <section>
                <BodyEditor scenario={s.clone()} body={BodyPath::of(Root::Main)} title={"Module-level code (runs first, on the main thread):"} error={props.error.clone()} on_edit={props.on_edit.clone()} />
            </section>
            <section>
                <ServerEditor scenario={s.clone()} on_edit={props.on_edit.clone()} />
            </section>
        </fieldset>
    }
}
