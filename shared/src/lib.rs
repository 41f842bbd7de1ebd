//! The contract between looplab's browser front end and its native back end.
//!
//! Everything here compiles for both `wasm32-unknown-unknown` and the host, and depends on
//! serde and small pure crates only: no async runtime, no web framework.
//!
//! - [`model`]: what a learner builds, a [`Scenario`](model::Scenario).
//! - [`limits`]: every bound a scenario and a connection must respect, as named constants.
//! - [`plan`]: what a scenario costs and how long its ideal schedule takes.
//! - [`validate`]: checks a scenario against [`limits`] and names the offending field.
//! - [`protocol`]: the WebSocket messages, documented as the wire spec.
//! - [`presets`]: the built-in lessons.
//! - [`share`]: share links, versioned and compressed.
//! - [`classroom`]: a teacher's goals (a challenge) and question (predict, then run).
//! - [`record`]: recorded runs, the file format a finished run is saved in.
//! - [`repeat`]: one scenario run many times, and the spread of what varied.
//! - [`python`]: the Python subset a scenario is the model of: rendering any scenario as a
//!   runnable program, and (with the `parse` feature, which the page leaves out) reading one.

pub mod classroom;
mod kinds;
pub mod limits;
pub mod model;
pub mod plan;
pub mod presets;
pub mod protocol;
pub mod python;
pub mod record;
pub mod repeat;
pub mod share;
pub mod validate;
