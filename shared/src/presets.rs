//! The built-in lessons: each a scenario, a short explanation and the console output the
//! lesson predicts. Durations are the lesson's own; `--scale` or the UI shortens them.

mod build;
pub mod challenges;
mod locks;
mod scenarios;
mod toolkit;

use crate::model::Scenario;

/// One built-in lesson.
#[derive(Debug, Clone, Copy)]
pub struct Preset {
    /// Stable id, used on the command line and in links: `gather`.
    pub id: &'static str,
    /// Title shown on the lesson's card.
    pub title: &'static str,
    /// The explanation, for learners.
    pub lesson: &'static str,
    /// The console lines the lesson predicts, in order. Lines printed at the same moment by
    /// parallel workers may swap; [`Preset::unordered`] says which.
    pub expected_output: &'static [&'static str],
    /// Ranges of `expected_output` (start, end exclusive) whose lines may come in any order.
    pub unordered: &'static [(usize, usize)],
    /// Lines that may or may not be printed as well, anywhere, each at most once: a daemon
    /// process terminated at exit may not have printed yet.
    pub optional: &'static [&'static str],
    /// Ids of presets to compare this one with: the same work done another way.
    pub compare: &'static [&'static str],
    /// How long the lesson says the run takes.
    pub predicts: Prediction,
    build: fn() -> Scenario,
}

/// How long a lesson says its run takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Prediction {
    /// The ideal schedule ([`plan`](crate::plan::plan)): sleeps overlap, a gather takes its
    /// longest call, a pool runs as many jobs at once as it has workers.
    Ideal,
    /// A length the lesson states, in ms, where contention is the point (the GIL, a blocked
    /// loop) and the ideal schedule, which ignores contention, would hide it.
    Stated {
        /// The length, in ms at time scale 1.
        ms: u64,
    },
    /// The run deadlocks after `ms`: nothing can move any more. CPython would wait there
    /// forever; looplab ends the run as deadlocked.
    Deadlock {
        /// When it deadlocks, in ms at time scale 1.
        ms: u64,
    },
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

    /// Whether `scenario` is this lesson as written. The speed is the learner's to choose,
    /// and so is the name: a lesson's program pasted under another name runs as the lesson
    /// does, so its explanation and expected output still apply.
    pub fn is(&self, scenario: &Scenario) -> bool {
        let mut lesson = self.scenario();
        lesson.time_scale = scenario.time_scale;
        lesson.name.clone_from(&scenario.name);
        lesson == *scenario
    }

    /// How long the lesson says its scenario takes at `time_scale`, in ms, where it states
    /// a length rather than leaving it to the ideal schedule.
    pub fn stated_ms(&self, time_scale: f64) -> Option<f64> {
        match self.predicts {
            Prediction::Ideal => None,
            Prediction::Stated { ms } | Prediction::Deadlock { ms } => Some(ms as f64 * time_scale),
        }
    }

    /// How long the lesson predicts its scenario takes on `cores` cores, in ms.
    pub fn predicted_ms(&self, cores: u32) -> f64 {
        match self.predicts {
            Prediction::Ideal => {
                crate::plan::plan(&self.scenario(), cores).map_or(0.0, |p| p.ideal_ms)
            }
            Prediction::Stated { ms } | Prediction::Deadlock { ms } => ms as f64,
        }
    }

    /// Whether the lesson's run deadlocks rather than completes.
    pub fn deadlocks(&self) -> bool {
        match self.predicts {
            Prediction::Deadlock { .. } => true,
            Prediction::Ideal | Prediction::Stated { .. } => false,
        }
    }

    /// For each printed line, whether it fits the prediction so far: the next expected line,
    /// any line still due in the unordered range under way, or an optional line.
    pub fn fits(&self, printed: &[&str]) -> Vec<bool> {
        self.matching(printed).0
    }

    /// Whether `printed` is the output this lesson predicts, allowing the unordered ranges to
    /// come in any order and the optional lines to appear or not.
    pub fn output_matches(&self, printed: &[&str]) -> bool {
        let (fits, complete) = self.matching(printed);
        complete && fits.iter().all(|f| *f)
    }

    /// Each line's fit, and whether every expected line was printed.
    fn matching(&self, printed: &[&str]) -> (Vec<bool>, bool) {
        let expected = self.expected_output;
        let mut next = 0;
        let mut due: Vec<&str> = Vec::new();
        let mut optional: Vec<&str> = self.optional.to_vec();
        let fits = printed
            .iter()
            .map(|line| {
                if due.is_empty() && next < expected.len() {
                    let end = self
                        .unordered
                        .iter()
                        .find(|(start, _)| *start == next)
                        .map_or(next + 1, |&(_, end)| end.min(expected.len()));
                    due = expected[next..end].to_vec();
                    next = end;
                }
                if let Some(k) = due.iter().position(|l| l == line) {
                    due.remove(k);
                    true
                } else if let Some(k) = optional.iter().position(|l| l == line) {
                    optional.remove(k);
                    true
                } else {
                    false
                }
            })
            .collect();
        (fits, due.is_empty() && next == expected.len())
    }
}

/// Every preset, in the order the landing page shows them.
pub fn all() -> &'static [Preset] {
    &build::PRESETS
}

/// The lesson `scenario` is, at whatever speed.
pub fn lesson_of(scenario: &Scenario) -> Option<&'static Preset> {
    build::PRESETS.iter().find(|p| p.is(scenario))
}

/// The preset with this id.
pub fn find(id: &str) -> Option<&'static Preset> {
    build::PRESETS.iter().find(|p| p.id == id)
}
