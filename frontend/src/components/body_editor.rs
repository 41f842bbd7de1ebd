//! A list of steps in the builder: `main`, a task or a function.

use looplab_shared::model::Scenario;
use looplab_shared::validate::ValidationError;
use yew::prelude::*;

use super::step_editor::StepEditor;
use crate::edit::{Body, Edit, new_step, steps};

#[derive(Debug, Properties, PartialEq)]
pub struct BodyEditorProps {
    pub scenario: Scenario,
    pub body: Body,
    pub title: String,
    pub error: Option<ValidationError>,
    pub on_edit: Callback<Edit>,
}

/// The error for step `i` of `body`, if the validation error points into it.
fn error_at(error: &Option<ValidationError>, body: Body, i: usize) -> Option<String> {
    let e = error.as_ref()?;
    let at = format!("{}[{i}]", body.path());
    let rest = e.field.strip_prefix(&at)?;
    (rest.is_empty() || rest.starts_with('.') || rest.starts_with('['))
        .then(|| format!("{}: {}", e.field, e.message))
}

/// A card with the body's steps and a button to add one.
#[component]
pub fn BodyEditor(props: &BodyEditorProps) -> Html {
    let body = props.body;
    let count = steps(&props.scenario, body).len();
    let steps = (0..count).map(|i| {
        html! {
            <StepEditor
                key={i}
                scenario={props.scenario.clone()}
                {body}
                index={i}
                error={error_at(&props.error, body, i)}
                on_edit={props.on_edit.clone()}
            />
        }
    });
    let add = {
        let (scenario, edit) = (props.scenario.clone(), props.on_edit.clone());
        Callback::from(move |_: MouseEvent| {
            edit.emit(Edit::AddStep(body, new_step(&scenario, "print")))
        })
    };
    let whole = props
        .error
        .as_ref()
        .filter(|e| e.field == body.path())
        .map(|e| format!("{}: {}", e.field, e.message));
    html! {
        <div class="body-editor" data-body={body.path()}>
            <div class="body-title">{ &props.title }</div>
            <ol class="steps">{ for steps }</ol>
            if let Some(e) = whole {
                <div class="field-error" data-testid="field-error">{ e }</div>
            }
            <button class="add" onclick={add} data-testid="add-step">{ "+ step" }</button>
        </div>
    }
}
