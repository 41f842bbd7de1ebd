//! Findings about locks and queues: a queue with no maxsize that piled up, an asyncio.Lock
//! held across an await while others waited for it.

use looplab_shared::model::{ResourceKind, Scenario, Step};

use super::{Lint, LintKind, duration};
use crate::resources::levels;
use crate::state::{RunView, SpanKind, WaitOn};
use crate::timeline::measured_label;

/// An unbounded queue that held at least this many items at once is said to have grown
/// without bound.
pub const QUEUE_GROWTH_LINT_ITEMS: u32 = 10;

/// A lock held across awaits for at least this share of the run, while another task
/// waited for it, is said to have serialised the tasks.
pub const LOCK_AWAIT_LINT_SHARE: f64 = 0.5;

/// The maxsize the fix gives an unbounded queue: a little room, then backpressure.
const FIXED_MAXSIZE: u32 = 3;

pub(super) fn unbounded_queues(run: &RunView, scenario: &Scenario) -> Vec<Lint> {
    let now = run.wall_ns();
    let mut out = Vec::new();
    for (i, r) in run.resources.iter().enumerate() {
        if r.kind != (ResourceKind::Queue { maxsize: 0 }) {
            continue;
        }
        let Some(peak) = levels(run, i as u32, now).into_iter().max_by_key(|l| l.n) else {
            continue;
        };
        if peak.n < QUEUE_GROWTH_LINT_ITEMS {
            continue;
        }
        let mut fixed = scenario.clone();
        let Some(queue) = fixed.resources.iter_mut().find(|q| q.name == r.name) else {
            continue;
        };
        queue.kind = ResourceKind::Queue {
            maxsize: FIXED_MAXSIZE,
        };
        out.push(Lint {
            kind: LintKind::UnboundedQueue,
            text: format!(
                "`{}` has no maxsize and held {} items at once (at {}): its producers ran ahead \
                 of its consumers, and nothing slowed them down. With a maxsize, put() waits \
                 for room: backpressure.",
                r.name,
                peak.n,
                measured_label(peak.start)
            ),
            fix_label: format!("Give `{}` a maxsize of {FIXED_MAXSIZE}", r.name),
            fixed,
        });
    }
    out
}

pub(super) fn locks_held_across_awaits(run: &RunView, scenario: &Scenario) -> Vec<Lint> {
    let wall = run.wall_ns();
    let mut out = Vec::new();
    for (i, r) in run.resources.iter().enumerate() {
        if r.kind != ResourceKind::Lock {
            continue;
        }
        let index = i as u32;
        // How long its holders spent suspended at an await while they held it.
        let mut across = 0;
        for level in levels(run, index, wall) {
            for &holder in &level.holders {
                let Some(track) = run.tracks.get(holder as usize) else {
                    continue;
                };
                across += track
                    .spans
                    .iter()
                    .filter(|s| s.kind == SpanKind::Suspended)
                    .map(|s| {
                        let end = s.end.unwrap_or(wall).min(level.end);
                        end.saturating_sub(s.start.max(level.start))
                    })
                    .sum::<u64>();
            }
        }
        let waited: Vec<u64> = run
            .tracks
            .iter()
            .map(|t| {
                t.spans
                    .iter()
                    .filter(|s| s.on == Some(WaitOn::Lock(index)))
                    .map(duration)
                    .sum()
            })
            .filter(|&ns| ns > 0)
            .collect();
        if waited.is_empty() || (across as f64) < LOCK_AWAIT_LINT_SHARE * wall as f64 {
            continue;
        }
        let Some(fixed) = awaits_out_of(scenario, &r.name) else {
            continue;
        };
        out.push(Lint {
            kind: LintKind::LockAcrossAwait,
            text: format!(
                "`{}` was held across awaits for {} of the {} run, while {} other task{} waited \
                 {} for it: the lock made them take turns at their I/O, not just at the shared \
                 state it guards.",
                r.name,
                measured_label(across),
                measured_label(wall),
                waited.len(),
                if waited.len() == 1 { "" } else { "s" },
                measured_label(waited.iter().sum()),
            ),
            fix_label: format!("Move the sleeps out of `async with {}:`", r.name),
            fixed,
        });
    }
    out
}

/// `scenario` with every `await asyncio.sleep()` inside `async with lock:` moved to just
/// after the block, in order; none if there is none to move.
fn awaits_out_of(scenario: &Scenario, lock: &str) -> Option<Scenario> {
    fn each(steps: &mut Vec<Step>, lock: &str, moved: &mut bool) {
        let mut i = 0;
        while i < steps.len() {
            let mut after = Vec::new();
            if let Step::Hold { resource, body } = &mut steps[i]
                && resource == lock
            {
                let (sleeps, kept): (Vec<Step>, Vec<Step>) = std::mem::take(body)
                    .into_iter()
                    .partition(|s| matches!(s, Step::Sleep { .. }));
                *body = kept;
                after = sleeps;
            }
            for body in steps[i].bodies_mut() {
                each(body, lock, moved);
            }
            *moved |= !after.is_empty();
            let n = after.len();
            steps.splice(i + 1..i + 1, after);
            i += 1 + n;
        }
    }
    let mut s = scenario.clone();
    let mut moved = false;
    for task in &mut s.tasks {
        each(&mut task.steps, lock, &mut moved);
    }
    moved.then_some(s)
}

#[cfg(test)]
mod tests;
