//! looplab's back end: the HTTP server with its WebSocket endpoint, and the engine that runs
//! scenarios for real.
//!
//! - [`server`]: `app(state) -> Router`, serving the UI, `/ws`, health and metrics.
//! - [`page`]: the built UI, compiled in (or `--dist`), with its encodings and caching.
//! - [`security`]: who may open the socket, and the security headers.
//! - [`metrics`]: `/metrics` for Prometheus.
//! - [`log`]: the server's log, as text or JSON lines, a span per connection and per run.
//! - [`listen`]: the accept loop, with a deadline for each request's headers.
//! - [`session`]: one WebSocket connection, one `select!` loop.
//! - [`engine`]: runs a scenario on a real event loop and records what happens.
//! - [`wire`]: turns the engine's records into protocol messages.
//! - [`error`]: why a request was refused, as the client reads it.
//! - [`forwarded`]: the client's address behind a trusted reverse proxy.
//! - [`headless`]: `looplab run`, the same engine without a browser.
//! - [`cli`]: what the command line reads: a lesson, a JSON scenario or a Python program.
//! - [`bench`]: `looplab bench`, fidelity, overhead beside CPython, latency.
//! - [`load`]: `looplab load`, a class of sessions on loopback, measured.

pub mod admission;
pub mod bench;
pub mod cli;
pub mod engine;
pub mod error;
pub mod forwarded;
pub mod headless;
pub mod listen;
pub mod load;
pub mod log;
pub mod metrics;
pub mod page;
pub mod security;
pub mod server;
pub mod session;
pub mod state;
pub mod wire;
