//! Who may run, and when: admission by what a run needs, a bounded queue in arrival order
//! whose places the waiting clients are told, and per-address caps on connections and on runs
//! per minute. Over any cap a client is refused at once with the cap's name, never made to
//! wait on a slow server.
//!
//! A core is [`LIGHT_RUNS_PER_CORE`] shares. A run that only waits (sleeps, I/O, joins: most
//! lessons) takes one share; a run that computes takes every share of the cores it can keep
//! busy ([`Plan::cores_busy`]), so nothing else runs on them and its timings stay true. A
//! class pressing Run together on the gather lesson starts at once instead of queueing
//! behind one run a core; a run that computes waits until its cores are free, and the runs
//! behind it wait for it (the queue is fair), so it is never starved.
//!
//! [`Plan::cores_busy`]: looplab_shared::plan::Plan::cores_busy

use std::collections::{BTreeSet, HashMap, VecDeque};
use std::net::IpAddr;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use looplab_shared::limits::{
    LIGHT_RUNS_PER_CORE, MAX_CONNECTIONS_PER_ADDRESS, MAX_QUEUED_RUNS,
    MAX_RUNS_PER_MINUTE_PER_ADDRESS,
};
use looplab_shared::model::Scenario;
use looplab_shared::plan::plan;
use tokio::sync::{OwnedSemaphorePermit, Semaphore, watch};

/// CPU a run spends on each task, job, thread, process or request it creates, all told: the
/// runner creating and recording it, the server forwarding its events. Measured: the
/// 10,000-task gather costs `looplab run` 0.23 s of CPU, 23 µs a task.
const INSTANCE_CPU_NS: f64 = 20_000.0;

/// What a run needs of the machine while it runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Need {
    /// It computes nothing: it waits, and shares a core with other such runs. Its own
    /// bookkeeping keeps this many thousandths of a core busy, on average over its length
    /// (a 2 s gather of two tasks: 0; ten thousand 10 ms tasks: a core and more).
    Waits(u32),
    /// It keeps up to this many cores busy at once, and has them to itself.
    Cores(u32),
}

impl Need {
    /// What `scenario` needs on a machine of `cores` cores, from its plan. A scenario whose
    /// plan fails is refused by validation before it gets here; count it as a whole machine.
    pub fn of(scenario: &Scenario, cores: u32) -> Self {
        match plan(scenario, cores) {
            Ok(p) if p.cores_busy == 0 => {
                let busy = p.instances as f64 * INSTANCE_CPU_NS / (p.ideal_ms.max(1.0) * 1e6);
                Need::Waits((busy * 1000.0).ceil().min(f64::from(u32::MAX)) as u32)
            }
            Ok(p) => Need::Cores(p.cores_busy),
            Err(_) => Need::Cores(cores),
        }
    }
}

/// How much runs may use at once, and how much of it one address may take.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Capacity {
    /// Cores given to runs.
    pub cores: u32,
    /// Runs that only wait admitted at once a core.
    pub light_per_core: u32,
    /// Connections one address may hold at once.
    pub connections_per_address: usize,
    /// Runs one address may start in a minute.
    pub runs_per_minute_per_address: usize,
}

impl Capacity {
    /// `cores`, [`LIGHT_RUNS_PER_CORE`] runs that only wait a core, and the per-address caps
    /// [`MAX_CONNECTIONS_PER_ADDRESS`] and [`MAX_RUNS_PER_MINUTE_PER_ADDRESS`].
    pub fn of_cores(cores: u32) -> Self {
        Self {
            cores,
            light_per_core: LIGHT_RUNS_PER_CORE,
            connections_per_address: MAX_CONNECTIONS_PER_ADDRESS,
            runs_per_minute_per_address: MAX_RUNS_PER_MINUTE_PER_ADDRESS,
        }
    }

    /// Shares in all: a core is `light_per_core` of them.
    pub fn shares(self) -> u32 {
        self.cores.saturating_mul(self.light_per_core)
    }

    /// As this capacity, with the per-address caps `caps`.
    pub fn with_caps(self, caps: AddressCaps) -> Self {
        Self {
            connections_per_address: caps.max_connections_per_address as usize,
            runs_per_minute_per_address: caps.max_runs_per_minute_per_address as usize,
            ..self
        }
    }
}

/// The per-address caps as the server's flags set them. Each server counts its own: behind
/// a balancer, an address may hold the cap on every replica.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::Args)]
pub struct AddressCaps {
    /// WebSocket connections one client address may hold at once (per server: replicas
    /// behind a balancer each count their own).
    #[arg(
        long,
        env = "LOOPLAB_MAX_CONNECTIONS_PER_ADDRESS",
        default_value_t = MAX_CONNECTIONS_PER_ADDRESS as u32,
        value_parser = clap::value_parser!(u32).range(1..)
    )]
    pub max_connections_per_address: u32,
    /// Runs one client address may start in a minute (per server).
    #[arg(
        long,
        env = "LOOPLAB_MAX_RUNS_PER_MINUTE_PER_ADDRESS",
        default_value_t = MAX_RUNS_PER_MINUTE_PER_ADDRESS as u32,
        value_parser = clap::value_parser!(u32).range(1..)
    )]
    pub max_runs_per_minute_per_address: u32,
}

/// A run's admission: dropping it gives back what the run held.
#[derive(Debug)]
pub struct Slot {
    _held: OwnedSemaphorePermit,
}

/// A place in the queue. Dropping it leaves the queue.
#[derive(Debug)]
pub struct Ticket {
    number: u64,
    need: Need,
    admission: Arc<Admission>,
}

/// What runs may use, and the queue in front of it.
#[derive(Debug)]
pub struct Admission {
    capacity: Capacity,
    shares: Arc<Semaphore>,
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
    /// The address holds as many connections as it may (the cap, by default
    /// [`MAX_CONNECTIONS_PER_ADDRESS`]).
    #[error(
        "too many connections from your address: at most {0} (MAX_CONNECTIONS_PER_ADDRESS, or the server's --max-connections-per-address)"
    )]
    Connections(usize),
    /// The address started as many runs in the last minute as it may (the cap, by default
    /// [`MAX_RUNS_PER_MINUTE_PER_ADDRESS`]).
    #[error(
        "too many runs from your address: at most {0} a minute (MAX_RUNS_PER_MINUTE_PER_ADDRESS, or the server's --max-runs-per-minute-per-address)"
    )]
    Runs(usize),
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
    /// Runs admitted within `capacity`.
    pub fn new(capacity: Capacity) -> Arc<Self> {
        let capacity = Capacity {
            cores: capacity.cores.max(1),
            light_per_core: capacity.light_per_core.max(1),
            ..capacity
        };
        Arc::new(Self {
            capacity,
            shares: Arc::new(Semaphore::new(capacity.shares() as usize)),
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
        let cap = self.capacity.connections_per_address;
        if usage.connections >= cap {
            return Err(Refusal::Connections(cap));
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
        self.count_runs(connection, now, 1)
    }

    /// Counts `n` runs (a repeat's) from `connection`'s address against its cap: all of
    /// them, or none when they do not all fit in the minute's.
    pub fn count_runs(&self, connection: &Connection, now: Instant, n: u32) -> Result<(), Refusal> {
        let mut addresses = lock(&self.addresses);
        let usage = addresses.entry(connection.address).or_default();
        while usage
            .runs
            .front()
            .is_some_and(|t| now.duration_since(*t) >= Duration::from_secs(60))
        {
            usage.runs.pop_front();
        }
        let cap = self.capacity.runs_per_minute_per_address;
        if usage.runs.len() + n as usize > cap {
            return Err(Refusal::Runs(cap));
        }
        usage.runs.extend(std::iter::repeat_n(now, n as usize));
        Ok(())
    }

    /// The shares a run of `need` takes: never more than there are (a run wanting more
    /// cores than are offered gets them all), and a run that waits at most a core.
    fn shares(&self, need: Need) -> u32 {
        let per_core = self.capacity.light_per_core;
        match need {
            Need::Waits(thousandths) => {
                let shares = u64::from(thousandths) * u64::from(per_core);
                u32::try_from(shares.div_ceil(1000)).map_or(per_core, |n| n.clamp(1, per_core))
            }
            Need::Cores(n) => n.clamp(1, self.capacity.cores) * per_core,
        }
    }

    /// A slot at once for a run of `need`, if what it needs is free and nobody waits.
    pub fn try_slot(&self, need: Need) -> Option<Slot> {
        if !lock(&self.queue).waiting.is_empty() {
            return None;
        }
        let shares = Arc::clone(&self.shares);
        let held = shares.try_acquire_many_owned(self.shares(need)).ok()?;
        Some(Slot { _held: held })
    }

    /// Joins the queue for a run of `need`, or refuses when it is full.
    pub fn enqueue(self: &Arc<Self>, need: Need) -> Result<Ticket, Refusal> {
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
            need,
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

    /// What runs may use at once.
    pub fn capacity(&self) -> Capacity {
        self.capacity
    }

    /// Runs waiting in the queue now.
    pub fn queue_len(&self) -> usize {
        lock(&self.queue).waiting.len()
    }

    /// Whether the queue is full: a run that cannot start at once is refused.
    pub fn queue_full(&self) -> bool {
        self.queue_len() >= MAX_QUEUED_RUNS
    }

    /// Connections open now, all addresses together.
    pub fn open_connections(&self) -> usize {
        *self.open.borrow()
    }

    /// Shares free now, of [`LIGHT_RUNS_PER_CORE`] (or the capacity's) a core.
    pub fn free_shares(&self) -> u32 {
        u32::try_from(self.shares.available_permits()).unwrap_or(u32::MAX)
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
    /// served in order: the semaphore is fair (a run wanting two cores is not overtaken by
    /// runs wanting less), and each asks as soon as it is issued.
    pub fn slot(&self) -> impl std::future::Future<Output = Slot> + Send + 'static {
        let semaphore = Arc::clone(&self.admission.shares);
        let n = self.admission.shares(self.need);
        // The semaphore is never closed, so acquiring cannot fail.
        async move {
            let held = semaphore.acquire_many_owned(n).await;
            Slot {
                _held: held.expect("run slots are never closed"),
            }
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
mod tests;
