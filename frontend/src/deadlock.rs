//! A deadlocked run's summary in words: the cycle each waits on the next in ("`a` waits for
//! lock `l1` held by `b`; `b` waits for lock `l2` held by `a`"), or the waits no one is left
//! to end ("`main` waits on `queue.join()`: no task is left to call task_done()").

use looplab_shared::model::ResourceKind;
use looplab_shared::protocol::Stuck;

use crate::arrows::cycle;
use crate::resources::quoted;
use crate::state::{RunView, WaitOn};

/// What a deadlock of `stuck` in `run` is, in a sentence or a few.
pub fn deadlock_words(run: &RunView, stuck: &[Stuck]) -> String {
    let cycle = cycle(stuck);
    let said: Vec<String> = if cycle.is_empty() {
        stuck
            .iter()
            .filter(|s| s.on.is_empty())
            .map(|s| alone(run, s))
            .collect()
    } else {
        let n = cycle.len();
        (0..n)
            .map(|i| waits_for(run, cycle[i], cycle[(i + 1) % n].subject))
            .collect()
    };
    if said.is_empty() {
        "nothing could move any more".into()
    } else {
        said.join("; ")
    }
}

fn resource(run: &RunView, r: u32) -> (String, Option<ResourceKind>) {
    run.resources
        .get(r as usize)
        .map_or(("?".into(), None), |x| (x.name.clone(), Some(x.kind)))
}

/// `` `a` waits for lock `l1` held by `b` ``, `` `a` waits for `b` to end ``.
fn waits_for(run: &RunView, s: &Stuck, next: u32) -> String {
    let (who, next) = (quoted(run, s.subject), quoted(run, next));
    let Some(r) = s.resource else {
        return format!("{who} waits for {next} to end");
    };
    let (name, kind) = resource(run, r);
    let what = match kind {
        Some(ResourceKind::Lock) => "lock",
        Some(ResourceKind::Semaphore { .. }) => "semaphore",
        Some(ResourceKind::ThreadLock) => "threading.Lock",
        Some(ResourceKind::Queue { .. }) => "queue",
        Some(ResourceKind::Event) => "event",
        None => "resource",
    };
    format!("{who} waits for {what} `{name}` held by {next}")
}

/// A wait no one is left to end, by what the subject's last span waited on.
fn alone(run: &RunView, s: &Stuck) -> String {
    let who = quoted(run, s.subject);
    let on = run
        .tracks
        .get(s.subject as usize)
        .and_then(|t| t.spans.last())
        .and_then(|span| span.on);
    let name = |r: u32| resource(run, r).0;
    match on {
        Some(WaitOn::Join(r)) => format!(
            "{who} waits on `{}.join()`: no task is left to call task_done()",
            name(r)
        ),
        Some(WaitOn::Get(r)) => format!(
            "{who} waits on `{}.get()`: no task is left to put an item",
            name(r)
        ),
        Some(WaitOn::Put(r)) => format!(
            "{who} waits on `{}.put()`: no task is left to get an item",
            name(r)
        ),
        Some(WaitOn::Event(r)) => format!(
            "{who} waits on `{}.wait()`: no task is left to call set()",
            name(r)
        ),
        Some(WaitOn::Lock(r) | WaitOn::ThreadLock(Some(r))) => {
            format!("{who} waits for `{}`: no one is left to let it go", name(r))
        }
        Some(WaitOn::ThreadLock(None) | WaitOn::Await(_) | WaitOn::Gather(_)) | None => {
            match s.resource {
                Some(r) => format!(
                    "{who} waits on `{}`: no task is left to let it go on",
                    name(r)
                ),
                None => format!("{who} waits for good: no task is left to let it go on"),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use looplab_shared::model::ResourceKind;
    use looplab_shared::protocol::{EventKind, Outcome, WaitReason};

    use super::*;
    use crate::arrows::tests::{created, replay, suspended};
    use crate::summary::outcome_line;

    #[test]
    fn a_cycle_is_told_wait_by_wait() {
        let stuck = vec![
            Stuck {
                subject: 1,
                resource: Some(1),
                on: vec![2],
            },
            Stuck {
                subject: 2,
                resource: Some(0),
                on: vec![1],
            },
        ];
        let run = replay(
            &[("l1", ResourceKind::Lock), ("l2", ResourceKind::Lock)],
            vec![(0, 1, created("a", 0)), (0, 2, created("b", 0))],
            Some(Outcome::Deadlocked { stuck }),
        );
        let (state, line) = outcome_line(&run);
        assert_eq!(state, "failed");
        assert!(
            line.ends_with(
                ": `a` waits for lock `l2` held by `b`; `b` waits for lock `l1` held by `a`"
            ),
            "{line}"
        );
    }

    #[test]
    fn a_wait_no_one_can_end_says_who_is_missing() {
        let stuck = vec![Stuck {
            subject: 0,
            resource: Some(0),
            on: vec![],
        }];
        let run = replay(
            &[("queue", ResourceKind::Queue { maxsize: 2 })],
            vec![
                (0, 0, EventKind::Started),
                (5, 0, suspended(WaitReason::QueueJoin { resource: 0 })),
            ],
            None,
        );
        assert_eq!(
            deadlock_words(&run, &stuck),
            "`main` waits on `queue.join()`: no task is left to call task_done()"
        );
        assert_eq!(deadlock_words(&run, &[]), "nothing could move any more");
    }
}
