//! Recorded runs given to the page as files: dropped anywhere on it, or picked.

use gloo_events::{EventListener, EventListenerOptions};
use looplab_shared::limits::MAX_RECORDING_BYTES;
use looplab_shared::record::{self, RecordingError};
use wasm_bindgen::JsCast;
use web_sys::{DragEvent, File};
use yew::prelude::*;

use crate::state::{Action, State};

/// Reads `file` as a recorded run and opens it, or says why it cannot be opened. A file
/// over the limit is refused before it is read.
pub fn open_file(file: File, dispatcher: UseReducerDispatcher<State>) {
    let name = file.name();
    let refuse = move |why: String| Err(format!("{name}: {why}"));
    // A size in bytes is a whole number well inside f64's exact range.
    let size = file.size() as usize;
    if size > MAX_RECORDING_BYTES {
        dispatcher.dispatch(Action::OpenRecording {
            recording: refuse(RecordingError::TooLarge(size).to_string()),
            by_link: false,
        });
        return;
    }
    let text = file.text();
    wasm_bindgen_futures::spawn_local(async move {
        let recording = match wasm_bindgen_futures::JsFuture::from(text).await {
            Ok(text) => record::from_file(&text.as_string().unwrap_or_default())
                .map(Box::new)
                .or_else(|e| refuse(e.to_string())),
            Err(_) => refuse("the browser could not read this file".into()),
        };
        dispatcher.dispatch(Action::OpenRecording {
            recording,
            by_link: false,
        });
    });
}

/// A file dropped anywhere on the page opens as a recorded run; the browser's own handling
/// of a drop (opening the file in place of the page) is prevented. Not while `enabled` is
/// false (an embed, which has no room to show a recording as one).
#[hook]
pub fn use_drop(dispatcher: UseReducerDispatcher<State>, enabled: bool) {
    use_effect_with(enabled, move |&enabled| {
        let document = web_sys::window().and_then(|w| w.document());
        let listeners = document.filter(|_| enabled).map(|document| {
            let options = EventListenerOptions::enable_prevent_default();
            let over = EventListener::new_with_options(&document, "dragover", options, |e| {
                e.prevent_default();
            });
            let drop = EventListener::new_with_options(&document, "drop", options, move |e| {
                e.prevent_default();
                let file = e
                    .dyn_ref::<DragEvent>()
                    .and_then(|e| e.data_transfer())
                    .and_then(|d| d.files())
                    .and_then(|files| files.get(0));
                if let Some(file) = file {
                    open_file(file, dispatcher.clone());
                }
            });
            (over, drop)
        });
        move || drop(listeners)
    });
}
