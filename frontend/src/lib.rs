//! looplab's playground page.
//!
//! Pure logic — the run model and its reducer ([`state`]), the timeline's layout
//! ([`timeline`]) — lives in plain modules with native tests. [`components`] and [`hooks`] are
//! the thin Yew layer over them.

pub mod components;
pub mod edit;
pub mod hooks;
pub mod json_error;
pub mod keys;
pub mod paint;
pub mod picture;
pub mod pseudo;
pub mod replay;
pub mod reveal;
pub mod state;
pub mod summary;
pub mod timeline;
pub mod trace;
pub mod variants;
