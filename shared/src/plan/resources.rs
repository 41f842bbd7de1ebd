//! Locks, semaphores, events and queues in virtual time. Waits are matched in the order the
//! plan meets them (a task's whole body before the next task's), which is the order they
//! happen in the common shapes — workers gathered together, a producer and its consumers —
//! but not in every program: the plan is the ideal, and the measured run is what happened.

use std::collections::{HashMap, VecDeque};

use crate::model::{ResourceKind, Scenario};
use crate::python::value::Value;

/// Every resource's state in virtual time.
#[derive(Debug, Default)]
pub(super) struct Resources<'a> {
    /// Locks and semaphores: when each of their slots is free next, in ms.
    slots: HashMap<&'a str, Vec<f64>>,
    /// Events: when each was first set.
    set: HashMap<&'a str, f64>,
    /// Queues: each item still in them, and when it was put.
    items: HashMap<&'a str, VecDeque<(f64, Value)>>,
    /// Queues: when their last item was taken out.
    last_get: HashMap<&'a str, f64>,
}

impl<'a> Resources<'a> {
    pub(super) fn new(s: &'a Scenario) -> Self {
        let mut r = Self::default();
        for res in &s.resources {
            let n = match res.kind {
                ResourceKind::Lock | ResourceKind::ThreadLock => 1,
                ResourceKind::Semaphore { value } => value.max(1) as usize,
                ResourceKind::Event | ResourceKind::Queue { .. } => continue,
            };
            r.slots.insert(&res.name, vec![0.0; n]);
        }
        r
    }

    /// Takes `name` at `at`: which slot, and when it is held.
    pub(super) fn acquire(&mut self, name: &str, at: f64) -> (usize, f64) {
        let Some(slots) = self.slots.get(name) else {
            return (0, at);
        };
        let (i, free) = slots
            .iter()
            .copied()
            .enumerate()
            .min_by(|a, b| a.1.total_cmp(&b.1))
            .unwrap_or((0, 0.0));
        (i, at.max(free))
    }

    /// Gives slot `i` of `name` back at `at`.
    pub(super) fn release(&mut self, name: &str, i: usize, at: f64) {
        if let Some(slot) = self.slots.get_mut(name).and_then(|s| s.get_mut(i)) {
            *slot = at;
        }
    }

    /// `event.set()` at `at`.
    pub(super) fn set(&mut self, name: &'a str, at: f64) {
        let first = self.set.entry(name).or_insert(at);
        *first = first.min(at);
    }

    /// `await event.wait()` from `at`: when it returns.
    pub(super) fn wait(&self, name: &str, at: f64) -> f64 {
        self.set.get(name).map_or(at, |set| at.max(*set))
    }

    /// `await queue.put(value)` at `at`.
    pub(super) fn put(&mut self, name: &'a str, at: f64, value: Value) {
        self.items.entry(name).or_default().push_back((at, value));
    }

    /// `await queue.get()` from `at`: when it returns, and the item (`None` when the plan
    /// has met no `put` for it yet).
    pub(super) fn get(&mut self, name: &'a str, at: f64) -> (f64, Value) {
        let put = self.items.get_mut(name).and_then(VecDeque::pop_front);
        let (end, value) = match put {
            Some((put, value)) => (at.max(put), value),
            None => (at, Value::None),
        };
        let last = self.last_get.entry(name).or_insert(end);
        *last = last.max(end);
        (end, value)
    }

    /// `await queue.join()` from `at`: when it returns.
    pub(super) fn join(&self, name: &str, at: f64) -> f64 {
        let last_put = self
            .items
            .get(name)
            .and_then(|items| items.back().map(|(t, _)| *t))
            .unwrap_or(at);
        let last_get = self.last_get.get(name).copied().unwrap_or(at);
        at.max(last_put).max(last_get)
    }
}
