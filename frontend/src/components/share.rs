//! "Share": the scenario on screen as a link, with a teacher's note and a run-on-open switch.

use looplab_shared::limits::MAX_NOTE_BYTES;
use looplab_shared::model::Scenario;
use looplab_shared::share::{Shared, encode};
use web_sys::{HtmlInputElement, HtmlTextAreaElement};
use yew::prelude::*;

use crate::state::ShareDraft;

#[derive(Debug, Properties, PartialEq)]
pub struct SharePanelProps {
    pub scenario: Scenario,
    /// The note and the switch, as typed.
    pub draft: ShareDraft,
    pub on_note: Callback<String>,
    pub on_run_on_open: Callback<bool>,
}

/// What the clipboard did with the link.
#[derive(Debug, Clone, PartialEq)]
enum Copy {
    Idle,
    Copying,
    Copied,
    Failed,
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
        ),
        |(scenario, note, run_on_open)| {
            let shared = Shared {
                scenario: scenario.clone(),
                note: note.clone(),
                run_on_open: *run_on_open,
            };
            format!("{}#{}", page_url(), encode(&shared))
        },
    ))
    .clone();
    let copy = use_state(|| Copy::Idle);
    {
        // "Copied" is about the link as it was: a new link has not been copied.
        let copy = copy.clone();
        use_effect_with(link.clone(), move |_| copy.set(Copy::Idle));
    }
    let on_note = props
        .on_note
        .reform(|e: InputEvent| e.target_unchecked_into::<HtmlTextAreaElement>().value());
    let on_toggle = props
        .on_run_on_open
        .reform(|e: Event| e.target_unchecked_into::<HtmlInputElement>().checked());
    let on_copy = {
        let (link, copy) = (link.clone(), copy.clone());
        Callback::from(move |_| {
            let Some(window) = web_sys::window() else {
                return;
            };
            copy.set(Copy::Copying);
            let promise = window.navigator().clipboard().write_text(&link);
            let copy = copy.clone();
            wasm_bindgen_futures::spawn_local(async move {
                let done = wasm_bindgen_futures::JsFuture::from(promise).await;
                copy.set(if done.is_ok() {
                    Copy::Copied
                } else {
                    Copy::Failed
                });
            });
        })
    };
    let used = draft.note.len();
    let (button, said) = match *copy {
        Copy::Idle => ("Copy link", None),
        Copy::Copying => ("Copying…", None),
        Copy::Copied => ("Copied", Some("The link is on the clipboard.")),
        Copy::Failed => (
            "Copy link",
            Some("The browser did not allow copying: select the link above and copy it."),
        ),
    };
    html! {
        <details class="share">
            <summary>{ "Share this scenario" }</summary>
            <label for="share-note">{ "Note for learners (shown above the scenario)" }</label>
            <textarea id="share-note" data-testid="share-note" value={draft.note.clone()} oninput={on_note} rows="3"
                aria-describedby="share-note-room" />
            <p id="share-note-room" class={classes!("hint", draft.clipped.then_some("warn"))} data-testid="share-note-room">
                { if draft.clipped {
                    format!("The note is at its limit of {MAX_NOTE_BYTES} bytes: the end of what was typed was left out.")
                } else {
                    format!("{used} of {MAX_NOTE_BYTES} bytes")
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
                { said.map_or_else(|| format!("{} characters; the whole scenario is in the link.", link.len()), str::to_owned) }
            </p>
        </details>
    }
}
