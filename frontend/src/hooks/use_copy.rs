//! Copying text to the clipboard, and saying whether it worked: the browser may refuse.

use yew::prelude::*;

/// What the clipboard did with the last copy of the text as it is now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Copied {
    Idle,
    Copying,
    Done,
    Failed,
}

/// A callback that copies `text`, and what came of it; a new text has not been copied.
#[hook]
pub fn use_copy(text: String) -> (Copied, Callback<MouseEvent>) {
    let copied = use_state(|| Copied::Idle);
    {
        let copied = copied.clone();
        use_effect_with(text.clone(), move |_| copied.set(Copied::Idle));
    }
    let on_copy = {
        let copied = copied.clone();
        Callback::from(move |_| {
            let Some(window) = web_sys::window() else {
                return;
            };
            copied.set(Copied::Copying);
            let promise = window.navigator().clipboard().write_text(&text);
            let copied = copied.clone();
            wasm_bindgen_futures::spawn_local(async move {
                let done = wasm_bindgen_futures::JsFuture::from(promise).await;
                copied.set(if done.is_ok() {
                    Copied::Done
                } else {
                    Copied::Failed
                });
            });
        })
    };
    (*copied, on_copy)
}

/// What a "Copy link" button says, and what its status line says after a copy, if anything.
pub fn copy_words(copied: Copied) -> (&'static str, Option<&'static str>) {
    match copied {
        Copied::Idle => ("Copy link", None),
        Copied::Copying => ("Copying…", None),
        Copied::Done => ("Copied", Some("The link is on the clipboard.")),
        Copied::Failed => (
            "Copy link",
            Some("The browser did not allow copying: select the link above and copy it."),
        ),
    }
}
