//! Small form controls the builder repeats: a number field, a duration in seconds, a text
//! field, a choice.

use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

/// A whole-number field; text that is not a number is ignored.
pub fn number(label: impl Into<AttrValue>, value: u64, on: impl Fn(u64) + 'static) -> Html {
    let label = label.into();
    let on = Callback::from(move |text: String| {
        if let Ok(v) = text.trim().parse() {
            on(v);
        }
        None
    });
    html! { <Draft {label} kind="number" value={value.to_string()} {on} /> }
}

/// A duration field in seconds, for a value the scenario keeps in whole milliseconds;
/// what does not read as one says why under the field.
pub fn seconds(label: impl Into<AttrValue>, ms: u64, on: impl Fn(u64) + 'static) -> Html {
    let label = label.into();
    let on = Callback::from(
        move |text: String| match crate::seconds::read_seconds(&text) {
            Ok(ms) => {
                on(ms);
                None
            }
            Err(why) => Some(why),
        },
    );
    html! { <Draft {label} kind="text" decimal=true value={crate::seconds::seconds(ms)} {on} /> }
}

/// A text field.
pub fn text(label: impl Into<AttrValue>, value: &str, on: impl Fn(String) + 'static) -> Html {
    let label = label.into();
    let on = Callback::from(move |v| {
        on(v);
        None
    });
    html! { <Draft {label} kind="text" value={value.to_owned()} {on} /> }
}

#[derive(Debug, Properties, PartialEq)]
struct DraftProps {
    label: AttrValue,
    /// The input's type.
    kind: &'static str,
    /// A decimal number typed as text: a phone shows its number keys.
    #[prop_or_default]
    decimal: bool,
    /// The value as the scenario holds it.
    value: String,
    /// Takes the text typed; says why it is not a value, if it is not.
    on: Callback<String, Option<String>>,
}

/// A field that shows what the person types while they type. The scenario's value, which
/// re-renders the page on every keystroke, would otherwise overwrite it: `0.` reads as `0`,
/// and typing `0.5` would give `5`. Once the field is left, it shows the scenario's value.
#[component]
fn Draft(props: &DraftProps) -> Html {
    let draft = use_state(|| props.value.clone());
    let error = use_state(|| None::<String>);
    let typing = use_mut_ref(|| false);
    {
        let (draft, typing) = (draft.clone(), typing.clone());
        use_effect_with(props.value.clone(), move |value| {
            if !*typing.borrow() {
                draft.set(value.clone());
            }
        });
    }
    let oninput = {
        let (draft, error, on) = (draft.clone(), error.clone(), props.on.clone());
        Callback::from(move |e: InputEvent| {
            let text = e.target_unchecked_into::<HtmlInputElement>().value();
            draft.set(text.clone());
            error.set(on.emit(text));
        })
    };
    let onfocus = {
        let typing = typing.clone();
        Callback::from(move |_: FocusEvent| *typing.borrow_mut() = true)
    };
    let onblur = {
        let (draft, error, value) = (draft.clone(), error.clone(), props.value.clone());
        Callback::from(move |_: FocusEvent| {
            *typing.borrow_mut() = false;
            draft.set(value.clone());
            error.set(None);
        })
    };
    let min = (props.kind == "number").then_some("0");
    let inputmode = props.decimal.then_some("decimal");
    html! {
        <label class="field">{ props.label.clone() }
            <input type={props.kind} {min} {inputmode} value={(*draft).clone()} {oninput} {onfocus} {onblur}
                aria-invalid={error.is_some().then_some("true")} data-field={props.label.clone()} />
            if let Some(why) = &*error {
                <span class="field-error" data-testid="input-error">{ why }</span>
            }
        </label>
    }
}

/// A choice among `options`.
pub fn choice(
    label: impl Into<AttrValue>,
    value: &str,
    options: Vec<String>,
    on: impl Fn(String) + 'static,
) -> Html {
    let onchange =
        Callback::from(move |e: Event| on(e.target_unchecked_into::<HtmlSelectElement>().value()));
    let options = options.into_iter().map(|o| {
        let selected = o == value;
        html! { <option value={o.clone()} {selected}>{ o }</option> }
    });
    let label = label.into();
    html! {
        <label class="field">{ label.clone() }
            <select {onchange} data-field={label}>{ for options }</select>
        </label>
    }
}

/// A checkbox.
pub fn check(label: impl Into<AttrValue>, value: bool, on: impl Fn(bool) + 'static) -> Html {
    let label = label.into();
    let onchange =
        Callback::from(move |e: Event| on(e.target_unchecked_into::<HtmlInputElement>().checked()));
    html! {
        <label class="field inline">
            <input type="checkbox" checked={value} {onchange} data-field={label.clone()} />{ label }
        </label>
    }
}

/// A field's number as a `u32`, capped: validation then names the limit it breaks.
pub fn saturate(v: u64) -> u32 {
    u32::try_from(v).unwrap_or(u32::MAX)
}
