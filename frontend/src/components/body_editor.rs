//! A list of steps in the builder — `main`, a task's, a function's or a `with` block's —
//! with a menu of the steps that may be added there.

use looplab_shared::model::{Scenario, StepKind};
use looplab_shared::validate::ValidationError;
use wasm_bindgen::JsCast;
use web_sys::HtmlElement;
use yew::prelude::*;

use super::coded::coded;
use super::step_editor::StepEditor;
use crate::edit::{BodyPath, Edit, steps};
use crate::keys::roving;

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
    // A menu of buttons, not a <select>: a closed select changes on every arrow key, so a
    // person moving through it from the keyboard would add a step at each press.
    let open = use_state(|| false);
    let menu = use_node_ref();
    let toggle = use_node_ref();
    let close = {
        let (open, toggle) = (open.clone(), toggle.clone());
        move || {
            open.set(false);
            if let Some(t) = toggle.cast::<HtmlElement>() {
                let _ = t.focus();
            }
        }
    };
    let on_toggle = {
        let open = open.clone();
        Callback::from(move |_: MouseEvent| open.set(!*open))
    };
    // The first kind gets focus once the menu is drawn.
    {
        let menu = menu.clone();
        use_effect_with(*open, move |open| {
            if *open {
                focus_item(&menu, 0);
            }
        });
    }
    // Focus leaving the menu and its button (a click elsewhere, Tab) closes it.
    let on_focus_out = {
        let open = open.clone();
        Callback::from(move |e: FocusEvent| {
            let inside = e
                .related_target()
                .and_then(|t| t.dyn_into::<web_sys::Node>().ok())
                .zip(
                    e.current_target()
                        .and_then(|t| t.dyn_into::<web_sys::Node>().ok()),
                )
                .is_some_and(|(to, wrapper)| wrapper.contains(Some(&to)));
            if !inside {
                open.set(false);
            }
        })
    };
    let on_menu_key = {
        let (menu, close, count) = (menu.clone(), close.clone(), kinds.len());
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Escape" {
                e.prevent_default();
                close();
                return;
            }
            let here = focused_item(&menu).unwrap_or(0);
            if let Some(to) = roving(&e.key(), here, count) {
                e.prevent_default();
                focus_item(&menu, to);
            }
        })
    };
    // A step just added (its index): once drawn, its first field takes the keyboard, so
    // the learner types its value straight away.
    let added = use_mut_ref(|| None::<usize>);
    let wrapper = use_node_ref();
    {
        let (added, wrapper, path) = (added.clone(), wrapper.clone(), body.path());
        use_effect_with(count, move |&count| {
            let Some(i) = added.borrow_mut().take_if(|&mut i| i < count) else {
                return;
            };
            let first = format!(
                "[data-step='{path}[{i}]'] > .step-row :is(input, select, textarea, button)"
            );
            if let Some(field) = wrapper
                .cast::<HtmlElement>()
                .and_then(|w| w.query_selector(&first).ok().flatten())
                .and_then(|f| f.dyn_into::<HtmlElement>().ok())
            {
                let _ = field.focus();
            }
        });
    }
    let choices = kinds.iter().map(|k| {
        let (scenario, edit, body, kind, open, added) = (
            props.scenario.clone(),
            props.on_edit.clone(),
            body.clone(),
            *k,
            open.clone(),
            added.clone(),
        );
        let add = Callback::from(move |_: MouseEvent| {
            let step = kind.example(&scenario, body.owner(&scenario));
            *added.borrow_mut() = Some(count);
            edit.emit(Edit::AddStep(body.clone(), step));
            open.set(false);
        });
        html! {
            <li role="none">
                <button role="menuitem" tabindex="-1" data-kind={k.tag()} onclick={add}>{ k.label() }</button>
            </li>
        }
    });
    // For screen readers, which cannot show a quote as code.
    let where_ = crate::words::plain(&crate::place::place(&props.scenario, &body.path()));
    let whole = props
        .error
        .as_ref()
        .filter(|e| e.field == body.path())
        .map(|e| crate::words::refusal(&e.message));
    html! {
        <div ref={wrapper} class="body-editor" data-body={body.path()}>
            if !props.title.is_empty() {
                <div class="body-title">{ props.title.clone() }</div>
            }
            <ol class="steps">{ for items }</ol>
            if count == 0 {
                <p class="empty-body">{ "Nothing here yet: add a step." }</p>
            }
            if let Some(e) = whole {
                <div class="field-error" data-testid="field-error">{ coded(&e) }</div>
            }
            <div class="add-step" onfocusout={on_focus_out}>
                <button ref={toggle} data-testid="add-step" aria-haspopup="menu"
                    aria-expanded={open.to_string()} aria-label={format!("Add a step to {where_}")}
                    onclick={on_toggle}>{ "+ step…" }</button>
                if *open {
                    <ul ref={menu} class="step-menu" role="menu" onkeydown={on_menu_key}
                        aria-label={format!("Steps that may go in {where_}")}>
                        { for choices }
                    </ul>
                }
            </div>
        </div>
    }
}

/// The menu's buttons.
fn menu_items(menu: &NodeRef) -> Vec<HtmlElement> {
    let Some(menu) = menu.cast::<HtmlElement>() else {
        return Vec::new();
    };
    let Ok(list) = menu.query_selector_all("[role=menuitem]") else {
        return Vec::new();
    };
    (0..list.length())
        .filter_map(|i| list.item(i)?.dyn_into::<HtmlElement>().ok())
        .collect()
}

fn focus_item(menu: &NodeRef, index: usize) {
    if let Some(item) = menu_items(menu).get(index) {
        let _ = item.focus();
    }
}

fn focused_item(menu: &NodeRef) -> Option<usize> {
    let active = web_sys::window()?.document()?.active_element()?;
    menu_items(menu)
        .iter()
        .position(|item| item.is_same_node(Some(&active)))
}
