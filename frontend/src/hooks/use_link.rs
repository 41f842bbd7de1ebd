//! The address bar's link: one pasted into the open page opens there, and once the page
//! shows something else it leaves the address bar, so a reload does not bring it back.

use gloo_events::EventListener;
use looplab_shared::{record, share};
use wasm_bindgen::JsValue;
use yew::prelude::*;

use crate::state::{Action, State};

/// The fragment of the page's address, with its `#`.
pub fn fragment() -> String {
    web_sys::window()
        .and_then(|w| w.location().hash().ok())
        .unwrap_or_default()
}

/// Whether the page is embedded in another (`?embed` in its address): it then shows the
/// program, Run and the timeline only.
pub fn embed_mode() -> bool {
    let search = web_sys::window()
        .and_then(|w| w.location().search().ok())
        .unwrap_or_default();
    search
        .trim_start_matches('?')
        .split('&')
        .any(|p| p == "embed" || p.starts_with("embed="))
}

/// Opens links that arrive while the page is open, and takes the link out of the address
/// bar when `on_link` turns false.
#[hook]
pub fn use_link(dispatcher: UseReducerDispatcher<State>, on_link: bool) {
    use_effect_with((), move |_| {
        let listener = web_sys::window().map(|window| {
            EventListener::new(&window, "hashchange", move |_| {
                let hash = fragment();
                if record::is_link(&hash) {
                    let recording = record::from_link(&hash).map(Box::new);
                    dispatcher.dispatch(Action::OpenRecording {
                        recording: recording.map_err(|e| e.to_string()),
                        by_link: true,
                    });
                } else if hash.len() > 1 {
                    let link = share::decode(&hash, crate::cores()).map_err(|e| e.to_string());
                    dispatcher.dispatch(Action::OpenLink(link));
                }
            })
        });
        move || drop(listener)
    });
    use_effect_with(on_link, |on_link| {
        if !on_link
            && fragment().len() > 1
            && let Some(window) = web_sys::window()
        {
            let location = window.location();
            let bare = format!(
                "{}{}",
                location.pathname().unwrap_or_default(),
                location.search().unwrap_or_default()
            );
            // replaceState, unlike setting the hash, fires no hashchange.
            if let Ok(history) = window.history() {
                let _ = history.replace_state_with_url(&JsValue::NULL, "", Some(&bare));
            }
        }
    });
}
