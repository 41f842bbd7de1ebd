//! Every bound looplab enforces, as named constants.
//!
//! The server enforces them; the UI shows them. The README lists them, and a test keeps that
//! list in step with this file.

/// Most tasks one scenario may declare.
pub const MAX_TASKS: usize = 10_000;

/// Most steps one task may have.
pub const MAX_STEPS_PER_TASK: usize = 100;

/// Most steps in a whole scenario, all tasks together.
pub const MAX_TOTAL_STEPS: usize = 100_000;

/// Longest single duration a step may ask for, in milliseconds, before scaling.
pub const MAX_STEP_MS: u64 = 60_000;

/// Longest a scenario may be planned to take, in milliseconds after scaling: a scenario whose
/// longest task would take longer is refused before it runs.
pub const MAX_SCENARIO_MS: u64 = 30_000;

/// Longest a run may take on the wall clock, in milliseconds. A run still going then is
/// stopped and ends as `timed_out`, keeping the events it produced. The margin over
/// [`MAX_SCENARIO_MS`] absorbs scheduling delays on a busy machine.
pub const MAX_RUN_WALL_MS: u64 = 35_000;

/// Most events one run may emit. A scenario that could emit more is refused.
pub const MAX_EVENTS: usize = 250_000;

/// Longest name of a scenario or a task, in bytes.
pub const MAX_NAME_BYTES: usize = 64;

/// Longest text of a `print` step, in bytes.
pub const MAX_TEXT_BYTES: usize = 256;

/// Smallest time scale (every duration is multiplied by it).
pub const MIN_TIME_SCALE: f64 = 0.01;

/// Largest time scale.
pub const MAX_TIME_SCALE: f64 = 10.0;

/// Largest WebSocket message a client may send, in bytes.
pub const MAX_CLIENT_MESSAGE_BYTES: usize = 2 * 1024 * 1024;
