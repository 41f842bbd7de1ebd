//! Cause and effect between subjects, as arrows from one moment of a subject to a moment of
//! another: a gather starting its tasks and resuming when they end, an awaited task's end
//! resuming its awaiter, a lock or a semaphore's place handed over, a queue's item from its
//! `put` to its `get`, an event's `set()` waking its waiters, and a deadlock's cycle. Pure:
//! computed from the run's view alone, tested natively.

use std::collections::{HashMap, VecDeque};

use looplab_shared::protocol::{Outcome, Stuck};

use crate::state::{RunStatus, RunView, Span, SpanKind, Track, TrackEnd, UseOp, WaitOn};

/// Why an arrow is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cause {
    /// A gather started this subject.
    Spawn,
    /// A subject's end let its gatherer or awaiter go on.
    Done,
    /// A lock or a semaphore's place went from the one letting go to one waiting for it.
    Handover,
    /// A queue's item, from its `put` to its `get`.
    Item,
    /// An event's `set()` woke a waiter.
    Signal,
    /// A deadlocked subject waits for another: the cycle no one can break.
    Deadlock,
}

impl Cause {
    /// Every cause, in the order the legend lists them.
    pub const ALL: [Cause; 6] = [
        Cause::Spawn,
        Cause::Done,
        Cause::Handover,
        Cause::Item,
        Cause::Signal,
        Cause::Deadlock,
    ];

    /// Its colour on the timeline and in the legend; a deadlock's is a warning.
    pub fn colour(self) -> &'static str {
        match self {
            Cause::Spawn | Cause::Done => "#495057",
            Cause::Handover => "#c2255c",
            Cause::Item => "#1971c2",
            Cause::Signal => "#2b8a3e",
            Cause::Deadlock => "#f03e3e",
        }
    }

    /// Its words, in the legend and the trace.
    pub fn meaning(self) -> &'static str {
        match self {
            Cause::Spawn => "gather starts a task",
            Cause::Done => "an end lets an awaiter go on",
            Cause::Handover => "lock or semaphore handed over",
            Cause::Item => "queue item, put to get",
            Cause::Signal => "event set wakes a waiter",
            Cause::Deadlock => "deadlock: waits for",
        }
    }
}

/// One end of an arrow: a subject (its index in the run's tracks) at a moment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct End {
    /// The subject.
    pub subject: usize,
    /// When, in ns since the run began.
    pub t: u64,
}

/// An arrow from the cause to its effect.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Arrow {
    /// The cause.
    pub from: End,
    /// The effect.
    pub to: End,
    /// Why.
    pub cause: Cause,
}

fn end(subject: usize, t: u64) -> End {
    End { subject, t }
}

/// When the subject first ran.
fn started(track: &Track) -> Option<u64> {
    track
        .spans
        .iter()
        .find(|s| s.kind != SpanKind::Queued)
        .map(|s| s.start)
}

/// When the subject ended, if it returned or raised: a cancelled or killed one let no
/// awaiter go on, it was stopped with it.
fn ended(track: &Track) -> Option<u64> {
    match track.end? {
        TrackEnd::Finished | TrackEnd::Failed => track.spans.last().and_then(|s| s.end),
        TrackEnd::Cancelled | TrackEnd::Killed | TrackEnd::Stuck => None,
    }
}

/// Every arrow of `run`, cause by cause.
pub fn arrows(run: &RunView) -> Vec<Arrow> {
    let mut out = Vec::new();
    let track = |s: u32| run.tracks.get(s as usize);
    for (g, t) in run.tracks.iter().enumerate() {
        for (start, subjects) in &t.gathers {
            let resumed = t
                .spans
                .iter()
                .find(|s| s.start == *start)
                .and_then(|s| s.end);
            for &s in subjects {
                let Some(child) = track(s) else { continue };
                if let Some(begun) = started(child).filter(|b| b >= start) {
                    out.push(arrow(end(g, *start), end(s as usize, begun), Cause::Spawn));
                }
                if let (Some(done), Some(resumed)) = (ended(child), resumed) {
                    out.push(arrow(end(s as usize, done), end(g, resumed), Cause::Done));
                }
            }
        }
        for span in &t.spans {
            if let (Some(WaitOn::Await(s)), Some(resumed)) = (span.on, span.end)
                && let Some(done) = track(s).and_then(|t| ended(t))
            {
                out.push(arrow(end(s as usize, done), end(g, resumed), Cause::Done));
            }
        }
    }
    uses(run, &mut out);
    out.extend(deadlock_arrows(run));
    out
}

fn arrow(from: End, to: End, cause: Cause) -> Arrow {
    Arrow { from, to, cause }
}

/// The span of `track` that waited on lock or semaphore `r` and ended by `t`: the one just
/// before `t`'s, or the one before that.
fn lock_wait(track: &Track, r: u32, t: u64) -> Option<&Span> {
    let i = track.spans.partition_point(|s| s.start <= t);
    track.spans[..i]
        .iter()
        .rev()
        .take(2)
        .find(|s| matches!(s.on, Some(WaitOn::Lock(x) | WaitOn::ThreadLock(Some(x))) if x == r))
}

/// Arrows from the uses of resources: handovers, items, signals.
fn uses(run: &RunView, out: &mut Vec<Arrow>) {
    let mut released: HashMap<u32, VecDeque<End>> = HashMap::new();
    let mut put: HashMap<(u32, u64), End> = HashMap::new();
    for u in run.uses.iter() {
        let here = end(u.subject as usize, u.t_ns);
        match u.op {
            UseOp::Released => released.entry(u.resource).or_default().push_back(here),
            UseOp::Acquired => {
                let Some(wait) = run
                    .tracks
                    .get(here.subject)
                    .and_then(|t| lock_wait(t, u.resource, u.t_ns))
                else {
                    continue;
                };
                // The first place let go since it began to wait went to it.
                let pending = released.entry(u.resource).or_default();
                while pending.front().is_some_and(|r| r.t < wait.start) {
                    pending.pop_front();
                }
                if let Some(from) = pending.pop_front() {
                    out.push(arrow(from, here, Cause::Handover));
                }
            }
            UseOp::Put(item) => {
                put.insert((u.resource, item), here);
            }
            UseOp::Got(item) => {
                if let Some(&from) = put.get(&(u.resource, item)) {
                    out.push(arrow(from, here, Cause::Item));
                }
            }
            UseOp::Set => {
                for (w, t) in run.tracks.iter().enumerate() {
                    for s in &t.spans {
                        let woke = s.end.filter(|&e| s.start <= u.t_ns && e >= u.t_ns);
                        if let (Some(WaitOn::Event(r)), Some(e)) = (s.on, woke)
                            && r == u.resource
                        {
                            out.push(arrow(here, end(w, e), Cause::Signal));
                        }
                    }
                }
            }
        }
    }
}

/// The stuck subjects of a deadlocked run, if it ended so.
pub fn stuck(run: &RunView) -> Option<&[Stuck]> {
    match &run.status {
        RunStatus::Ended {
            outcome: Outcome::Deadlocked { stuck },
            ..
        } => Some(stuck),
        RunStatus::Ended { .. } | RunStatus::Running => None,
    }
}

/// A cycle of subjects each waiting for the next (the last for the first), as the stuck
/// subjects in order; empty when there is none.
pub fn cycle(stuck: &[Stuck]) -> Vec<&Stuck> {
    let of = |s: u32| stuck.iter().find(|x| x.subject == s);
    for first in stuck {
        // Follow the first wait that leads to another stuck subject, until one repeats.
        let mut path: Vec<&Stuck> = vec![first];
        while let Some(next) = path.last().and_then(|s| s.on.iter().find_map(|&o| of(o))) {
            if let Some(i) = path.iter().position(|p| p.subject == next.subject) {
                return path.split_off(i);
            }
            path.push(next);
        }
    }
    Vec::new()
}

/// The deadlock's cycle as arrows: from each subject's stuck span to the middle of the one
/// it waits for's.
pub fn deadlock_arrows(run: &RunView) -> Vec<Arrow> {
    let Some(stuck) = stuck(run) else {
        return Vec::new();
    };
    let last = |s: u32| {
        let t = run.tracks.get(s as usize)?.spans.last()?;
        Some((
            t.start,
            t.start + (t.end.unwrap_or(run.last_t_ns) - t.start) / 2,
        ))
    };
    let cycle = cycle(stuck);
    let n = cycle.len();
    (0..n)
        .filter_map(|i| {
            let (w, h) = (cycle[i].subject, cycle[(i + 1) % n].subject);
            let from = end(w as usize, last(w)?.0);
            let to = end(h as usize, last(h)?.1);
            Some(arrow(from, to, Cause::Deadlock))
        })
        .collect()
}

#[cfg(test)]
pub(crate) mod tests;
