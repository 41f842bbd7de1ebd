//! Ctrl+Enter presses Run from anywhere on the page.

use gloo_events::{EventListener, EventListenerOptions};
use wasm_bindgen::JsCast;
use yew::prelude::*;

/// Ctrl+Enter (or Cmd+Enter) anywhere on the page presses Run; the listener lives as long as
/// the page and calls the newest callback.
#[hook]
pub fn use_ctrl_enter(on_run: Callback<()>) {
    let latest = use_mut_ref(|| on_run.clone());
    *latest.borrow_mut() = on_run;
    use_effect_with((), move |_| {
        let listener = web_sys::window()
            .and_then(|w| w.document())
            .map(|document| {
                let options = EventListenerOptions::enable_prevent_default();
                EventListener::new_with_options(&document, "keydown", options, move |e| {
                    let Some(e) = e.dyn_ref::<web_sys::KeyboardEvent>() else {
                        return;
                    };
                    if e.key() == "Enter" && (e.ctrl_key() || e.meta_key()) {
                        e.prevent_default();
                        latest.borrow().emit(());
                    }
                })
            });
        move || drop(listener)
    });
}
