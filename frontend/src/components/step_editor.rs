//! One step in the builder: its fields, the Python it stands for, buttons to move or remove
//! it, and for a `with`, its block.

use looplab_shared::model::{Scenario, Step};
use looplab_shared::python::render;
use looplab_shared::validate::ValidationError;
use yew::prelude::*;

use super::body_editor::BodyEditor;
use super::coded::coded;
use super::step_fields::fields;
use crate::edit::{BodyPath, Edit, steps};

#[derive(Debug, Properties, PartialEq)]
pub struct StepEditorProps {
    pub scenario: Scenario,
    pub body: BodyPath,
    pub index: usize,
    pub error: Option<ValidationError>,
    pub on_edit: Callback<Edit>,
}

/// The validation error's message if it points at `path` or inside it.
pub fn error_at(error: &Option<ValidationError>, path: &str) -> Option<String> {
    let e = error.as_ref()?;
    let rest = e.field.strip_prefix(path)?;
    // Shown at the step: only what lies below it is named.
    (rest.is_empty() || rest.starts_with('.') || rest.starts_with('[')).then(|| {
        let message = crate::words::refusal(&e.message);
        match crate::place::below(rest) {
            words if words.is_empty() => message,
            words => format!("{words}: {message}"),
        }
    })
}

/// Edits `scenario`'s step `index` of `body`.
#[component]
pub fn StepEditor(props: &StepEditorProps) -> Html {
    let (body, index) = (props.body.clone(), props.index);
    let Some(step) = steps(&props.scenario, &body).get(index).cloned() else {
        return html! {};
    };
    let at = format!("{}[{index}]", body.path());
    let set = {
        let (edit, body) = (props.on_edit.clone(), body.clone());
        Callback::from(move |step: Step| edit.emit(Edit::SetStep(body.clone(), index, step)))
    };
    let on = |edit: Edit| {
        let cb = props.on_edit.clone();
        Callback::from(move |_: MouseEvent| cb.emit(edit.clone()))
    };
    // An error inside a block belongs to the block's own step.
    let blocks: Vec<_> = step
        .bodies()
        .into_iter()
        .enumerate()
        .map(|(k, (field, _))| (body.block(index, k, &field), field))
        .collect();
    let own_error = error_at(&props.error, &at).filter(|_| {
        blocks
            .iter()
            .all(|(b, _)| error_at(&props.error, &b.path()).is_none())
    });
    let python = render::step(&props.scenario, &step, body.context());
    html! {
        <li class={classes!("step", own_error.is_some().then_some("invalid"))} data-step={at.clone()}>
            <div class="step-row">
                <span class="step-kind">{ step.kind().label() }</span>
                { fields(&props.scenario, &step, set) }
                <span class="step-buttons">
                    <button onclick={on(Edit::MoveStep(body.clone(), index, true))} title="Move up" aria-label="Move up">{ "↑" }</button>
                    <button onclick={on(Edit::MoveStep(body.clone(), index, false))} title="Move down" aria-label="Move down">{ "↓" }</button>
                    <button onclick={on(Edit::RemoveStep(body.clone(), index))} title="Remove" aria-label="Remove step" data-testid="remove-step">{ "✕" }</button>
                </span>
            </div>
            <code class="as-python">{ python }</code>
            if let Some(error) = own_error {
                <div class="field-error" data-testid="field-error">{ coded(&error) }</div>
            }
            { for blocks.into_iter().map(|(block, field)| {
                // A block of its own name (`finally`, an `except`) says which it is.
                let title = if blocks_titled(&step) { field } else { String::new() };
                html! { <BodyEditor scenario={props.scenario.clone()} body={block} title={title} error={props.error.clone()} on_edit={props.on_edit.clone()} /> }
            }) }
        </li>
    }
}

/// Whether a step's blocks are shown with their names: it has more than one.
fn blocks_titled(step: &Step) -> bool {
    step.bodies().len() > 1
}
