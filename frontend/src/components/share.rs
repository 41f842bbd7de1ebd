//! "Share": the scenario on screen as a link, with a teacher's note and a run-on-open switch.

use looplab_shared::classroom::{Ask, Goal};
use looplab_shared::model::Scenario;
use looplab_shared::share::{Shared, encode};
use web_sys::{HtmlInputElement, HtmlTextAreaElement};
use yew::prelude::*;

use crate::hooks::use_copy::{Copied, copy_words, use_copy};
use crate::state::{ShareDraft, note_room};

#[derive(Debug, Properties, PartialEq)]
pub struct SharePanelProps {
    pub scenario: Scenario,
    /// The note and the switch, as typed.
    pub draft: ShareDraft,
    pub on_note: Callback<String>,
    pub on_run_on_open: Callback<bool>,
    /// The goals (the Goals tab's), which the link carries.
    pub goals: Vec<Goal>,
    /// The question asked before Run, complete as a link carries it.
    pub ask: Option<Ask>,
}

/// The HTML a teacher pastes into a slide or a course page to embed the scenario of
/// `link`: the page's `?embed` view in a 16:9 frame.
pub fn embed_snippet(link: &str, name: &str) -> String {
    let src = link.replacen('#', "?embed#", 1);
    let title: String = name
        .chars()
        .map(|c| match c {
            '&' => "&amp;".into(),
            '<' => "&lt;".into(),
            '>' => "&gt;".into(),
            '"' => "&quot;".into(),
            c => c.to_string(),
        })
        .collect();
    format!(
        "<iframe src=\"{src}\" width=\"800\" height=\"450\" style=\"border:0\" title=\"looplab: {title}\" loading=\"lazy\"></iframe>"
    )
}

fn page_url() -> String {
    web_sys::window()
        .map(|w| w.location())
        .and_then(|l| Some(format!("{}{}", l.origin().ok()?, l.pathname().ok()?)))
        .unwrap_or_default()
}

/// Builds the link as the teacher types; "Copy link" puts it on the clipboard and says
/// whether that worked.
#[component]
pub fn SharePanel(props: &SharePanelProps) -> Html {
    let draft = &props.draft;
    // Deflated when what it carries changes, not on every render of a live run.
    let link = (*use_memo(
        (
            props.scenario.clone(),
            draft.note.clone(),
            draft.run_on_open,
            props.goals.clone(),
            props.ask.clone(),
        ),
        |(scenario, note, run_on_open, goals, ask)| {
            let shared = Shared {
                scenario: scenario.clone(),
                note: note.clone(),
                run_on_open: *run_on_open,
                goals: goals.clone(),
                ask: ask.clone(),
            };
            format!("{}#{}", page_url(), encode(&shared))
        },
    ))
    .clone();
    let snippet = embed_snippet(&link, &props.scenario.name);
    let (snippet_copied, on_copy_snippet) = use_copy(snippet.clone());
    let (copied, on_copy) = use_copy(link.clone());
    let (button, said) = copy_words(copied);
    let on_note = props
        .on_note
        .reform(|e: InputEvent| e.target_unchecked_into::<HtmlTextAreaElement>().value());
    let on_toggle = props
        .on_run_on_open
        .reform(|e: Event| e.target_unchecked_into::<HtmlInputElement>().checked());
    html! {
        <details class="share">
            <summary>{ "Share this scenario" }</summary>
            <label for="share-note">{ "Note for learners (shown above the scenario)" }</label>
            <textarea id="share-note" data-testid="share-note" value={draft.note.clone()} oninput={on_note} rows="3"
                aria-describedby="share-note-room" />
            <p id="share-note-room" class={classes!("hint", draft.clipped.then_some("warn"))} data-testid="share-note-room">
                { if draft.clipped {
                    format!("The note is full at {}: the end of what was typed was left out.", note_room(&draft.note))
                } else {
                    note_room(&draft.note)
                } }
            </p>
            <label class="inline">
                <input type="checkbox" data-testid="share-run" checked={draft.run_on_open} onchange={on_toggle} />
                { "run as soon as the link opens" }
            </label>
            <div class="link-row">
                <input readonly=true aria-label="The link" data-testid="share-link" value={link.clone()} />
                <button onclick={on_copy} data-testid="copy-link">{ button }</button>
            </div>
            <p class="hint" role="status" data-testid="copy-status">
                { said.map_or_else(|| format!("{} characters; the whole scenario is in the link{}.", link.len(), in_link(props.goals.len(), props.ask.is_some())), str::to_owned) }
            </p>
            <label for="share-embed">{ "Embed in a slide or a course page (program, Run and timeline; 800×450, or any 16:9 size)" }</label>
            <div class="link-row">
                <input id="share-embed" readonly=true data-testid="share-embed" value={snippet} />
                <button onclick={on_copy_snippet} data-testid="copy-embed">
                    { if snippet_copied == Copied::Done { "Copied" } else { "Copy embed code" } }
                </button>
            </div>
        </details>
    }
}

/// What the link carries beside the scenario, in words.
fn in_link(goals: usize, ask: bool) -> String {
    let goals = match goals {
        0 => None,
        1 => Some("its goal".to_owned()),
        n => Some(format!("its {n} goals")),
    };
    match (goals, ask) {
        (None, false) => String::new(),
        (None, true) => ", with its question (the Goals tab)".into(),
        (Some(goals), false) => format!(", with {goals} (the Goals tab)"),
        (Some(goals), true) => format!(", with {goals} and its question (the Goals tab)"),
    }
}
