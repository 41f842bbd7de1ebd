//! What a scenario will cost before it runs: how many instances and events it can create,
//! how many threads and processes it starts, and how long its ideal schedule takes.
//!
//! The ideal schedule is the lesson's prediction, found by running the scenario in virtual
//! time: sleeps overlap, a gather ends with its last call, a pool of `w` workers runs its jobs
//! `w` at a time in the order they came, `with` waits for its pool's jobs, and at exit the
//! non-daemon threads and processes are waited for while the daemons are not; a lock or a
//! semaphore is held by one (or `value`) at a time, and an event's and a queue's waits end
//! when the matching `set` or `put` happens ([`resources`]). Contention the
//! lesson is about (the GIL, a blocked loop) is not in it: the measured time shows it against
//! the ideal.

mod ghost;
pub(crate) mod resources;
pub(crate) mod sim;

pub use ghost::{Ghost, call_name};

use crate::model::Scenario;

/// A scenario's cost. Counts saturate rather than overflow.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Plan {
    /// The ideal schedule's length, in ms after scaling.
    pub ideal_ms: f64,
    /// Task, job, thread, process and request instances created.
    pub instances: u64,
    /// Events emitted, at most.
    pub events: u64,
    /// Threads started besides the main thread: pool workers, started threads, a
    /// multi-threaded loop's workers.
    pub threads: u64,
    /// Processes started: pool workers and started processes.
    pub processes: u64,
    /// At most how many cores the run keeps busy at once: 0 when it computes nothing (it
    /// only waits: sleeps, I/O, joins), else between 1 and the machine's cores. An upper
    /// bound from where the work can run: the runner's threads take turns on one core under
    /// the GIL (each a core without it), every process a core, rayon every core.
    pub cores_busy: u32,
}

/// Why a plan cannot be made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PlanError {
    /// Task `name` awaits itself, directly or through others.
    Cycle(String),
    /// Loops run more steps than [`MAX_EXECUTED_STEPS`](crate::limits::MAX_EXECUTED_STEPS).
    TooManySteps {
        /// The step that went over, as a path into the scenario's JSON.
        at: String,
    },
    /// A value cannot be computed, as CPython would fail to: `range(1.5)`.
    Eval {
        /// Where, as a path into the scenario's JSON.
        at: String,
        /// What CPython would say.
        message: String,
    },
}

/// Most passes over a scenario with queues or events: a chain of waits settles one link a
/// pass, and lessons' chains are short.
const MAX_PASSES: u32 = 8;

/// Plans `s` for a machine with `cores` cores (pools' default sizes and `par_cpu` depend on
/// them). References must already resolve (validation checks them first); an unknown name
/// counts as nothing.
pub fn plan(s: &Scenario, cores: u32) -> Result<Plan, PlanError> {
    planned(s, cores, false).map(|(plan, _)| plan)
}

/// [`plan`], with the ideal schedule subject by subject: `<module>` first, then each
/// subject in the order the scenario creates it.
pub fn schedule(s: &Scenario, cores: u32) -> Result<(Plan, Vec<Ghost>), PlanError> {
    planned(s, cores, true)
}

fn planned(s: &Scenario, cores: u32, ghosts: bool) -> Result<(Plan, Vec<Ghost>), PlanError> {
    let cores = cores.max(1);
    let mut known = resources::Known::default();
    let mut passes = 0;
    loop {
        let (plan, learned, ghosts) = sim::Sim::new(s, cores, &known, ghosts).run()?;
        passes += 1;
        // Without queues and events one pass is the schedule; with them, each pass waits on
        // what the last one saw, until nothing changes.
        if !resources::matters(s) || learned == known || passes == MAX_PASSES {
            return Ok((plan, ghosts));
        }
        known = learned;
    }
}

#[cfg(test)]
mod tests;
