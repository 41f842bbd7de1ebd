//! The ideal schedule drawn under the measured bars: each row's "ghost" is where its subject
//! would have run on a machine without contention, so the gap between the model and the run
//! shows where it happened. Before the first run the ghosts are the whole timeline.

use looplab_shared::model::Scenario;
use looplab_shared::plan::{Ghost, schedule};
use looplab_shared::protocol::{Outcome, RunId};

use super::{GhostBar, Layout, View};
use crate::state::{RunStatus, RunView, Track, TrackEnd};

/// The run id of the schedule shown before any run: never a server's.
pub const PREDICTED_RUN: RunId = RunId::MAX;

impl RunView {
    /// Whether this is the ideal schedule shown before a run, not a run.
    pub fn is_predicted(&self) -> bool {
        self.run_id == PREDICTED_RUN
    }
}

/// A scenario's ideal schedule on a machine with `cores` cores.
#[derive(Debug, Clone, PartialEq)]
pub struct Schedule {
    /// The scenario's name.
    pub name: String,
    /// Its subjects, `<module>` first.
    pub ghosts: Vec<Ghost>,
    /// Its length, in ms after scaling.
    pub ideal_ms: f64,
    /// The cores it was worked out for: pools' default sizes and rayon's waves depend on them.
    pub cores: u32,
}

impl Schedule {
    /// `s`'s schedule; `None` when it has none (a task that awaits itself, say).
    pub fn of(s: &Scenario, cores: u32) -> Option<Self> {
        let (plan, ghosts) = schedule(s, cores).ok()?;
        Some(Self {
            name: s.name.clone(),
            ghosts,
            ideal_ms: plan.ideal_ms,
            cores,
        })
    }

    /// The schedule as a run with no measured bars, for the timeline before the first run.
    pub fn as_run(&self) -> RunView {
        predicted(&self.name, &self.ghosts, self.ideal_ms, self.cores)
    }
}

/// The ghost of each of `run`'s subjects (by track index): the ghost with the same name and
/// kind, the k-th of them for the k-th such subject. The engine and the schedule create
/// subjects alike (a test runs every lesson to check it), so a subject without a ghost is one
/// the schedule does not know, such as a request that arrived after the run was stopped.
pub fn matched(run: &RunView, ghosts: &[Ghost]) -> Vec<Option<usize>> {
    let mut taken = vec![false; ghosts.len()];
    run.tracks
        .iter()
        .map(|t| {
            let i = ghosts
                .iter()
                .enumerate()
                .position(|(i, g)| !taken[i] && g.name == t.name && Some(g.what) == t.kind)?;
            taken[i] = true;
            Some(i)
        })
        .collect()
}

/// Puts each subject row's ghost in `l`, laid out through `view`: a folded lane's spans
/// its subjects' ghosts; a resource's lane has none.
pub fn overlay(l: &mut Layout, run: &RunView, ghosts: &[Ghost], view: View) {
    let of = matched(run, ghosts);
    let (left, right) = (view.x(view.start, l.width), view.x(view.end, l.width));
    let ns = |ms: f64| (ms * 1e6).max(0.0) as u64;
    for row in &mut l.rows {
        if row.resource.is_some() {
            continue;
        }
        let subjects = match row.members.is_empty() {
            true => std::slice::from_ref(&row.subject),
            false => &row.members[..],
        };
        let mut found = subjects
            .iter()
            .filter_map(|&s| of.get(s).copied().flatten())
            .map(|i| (ns(ghosts[i].start_ms), ns(ghosts[i].end_ms)));
        let Some(first) = found.next() else {
            continue;
        };
        let (start, end) = found.fold(first, |(s, e), (s2, e2)| (s.min(s2), e.max(e2)));
        let x0 = view.x(start, l.width).max(left);
        let x1 = view.x(end, l.width).min(right);
        // A ghost of no length (a task that only prints) still shows where it would be.
        if x0 <= right && x1 >= left {
            row.ghost = Some(GhostBar {
                x: x0,
                w: (x1 - x0).max(2.0),
                start,
                end,
            });
        }
    }
}

/// The ideal schedule as a run with no measured bars: a row per ghost, under the ghost that
/// created it, for the timeline to show before the first run.
pub fn predicted(name: &str, ghosts: &[Ghost], ideal_ms: f64, cores: u32) -> RunView {
    let ns = (ideal_ms * 1e6) as u64;
    let tracks = ghosts
        .iter()
        .map(|g| Track {
            name: g.name.clone(),
            spans: Vec::new(),
            prints: Vec::new(),
            end: Some(TrackEnd::Finished),
            home: None,
            kind: Some(g.what),
            parent: g.parent.map(|p| p as u32),
            gathers: Vec::new(),
        })
        .collect();
    let mut run = RunView::started(PREDICTED_RUN, name.to_owned(), ns, tracks);
    run.cores = cores;
    run.last_t_ns = ns;
    run.status = RunStatus::Ended {
        outcome: Outcome::Completed,
        wall_ns: ns,
        events_lost: 0,
    };
    run
}
