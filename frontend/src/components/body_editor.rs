//! A list of steps in the builder — `main`, a task's, a function's or a `with` block's —
//! with a menu of the steps that may be added there.

use looplab_shared::model::{Scenario, StepKind};
use looplab_shared::validate::ValidationError;
use web_sys::HtmlSelectElement;
use yew::prelude::*;

use super::step_editor::StepEditor;
use crate::edit::{BodyPath, Edit, steps};

#[derive(Debug, Properties, PartialEq)]
pub struct BodyEditorProps {
    pub scenario: Scenario,
    pub body: BodyPath,
    pub title: AttrValue,
    pub error: Option<ValidationError>,
    pub on_edit: Callback<Edit>,
}

/// A card with the body's steps and "+ step": a menu of the kinds this body may hold, each
/// added with the values a person most likely wants.
#[component]
pub fn BodyEditor(props: &BodyEditorProps) -> Html {
    let body = props.body.clone();
    let count = steps(&props.scenario, &body).len();
    let items = (0..count).map(|i| {
        html! {
            <StepEditor key={i} scenario={props.scenario.clone()} body={body.clone()} index={i}
                error={props.error.clone()} on_edit={props.on_edit.clone()} />
        }
    });
    let ctx = body.context();
    let kinds: Vec<StepKind> = StepKind::ALL
        .into_iter()
        .filter(|k| k.allowed_in(ctx))
        .collect();
    let onchange = {
        let (scenario, edit, body, kinds) = (
            props.scenario.clone(),
            props.on_edit.clone(),
            body.clone(),
            kinds.clone(),
        );
        Callback::from(move |e: Event| {
            let select = e.target_unchecked_into::<HtmlSelectElement>();
            let chosen = select.value();
            // Back to the prompt, so the same kind can be added again.
            select.set_selected_index(0);
            if let Some(kind) = kinds.iter().find(|k| k.tag() == chosen) {
                let step = kind.example(&scenario, body.owner(&scenario));
                edit.emit(Edit::AddStep(body.clone(), step));
            }
        })
    };
    let options = kinds
        .iter()
        .map(|k| html! { <option value={k.tag()}>{ k.label() }</option> });
    let whole = props
        .error
        .as_ref()
        .filter(|e| e.field == body.path())
        .map(|e| format!("{}: {}", e.field, e.message));
    html! {
        <div class="body-editor" data-body={body.path()}>
            if !props.title.is_empty() {
                <div class="body-title">{ props.title.clone() }</div>
            }
            <ol class="steps">{ for items }</ol>
            if count == 0 {
                <p class="empty-body">{ "Nothing here yet: add a step." }</p>
            }
            if let Some(e) = whole {
                <div class="field-error" data-testid="field-error">{ e }</div>
            }
            <label class="add-step">
                <select {onchange} data-testid="add-step" aria-label={format!("Add a step to {}", body.path())}>
                    <option value="" selected=true disabled=true>{ "+ step…" }</option>
                    { for options }
                </select>
            </label>
        </div>
    }
}
