//! The built-in lessons: each a scenario, a short explanation and the console output the
//! lesson predicts. Durations are the lesson's own; `--scale` or the UI shortens them.

mod build;
mod scenarios;

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

    /// How long the lesson predicts its scenario takes on `cores` cores, in ms.
    pub fn predicted_ms(&self, cores: u32) -> f64 {
        match self.predicts {
            Prediction::Ideal => {
                crate::plan::plan(&self.scenario(), cores).map_or(0.0, |p| p.ideal_ms)
            }
            Prediction::Stated { ms } => ms as f64,
        }
    }

    /// Whether line `i` of what was printed fits the prediction: the expected line at `i`,
    /// or any line of the unordered range that holds `i`.
    pub fn line_fits(&self, i: usize, printed: &str) -> bool {
        match self
            .unordered
            .iter()
            .find(|(start, end)| (*start..*end).contains(&i))
        {
            Some(&(start, end)) => self
                .expected_output
                .get(start..end)
                .is_some_and(|r| r.contains(&printed)),
            None => self.expected_output.get(i) == Some(&printed),
        }
    }

    /// Whether `printed` is the output this lesson predicts, allowing the unordered ranges to
    /// come in any order.
    pub fn output_matches(&self, printed: &[&str]) -> bool {
        if printed.len() != self.expected_output.len() {
            return false;
        }
        let mut i = 0;
        while i < printed.len() {
            match self.unordered.iter().find(|(start, _)| *start == i) {
                Some(&(start, end)) => {
                    let mut want: Vec<_> = self.expected_output[start..end].to_vec();
                    let mut got: Vec<_> = printed[start..end].to_vec();
                    want.sort_unstable();
                    got.sort_unstable();
                    if want != got {
                        return false;
                    }
                    i = end;
                }
                None => {
                    if printed[i] != self.expected_output[i] {
                        return false;
                    }
                    i += 1;
                }
            }
        }
        true
    }
}

/// Every preset, in the order the landing page shows them.
pub fn all() -> &'static [Preset] {
    &build::PRESETS
}

/// The preset with this id.
pub fn find(id: &str) -> Option<&'static Preset> {
    build::PRESETS.iter().find(|p| p.id == id)
}
