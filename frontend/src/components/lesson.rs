//! The lesson picker and the card that explains the chosen lesson.

use looplab_shared::model::{LoopFlavor, PoolKind, Scenario, Step};
use looplab_shared::presets::{self, Preset};
use yew::prelude::*;

use crate::pseudo;

#[derive(Debug, Properties, PartialEq)]
pub struct LessonListProps {
    pub selected: Option<&'static str>,
    pub on_select: Callback<&'static str>,
}

/// Every built-in lesson, one click each.
#[component]
pub fn LessonList(props: &LessonListProps) -> Html {
    let items = presets::all().iter().map(|p| {
        let on_select = props.on_select.clone();
        let id = p.id;
        let class = classes!(
            "lesson-link",
            (Some(p.id) == props.selected).then_some("active")
        );
        html! {
            <li key={id}>
                <button {class} data-preset={id} onclick={move |_| on_select.emit(id)}>
                    { p.title }
                </button>
            </li>
        }
    });
    html! {
        <nav class="lessons">
            <h2>{ "Lessons" }</h2>
            <ul>{ for items }</ul>
        </nav>
    }
}

#[derive(Debug, Properties, PartialEq)]
pub struct LessonCardProps {
    pub scenario: Scenario,
    pub preset: Option<&'static Preset>,
}

/// The lesson's title and explanation, or the shared scenario's name.
#[component]
pub fn LessonCard(props: &LessonCardProps) -> Html {
    html! {
        <article class="lesson-card">
            if let Some(preset) = props.preset {
                <h1>{ preset.title }</h1>
                <p class="lesson-text">{ preset.lesson }</p>
            } else {
                <h1>{ format!("Scenario: {}", props.scenario.name) }</h1>
            }
        </article>
    }
}

/// The scenario written as the Python it stands for.
#[component]
pub fn ProgramView(props: &LessonCardProps) -> Html {
    let scenario = &props.scenario;
    let card = |header: String, steps: &[Step], in_task: bool, class: &'static str| {
        let lines = steps
            .iter()
            .map(|step| html! { <li><code>{ pseudo::line(step, in_task) }</code></li> });
        html! {
            <div class={classes!("task-card", class)}>
                <div class="task-name">{ header }</div>
                <ol>{ for lines }</ol>
            </div>
        }
    };
    let pools = scenario.pools.iter().map(|p| {
        let kind = match p.kind {
            PoolKind::Thread => "ThreadPoolExecutor",
            PoolKind::Process => "ProcessPoolExecutor",
        };
        html! { <li><code>{ format!("{} = {kind}(max_workers={})", p.name, p.max_workers) }</code></li> }
    });
    let functions = scenario
        .functions
        .iter()
        .map(|f| card(format!("def {}(arg):", f.name), &f.steps, false, "function"));
    let tasks = scenario
        .tasks
        .iter()
        .map(|t| card(format!("async def {}():", t.name), &t.steps, true, "task"));
    let requests = scenario.requests.as_ref().map(|r| {
        html! { <p class="requests">{ format!("Meanwhile {} requests arrive, one every {} ms, each handled by {}().", r.count, r.every_ms, r.handler) }</p> }
    });
    let mut options = Vec::new();
    if scenario.options.gil {
        options.push("GIL on".to_owned());
    }
    if let LoopFlavor::MultiThread { workers } = scenario.options.loop_flavor {
        options.push(format!("multi-threaded loop, {workers} workers"));
    }
    if scenario.time_scale != 1.0 {
        options.push(format!("time scale ×{}", scenario.time_scale));
    }
    html! {
        <div class="program">
            if !options.is_empty() {
                <p class="options">{ options.join(" · ") }</p>
            }
            if !scenario.pools.is_empty() {
                <ul class="pools">{ for pools }</ul>
            }
            <div class="scenario">
                { for functions }
                { for tasks }
                { card("async def main():".into(), &scenario.main, true, "main") }
            </div>
            { for requests }
        </div>
    }
}
