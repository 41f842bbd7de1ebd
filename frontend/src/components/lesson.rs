//! The lesson picker and the card that explains the chosen lesson.

use looplab_shared::model::Step;
use looplab_shared::presets::{self, Preset};
use yew::prelude::*;

#[derive(Debug, Properties, PartialEq)]
pub struct LessonListProps {
    pub selected: &'static str,
    pub on_select: Callback<&'static str>,
}

/// Every built-in lesson, one click each.
#[component]
pub fn LessonList(props: &LessonListProps) -> Html {
    let items = presets::all().iter().map(|p| {
        let on_select = props.on_select.clone();
        let id = p.id;
        let class = classes!("lesson-link", (p.id == props.selected).then_some("active"));
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
    pub preset: &'static Preset,
}

/// The lesson's explanation and, in plain words, what its scenario does.
#[component]
pub fn LessonCard(props: &LessonCardProps) -> Html {
    let scenario = props.preset.scenario();
    let tasks = scenario.tasks.iter().map(|task| {
        let steps = task.steps.iter().map(|step| match step {
            Step::Print { text } => html! { <li><code>{ format!("print({text:?})") }</code></li> },
            Step::Sleep { ms } => html! {
                <li><code>{ format!("await sleep({} s)", *ms as f64 / 1000.0) }</code></li>
            },
        });
        html! {
            <div class="task-card">
                <div class="task-name">{ format!("async {}", task.name) }</div>
                <ol>{ for steps }</ol>
            </div>
        }
    });
    html! {
        <article class="lesson-card">
            <h1>{ props.preset.title }</h1>
            <p class="lesson-text">{ props.preset.lesson }</p>
            <div class="scenario">
                { for tasks }
                <div class="task-card main">
                    <div class="task-name">{ "async main" }</div>
                    <ol><li><code>{ "await gather(…every task)" }</code></li></ol>
                </div>
            </div>
        </article>
    }
}
