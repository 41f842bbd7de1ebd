//! The lesson picker, and the card that explains the chosen lesson.

use looplab_shared::model::Scenario;
use looplab_shared::presets::{self, Preset};
use wasm_bindgen::JsCast;
use web_sys::HtmlElement;
use yew::prelude::*;

use crate::keys::roving;

#[derive(Debug, Properties, PartialEq)]
pub struct LessonListProps {
    /// The lesson on screen, as written.
    pub selected: Option<&'static str>,
    /// The lesson the learner's scenario was made from.
    pub from: Option<&'static str>,
    pub on_select: Callback<&'static str>,
}

/// Every built-in lesson, one click each. The list is one Tab stop: the arrow keys move
/// within it, so the keyboard reaches Run without passing every lesson.
#[component]
pub fn LessonList(props: &LessonListProps) -> Html {
    let all = presets::all();
    let current = props.selected.or(props.from);
    let stop = all.iter().position(|p| Some(p.id) == current).unwrap_or(0);
    let onkeydown = Callback::from(move |e: KeyboardEvent| {
        let here = e
            .target_dyn_into::<HtmlElement>()
            .and_then(|b| b.get_attribute("data-preset"))
            .and_then(|id| all.iter().position(|p| p.id == id));
        if let Some(to) = here.and_then(|i| roving(&e.key(), i, all.len())) {
            e.prevent_default();
            focus_preset(all[to].id);
        }
    });
    let items = all.iter().enumerate().map(|(i, p)| {
        let on_select = props.on_select.clone();
        let id = p.id;
        let selected = Some(id) == props.selected;
        let class = classes!(
            "lesson-link",
            selected.then_some("active"),
            (Some(id) == props.from).then_some("from")
        );
        html! {
            <li key={id}>
                <button
                    {class}
                    data-preset={id}
                    tabindex={if i == stop { "0" } else { "-1" }}
                    aria-current={selected.then_some("page")}
                    onclick={move |_| on_select.emit(id)}
                >
                    { p.title }
                </button>
            </li>
        }
    });
    html! {
        <nav class="lessons" aria-label="Lessons">
            <h2>{ "Lessons" }</h2>
            <ul {onkeydown}>{ for items }</ul>
        </nav>
    }
}

fn focus_preset(id: &str) {
    let button = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| {
            d.query_selector(&format!("[data-preset='{id}']"))
                .ok()
                .flatten()
        })
        .and_then(|e| e.dyn_into::<HtmlElement>().ok());
    if let Some(button) = button {
        let _ = button.focus();
    }
}

#[derive(Debug, Properties, PartialEq)]
pub struct CardProps {
    pub scenario: Scenario,
    /// The lesson on screen, as written.
    pub lesson: Option<&'static Preset>,
    /// The lesson the scenario came from.
    pub from: Option<&'static Preset>,
    pub on_select: Callback<&'static str>,
}

/// The lesson's title and explanation; once the learner changes it, a card that says the
/// scenario is theirs now, what it came from, and the way back.
#[component]
pub fn LessonCard(props: &CardProps) -> Html {
    let card = match (props.lesson, props.from) {
        (Some(lesson), _) => html! {
            <>
                <h1>{ lesson.title }</h1>
                <p class="lesson-text">{ lesson.lesson }</p>
            </>
        },
        (None, Some(from)) => {
            let (on_select, id) = (props.on_select.clone(), from.id);
            html! {
                <>
                    <h1>{ format!("Your scenario: {}", props.scenario.name) }</h1>
                    <p class="lesson-text" data-testid="edited-from">
                        { format!("Changed from the lesson “{}”: its explanation and expected output no longer apply. ", from.title) }
                        <button class="link" data-testid="back-to-lesson" onclick={move |_| on_select.emit(id)}>
                            { "Back to the lesson as written" }
                        </button>
                    </p>
                </>
            }
        }
        (None, None) => html! {
            <h1>{ format!("Your scenario: {}", props.scenario.name) }</h1>
        },
    };
    html! { <article class="lesson-card" data-testid="lesson-card">{ card }</article> }
}
