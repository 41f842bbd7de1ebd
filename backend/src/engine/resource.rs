//! Synchronisation objects of a run: asyncio's lock, semaphore, event and queue on tokio's
//! primitives (first come, first served, as asyncio's are), and `threading.Lock`.

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Condvar, Mutex, PoisonError};

use looplab_shared::model::{ResourceKind, Scenario};
use looplab_shared::python::value::Value;
use tokio::sync::{OwnedSemaphorePermit, Semaphore, oneshot, watch};

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

/// `asyncio.Queue`: items, a count of free places (bounded queues), and the items put but
/// not yet marked done, which `join` waits on.
pub(crate) struct Queue {
    items: Mutex<VecDeque<Value>>,
    /// One permit an item in `items`: `get` waits for one.
    filled: Semaphore,
    /// One permit a free place, for a bounded queue: `put` waits for one.
    free: Option<Semaphore>,
    unfinished: watch::Sender<u64>,
}

impl Queue {
    fn new(maxsize: u32) -> Self {
        Self {
            items: Mutex::new(VecDeque::new()),
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

    /// `await queue.put(value)`.
    pub(crate) async fn put(&self, value: Value) {
        if let Some(free) = &self.free {
            free.acquire().await.expect("never closed").forget();
        }
        self.items
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push_back(value);
        self.unfinished.send_modify(|n| *n += 1);
        self.filled.add_permits(1);
    }

    /// `await queue.get()`.
    pub(crate) async fn get(&self) -> Value {
        self.filled.acquire().await.expect("never closed").forget();
        let value = self
            .items
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .pop_front()
            .unwrap_or(Value::None);
        if let Some(free) = &self.free {
            free.add_permits(1);
        }
        value
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
/// child process has its own copy of the module's globals.
#[derive(Debug, Default)]
pub(crate) struct ThreadLocks(Mutex<HashMap<String, Arc<ThreadLock>>>);

impl ThreadLocks {
    /// The lock called `name`.
    pub(crate) fn get(&self, name: &str) -> Arc<ThreadLock> {
        let mut all = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        Arc::clone(all.entry(name.to_owned()).or_default())
    }
}
