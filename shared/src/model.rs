//! The scenario model: what a learner builds and the engine runs.
//!
//! A scenario is a small declarative program; no user code is ever run. Today it describes
//! async tasks on one event loop: `main` creates every task, then awaits them all with
//! `gather`, as `asyncio.gather(task1(), task2())` does.

use serde::{Deserialize, Serialize};

/// A whole scenario, as sent by the client in [`ClientMsg::Run`](crate::protocol::ClientMsg::Run)
/// and as stored in a share link.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    /// A short title shown above the timeline. At most [`MAX_NAME_BYTES`](crate::limits::MAX_NAME_BYTES).
    pub name: String,
    /// Multiplies every duration in the scenario: `0.1` runs ten times faster than written.
    /// Between [`MIN_TIME_SCALE`](crate::limits::MIN_TIME_SCALE) and
    /// [`MAX_TIME_SCALE`](crate::limits::MAX_TIME_SCALE); `1.0` when absent.
    #[serde(default = "default_time_scale")]
    pub time_scale: f64,
    /// The async tasks `main` creates and then gathers, in creation order.
    pub tasks: Vec<TaskSpec>,
}

fn default_time_scale() -> f64 {
    1.0
}

/// One async task (an `async def` coroutine wrapped in a task).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TaskSpec {
    /// The task's label on its lane. At most [`MAX_NAME_BYTES`](crate::limits::MAX_NAME_BYTES).
    pub name: String,
    /// What the task does, in order.
    pub steps: Vec<Step>,
}

/// One step of a task.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum Step {
    /// Writes a line to the console: `print(text)`.
    Print {
        /// The line, without its newline. At most [`MAX_TEXT_BYTES`](crate::limits::MAX_TEXT_BYTES).
        text: String,
    },
    /// Suspends the task for `ms` milliseconds and frees the loop: `await asyncio.sleep(ms / 1000)`.
    Sleep {
        /// How long, before the scenario's time scale. At most
        /// [`MAX_STEP_MS`](crate::limits::MAX_STEP_MS).
        ms: u64,
    },
}

impl Scenario {
    /// The most events a run of this scenario can emit, used to refuse oversized scenarios
    /// before they run and to size the event buffer so that the engine never waits on it.
    pub fn event_upper_bound(&self) -> usize {
        // main: started, suspended, resumed, finished. Each task: created, started, finished,
        // plus at most two events a step (suspended and resumed for a sleep, one for a print).
        const MAIN_EVENTS: usize = 4;
        let steps: usize = self.tasks.iter().map(|t| t.steps.len()).sum();
        MAIN_EVENTS + 3 * self.tasks.len() + 2 * steps
    }

    /// The wall time this scenario would take on an ideal machine, in milliseconds, after
    /// scaling: main gathers every task, so the longest task decides.
    pub fn ideal_wall_ms(&self) -> f64 {
        self.tasks
            .iter()
            .map(|t| t.sleep_ms() as f64 * self.time_scale)
            .fold(0.0, f64::max)
    }
}

impl TaskSpec {
    /// The sum of this task's sleeps, before scaling.
    pub fn sleep_ms(&self) -> u64 {
        self.steps
            .iter()
            .map(|s| match s {
                Step::Sleep { ms } => *ms,
                Step::Print { .. } => 0,
            })
            .fold(0, u64::saturating_add)
    }
}
