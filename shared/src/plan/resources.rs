//! Locks, semaphores, events and queues in virtual time. The plan meets a task's whole body
//! before the next task's, so a `get` may come before the `put` it waits for: each pass
//! records when things happened ([`Known`]), and the next pass waits on those times —
//! `plan` runs passes until the schedule stops changing.

use crate::model::{Resource, ResourceKind, Scenario};
use crate::python::value::Value;

/// What a pass of the plan saw of each resource (by its index), for the next pass.
pub(crate) type Known = Vec<Seen>;

/// What a pass saw of one resource.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Seen {
    /// A queue's items, and when each was put; in time order once the pass is over.
    puts: Vec<(f64, Value)>,
    /// When a queue's items were taken out.
    gets: Vec<f64>,
    /// When a queue's last item was marked done.
    done: Option<f64>,
    /// When an event was first set.
    set: Option<f64>,
}

/// Whether anything waits on what a pass learns: a queue or an event.
pub(crate) fn matters(s: &Scenario) -> bool {
    s.resources.iter().any(|r| !r.kind.is_held())
}

/// Every resource's state in virtual time, during one pass.
#[derive(Debug)]
pub(crate) struct Resources<'a> {
    all: &'a [Resource],
    before: &'a Known,
    now: Known,
    /// Locks and semaphores: when each of their slots is free next, in ms.
    slots: Vec<Vec<f64>>,
}

impl<'a> Resources<'a> {
    pub(crate) fn new(s: &'a Scenario, before: &'a Known) -> Self {
        let slots = s
            .resources
            .iter()
            .map(|r| match r.kind {
                ResourceKind::Lock | ResourceKind::ThreadLock => vec![0.0],
                ResourceKind::Semaphore { value } => vec![0.0; value.max(1) as usize],
                ResourceKind::Event | ResourceKind::Queue { .. } => vec![],
            })
            .collect();
        Self {
            all: &s.resources,
            before,
            now: vec![Seen::default(); s.resources.len()],
            slots,
        }
    }

    /// What this pass saw, in time order.
    pub(crate) fn learned(mut self) -> Known {
        for seen in &mut self.now {
            seen.puts.sort_by(|a, b| a.0.total_cmp(&b.0));
            seen.gets.sort_by(f64::total_cmp);
        }
        self.now
    }

    fn index(&self, name: &str) -> Option<usize> {
        self.all.iter().position(|r| r.name == name)
    }

    /// What this pass and the last saw of `name`.
    fn seen(&mut self, name: &str) -> Option<(&mut Seen, Option<&'a Seen>)> {
        let i = self.index(name)?;
        let before = self.before.get(i);
        Some((self.now.get_mut(i)?, before))
    }

    /// Takes `name` at `at`: which slot, and when it is held.
    pub(crate) fn acquire(&mut self, name: &str, at: f64) -> (usize, f64) {
        let Some(slots) = self.index(name).and_then(|i| self.slots.get(i)) else {
            return (0, at);
        };
        let (k, free) = slots
            .iter()
            .copied()
            .enumerate()
            .min_by(|a, b| a.1.total_cmp(&b.1))
            .unwrap_or((0, 0.0));
        (k, at.max(free))
    }

    /// Gives slot `k` of `name` back at `at`.
    pub(crate) fn release(&mut self, name: &str, k: usize, at: f64) {
        let i = self.index(name);
        if let Some(slot) = i.and_then(|i| self.slots.get_mut(i)?.get_mut(k)) {
            *slot = at;
        }
    }

    /// `event.set()` at `at`.
    pub(crate) fn set(&mut self, name: &str, at: f64) {
        if let Some((seen, _)) = self.seen(name) {
            seen.set = Some(seen.set.map_or(at, |set| set.min(at)));
        }
    }

    /// `await event.wait()` from `at`: when it returns.
    pub(crate) fn wait(&mut self, name: &str, at: f64) -> f64 {
        match self.seen(name) {
            Some((seen, before)) => match seen.set.or(before.and_then(|b| b.set)) {
                Some(set) => at.max(set),
                None => at,
            },
            None => at,
        }
    }

    /// `await queue.put(value)` from `at`: when it returns. A full queue makes it wait for
    /// the `get` that frees a place.
    pub(crate) fn put(&mut self, name: &str, at: f64, value: Value) -> f64 {
        let maxsize = match self.index(name).map(|i| self.all[i].kind) {
            Some(ResourceKind::Queue { maxsize }) => maxsize as usize,
            _ => 0,
        };
        let Some((seen, before)) = self.seen(name) else {
            return at;
        };
        let k = seen.puts.len();
        let freed = (maxsize > 0 && k >= maxsize)
            .then(|| before?.gets.get(k - maxsize).copied())
            .flatten();
        let end = freed.map_or(at, |f| at.max(f));
        seen.puts.push((end, value));
        end
    }

    /// `await queue.get()` from `at`: when it returns, and the item (`None` when no pass has
    /// met its `put` yet).
    pub(crate) fn get(&mut self, name: &str, at: f64) -> (f64, Value) {
        let Some((seen, before)) = self.seen(name) else {
            return (at, Value::None);
        };
        let k = seen.gets.len();
        let put = before
            .and_then(|b| b.puts.get(k))
            .or_else(|| seen.puts.get(k))
            .cloned();
        let (end, value) = put.map_or((at, Value::None), |(put, v)| (at.max(put), v));
        seen.gets.push(end);
        (end, value)
    }

    /// `queue.task_done()` at `at`.
    pub(crate) fn task_done(&mut self, name: &str, at: f64) {
        if let Some((seen, _)) = self.seen(name) {
            seen.done = Some(seen.done.map_or(at, |done| done.max(at)));
        }
    }

    /// `await queue.join()` from `at`: when it returns.
    pub(crate) fn join(&mut self, name: &str, at: f64) -> f64 {
        let Some((seen, before)) = self.seen(name) else {
            return at;
        };
        [seen.done, before.and_then(|b| b.done)]
            .into_iter()
            .flatten()
            .fold(at, f64::max)
    }
}
