//! Locks, semaphores, events and queues in virtual time. The plan meets a task's whole body
//! before the next task's, so a `get` may come before the `put` it waits for: each pass
//! records when things happened ([`Known`]), and the next pass waits on those times —
//! `plan` runs passes until the schedule stops changing.

use std::collections::HashMap;

use crate::model::{ResourceKind, Scenario};
use crate::python::value::Value;

/// What a pass of the plan saw, for the next one: in time order.
#[derive(Debug, Clone, Default, PartialEq)]
pub(super) struct Known {
    /// Each queue's items, when put.
    puts: HashMap<String, Vec<(f64, Value)>>,
    /// When each queue's items were taken out.
    gets: HashMap<String, Vec<f64>>,
    /// When each queue's last item was marked done.
    done: HashMap<String, f64>,
    /// When each event was first set.
    set: HashMap<String, f64>,
}

impl Known {
    /// Whether anything waits on what a pass learns: a queue or an event.
    pub(super) fn matters(s: &Scenario) -> bool {
        s.resources.iter().any(|r| !r.kind.is_held())
    }
}

/// Every resource's state in virtual time, during one pass.
#[derive(Debug)]
pub(super) struct Resources<'a> {
    before: &'a Known,
    now: Known,
    /// Locks and semaphores: when each of their slots is free next, in ms.
    slots: HashMap<&'a str, Vec<f64>>,
    /// Queues' `maxsize` (0: unbounded).
    maxsize: HashMap<&'a str, usize>,
}

impl<'a> Resources<'a> {
    pub(super) fn new(s: &'a Scenario, before: &'a Known) -> Self {
        let mut r = Self {
            before,
            now: Known::default(),
            slots: HashMap::new(),
            maxsize: HashMap::new(),
        };
        for res in &s.resources {
            match res.kind {
                ResourceKind::Lock | ResourceKind::ThreadLock => {
                    r.slots.insert(&res.name, vec![0.0; 1]);
                }
                ResourceKind::Semaphore { value } => {
                    r.slots.insert(&res.name, vec![0.0; value.max(1) as usize]);
                }
                ResourceKind::Queue { maxsize } => {
                    r.maxsize.insert(&res.name, maxsize as usize);
                }
                ResourceKind::Event => {}
            }
        }
        r
    }

    /// What this pass saw, in time order.
    pub(super) fn learned(mut self) -> Known {
        for puts in self.now.puts.values_mut() {
            puts.sort_by(|a, b| a.0.total_cmp(&b.0));
        }
        for gets in self.now.gets.values_mut() {
            gets.sort_by(f64::total_cmp);
        }
        self.now
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
    pub(super) fn set(&mut self, name: &str, at: f64) {
        let first = self.now.set.entry(name.to_owned()).or_insert(at);
        *first = first.min(at);
    }

    /// `await event.wait()` from `at`: when it returns.
    pub(super) fn wait(&self, name: &str, at: f64) -> f64 {
        match self.now.set.get(name).or_else(|| self.before.set.get(name)) {
            Some(set) => at.max(*set),
            None => at,
        }
    }

    /// `await queue.put(value)` from `at`: when it returns. A full queue makes it wait for
    /// the `get` that frees a place.
    pub(super) fn put(&mut self, name: &str, at: f64, value: Value) -> f64 {
        let k = self.now.puts.get(name).map_or(0, Vec::len);
        let maxsize = self.maxsize.get(name).copied().unwrap_or(0);
        let freed = (maxsize > 0 && k >= maxsize)
            .then(|| self.before.gets.get(name)?.get(k - maxsize).copied())
            .flatten();
        let end = freed.map_or(at, |f| at.max(f));
        self.now
            .puts
            .entry(name.to_owned())
            .or_default()
            .push((end, value));
        end
    }

    /// `await queue.get()` from `at`: when it returns, and the item (`None` when no pass has
    /// met its `put` yet).
    pub(super) fn get(&mut self, name: &str, at: f64) -> (f64, Value) {
        let k = self.now.gets.get(name).map_or(0, Vec::len);
        let put = self
            .before
            .puts
            .get(name)
            .and_then(|puts| puts.get(k))
            .or_else(|| self.now.puts.get(name).and_then(|puts| puts.get(k)));
        let (end, value) = match put {
            Some((put, value)) => (at.max(*put), value.clone()),
            None => (at, Value::None),
        };
        self.now.gets.entry(name.to_owned()).or_default().push(end);
        (end, value)
    }

    /// `queue.task_done()` at `at`.
    pub(super) fn task_done(&mut self, name: &str, at: f64) {
        let last = self.now.done.entry(name.to_owned()).or_insert(at);
        *last = last.max(at);
    }

    /// `await queue.join()` from `at`: when it returns.
    pub(super) fn join(&self, name: &str, at: f64) -> f64 {
        [&self.now, self.before]
            .iter()
            .filter_map(|k| k.done.get(name))
            .fold(at, |end, done| end.max(*done))
    }
}
