//! The learner's programs in the browser's local storage: read as the page opens, written
//! whenever they change.

use std::rc::Rc;

use yew::prelude::*;

use crate::state::{Program, load, save};

/// Where the browser keeps them.
const KEY: &str = "looplab.programs";

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

/// The programs this browser kept; none where it keeps nothing (a private window may not).
pub fn stored() -> Vec<Program> {
    storage()
        .and_then(|s| s.get_item(KEY).ok().flatten())
        .map_or_else(Vec::new, |text| load(&text))
}

/// Writes `programs` whenever `saves` moves. A full storage keeps what it had.
#[hook]
pub fn use_keep_programs(programs: Rc<Vec<Program>>, saves: u64) {
    use_effect_with(saves, move |&saves| {
        if let Some(storage) = storage().filter(|_| saves > 0) {
            let _ = storage.set_item(KEY, &save(&programs));
        }
    });
}
