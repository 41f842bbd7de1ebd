//! The ideal schedule subject by subject: when each task, job, thread, process and request
//! of the scenario would run on a machine without contention. The page draws it under the
//! measured bars (a "ghost"), and on its own before the first run.

use super::sim::Sim;
use crate::protocol::SubjectKind;
use crate::python::value::Value;

/// One subject of the ideal schedule.
#[derive(Debug, Clone, PartialEq)]
pub struct Ghost {
    /// Its name as the run's `created` event gives it: `fetch(1)`, `GET / #3`.
    pub name: String,
    /// What it is.
    pub what: SubjectKind,
    /// The ghost that created it (its index); `<module>`, the first, has none.
    pub parent: Option<usize>,
    /// When it begins to run, in ms after scaling (a job: when a worker takes it).
    pub start_ms: f64,
    /// When it ends, in ms after scaling.
    pub end_ms: f64,
}

/// The name a subject created by calling `name` with `args` gets: `fetch(1, 'a')`.
pub fn call_name(name: &str, args: &[Value]) -> String {
    if args.is_empty() {
        return name.to_owned();
    }
    let args: Vec<_> = args.iter().map(Value::repr).collect();
    format!("{name}({})", args.join(", "))
}

/// A subject entered by [`Sim::enter`]: given back to [`Sim::leave`] when it ends.
#[must_use]
pub(crate) struct Entered {
    ghost: Option<usize>,
    outer: Option<usize>,
}

impl Sim<'_> {
    /// Subject `what` named `name()` begins at `at` (unscaled ms): what it creates until
    /// [`leave`](Self::leave) is its.
    pub(crate) fn enter(
        &mut self,
        name: impl FnOnce() -> String,
        what: SubjectKind,
        at: f64,
    ) -> Entered {
        let outer = self.current;
        let Some(ghosts) = &mut self.ghosts else {
            return Entered { ghost: None, outer };
        };
        ghosts.push(Ghost {
            name: name(),
            what,
            parent: outer,
            start_ms: at,
            end_ms: at,
        });
        self.current = Some(ghosts.len() - 1);
        Entered {
            ghost: self.current,
            outer,
        }
    }

    /// The subject `e` ends at `end`, having begun at `start` (a job waits for a worker
    /// first: it begins later than it was entered).
    pub(crate) fn leave(&mut self, e: Entered, start: Option<f64>, end: f64) {
        self.current = e.outer;
        if let (Some(ghosts), Some(i)) = (&mut self.ghosts, e.ghost)
            && let Some(g) = ghosts.get_mut(i)
        {
            g.start_ms = start.unwrap_or(g.start_ms);
            g.end_ms = end;
        }
    }

    /// The ghosts entered since there were `from` are one copy of a call made `times` times:
    /// adds the other copies, each created by the same parent at the same times.
    pub(crate) fn copies(&mut self, from: usize, times: u32) {
        let Some(ghosts) = &mut self.ghosts else {
            return;
        };
        let one: Vec<Ghost> = ghosts[from.min(ghosts.len())..].to_vec();
        for _ in 1..times {
            let base = ghosts.len();
            ghosts.extend(one.iter().map(|g| {
                Ghost {
                    // Within the copy, a parent moves with it; outside it, it stays.
                    parent: g
                        .parent
                        .map(|p| if p >= from { p - from + base } else { p }),
                    ..g.clone()
                }
            }));
        }
    }

    /// How many ghosts there are so far.
    pub(crate) fn ghost_count(&self) -> usize {
        self.ghosts.as_ref().map_or(0, Vec::len)
    }
}
