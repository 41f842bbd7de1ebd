//! Runs scenarios for real and records what happens.
//!
//! Every run gets a process of its own (`looplab __runner`, see [`runner`]) in a process
//! group of its own: its event loop is a real tokio runtime, its pools real threads and real
//! child processes (`looplab __worker`, see [`process`]), its timers and CPU work real. Each
//! event is stamped where it happens, from CLOCK_MONOTONIC, which every process shares, and
//! travels as a JSON line up the pipes to the server ([`host`]). Measuring never waits: a
//! recorder hands records to a writer thread through a bounded queue and counts what does
//! not fit ([`recorder`]). When a run ends, is stopped, times out or is abandoned, its whole
//! process group is killed.

mod agents;
mod clock;
mod cpu;
mod env;
mod exc;
mod except;
mod exec;
mod gil;
mod group;
mod host;
mod interp;
mod jobs;
mod latch;
mod pipe;
mod pool;
mod process;
mod program;
mod recorder;
mod resource;
mod runner;
mod server;
mod started;
mod sync;
mod tasks;
mod waits;

pub use host::{RunHandle, RunLimits, RunOutput, RunReport, start};
pub use pipe::Record;
pub use process::worker_main;
pub use runner::runner_main;

/// Cores this machine offers the engine.
pub fn cores() -> u32 {
    std::thread::available_parallelism().map_or(1, |n| u32::try_from(n.get()).unwrap_or(1))
}
