//! The scenario as JSON, editable: text that reads as a scenario replaces it; text that does
//! not is kept as typed, explained under it in words with its line and column, and Run waits.

use looplab_shared::model::Scenario;
use web_sys::HtmlTextAreaElement;
use yew::prelude::*;

use crate::state::JsonDraft;

#[derive(Debug, Properties, PartialEq)]
pub struct JsonViewProps {
    pub scenario: Scenario,
    /// The text as typed, while it is not the scenario's own JSON.
    pub draft: Option<JsonDraft>,
    /// Shown, not changeable: the Python has an error, and a change here would replace it.
    pub locked: bool,
    pub on_input: Callback<String>,
}

/// A text area holding the scenario's JSON.
#[component]
pub fn JsonView(props: &JsonViewProps) -> Html {
    // Pretty-printed when the scenario changes, not on every render of a live run.
    let pretty = use_memo(props.scenario.clone(), |s| {
        crate::pretty::pretty(&serde_json::to_string(s).unwrap_or_default())
    });
    let text = props
        .draft
        .as_ref()
        .map_or_else(|| (*pretty).clone(), |d| d.text.clone());
    let oninput = props
        .on_input
        .reform(|e: InputEvent| e.target_unchecked_into::<HtmlTextAreaElement>().value());
    let error = props.draft.as_ref().and_then(|d| d.error.as_ref());
    html! {
        <div class="json-view">
            <label class="field" for="scenario-json">{ "The scenario as JSON" }</label>
            <textarea id="scenario-json" data-testid="json" value={text} readonly={props.locked} {oninput} spellcheck="false" rows="18"
                aria-invalid={error.is_some().to_string()} aria-describedby="json-error" />
            <div class="field-error" id="json-error" data-testid="json-error" aria-live="polite">
                if let Some(e) = error {
                    { format!("Line {}, column {}{}: {}", e.line, e.column,
                        e.field.as_ref().map(|f| format!(" ({f})")).unwrap_or_default(), e.message) }
                }
            </div>
        </div>
    }
}
