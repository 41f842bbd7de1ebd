//! looplab's back end: the HTTP server with its WebSocket endpoint, and the engine that runs
//! scenarios for real.
//!
//! - [`server`]: `app(state) -> Router`, serving the UI and `/ws`.
//! - [`session`]: one WebSocket connection, one `select!` loop.
//! - [`engine`]: runs a scenario on a real event loop and records what happens.
//! - [`wire`]: turns the engine's records into protocol messages.
//! - [`error`]: why a request was refused, as the client reads it.
//! - [`headless`]: `looplab run`, the same engine without a browser.

pub mod admission;
pub mod engine;
pub mod error;
pub mod headless;
pub mod server;
pub mod session;
pub mod wire;
