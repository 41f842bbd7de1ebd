//! Who in the runner could still move, and what each of the others waits for: the deadlock
//! detector.
//!
//! Every subject that runs code in the runner is an agent from its creation to its end: main,
//! the loop's tasks (requests too), started threads, pool jobs, started processes. An agent is
//! *movable* while it runs, sleeps, computes or waits for work this process cannot see into (a
//! job in its pool's queue, a process, a pool's shutdown); otherwise it *waits*: for a place of
//! a lock or semaphore, for an event, an item, a free place or every item done on a queue, or
//! for other subjects to end (`await`, `gather`, `join()`). The loop's heartbeat is no agent:
//! it would always be movable.
//!
//! Nothing can move when no agent is movable, some agent waits, and no wait could end now:
//! every lock waited for has all its places held, no event waited for is set, no queue has
//! what its waiter wants, and some subject each `await` waits for is still there. A wake-up
//! already on its way (a place handed over, an item put, a task that just ended) makes a wait
//! one that could end, and then an agent movable, so the watcher ends the run only when that
//! state has held, unchanged, for [`DEADLOCK_CONFIRM_MS`]. What it cannot see (a task blocking
//! the loop's thread on a `threading.Lock` while other tasks wait their turn on that loop, a
//! worker process's own locks) it takes for able to move: a deadlock it misses ends at the
//! wall-time limit, and a run that can move is never called deadlocked.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use looplab_shared::limits::DEADLOCK_CONFIRM_MS;
use looplab_shared::model::{ResourceKind, Scenario};
use looplab_shared::protocol::{Stuck, WaitReason};

/// What a resource must show for a waiter on it to go on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Signal {
    /// `event.wait()`: the event is set.
    Set,
    /// `queue.get()`: an item is in the queue.
    Item,
    /// `queue.put()`: a place is free in the queue.
    Room,
    /// `queue.join()`: every item put has been marked done.
    AllDone,
}

/// What a waiting agent waits for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Wait {
    /// A place of a lock or a semaphore (asyncio's, or a `threading.Lock`): its index.
    Place(u32),
    /// An event or a queue, its index, to show `Signal`.
    Signal(u32, Signal),
    /// These subjects to end; one that fails ends the wait too (an exception propagates).
    Subjects(Vec<u32>),
}

impl Wait {
    /// What a task suspended on `on` waits for; `None` for a timer, which will fire.
    pub(crate) fn of(on: &WaitReason) -> Option<Self> {
        match on {
            WaitReason::Sleep { .. } | WaitReason::Await { subject: None } => None,
            // `join()` blocks a thread; no task suspends on it.
            WaitReason::Join => None,
            WaitReason::Await {
                subject: Some(subject),
            } => Some(Self::Subjects(vec![*subject])),
            WaitReason::Gather { subjects } => Some(Self::Subjects(subjects.clone())),
            WaitReason::Lock { resource } => Some(Self::Place(*resource)),
            WaitReason::Event { resource } => Some(Self::Signal(*resource, Signal::Set)),
            WaitReason::QueueGet { resource } => Some(Self::Signal(*resource, Signal::Item)),
            WaitReason::QueuePut { resource } => Some(Self::Signal(*resource, Signal::Room)),
            WaitReason::QueueJoin { resource } => Some(Self::Signal(*resource, Signal::AllDone)),
        }
    }
}

/// Whether a resource shows a signal now: asked with the registry locked, so it must not
/// call back into it.
pub(crate) type Probe<'a> = &'a dyn Fn(u32, Signal) -> bool;

/// The registry of a runner's agents.
#[derive(Debug, Default)]
pub(crate) struct Agents {
    state: Mutex<State>,
    changed: Condvar,
}

#[derive(Debug, Default)]
struct State {
    /// Places of each lock and semaphore, by resource index.
    places: HashMap<u32, u32>,
    /// Live agents: `None` while movable.
    alive: HashMap<u32, Option<Wait>>,
    /// Movable agents, and armed timers.
    movable: usize,
    /// Agents that ended by failing (or being cancelled).
    failed: HashSet<u32>,
    /// Who holds each lock's or semaphore's places, by resource index.
    holders: HashMap<u32, Vec<u32>>,
    /// Counts every change.
    generation: u64,
}

impl Agents {
    /// A registry for `s`'s resources, with no agent yet.
    pub(crate) fn of(s: &Scenario) -> Self {
        let places = s
            .resources
            .iter()
            .enumerate()
            .filter_map(|(i, r)| {
                let places = match r.kind {
                    ResourceKind::Lock | ResourceKind::ThreadLock => 1,
                    ResourceKind::Semaphore { value } => value,
                    ResourceKind::Event | ResourceKind::Queue { .. } => return None,
                };
                Some((i as u32, places))
            })
            .collect();
        Self {
            state: Mutex::new(State {
                places,
                ..State::default()
            }),
            changed: Condvar::new(),
        }
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Applies `change` and wakes the watcher if nothing is movable any more.
    fn change(&self, change: impl FnOnce(&mut State)) {
        let mut state = self.lock();
        change(&mut state);
        state.generation += 1;
        if state.suspect() {
            self.changed.notify_all();
        }
    }

    /// `subject` exists and can move.
    pub(crate) fn add(&self, subject: u32) {
        self.change(|s| {
            if s.alive.insert(subject, None).is_none() {
                s.movable += 1;
            }
        });
    }

    /// `subject` ended; `failed` if by an exception or a cancellation.
    pub(crate) fn end(&self, subject: u32, failed: bool) {
        self.change(|s| {
            if let Some(was) = s.alive.remove(&subject) {
                s.movable -= usize::from(was.is_none());
                if failed {
                    s.failed.insert(subject);
                }
            }
        });
    }

    /// `subject` waits for `wait`.
    pub(crate) fn wait(&self, subject: u32, wait: Wait) {
        self.change(|s| s.set(subject, Some(wait)));
    }

    /// `subject` can move again.
    pub(crate) fn go(&self, subject: u32) {
        self.change(|s| s.set(subject, None));
    }

    /// `subject` took a place of lock or semaphore `resource`, and can move.
    pub(crate) fn acquired(&self, subject: u32, resource: u32) {
        self.change(|s| {
            s.set(subject, None);
            s.holders.entry(resource).or_default().push(subject);
        });
    }

    /// `subject` let a place of `resource` go. Called before the place is free, so that no
    /// waiter can take it before the registry knows.
    pub(crate) fn released(&self, subject: u32, resource: u32) {
        self.change(|s| {
            let holders = s.holders.entry(resource).or_default();
            if let Some(k) = holders.iter().position(|h| *h == subject) {
                holders.swap_remove(k);
            }
        });
    }

    /// A timer that will fire (a timeout's): while it is held, something can move.
    pub(crate) fn timer(self: &Arc<Self>) -> Timer {
        self.change(|s| s.movable += 1);
        Timer(Arc::clone(self))
    }

    /// Waits until nothing can move, and has not for [`DEADLOCK_CONFIRM_MS`]; then every
    /// stuck agent, by subject. Never returns in a run that ends otherwise.
    pub(crate) fn watch(&self, probe: Probe<'_>) -> Vec<Stuck> {
        let window = Duration::from_millis(DEADLOCK_CONFIRM_MS);
        let mut state = self.lock();
        loop {
            while !state.suspect() {
                state = self
                    .changed
                    .wait(state)
                    .unwrap_or_else(PoisonError::into_inner);
            }
            let generation = state.generation;
            let stuck = state.stuck(probe).is_some();
            let deadline = Instant::now() + window;
            while state.generation == generation {
                let left = deadline.saturating_duration_since(Instant::now());
                if left.is_zero() {
                    break;
                }
                state = self
                    .changed
                    .wait_timeout(state, left)
                    .unwrap_or_else(PoisonError::into_inner)
                    .0;
            }
            if stuck
                && state.generation == generation
                && let Some(all) = state.stuck(probe)
            {
                return all;
            }
        }
    }
}

/// An armed timer, counted as able to move until it is dropped.
#[derive(Debug)]
pub(crate) struct Timer(Arc<Agents>);

impl Drop for Timer {
    fn drop(&mut self) {
        self.0.change(|s| s.movable -= 1);
    }
}

impl State {
    fn set(&mut self, subject: u32, wait: Option<Wait>) {
        if let Some(was) = self.alive.get_mut(&subject) {
            self.movable = self.movable + usize::from(wait.is_none()) - usize::from(was.is_none());
            *was = wait;
        }
    }

    /// Nothing is movable (no agent, no timer) and some agent waits.
    fn suspect(&self) -> bool {
        self.movable == 0 && !self.alive.is_empty()
    }

    /// Every waiting agent, if none of them could go on now.
    fn stuck(&self, probe: Probe<'_>) -> Option<Vec<Stuck>> {
        if !self.suspect() {
            return None;
        }
        let mut all = Vec::with_capacity(self.alive.len());
        for (&subject, wait) in &self.alive {
            let (resource, mut on, could_go) = match wait.as_ref()? {
                Wait::Place(resource) => {
                    let holders = self.holders.get(resource).cloned().unwrap_or_default();
                    let places = self.places.get(resource).copied().unwrap_or(1);
                    let free = holders.len() < places as usize;
                    (Some(*resource), holders, free)
                }
                Wait::Signal(resource, signal) => {
                    (Some(*resource), Vec::new(), probe(*resource, *signal))
                }
                Wait::Subjects(subjects) => {
                    let left: Vec<u32> = subjects
                        .iter()
                        .copied()
                        .filter(|s| self.alive.contains_key(s))
                        .collect();
                    let failed = subjects.iter().any(|s| self.failed.contains(s));
                    let could_go = left.is_empty() || failed;
                    (None, left, could_go)
                }
            };
            if could_go {
                return None;
            }
            on.sort_unstable();
            on.dedup();
            all.push(Stuck {
                subject,
                resource,
                on,
            });
        }
        all.sort_unstable_by_key(|s| s.subject);
        Some(all)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn agents() -> Agents {
        let agents = Agents::default();
        agents.lock().places = HashMap::from([(0, 1), (1, 1), (2, 2)]);
        agents
    }

    fn never(_: u32, _: Signal) -> bool {
        false
    }

    #[test]
    fn two_locks_taken_in_opposite_orders_are_stuck() {
        let a = agents();
        a.add(1);
        a.add(2);
        a.acquired(1, 0);
        a.acquired(2, 1);
        a.wait(1, Wait::Place(1));
        assert_eq!(a.lock().stuck(&never), None, "2 can still move");
        a.wait(2, Wait::Place(0));
        let stuck = a.lock().stuck(&never).unwrap();
        assert_eq!(
            stuck,
            [
                Stuck {
                    subject: 1,
                    resource: Some(1),
                    on: vec![2]
                },
                Stuck {
                    subject: 2,
                    resource: Some(0),
                    on: vec![1]
                }
            ]
        );
        // A place handed over is a wake-up on its way: not stuck.
        a.released(1, 0);
        assert_eq!(a.lock().stuck(&never), None);
    }

    #[test]
    fn a_wait_that_could_end_now_is_no_deadlock() {
        let a = agents();
        a.add(0);
        a.add(5);
        a.wait(5, Wait::Signal(3, Signal::Set));
        a.wait(0, Wait::Subjects(vec![5]));
        assert!(a.lock().stuck(&never).is_some());
        assert_eq!(a.lock().stuck(&|_, s| s == Signal::Set), None);
        // A semaphore of two with one holder has a free place.
        a.add(6);
        a.acquired(6, 2);
        a.wait(6, Wait::Subjects(vec![5]));
        a.add(7);
        a.wait(7, Wait::Place(2));
        assert_eq!(a.lock().stuck(&never), None);
        // The awaited task ends, failing: whoever awaited it goes on.
        a.released(6, 2);
        a.acquired(7, 2);
        a.acquired(7, 2);
        a.wait(7, Wait::Place(2));
        assert!(a.lock().stuck(&never).is_some());
        a.end(5, true);
        assert_eq!(a.lock().stuck(&never), None);
    }

    #[test]
    fn the_watcher_reports_only_a_state_that_holds() {
        let a = std::sync::Arc::new(agents());
        a.add(1);
        a.wait(1, Wait::Signal(0, Signal::Item));
        let started = Instant::now();
        let stuck = a.watch(&never);
        assert_eq!(stuck.len(), 1);
        assert!(started.elapsed() >= Duration::from_millis(DEADLOCK_CONFIRM_MS));
    }
}
