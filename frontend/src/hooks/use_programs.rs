//! The learner's programs and the challenges they solved in the browser's local storage:
//! read as the page opens, written whenever they change.

use std::rc::Rc;

use yew::prelude::*;

use crate::state::{Program, load, load_solved, save, save_solved};

/// Where the browser keeps them.
const KEY: &str = "looplab.programs";
/// Where it keeps the solved challenges' ids.
const SOLVED: &str = "looplab.solved";

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

/// The programs and the solved challenges this browser kept; none where it keeps nothing
/// (a private window may not).
pub fn stored() -> (Vec<Program>, Vec<&'static str>) {
    let item = |key| storage().and_then(|s| s.get_item(key).ok().flatten());
    (
        item(KEY).map_or_else(Vec::new, |text| load(&text)),
        item(SOLVED).map_or_else(Vec::new, |text| load_solved(&text)),
    )
}

/// Writes `programs` and `solved` whenever `saves` moves. A full storage keeps what it had.
#[hook]
pub fn use_keep_programs(programs: Rc<Vec<Program>>, solved: Vec<&'static str>, saves: u64) {
    use_effect_with(saves, move |&saves| {
        if let Some(storage) = storage().filter(|_| saves > 0) {
            let _ = storage.set_item(KEY, &save(&programs));
            let _ = storage.set_item(SOLVED, &save_solved(&solved));
        }
    });
}
