//! The scenario in three views: as Python, in the builder, as JSON.

use looplab_shared::model::Scenario;
use looplab_shared::presets::Preset;
use looplab_shared::validate::ValidationError;
use yew::prelude::*;

use super::builder::Builder;
use super::json_view::JsonView;
use super::lesson::ProgramView;
use crate::edit::Edit;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tab {
    Program,
    Builder,
    Json,
}

#[derive(Debug, Properties, PartialEq)]
pub struct EditorProps {
    pub scenario: Scenario,
    pub preset: Option<&'static Preset>,
    pub error: Option<ValidationError>,
    pub on_edit: Callback<Edit>,
    pub on_replace: Callback<Scenario>,
}

/// Tabs over the program, the builder and the JSON; a validation error shows in every tab.
#[component]
pub fn Editor(props: &EditorProps) -> Html {
    let tab = use_state(|| Tab::Program);
    let button = |t: Tab, label: &'static str, id: &'static str| {
        let tab = tab.clone();
        let class = classes!("tab", (*tab == t).then_some("active"));
        html! { <button {class} data-tab={id} onclick={move |_| tab.set(t)}>{ label }</button> }
    };
    html! {
        <div class="editor">
            <div class="tabs">
                { button(Tab::Program, "Program", "program") }
                { button(Tab::Builder, "Edit", "builder") }
                { button(Tab::Json, "JSON", "json") }
            </div>
            if let Some(e) = &props.error {
                <div class="notice error" data-testid="invalid">{ format!("Not runnable yet — {}: {}", e.field, e.message) }</div>
            }
            {
                match *tab {
                    Tab::Program => html! { <ProgramView scenario={props.scenario.clone()} preset={props.preset} /> },
                    Tab::Builder => html! { <Builder scenario={props.scenario.clone()} error={props.error.clone()} on_edit={props.on_edit.clone()} /> },
                    Tab::Json => html! { <JsonView scenario={props.scenario.clone()} on_replace={props.on_replace.clone()} /> },
                }
            }
        </div>
    }
}
