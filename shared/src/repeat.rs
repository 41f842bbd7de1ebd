//! One scenario run many times, to see what changes from one run to the next: the
//! nondeterminism explorer.
//!
//! The server runs a [`ClientMsg::Repeat`](crate::protocol::ClientMsg::Repeat) as that many
//! ordinary runs, one after another, and sends each as a [`Digest`] rather than its events:
//! what varies between runs (how long it took, the console's order, who ended when) in a
//! few hundred bytes instead of every event. [`Spread::of`] puts the digests side by side:
//! only what was measured, each figure counted over real runs.

use serde::{Deserialize, Serialize};

use crate::limits::{MAX_DIGEST_LINES, MAX_REPEATS};
use crate::protocol::{EventKind, Outcome};
use crate::validate::{ValidationError, in_range};

/// Bars of the wall times' histogram, between the fastest run and the slowest.
pub const HISTOGRAM_BINS: usize = 10;

/// Fewer runs than this cannot tell a fixed order from a lucky streak: the page says the
/// sample is too small rather than that every run agreed.
pub const MIN_RUNS_TO_TELL: u32 = 5;

/// Checks a repeat's `times`: 1 to [`MAX_REPEATS`]; the refusal names the field `times`.
pub fn check_times(times: u32) -> Result<(), ValidationError> {
    in_range("times", times, 1, MAX_REPEATS, "MAX_REPEATS")
}

/// One run of a repeat, boiled down to what can vary between runs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Digest {
    /// How it ended.
    pub outcome: Outcome,
    /// Wall time from the run's start to its end, in nanoseconds.
    pub wall_ns: u64,
    /// The console, in the order the lines were printed: the first
    /// [`MAX_DIGEST_LINES`] of them.
    pub console: Vec<String>,
    /// The subjects other than `main` (tasks, jobs, threads, processes, requests) in the
    /// order they ended: each by its name, `#2` after it when another subject has the same
    /// name (in the order they were created), and how it ended when it did not finish
    /// (`(killed)`, `(cancelled)`, `(failed)`); the first [`MAX_DIGEST_LINES`].
    pub ended: Vec<String>,
    /// Lines or ends past [`MAX_DIGEST_LINES`] were left out.
    pub cut: bool,
    /// The subjects other than `main` that never ended (a deadlock, a run stopped), named
    /// as in `ended`, in the order they were created; the first [`MAX_DIGEST_LINES`].
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unended: Vec<String>,
}

/// Builds a [`Digest`] from a run's events as they arrive, keeping at most
/// [`MAX_DIGEST_LINES`] lines and ends, so a run of many events costs little memory.
#[derive(Debug, Default)]
pub struct Digester {
    /// Every subject's name, by id.
    names: std::collections::BTreeMap<u32, String>,
    /// (time, line), in time order.
    lines: Vec<(u64, String)>,
    /// (time, subject, how it ended), in time order.
    ends: Vec<(u64, (u32, &'static str))>,
    /// Every subject that ended, kept or cut.
    ended: std::collections::BTreeSet<u32>,
    cut: bool,
}

/// Inserts `item` in time order into `kept`, which holds at most [`MAX_DIGEST_LINES`]: the
/// earliest. Events of a run's processes can arrive a little out of time order.
fn keep<T>(kept: &mut Vec<(u64, T)>, item: (u64, T), cut: &mut bool) {
    let at = kept.partition_point(|k| k.0 <= item.0);
    if at >= MAX_DIGEST_LINES {
        *cut = true;
        return;
    }
    kept.insert(at, item);
    if kept.len() > MAX_DIGEST_LINES {
        kept.pop();
        *cut = true;
    }
}

impl Digester {
    /// Takes in one event of the run: `subject`'s `kind` at `t_ns`.
    pub fn event(&mut self, t_ns: u64, subject: u32, kind: &EventKind) {
        let how = match kind {
            EventKind::Created { name, .. } => {
                self.names.insert(subject, name.clone());
                return;
            }
            EventKind::Print { text } => {
                keep(&mut self.lines, (t_ns, text.clone()), &mut self.cut);
                return;
            }
            EventKind::Finished => "",
            EventKind::Killed => " (killed)",
            EventKind::Cancelled => " (cancelled)",
            EventKind::Failed { .. } => " (failed)",
            EventKind::Queued
            | EventKind::Started
            | EventKind::Suspended { .. }
            | EventKind::Resumed
            | EventKind::Blocked { .. }
            | EventKind::Unblocked
            | EventKind::GilWait
            | EventKind::GilAcquire
            | EventKind::GilRelease
            | EventKind::Responded { .. }
            | EventKind::Acquired { .. }
            | EventKind::Released { .. }
            | EventKind::Put { .. }
            | EventKind::Got { .. }
            | EventKind::Set { .. }
            | EventKind::LoopLag { .. } => return,
        };
        if subject != 0 {
            self.ended.insert(subject);
            keep(&mut self.ends, (t_ns, (subject, how)), &mut self.cut);
        }
    }

    /// The digest of the run, which ended so.
    pub fn finish(mut self, outcome: Outcome, wall_ns: u64) -> Digest {
        // The engine cancels a deadlock's stuck subjects to end the run; in CPython they
        // wait for ever, so they never ended.
        if let Outcome::Deadlocked { stuck } = &outcome {
            let stuck = |s: &u32| stuck.iter().any(|st| st.subject == *s);
            self.ends.retain(|(_, (s, _))| !stuck(s));
            self.ended.retain(|s| !stuck(s));
        }
        let label = |subject: u32| {
            let name = self.names.get(&subject).map_or("?", String::as_str);
            let alike = self.names.iter().filter(|(_, n)| n.as_str() == name);
            let rank = alike.clone().take_while(|(s, _)| **s != subject).count();
            if alike.count() > 1 {
                format!("{name} #{}", rank + 1)
            } else {
                name.to_owned()
            }
        };
        Digest {
            outcome,
            wall_ns,
            console: self.lines.iter().map(|(_, text)| text.clone()).collect(),
            ended: (self.ends.iter())
                .map(|(_, (subject, how))| format!("{}{how}", label(*subject)))
                .collect(),
            cut: self.cut,
            unended: (self.names.keys())
                .filter(|s| **s != 0 && !self.ended.contains(s))
                .take(MAX_DIGEST_LINES)
                .map(|s| label(*s))
                .collect(),
        }
    }
}

/// What a set of runs of one scenario had in common, and what varied.
#[derive(Debug, Clone, PartialEq)]
pub struct Spread {
    /// How many runs.
    pub runs: u32,
    /// Their wall times; `None` with no run.
    pub walls: Option<Walls>,
    /// How the runs that did not complete ended, and how many ended so.
    pub not_completed: Vec<(Outcome, u32)>,
    /// The distinct consoles, the most common first (ties: the one seen first).
    pub orderings: Vec<Ordering>,
    /// The subjects that did not always end in the same place, in the order of the first
    /// run's ends.
    pub moved_ends: Vec<Places>,
    /// The subjects that never ended in some runs, and in how many, in the order first seen.
    pub unended: Vec<(String, u32)>,
    /// Some subject ended in some run.
    pub any_ended: bool,
}

/// Wall times over a set of runs, in nanoseconds.
#[derive(Debug, Clone, PartialEq)]
pub struct Walls {
    /// The fastest.
    pub min: u64,
    /// The median, by nearest rank (of an even count, the lower middle one).
    pub median: u64,
    /// The 90th percentile, by nearest rank.
    pub p90: u64,
    /// The slowest.
    pub max: u64,
    /// How many runs fell in each of [`HISTOGRAM_BINS`] equal slices of `min..=max` (one bar
    /// holding every run when they all took the same time).
    pub bins: Vec<u32>,
}

/// One console that some of the runs printed.
#[derive(Debug, Clone, PartialEq)]
pub struct Ordering {
    /// How many runs printed exactly this.
    pub count: u32,
    /// Its lines, each marked against the most common console.
    pub lines: Vec<(String, Mark)>,
    /// Lines the most common console has that this one lacks.
    pub missing: Vec<String>,
    /// Lines past [`MAX_DIGEST_LINES`] were left out of some run printing it.
    pub cut: bool,
}

/// A line of a console, beside the most common console.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mark {
    /// In the same order as there.
    Same,
    /// There too, but elsewhere in the order.
    Moved,
    /// Only in this order: not there, or there fewer times.
    Extra,
}

/// Where one subject ended among the others, over the runs.
#[derive(Debug, Clone, PartialEq)]
pub struct Places {
    /// The subject, as [`Digest::ended`] names it.
    pub label: String,
    /// (place, runs): it ended `place`-th (from 1) in that many runs, by place.
    pub places: Vec<(u32, u32)>,
}

impl Spread {
    /// The spread of `runs`.
    pub fn of(runs: &[Digest]) -> Self {
        let mut orderings: Vec<(&[String], u32, bool)> = Vec::new();
        let mut not_completed: Vec<(Outcome, u32)> = Vec::new();
        for run in runs {
            match orderings
                .iter_mut()
                .find(|(c, ..)| *c == run.console.as_slice())
            {
                Some((_, count, cut)) => (*count, *cut) = (*count + 1, *cut || run.cut),
                None => orderings.push((&run.console, 1, run.cut)),
            }
            if run.outcome != Outcome::Completed {
                match not_completed.iter_mut().find(|(o, _)| *o == run.outcome) {
                    Some((_, count)) => *count += 1,
                    None => not_completed.push((run.outcome.clone(), 1)),
                }
            }
        }
        // Stable: equal counts keep the order they were first seen in.
        orderings.sort_by_key(|o| std::cmp::Reverse(o.1));
        let reference = orderings.first().map_or(&[][..], |o| o.0);
        Self {
            runs: runs.len() as u32,
            walls: walls(runs),
            not_completed,
            orderings: (orderings.iter())
                .map(|(console, count, cut)| ordering(console, reference, *count, *cut))
                .collect(),
            moved_ends: moved_ends(runs),
            unended: unended(runs),
            any_ended: runs.iter().any(|r| !r.ended.is_empty()),
        }
    }

    /// Too few runs to tell whether an order is fixed ([`MIN_RUNS_TO_TELL`]).
    pub fn too_few(&self) -> bool {
        self.runs < MIN_RUNS_TO_TELL
    }

    /// How many runs deadlocked: their wall time is the time until the deadlock was found.
    pub fn deadlocked(&self) -> u32 {
        (self.not_completed.iter())
            .filter(|(o, _)| matches!(o, Outcome::Deadlocked { .. }))
            .map(|(_, n)| n)
            .sum()
    }
}

fn unended(runs: &[Digest]) -> Vec<(String, u32)> {
    let mut all: Vec<(String, u32)> = Vec::new();
    for label in runs.iter().flat_map(|r| &r.unended) {
        match all.iter_mut().find(|(l, _)| l == label) {
            Some((_, n)) => *n += 1,
            None => all.push((label.clone(), 1)),
        }
    }
    all
}

/// The nearest-rank percentile `p` of `sorted`, which is not empty.
fn percentile(sorted: &[u64], p: usize) -> u64 {
    let rank = (sorted.len() * p).div_ceil(100).max(1);
    sorted[rank - 1]
}

fn walls(runs: &[Digest]) -> Option<Walls> {
    let mut sorted: Vec<u64> = runs.iter().map(|r| r.wall_ns).collect();
    sorted.sort_unstable();
    let (min, max) = (*sorted.first()?, *sorted.last()?);
    let count = if min == max { 1 } else { HISTOGRAM_BINS };
    let mut bins = vec![0; count];
    let width = (max - min) as f64 / count as f64;
    for &wall in &sorted {
        let bin = if width > 0.0 {
            ((wall - min) as f64 / width) as usize
        } else {
            0
        };
        bins[bin.min(count - 1)] += 1;
    }
    Some(Walls {
        min,
        median: percentile(&sorted, 50),
        p90: percentile(&sorted, 90),
        max,
        bins,
    })
}

/// `console` marked against `reference`: a line is in place when it belongs to a longest
/// common subsequence of the two, moved when `reference` has it elsewhere, extra when not.
fn ordering(console: &[String], reference: &[String], count: u32, cut: bool) -> Ordering {
    let (n, m) = (console.len(), reference.len());
    // lcs[i][j]: the longest common subsequence of console[i..] and reference[j..].
    let mut lcs = vec![vec![0u32; m + 1]; n + 1];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            lcs[i][j] = if console[i] == reference[j] {
                lcs[i + 1][j + 1] + 1
            } else {
                lcs[i + 1][j].max(lcs[i][j + 1])
            };
        }
    }
    let mut in_place = vec![false; n];
    let (mut i, mut j) = (0, 0);
    while i < n && j < m {
        if console[i] == reference[j] {
            in_place[i] = true;
            (i, j) = (i + 1, j + 1);
        } else if lcs[i + 1][j] >= lcs[i][j + 1] {
            i += 1;
        } else {
            j += 1;
        }
    }
    // What the reference has left to give once the lines in place took theirs: a line out
    // of place is moved only when the reference still has one like it, else it is this
    // order's own (a second "Task started" where the reference has one).
    let mut unmatched: Vec<&String> = reference.iter().collect();
    let mut take = |line: &String| match unmatched.iter().position(|l| *l == line) {
        Some(at) => {
            unmatched.remove(at);
            true
        }
        None => false,
    };
    for (line, _) in console.iter().zip(&in_place).filter(|(_, p)| **p) {
        take(line);
    }
    let known: Vec<bool> = (console.iter().zip(&in_place))
        .map(|(line, in_place)| *in_place || take(line))
        .collect();
    Ordering {
        count,
        lines: (console.iter().zip(in_place).zip(known))
            .map(|((line, in_place), known)| {
                let mark = match (in_place, known) {
                    (true, _) => Mark::Same,
                    (false, true) => Mark::Moved,
                    (false, false) => Mark::Extra,
                };
                (line.clone(), mark)
            })
            .collect(),
        missing: unmatched.into_iter().cloned().collect(),
        cut,
    }
}

fn moved_ends(runs: &[Digest]) -> Vec<Places> {
    let mut all: Vec<Places> = Vec::new();
    for run in runs {
        for (at, label) in run.ended.iter().enumerate() {
            let place = at as u32 + 1;
            let i = match all.iter().position(|p| p.label == *label) {
                Some(i) => i,
                None => {
                    all.push(Places {
                        label: label.clone(),
                        places: Vec::new(),
                    });
                    all.len() - 1
                }
            };
            let places = &mut all[i].places;
            match places.iter_mut().find(|(p, _)| *p == place) {
                Some((_, count)) => *count += 1,
                None => places.push((place, 1)),
            }
        }
    }
    all.retain(|p| p.places.len() > 1);
    for p in &mut all {
        p.places.sort_unstable();
    }
    all
}

#[cfg(test)]
mod tests;
