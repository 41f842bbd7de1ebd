//! looplab's playground page.
//!
//! Pure logic — the run model and its reducer ([`state`]), the timeline's layout
//! ([`timeline`]) — lives in plain modules with native tests. [`components`] and [`hooks`] are
//! the thin Yew layer over them.

pub mod arrows;
pub mod components;
pub mod deadlock;
pub mod edit;
pub mod goals;
pub mod highlight;
pub mod hooks;
pub mod indent;
pub mod json_error;
pub mod keys;
pub mod lints;
pub mod paint;
pub mod picture;
pub mod place;
pub mod predict;
pub mod pretty;
pub mod repeat_words;
pub mod replay;
pub mod resources;
pub mod reveal;
pub mod seconds;
pub mod state;
pub mod summary;
pub mod timeline;
pub mod trace;
pub mod variants;
pub mod waits;
pub mod words;

/// The cores of the machine the page runs on, for checking a scenario before the server does
/// (what pools default to depends on them); the server checks again with its own.
pub fn cores() -> u32 {
    #[cfg(target_arch = "wasm32")]
    {
        web_sys::window().map_or(2, |w| w.navigator().hardware_concurrency() as u32)
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        2
    }
}
