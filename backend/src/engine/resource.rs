//! Synchronisation objects of a run: asyncio's lock, semaphore, event and queue on tokio's
//! primitives (first come, first served, as asyncio's are), and `threading.Lock`.

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Condvar, Mutex, PoisonError};

use looplab_shared::model::{ResourceKind, Scenario};
use looplab_shared::python::value::Value;
use tokio::sync::{OwnedSemaphorePermit, Semaphore, oneshot, watch};

use super::agents::{Agents, Signal};

/// An asyncio object made at module level.
pub(crate) enum Live {
    /// `asyncio.Lock()` (one permit) or `asyncio.Semaphore(n)`.
    Permits(Arc<Semaphore>),
    /// `asyncio.Event()`.
    Event(Event),
    /// `asyncio.Queue(maxsize)`.
    Queue(Queue),
}

/// The run's asyncio objects, by name, with their index in the scenario.
pub(crate) struct AsyncResources(HashMap<String, (u32, Arc<Live>)>);

impl AsyncResources {
    pub(crate) fn of(s: &Scenario) -> Self {
        let mut all = HashMap::new();
        for (i, r) in s.resources.iter().enumerate() {
            let live = match r.kind {
                ResourceKind::Lock => Live::Permits(Arc::new(Semaphore::new(1))),
                ResourceKind::Semaphore { value } => {
                    Live::Permits(Arc::new(Semaphore::new(value as usize)))
                }
                ResourceKind::Event => Live::Event(Event::default()),
                ResourceKind::Queue { maxsize } => Live::Queue(Queue::new(maxsize)),
                ResourceKind::ThreadLock => continue,
            };
            all.insert(r.name.clone(), (i as u32, Arc::new(live)));
        }
        Self(all)
    }

    /// The object called `name`, and its index.
    pub(crate) fn get(&self, name: &str) -> Result<(u32, Arc<Live>), String> {
        self.0
            .get(name)
            .cloned()
            .ok_or_else(|| format!("NameError: name '{name}' is not defined"))
    }

    /// Whether the event or queue of index `resource` shows `signal` now: a waiter for it
    /// could go on. Takes only the object's own locks.
    pub(crate) fn shows(&self, resource: u32, signal: Signal) -> bool {
        let Some((_, live)) = self.0.values().find(|(i, _)| *i == resource) else {
            return false;
        };
        match (&**live, signal) {
            (Live::Event(event), Signal::Set) => event.is_set(),
            (Live::Queue(queue), Signal::Item) => queue.has_item(),
            (Live::Queue(queue), Signal::Room) => queue.has_room(),
            (Live::Queue(queue), Signal::AllDone) => !queue.has_unfinished(),
            (Live::Permits(_) | Live::Event(_) | Live::Queue(_), _) => false,
        }
    }
}

/// Takes a permit of `permits` if one is free now.
pub(crate) fn try_hold(permits: &Arc<Semaphore>) -> Option<OwnedSemaphorePermit> {
    Arc::clone(permits).try_acquire_owned().ok()
}

/// Waits for a permit of `permits`.
pub(crate) async fn hold(permits: &Arc<Semaphore>) -> OwnedSemaphorePermit {
    Arc::clone(permits)
        .acquire_owned()
        .await
        .expect("a resource's semaphore is never closed")
}

/// `asyncio.Event`: set once, it lets every waiter go, in the order they began to wait (as
/// asyncio wakes them), and later waits return at once.
#[derive(Default)]
pub(crate) struct Event(Mutex<EventState>);

#[derive(Default)]
struct EventState {
    set: bool,
    waiters: Vec<oneshot::Sender<()>>,
}

impl Event {
    /// Whether it is set.
    pub(crate) fn is_set(&self) -> bool {
        self.0.lock().unwrap_or_else(PoisonError::into_inner).set
    }

    /// `event.set()`.
    pub(crate) fn set(&self) {
        let mut state = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        state.set = true;
        for waiter in state.waiters.drain(..) {
            // A waiter that is gone (its task cancelled) needs no wake-up.
            let _ = waiter.send(());
        }
    }

    /// `await event.wait()`.
    pub(crate) async fn wait(&self) {
        let rx = {
            let mut state = self.0.lock().unwrap_or_else(PoisonError::into_inner);
            if state.set {
                return;
            }
            let (tx, rx) = oneshot::channel();
            state.waiters.push(tx);
            rx
        };
        // The sender is dropped unsent only with the event itself, at the run's end.
        let _ = rx.await;
    }
}

/// `asyncio.Queue`: items, each with its number (puts counted from 0), a count of free
/// places (bounded queues), and the items put but not yet marked done, which `join` waits on.
pub(crate) struct Queue {
    items: Mutex<Items>,
    maxsize: u32,
    /// One permit an item in `items`: `get` waits for one.
    filled: Semaphore,
    /// One permit a free place, for a bounded queue: `put` waits for one.
    free: Option<Semaphore>,
    unfinished: watch::Sender<u64>,
}

impl Queue {
    fn new(maxsize: u32) -> Self {
        Self {
            items: Mutex::new(Items::default()),
            maxsize,
            filled: Semaphore::new(0),
            free: (maxsize > 0).then(|| Semaphore::new(maxsize as usize)),
            unfinished: watch::Sender::new(0),
        }
    }

    /// Whether a `put` now would wait.
    pub(crate) fn is_full(&self) -> bool {
        self.free
            .as_ref()
            .is_some_and(|f| f.available_permits() == 0)
    }

    /// Whether a `get` now would wait.
    pub(crate) fn is_empty(&self) -> bool {
        self.filled.available_permits() == 0
    }

    fn items(&self) -> std::sync::MutexGuard<'_, Items> {
        self.items.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Whether an item is in the queue (one may be on its way to a getter already woken).
    pub(crate) fn has_item(&self) -> bool {
        !self.items().queue.is_empty()
    }

    /// Whether a place is free in the queue.
    pub(crate) fn has_room(&self) -> bool {
        self.maxsize == 0 || self.items().queue.len() < self.maxsize as usize
    }

    /// `await queue.put(value)`; `put` is told the item's number as it goes in, before any
    /// getter can take it.
    pub(crate) async fn put(&self, value: Value, put: impl FnOnce(u64)) {
        if let Some(free) = &self.free {
            free.acquire().await.expect("never closed").forget();
        }
        {
            let mut items = self.items();
            let number = items.next;
            items.next += 1;
            items.queue.push_back((number, value));
            put(number);
        }
        self.unfinished.send_modify(|n| *n += 1);
        self.filled.add_permits(1);
    }

    /// `await queue.get()`: the item's number and the item.
    pub(crate) async fn get(&self) -> (u64, Value) {
        self.filled.acquire().await.expect("never closed").forget();
        let item = self.items().queue.pop_front().unwrap_or((0, Value::None));
        if let Some(free) = &self.free {
            free.add_permits(1);
        }
        item
    }

    /// `queue.task_done()`.
    pub(crate) fn task_done(&self) -> Result<(), String> {
        let mut ok = true;
        self.unfinished.send_if_modified(|n| {
            ok = *n > 0;
            *n = n.saturating_sub(1);
            ok
        });
        if ok {
            Ok(())
        } else {
            Err("ValueError: task_done() called too many times".into())
        }
    }

    /// Whether `join` would wait now.
    pub(crate) fn has_unfinished(&self) -> bool {
        *self.unfinished.borrow() > 0
    }

    /// `await queue.join()`.
    pub(crate) async fn join(&self) {
        let mut rx = self.unfinished.subscribe();
        // The sender lives in `self`, which outlives this wait.
        let _ = rx.wait_for(|n| *n == 0).await;
    }
}

/// A queue's items, and the number the next item put gets.
#[derive(Default)]
struct Items {
    queue: VecDeque<(u64, Value)>,
    next: u64,
}

/// `threading.Lock()`: held by one thread at a time. Waiting blocks the thread.
#[derive(Debug, Default)]
pub(crate) struct ThreadLock {
    held: Mutex<bool>,
    freed: Condvar,
}

impl ThreadLock {
    /// Takes it if it is free now.
    pub(crate) fn try_acquire(&self) -> bool {
        let mut held = self.held.lock().unwrap_or_else(PoisonError::into_inner);
        !std::mem::replace(&mut *held, true)
    }

    /// Waits until it is free, then takes it.
    pub(crate) fn acquire(&self) {
        let mut held = self.held.lock().unwrap_or_else(PoisonError::into_inner);
        while *held {
            held = self
                .freed
                .wait(held)
                .unwrap_or_else(PoisonError::into_inner);
        }
        *held = true;
    }

    /// Lets it go.
    pub(crate) fn release(&self) {
        *self.held.lock().unwrap_or_else(PoisonError::into_inner) = false;
        self.freed.notify_one();
    }
}

/// A process's `threading.Lock`s, made on first use: each process has its own copy, as a
/// child process has its own copy of the module's globals. Who waits for them and who holds
/// them goes to the process's [`Agents`] (a worker process's are watched by nobody).
#[derive(Debug, Default)]
pub(crate) struct ThreadLocks {
    /// Each lock's index in the scenario's resources, by name.
    indices: Vec<(String, u32)>,
    made: Mutex<HashMap<String, Arc<ThreadLock>>>,
    pub(crate) agents: Arc<Agents>,
}

impl ThreadLocks {
    /// The locks of the scenario whose resources have `indices`, reporting to `agents`.
    pub(crate) fn new(indices: Vec<(String, u32)>, agents: Arc<Agents>) -> Self {
        Self {
            indices,
            made: Mutex::default(),
            agents,
        }
    }

    /// The `threading.Lock`s of `s`, by name, with their index.
    pub(crate) fn indices_of(s: &Scenario) -> Vec<(String, u32)> {
        (s.resources.iter().enumerate())
            .filter(|(_, r)| matches!(r.kind, ResourceKind::ThreadLock))
            .map(|(i, r)| (r.name.clone(), i as u32))
            .collect()
    }

    /// Each lock's index, by name, for a worker process to make its own copies.
    pub(crate) fn indices(&self) -> Vec<(String, u32)> {
        self.indices.clone()
    }

    /// The lock called `name`, and its index.
    pub(crate) fn get(&self, name: &str) -> Result<(u32, Arc<ThreadLock>), String> {
        let index = (self.indices.iter())
            .find(|(n, _)| n == name)
            .map(|(_, i)| *i)
            .ok_or_else(|| format!("NameError: name '{name}' is not defined"))?;
        let mut all = self.made.lock().unwrap_or_else(PoisonError::into_inner);
        Ok((index, Arc::clone(all.entry(name.to_owned()).or_default())))
    }
}
