//! Stamps and collects events without ever blocking the loop.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use looplab_shared::protocol::{EventKind, Lane};
use tokio::sync::mpsc;

use super::run::RunOutput;

/// One event as the engine records it. [`crate::wire`] turns it into a protocol message.
#[derive(Debug, Clone, PartialEq)]
pub struct Record {
    /// Nanoseconds since the run began, from a monotonic clock.
    pub t_ns: u64,
    /// 0 is `main`; `n` is the scenario's `tasks[n - 1]`.
    pub task: u32,
    /// Where it happened.
    pub lane: Lane,
    /// What happened.
    pub kind: EventKind,
}

/// Shared by every task of a run; cheap to clone.
#[derive(Debug, Clone)]
pub(super) struct Recorder {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    epoch: Instant,
    lane: Lane,
    tx: mpsc::Sender<RunOutput>,
    lost: AtomicU64,
}

impl Recorder {
    /// `lane` is where every event of this recorder happens: the calling thread.
    pub(super) fn new(epoch: Instant, tx: mpsc::Sender<RunOutput>) -> Self {
        let lane = Lane::Loop {
            pid: std::process::id(),
            tid: current_tid(),
        };
        Self {
            inner: Arc::new(Inner {
                epoch,
                lane,
                tx,
                lost: AtomicU64::new(0),
            }),
        }
    }

    pub(super) fn record(&self, task: u32, kind: EventKind) {
        let record = Record {
            t_ns: self.now_ns(),
            task,
            lane: self.inner.lane,
            kind,
        };
        // A closed channel means nobody listens any more: nothing to count.
        if let Err(mpsc::error::TrySendError::Full(_)) =
            self.inner.tx.try_send(RunOutput::Record(record))
        {
            self.inner.lost.fetch_add(1, Ordering::Relaxed);
        }
    }

    pub(super) fn now_ns(&self) -> u64 {
        u64::try_from(self.inner.epoch.elapsed().as_nanos()).unwrap_or(u64::MAX)
    }

    pub(super) fn lost(&self) -> u64 {
        self.inner.lost.load(Ordering::Relaxed)
    }
}

fn current_tid() -> u64 {
    // SAFETY: gettid has no preconditions and cannot fail.
    let tid = unsafe { libc::gettid() };
    u64::try_from(tid).unwrap_or_default()
}
