//! A finished run saved as a file or copied as a link, and a recorded run opened from a
//! file (which may also be dropped anywhere on the page).

use looplab_shared::limits::MAX_RECORDING_LINK_CHARS;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use super::export::{download, text_url};
use crate::hooks::use_copy::{copy_words, use_copy};
use crate::state::{RunStatus, RunView};

#[derive(Debug, Properties, PartialEq)]
pub struct RunFileProps {
    /// The run on screen, if any: saved once it has ended.
    pub run: Option<RunView>,
    /// A recorded run's file was picked.
    pub on_open: Callback<web_sys::File>,
}

/// Now, as the browser's clock says, in RFC 3339 UTC.
fn now() -> String {
    web_sys::js_sys::Date::new_0()
        .to_iso_string()
        .as_string()
        .unwrap_or_default()
}

fn page_url() -> String {
    web_sys::window()
        .map(|w| w.location())
        .and_then(|l| Some(format!("{}{}", l.origin().ok()?, l.pathname().ok()?)))
        .unwrap_or_default()
}

#[component]
pub fn RunFile(props: &RunFileProps) -> Html {
    // What the last "link to this run" made: the link, or why there is none.
    let link = use_state(|| None::<Result<String, String>>);
    {
        let link = link.clone();
        use_effect_with(props.run.as_ref().map(|r| r.run_id), move |_| {
            link.set(None)
        });
    }
    let ended = props
        .run
        .as_ref()
        .filter(|r| r.status != RunStatus::Running);
    let on_save = {
        let run = ended.cloned();
        Callback::from(move |_: MouseEvent| {
            let Some(recording) = run.as_ref().and_then(|r| r.recording(now())) else {
                return;
            };
            if let Some(url) = text_url(&recording.to_json(), "application/json") {
                let name = run.as_ref().map_or("run".into(), |r| r.name.clone());
                download(&url, &format!("looplab-{name}.run.json"));
            }
        })
    };
    let on_link = {
        let (run, link) = (ended.cloned(), link.clone());
        Callback::from(move |_: MouseEvent| {
            let Some(recording) = run.as_ref().and_then(|r| r.recording(now())) else {
                return;
            };
            link.set(Some(recording.to_link().map(|l| format!("{}#{l}", page_url())).ok_or_else(|| {
                format!("This run is too long for a link (over {MAX_RECORDING_LINK_CHARS} characters, MAX_RECORDING_LINK_CHARS): save it as a file instead.")
            })));
        })
    };
    // Copied as the share link is, with the same words.
    let made = match &*link {
        Some(Ok(url)) => url.clone(),
        _ => String::new(),
    };
    let (copied, on_copy) = use_copy(made);
    let (button, said) = copy_words(copied);
    let on_open = props.on_open.clone();
    let on_pick = Callback::from(move |e: Event| {
        let input = e.target_unchecked_into::<HtmlInputElement>();
        if let Some(file) = input.files().and_then(|f| f.get(0)) {
            on_open.emit(file);
        }
        // The same file picked again is a change too.
        input.set_value("");
    });
    html! {
        <div class="run-file">
            if ended.is_some() {
                <button onclick={on_save} data-testid="save-run" title="A file anyone can open in looplab to see this very run">{ "Save run" }</button>
                <button onclick={on_link} data-testid="run-link-make">{ "Link to this run" }</button>
            }
            <label class="open-run">
                { "Open a recorded run…" }
                <input type="file" accept=".json,application/json" onchange={on_pick} data-testid="open-run" />
            </label>
            <span class="hint">{ "or drop its file on the page" }</span>
            if let Some(Ok(url)) = (*link).clone() {
                <div class="link-row">
                    <input class="run-link" readonly=true aria-label="Link to this run" data-testid="run-link" value={url} />
                    <button onclick={on_copy} data-testid="copy-run-link">{ button }</button>
                </div>
                <p class="hint" role="status" data-testid="run-link-status">
                    { said.unwrap_or("Anyone with the link sees this very run, read-only.") }
                </p>
            }
            if let Some(Err(why)) = (*link).clone() {
                <p class="hint warn" role="status" data-testid="run-link-too-long">{ why }</p>
            }
        </div>
    }
}
