//! The built-in lessons: each a scenario, a short explanation and the console output the
//! lesson predicts.

use crate::model::{Scenario, Step, TaskSpec};

/// One built-in lesson.
#[derive(Debug, Clone, Copy)]
pub struct Preset {
    /// Stable id, used on the command line and in links: `gather`.
    pub id: &'static str,
    /// Title shown on the lesson's card.
    pub title: &'static str,
    /// The explanation, for learners.
    pub lesson: &'static str,
    /// The console lines the lesson predicts, in order.
    pub expected_output: &'static [&'static str],
    build: fn() -> Scenario,
}

// Presets are identified by their id; the builder is not comparable.
impl PartialEq for Preset {
    fn eq(&self, other: &Self) -> bool {
        self.id == other.id
    }
}

impl Preset {
    /// The lesson's scenario, at the durations of the lesson (time scale 1).
    pub fn scenario(&self) -> Scenario {
        (self.build)()
    }
}

/// Every preset, in the order the landing page shows them.
pub fn all() -> &'static [Preset] {
    &PRESETS
}

/// The preset with this id.
pub fn find(id: &str) -> Option<&'static Preset> {
    PRESETS.iter().find(|p| p.id == id)
}

static PRESETS: [Preset; 1] = [Preset {
    id: "gather",
    title: "The event loop and gather",
    lesson: "One thread runs the event loop. Each task runs until it reaches an await that is \
             not ready — here a sleep — and then hands the loop back, so the loop can start the \
             next task. Both tasks sleep at the same time, which is why the whole program takes \
             about as long as the longest sleep (2 s), not the sum of both (3 s). Task 2 \
             finishes first because its sleep is shorter.",
    expected_output: &[
        "Task 1 started",
        "Task 2 started",
        "Task 2 finished",
        "Task 1 finished",
    ],
    build: gather,
}];

fn gather() -> Scenario {
    let task = |n: u32, ms: u64| TaskSpec {
        name: format!("task{n}"),
        steps: vec![
            Step::Print {
                text: format!("Task {n} started"),
            },
            Step::Sleep { ms },
            Step::Print {
                text: format!("Task {n} finished"),
            },
        ],
    };
    Scenario {
        name: "gather".into(),
        time_scale: 1.0,
        tasks: vec![task(1, 2000), task(2, 1000)],
    }
}
