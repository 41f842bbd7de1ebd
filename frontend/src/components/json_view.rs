//! The scenario as JSON, editable: what parses replaces the scenario, and what does not is
//! explained under the text, with the field it is about.

use looplab_shared::model::Scenario;
use looplab_shared::validate::from_json;
use web_sys::HtmlTextAreaElement;
use yew::prelude::*;

#[derive(Debug, Properties, PartialEq)]
pub struct JsonViewProps {
    pub scenario: Scenario,
    pub on_replace: Callback<Scenario>,
}

fn pretty(s: &Scenario) -> String {
    serde_json::to_string_pretty(s).unwrap_or_default()
}

/// A text area holding the scenario's JSON.
#[component]
pub fn JsonView(props: &JsonViewProps) -> Html {
    let text = use_state(|| pretty(&props.scenario));
    let error = use_state(|| None::<String>);
    // The scenario changed elsewhere (builder, lesson): show it, unless this text is it.
    {
        let (text, error) = (text.clone(), error.clone());
        use_effect_with(props.scenario.clone(), move |scenario| {
            if from_json::<Scenario>(&text, "scenario").ok().as_ref() != Some(scenario) {
                text.set(pretty(scenario));
                error.set(None);
            }
        });
    }
    let oninput = {
        let (text, error, replace) = (text.clone(), error.clone(), props.on_replace.clone());
        Callback::from(move |e: InputEvent| {
            let value = e.target_unchecked_into::<HtmlTextAreaElement>().value();
            match from_json::<Scenario>(&value, "scenario") {
                Ok(scenario) => {
                    error.set(None);
                    replace.emit(scenario);
                }
                Err(e) => error.set(Some(e.to_string())),
            }
            text.set(value);
        })
    };
    html! {
        <div class="json-view">
            <textarea data-testid="json" value={(*text).clone()} {oninput} spellcheck="false" rows="18" />
            if let Some(e) = &*error {
                <div class="field-error" data-testid="json-error">{ e }</div>
            }
        </div>
    }
}
