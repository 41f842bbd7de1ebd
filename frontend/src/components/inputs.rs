//! Small form controls the builder repeats: a number field, a text field, a choice.

use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

/// A whole-number field; text that is not a number is ignored.
pub fn number(label: &'static str, value: u64, on: impl Fn(u64) + 'static) -> Html {
    let oninput = Callback::from(move |e: InputEvent| {
        if let Ok(v) = e
            .target_unchecked_into::<HtmlInputElement>()
            .value()
            .trim()
            .parse()
        {
            on(v);
        }
    });
    html! {
        <label class="field">{ label }
            <input type="number" min="0" value={value.to_string()} {oninput} data-field={label} />
        </label>
    }
}

/// A text field.
pub fn text(label: &'static str, value: &str, on: impl Fn(String) + 'static) -> Html {
    let oninput = Callback::from(move |e: InputEvent| {
        on(e.target_unchecked_into::<HtmlInputElement>().value())
    });
    html! {
        <label class="field">{ label }
            <input type="text" value={value.to_owned()} {oninput} data-field={label} />
        </label>
    }
}

/// A choice among `options`.
pub fn choice(
    label: &'static str,
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
    html! {
        <label class="field">{ label }
            <select {onchange} data-field={label}>{ for options }</select>
        </label>
    }
}

/// A checkbox.
pub fn check(label: &'static str, value: bool, on: impl Fn(bool) + 'static) -> Html {
    let onchange =
        Callback::from(move |e: Event| on(e.target_unchecked_into::<HtmlInputElement>().checked()));
    html! {
        <label class="field inline">
            <input type="checkbox" checked={value} {onchange} data-field={label} />{ label }
        </label>
    }
}

/// A field's number as a `u32`, capped: validation then names the limit it breaks.
pub fn saturate(v: u64) -> u32 {
    u32::try_from(v).unwrap_or(u32::MAX)
}
