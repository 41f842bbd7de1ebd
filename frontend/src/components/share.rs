//! "Share": the scenario on screen as a link, with a teacher's note and a run-on-open switch.

use looplab_shared::limits::MAX_NOTE_BYTES;
use looplab_shared::model::Scenario;
use looplab_shared::share::{Shared, encode};
use web_sys::{HtmlInputElement, HtmlTextAreaElement};
use yew::prelude::*;

#[derive(Debug, Properties, PartialEq)]
pub struct SharePanelProps {
    pub scenario: Scenario,
}

fn page_url() -> String {
    web_sys::window()
        .map(|w| w.location())
        .and_then(|l| Some(format!("{}{}", l.origin().ok()?, l.pathname().ok()?)))
        .unwrap_or_default()
}

/// Builds the link as the teacher types; "Copy link" puts it on the clipboard.
#[component]
pub fn SharePanel(props: &SharePanelProps) -> Html {
    let note = use_state(String::new);
    let run_on_open = use_state(|| false);
    let copied = use_state(|| false);
    // Deflated when what it carries changes, not on every render of a live run.
    let link = (*use_memo(
        (props.scenario.clone(), (*note).clone(), *run_on_open),
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
    let on_note = {
        let (note, copied) = (note.clone(), copied.clone());
        Callback::from(move |e: InputEvent| {
            let text = e.target_unchecked_into::<HtmlTextAreaElement>().value();
            note.set(text.chars().take(MAX_NOTE_BYTES / 4).collect());
            copied.set(false);
        })
    };
    let on_toggle = {
        let (run_on_open, copied) = (run_on_open.clone(), copied.clone());
        Callback::from(move |e: Event| {
            run_on_open.set(e.target_unchecked_into::<HtmlInputElement>().checked());
            copied.set(false);
        })
    };
    let on_copy = {
        let (link, copied) = (link.clone(), copied.clone());
        Callback::from(move |_| {
            if let Some(window) = web_sys::window() {
                let _ = window.navigator().clipboard().write_text(&link);
                copied.set(true);
            }
        })
    };
    html! {
        <details class="share">
            <summary>{ "Share this scenario" }</summary>
            <label>
                { "Note for learners (shown above the scenario)" }
                <textarea data-testid="share-note" value={(*note).clone()} oninput={on_note} rows="2" />
            </label>
            <label class="inline">
                <input type="checkbox" data-testid="share-run" checked={*run_on_open} onchange={on_toggle} />
                { "run as soon as the link opens" }
            </label>
            <div class="link-row">
                <input readonly=true data-testid="share-link" value={link.clone()} />
                <button onclick={on_copy}>{ if *copied { "Copied" } else { "Copy link" } }</button>
            </div>
            <p class="hint">{ format!("{} characters; the whole scenario is in the link.", link.len()) }</p>
        </details>
    }
}
