//! Runs a scenario for real and records what happens.
//!
//! Each run gets its own OS thread with its own single-threaded tokio runtime: that thread is
//! the event loop, as asyncio's is. Tasks are real tokio tasks, sleeps are real tokio timers,
//! and every event is stamped when it happens, on the loop thread, from a monotonic clock.
//!
//! Measuring never waits: records go into a bounded channel sized from the scenario's own
//! event bound, so a valid scenario can never fill it, and a full channel (a broken bound)
//! is counted rather than waited on.

mod recorder;
mod run;

pub use recorder::Record;
pub use run::{RunHandle, RunOutput, RunReport, start};
