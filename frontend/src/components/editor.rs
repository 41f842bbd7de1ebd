//! The scenario in three views: as Python, in the builder, as JSON; and the goals its runs
//! are checked against, with the question asked before Run.

use looplab_shared::classroom::{Ask, Goal};
use looplab_shared::model::Scenario;
use looplab_shared::presets::Preset;
use looplab_shared::validate::ValidationError;
use wasm_bindgen::JsCast;
use web_sys::HtmlElement;
use yew::prelude::*;

use super::ask_editor::AskEditor;
use super::builder::Builder;
use super::coded::coded;
use super::goal_editor::GoalEditor;
use super::json_view::JsonView;
use super::python_view::PythonView;
use crate::edit::Edit;
use crate::keys::roving;
use crate::state::{JsonDraft, PythonDraft};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tab {
    Python,
    Builder,
    Json,
    Goals,
}

const TABS: [(Tab, &str, &str); 4] = [
    (Tab::Python, "Python", "python"),
    (Tab::Builder, "Builder", "builder"),
    (Tab::Json, "JSON", "json"),
    (Tab::Goals, "Goals", "goals"),
];

#[derive(Debug, Properties, PartialEq)]
pub struct EditorProps {
    pub scenario: Scenario,
    pub preset: Option<&'static Preset>,
    pub error: Option<ValidationError>,
    /// The JSON view's text, while it is not the scenario's own.
    pub json: Option<JsonDraft>,
    /// The Python view's text, while it is not the scenario's own.
    pub python: Option<PythonDraft>,
    /// The line of the Python's first error, while it has one: the builder and the JSON
    /// show the last scenario that read, and cannot change it.
    pub locked: Option<u32>,
    pub on_edit: Callback<Edit>,
    pub on_json: Callback<String>,
    pub on_python: Callback<String>,
    /// The goals each run is checked against.
    pub goals: Vec<Goal>,
    /// The last finished run's console, for a console goal to take.
    pub last_console: Option<Vec<String>>,
    pub on_goals: Callback<Vec<Goal>>,
    /// The question asked before Run.
    pub ask: Option<Ask>,
    /// The last finished run's lanes, for a question's choices.
    pub last_lanes: Option<Vec<String>>,
    pub on_ask: Callback<Option<Ask>>,
}

/// Tabs over the program, the builder and the JSON; what keeps Run waiting shows in every
/// tab. The tabs are one Tab stop; the arrow keys move between them.
#[component]
pub fn Editor(props: &EditorProps) -> Html {
    let tab = use_state(|| Tab::Python);
    let onkeydown = {
        let tab = tab.clone();
        Callback::from(move |e: KeyboardEvent| {
            let here = TABS.iter().position(|(t, _, _)| *t == *tab).unwrap_or(0);
            if let Some(to) = roving(&e.key(), here, TABS.len()) {
                e.prevent_default();
                tab.set(TABS[to].0);
                focus_tab(TABS[to].2);
            }
        })
    };
    let buttons = TABS.iter().map(|&(t, label, id)| {
        let tab = tab.clone();
        let on = *tab == t;
        let class = classes!("tab", on.then_some("active"));
        html! {
            <button {class} role="tab" data-tab={id} aria-selected={on.to_string()}
                tabindex={if on { "0" } else { "-1" }} onclick={move |_| tab.set(t)}>{ label }</button>
        }
    });
    let json_error = props.json.as_ref().and_then(|d| d.error.as_ref());
    let python_waits = props.python.as_ref().is_some_and(|d| d.holds_run());
    let locked = props.locked.filter(|_| *tab != Tab::Python);
    let to_python = {
        let tab = tab.clone();
        Callback::from(move |_: MouseEvent| tab.set(Tab::Python))
    };
    html! {
        <div class="editor">
            <div class="tabs" role="tablist" aria-label="The scenario" {onkeydown}>{ for buttons }</div>
            if let Some(line) = locked {
                <div class="notice error" data-testid="locked">
                    { format!("The Python has an error at line {line}. This shows the last program that read, read-only until the Python is mended. ") }
                    <button class="link" onclick={to_python}>{ "Back to the Python" }</button>
                </div>
            } else if let Some(e) = json_error {
                <div class="notice error" data-testid="invalid">{ format!("Not runnable: the JSON has an error at {e}. Run waits until it reads as a scenario.") }</div>
            } else if python_waits {
                // The Python view says why, line by line.
            } else if let Some(e) = &props.error {
                <div class="notice error" data-testid="invalid">{ coded(&format!("Not runnable yet — {}: {}", crate::place::place(&props.scenario, &e.field), crate::words::refusal(&e.message))) }</div>
            }
            <div role="tabpanel">
            {
                match *tab {
                    Tab::Python => html! { <PythonView scenario={props.scenario.clone()} draft={props.python.clone()} on_input={props.on_python.clone()} /> },
                    Tab::Builder => html! { <Builder scenario={props.scenario.clone()} error={props.error.clone()} locked={locked.is_some()} on_edit={props.on_edit.clone()} /> },
                    Tab::Json => html! { <JsonView scenario={props.scenario.clone()} draft={props.json.clone()} locked={locked.is_some()} on_input={props.on_json.clone()} /> },
                    Tab::Goals => html! {
                        <>
                            <GoalEditor goals={props.goals.clone()} last_console={props.last_console.clone()} on_goals={props.on_goals.clone()} />
                            <AskEditor ask={props.ask.clone()} last_console={props.last_console.clone()} last_lanes={props.last_lanes.clone()} on_ask={props.on_ask.clone()} />
                        </>
                    },
                }
            }
            </div>
        </div>
    }
}

fn focus_tab(id: &str) {
    let button = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.query_selector(&format!("[data-tab={id}]")).ok().flatten())
        .and_then(|e| e.dyn_into::<HtmlElement>().ok());
    if let Some(button) = button {
        let _ = button.focus();
    }
}
