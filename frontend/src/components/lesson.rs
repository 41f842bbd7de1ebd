//! The lesson picker, and the card that explains the chosen lesson.

use std::rc::Rc;

use looplab_shared::model::Scenario;
use looplab_shared::presets::challenges::{self, Challenge};
use looplab_shared::presets::{self, Preset};
use wasm_bindgen::JsCast;
use web_sys::HtmlElement;
use yew::prelude::*;

use super::coded::coded;
use crate::keys::roving;
use crate::state::{MAX_PROGRAMS, Program, labels};

#[derive(Debug, Properties, PartialEq)]
pub struct LessonListProps {
    /// The lesson on screen, as written.
    pub selected: Option<&'static str>,
    /// The lesson the learner's scenario was made from.
    pub from: Option<&'static str>,
    pub on_select: Callback<&'static str>,
    /// The built-in challenge on screen.
    pub challenge: Option<&'static str>,
    pub on_challenge: Callback<&'static str>,
    /// The challenges this browser solved.
    pub solved: Vec<&'static str>,
    /// The learner's own programs, and which of them is on screen.
    pub programs: Rc<Vec<Program>>,
    pub mine: Option<u32>,
    pub on_program: Callback<u32>,
}

/// Arrow keys within one list of buttons: each list is one Tab stop, so the keyboard
/// reaches Run without passing every lesson.
fn list_keys(e: KeyboardEvent) {
    let Some(here) = e.target_dyn_into::<HtmlElement>() else {
        return;
    };
    let buttons = here
        .closest("ul")
        .ok()
        .flatten()
        .and_then(|list| list.query_selector_all("button").ok());
    let Some(buttons) = buttons else {
        return;
    };
    let all: Vec<HtmlElement> = (0..buttons.length())
        .filter_map(|i| buttons.item(i)?.dyn_into().ok())
        .collect();
    let at = all.iter().position(|b| *b == here);
    if let Some(to) = at.and_then(|i| roving(&e.key(), i, all.len())) {
        e.prevent_default();
        let _ = all[to].focus();
    }
}

/// Every built-in lesson, one click each, and the learner's own programs.
#[component]
pub fn LessonList(props: &LessonListProps) -> Html {
    let all = presets::all();
    let current = props.selected.or(props.from);
    let stop = all.iter().position(|p| Some(p.id) == current).unwrap_or(0);
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
    let programs = &props.programs;
    let stop = programs
        .iter()
        .position(|p| Some(p.id) == props.mine)
        .unwrap_or(0);
    let mine = programs
        .iter()
        .zip(labels(programs))
        .enumerate()
        .map(|(i, (p, label))| {
            let (on_program, id) = (props.on_program.clone(), p.id);
            let on = Some(id) == props.mine;
            html! {
                <li key={id}>
                    <button class={classes!("lesson-link", "program", on.then_some("active"))}
                        data-program={id.to_string()} tabindex={if i == stop { "0" } else { "-1" }}
                        aria-current={on.then_some("page")} onclick={move |_| on_program.emit(id)}>
                        { label }
                    </button>
                </li>
            }
        });
    let stop = (challenges::all().iter())
        .position(|c| Some(c.id) == props.challenge)
        .unwrap_or(0);
    let challenge_items = challenges::all().iter().enumerate().map(|(i, c)| {
        let (on_challenge, id) = (props.on_challenge.clone(), c.id);
        let on = Some(id) == props.challenge;
        let solved = props.solved.contains(&id);
        html! {
            <li key={id}>
                <button class={classes!("lesson-link", "challenge", on.then_some("active"))}
                    data-challenge={id} data-solved={solved.then_some("true")} tabindex={if i == stop { "0" } else { "-1" }}
                    aria-current={on.then_some("page")} onclick={move |_| on_challenge.emit(id)}>
                    { c.title }
                    if solved {
                        <span class="solved" aria-hidden="true">{ " ✓" }</span>
                        <span class="sr-only">{ " (solved)" }</span>
                    }
                </button>
            </li>
        }
    });
    let onkeydown = Callback::from(list_keys);
    html! {
        <nav class="lessons" aria-label="Lessons and your programs">
            if !programs.is_empty() {
                <h2 id="your-programs">{ "Your programs" }</h2>
                <ul aria-labelledby="your-programs" data-testid="programs" onkeydown={onkeydown.clone()}>{ for mine }</ul>
            }
            <h2 id="lessons">{ "Lessons" }</h2>
            <ul aria-labelledby="lessons" onkeydown={onkeydown.clone()}>{ for items }</ul>
            <h2 id="challenges">{ "Challenges" }</h2>
            <ul aria-labelledby="challenges" data-testid="challenges" {onkeydown}>{ for challenge_items }</ul>
        </nav>
    }
}

#[derive(Debug, Properties, PartialEq)]
pub struct CardProps {
    pub scenario: Scenario,
    /// The lesson on screen, as written.
    pub lesson: Option<&'static Preset>,
    /// The lesson the scenario came from.
    pub from: Option<&'static Preset>,
    /// The scenario on screen is one of the learner's kept programs.
    pub kept: bool,
    /// The built-in challenge on screen.
    pub challenge: Option<&'static Challenge>,
    pub on_select: Callback<&'static str>,
    /// A question waits for the learner's answer, which the explanation would give.
    #[prop_or_default]
    pub pending: bool,
}

/// The lesson's title and explanation; once the learner changes it, a card that says the
/// scenario is theirs now, what it came from, and the way back.
#[component]
pub fn LessonCard(props: &CardProps) -> Html {
    let challenge = props.challenge.map(|c| {
        html! {
            <>
                <h1 data-testid="challenge-title">{ format!("Challenge: {}", c.title) }</h1>
                <p class="lesson-text" data-testid="challenge-story">{ c.story }</p>
                <p class="hint">{ "Change the program in any tab, then Run: the goals under the timeline say which are met. The Goals tab lists them." }</p>
            </>
        }
    });
    let card = match (props.lesson, props.from) {
        _ if challenge.is_some() => challenge.unwrap_or_default(),
        (Some(lesson), _) if props.pending => html! {
            <>
                <h1>{ lesson.title }</h1>
                <p class="hint" data-testid="lesson-held">{ "The lesson's explanation is shown after you answer the question below." }</p>
            </>
        },
        (Some(lesson), _) => html! {
            <>
                <h1>{ lesson.title }</h1>
                <p class="lesson-text">{ coded(lesson.lesson) }</p>
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
    let kept = props.kept.then(|| {
        format!("Kept in this browser under “Your programs”, with your last {MAX_PROGRAMS}: another lesson or a new scenario leaves it there.")
    });
    html! {
        <article class="lesson-card" data-testid="lesson-card">
            { card }
            if let Some(kept) = kept {
                <p class="hint" data-testid="kept">{ kept }</p>
            }
        </article>
    }
}
