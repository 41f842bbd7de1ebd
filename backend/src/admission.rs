//! Who may run, and when: a fixed number of run slots, a bounded queue in arrival order whose
//! places the waiting clients are told, and per-address caps on connections and on runs per
//! minute. Over any cap a client is refused at once with the cap's name, never made to wait
//! on a slow server.

use std::collections::{BTreeSet, HashMap, VecDeque};
use std::net::IpAddr;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use looplab_shared::limits::{
    MAX_CONNECTIONS_PER_ADDRESS, MAX_QUEUED_RUNS, MAX_RUNS_PER_MINUTE_PER_ADDRESS,
};
use tokio::sync::{OwnedSemaphorePermit, Semaphore, watch};

/// A place in the queue. Dropping it leaves the queue.
#[derive(Debug)]
pub struct Ticket {
    number: u64,
    admission: Arc<Admission>,
}

/// The run slots and the queue in front of them.
#[derive(Debug)]
pub struct Admission {
    slots: Arc<Semaphore>,
    queue: Mutex<Queue>,
    /// Bumped whenever the queue changes, so waiting sessions can re-tell their place.
    moved: watch::Sender<u64>,
    addresses: Mutex<HashMap<IpAddr, Usage>>,
    /// Open connections, all addresses together.
    open: watch::Sender<usize>,
}

#[derive(Debug, Default)]
struct Queue {
    next: u64,
    waiting: BTreeSet<u64>,
}

#[derive(Debug, Default)]
struct Usage {
    connections: usize,
    runs: VecDeque<Instant>,
}

/// Why a request was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    /// The queue is full.
    #[error(
        "the server is busy: {MAX_QUEUED_RUNS} runs are already waiting (MAX_QUEUED_RUNS); try again in a moment"
    )]
    Busy,
    /// The address holds too many connections.
    #[error(
        "too many connections from your address: at most {MAX_CONNECTIONS_PER_ADDRESS} (MAX_CONNECTIONS_PER_ADDRESS)"
    )]
    Connections,
    /// The address started too many runs in the last minute.
    #[error(
        "too many runs from your address: at most {MAX_RUNS_PER_MINUTE_PER_ADDRESS} a minute (MAX_RUNS_PER_MINUTE_PER_ADDRESS)"
    )]
    Runs,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Holds one of an address's connections; dropping it gives it back.
#[derive(Debug)]
pub struct Connection {
    address: IpAddr,
    admission: Arc<Admission>,
}

impl Drop for Connection {
    fn drop(&mut self) {
        self.admission.open.send_modify(|n| *n -= 1);
        let mut addresses = lock(&self.admission.addresses);
        if let Some(usage) = addresses.get_mut(&self.address) {
            usage.connections -= 1;
            if usage.connections == 0 && usage.runs.is_empty() {
                addresses.remove(&self.address);
            }
        }
    }
}

impl Admission {
    /// `slots` runs at once.
    pub fn new(slots: usize) -> Arc<Self> {
        Arc::new(Self {
            slots: Arc::new(Semaphore::new(slots.max(1))),
            queue: Mutex::default(),
            moved: watch::Sender::new(0),
            addresses: Mutex::default(),
            open: watch::Sender::new(0),
        })
    }

    /// Admits a connection from `address`, or refuses it.
    pub fn connect(self: &Arc<Self>, address: IpAddr) -> Result<Connection, Refusal> {
        let mut addresses = lock(&self.addresses);
        let usage = addresses.entry(address).or_default();
        if usage.connections >= MAX_CONNECTIONS_PER_ADDRESS {
            return Err(Refusal::Connections);
        }
        usage.connections += 1;
        self.open.send_modify(|n| *n += 1);
        Ok(Connection {
            address,
            admission: Arc::clone(self),
        })
    }

    /// Counts a run request from `connection`'s address against its cap.
    pub fn count_run(&self, connection: &Connection, now: Instant) -> Result<(), Refusal> {
        let mut addresses = lock(&self.addresses);
        let usage = addresses.entry(connection.address).or_default();
        while usage
            .runs
            .front()
            .is_some_and(|t| now.duration_since(*t) >= Duration::from_secs(60))
        {
            usage.runs.pop_front();
        }
        if usage.runs.len() >= MAX_RUNS_PER_MINUTE_PER_ADDRESS {
            return Err(Refusal::Runs);
        }
        usage.runs.push_back(now);
        Ok(())
    }

    /// A free slot at once, if there is one and nobody waits for it.
    pub fn try_slot(&self) -> Option<OwnedSemaphorePermit> {
        if !lock(&self.queue).waiting.is_empty() {
            return None;
        }
        Arc::clone(&self.slots).try_acquire_owned().ok()
    }

    /// Joins the queue, or refuses when it is full.
    pub fn enqueue(self: &Arc<Self>) -> Result<Ticket, Refusal> {
        let mut queue = lock(&self.queue);
        if queue.waiting.len() >= MAX_QUEUED_RUNS {
            return Err(Refusal::Busy);
        }
        let number = queue.next;
        queue.next += 1;
        queue.waiting.insert(number);
        drop(queue);
        self.moved.send_modify(|v| *v += 1);
        Ok(Ticket {
            number,
            admission: Arc::clone(self),
        })
    }

    /// Tells when the queue changed.
    pub fn watch(&self) -> watch::Receiver<u64> {
        self.moved.subscribe()
    }

    /// Waits until every connection has closed, or `grace` has passed.
    pub async fn closed(&self, grace: Duration) {
        let mut open = self.open.subscribe();
        let _ = tokio::time::timeout(grace, open.wait_for(|n| *n == 0)).await;
    }

    /// Run slots free now.
    pub fn free_slots(&self) -> usize {
        self.slots.available_permits()
    }
}

impl Ticket {
    /// The ticket's place: 1 is next.
    pub fn position(&self) -> u32 {
        let queue = lock(&self.admission.queue);
        let ahead = queue.waiting.range(..self.number).count();
        u32::try_from(ahead + 1).unwrap_or(u32::MAX)
    }

    /// Waits for a slot; the ticket stays in the queue until it is dropped. Tickets are
    /// served in order: the semaphore is fair, and each asks as soon as it is issued.
    pub fn slot(&self) -> impl std::future::Future<Output = OwnedSemaphorePermit> + Send + 'static {
        let slots = Arc::clone(&self.admission.slots);
        // The semaphore is never closed, so acquiring cannot fail.
        async move {
            slots
                .acquire_owned()
                .await
                .expect("run slots are never closed")
        }
    }
}

impl Drop for Ticket {
    fn drop(&mut self) {
        lock(&self.admission.queue).waiting.remove(&self.number);
        self.admission.moved.send_modify(|v| *v += 1);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn tickets_are_served_in_order_and_know_their_place() {
        let admission = Admission::new(1);
        let running = admission.try_slot().unwrap();
        assert!(admission.try_slot().is_none());
        let (a, b, c) = (
            admission.enqueue().unwrap(),
            admission.enqueue().unwrap(),
            admission.enqueue().unwrap(),
        );
        assert_eq!((a.position(), b.position(), c.position()), (1, 2, 3));
        drop(b); // stopped while waiting: the places behind it move up
        assert_eq!(c.position(), 2);
        let first = tokio::spawn(a.slot());
        drop(running);
        let slot = first.await.unwrap();
        drop(a);
        assert_eq!(c.position(), 1);
        drop(slot);
        let _slot = c.slot().await;
    }

    #[test]
    fn a_full_queue_and_busy_addresses_are_refused() {
        let admission = Admission::new(1);
        let tickets: Vec<_> = (0..MAX_QUEUED_RUNS)
            .map(|_| admission.enqueue().unwrap())
            .collect();
        assert_eq!(admission.enqueue().unwrap_err(), Refusal::Busy);
        drop(tickets);

        let address: IpAddr = [10, 0, 0, 1].into();
        let held: Vec<_> = (0..MAX_CONNECTIONS_PER_ADDRESS)
            .map(|_| admission.connect(address).unwrap())
            .collect();
        assert_eq!(
            admission.connect(address).unwrap_err(),
            Refusal::Connections
        );
        let other = admission.connect([10, 0, 0, 2].into()).unwrap();
        let now = Instant::now();
        for _ in 0..MAX_RUNS_PER_MINUTE_PER_ADDRESS {
            admission.count_run(&other, now).unwrap();
        }
        assert_eq!(admission.count_run(&other, now).unwrap_err(), Refusal::Runs);
        assert!(
            admission
                .count_run(&other, now + Duration::from_secs(61))
                .is_ok(),
            "a minute later"
        );
        drop(held);
        assert!(admission.connect(address).is_ok());
    }
}
