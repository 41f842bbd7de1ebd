//! The ideal schedule drawn under the measured bars: each row's "ghost" is where its subject
//! would have run on a machine without contention, so the gap between the model and the run
//! shows where it happened. Before the first run the ghosts are the whole timeline.

use looplab_shared::model::Scenario;
use looplab_shared::plan::{Ghost, schedule};
use looplab_shared::presets;
use looplab_shared::protocol::{Outcome, RunId, SubjectKind};

use super::{GhostBar, Layout, View, measured_label};
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
    /// What its lesson says it takes, where the lesson states a length (ms after scaling).
    pub lesson_ms: Option<f64>,
    /// Its lesson deadlocks: the schedule is what would happen if it did not.
    pub deadlocks: bool,
}

impl Schedule {
    /// `s`'s schedule; `None` when it has none (a task that awaits itself, say).
    pub fn of(s: &Scenario, cores: u32) -> Option<Self> {
        let (plan, ghosts) = schedule(s, cores).ok()?;
        let lesson = presets::lesson_of(s);
        Some(Self {
            name: s.name.clone(),
            ghosts,
            ideal_ms: plan.ideal_ms,
            cores,
            lesson_ms: lesson.and_then(|p| p.stated_ms(s.time_scale)),
            deadlocks: lesson.is_some_and(|p| p.deadlocks()),
        })
    }

    /// What the schedule shown before a run is, in words: a line that says what and how
    /// long (all a slide has room for), and the rest. Where the lesson says otherwise, it
    /// says so: the ideal leaves out what the lesson is about.
    pub fn words(&self) -> (String, String) {
        let total = measured_label((self.ideal_ms * 1e6) as u64);
        if self.deadlocks {
            return (
                format!("{total} in all if nothing deadlocked"),
                " — but this program deadlocks: its run stops when nothing can move. Press Run to see where.".into(),
            );
        }
        let mut rest = format!(
            ", worked out in this page for a machine with {} cores, with no contention: no GIL, no blocked loop, no start-up costs.",
            self.cores
        );
        let differs = |ms: &f64| (ms - self.ideal_ms).abs() > 0.01 * self.ideal_ms.max(1.0);
        if let Some(ms) = self.lesson_ms.filter(differs) {
            rest += &format!(
                " The lesson predicts {}: what it teaches is what the ideal leaves out.",
                measured_label((ms * 1e6) as u64)
            );
        }
        rest += " Press Run to measure the real thing: its bars are drawn over this.";
        (format!("{total} in all"), rest)
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
            .map(|i| {
                let (start, end) = extent(ghosts, i);
                (ns(start), ns(end))
            });
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

/// Where ghost `i` is, in ms. rayon takes a split's chunks in no fixed order, so a chunk's
/// is its split's, from the first chunk's start to the last one's end: which chunk the
/// schedule puts first means nothing.
fn extent(ghosts: &[Ghost], i: usize) -> (f64, f64) {
    let g = &ghosts[i];
    if g.what != SubjectKind::Chunk {
        return (g.start_ms, g.end_ms);
    }
    // A split's chunks are made one after another, numbered from 1.
    let same = |h: &Ghost| h.what == SubjectKind::Chunk && h.parent == g.parent;
    let first = (0..=i)
        .rev()
        .find(|&j| !same(&ghosts[j]) || ghosts[j].name == "chunk 1")
        .map_or(0, |j| if same(&ghosts[j]) { j } else { j + 1 });
    let last = (i + 1..ghosts.len())
        .find(|&j| !same(&ghosts[j]) || ghosts[j].name == "chunk 1")
        .unwrap_or(ghosts.len());
    ghosts[first..last]
        .iter()
        .fold((f64::MAX, 0.0), |(s, e), h| {
            (s.min(h.start_ms), e.max(h.end_ms))
        })
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

/// The rows in view and their ideal times, in words: `<module> 0 to 3.000 s; main 0 to
/// 3.000 s`.
pub fn ideal_rows(l: &Layout) -> String {
    l.rows
        .iter()
        .filter_map(|r| {
            let g = r.ghost?;
            Some(format!(
                "{} {} to {}",
                r.name,
                measured_label(g.start),
                measured_label(g.end)
            ))
        })
        .collect::<Vec<_>>()
        .join("; ")
}
