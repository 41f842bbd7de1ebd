//! Stamps events and writes them out as JSON lines without ever blocking the caller.
//!
//! Callers push records onto a bounded queue; a writer thread takes the whole queue at a time,
//! serialises it and writes it to the process's stdout. When the reader on the other end is
//! slow, the pipe fills, the writer waits, the queue fills, and further records are counted
//! as lost: the measured code never waits.
//!
//! The queue is a vector under a mutex rather than a channel: a burst of records costs one
//! wake-up of the writer, not one each, and the writer's turns grow with the burst.

use std::collections::HashMap;
use std::io::Write;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};
use std::thread::JoinHandle;

use looplab_shared::limits::MAX_EVENTS;
use looplab_shared::protocol::{EventKind, Lane, SubjectKind};
use serde::Serialize;

use super::clock::{monotonic_ns, tid};
use super::pipe::{Record, RunnerOut, WorkerOut};

/// Records that may wait for the writer thread: as many as a run may have, so a burst (ten
/// thousand tasks starting at once) is queued, not lost, and the run's event cap is what
/// bounds it. The queue grows as it fills, so an idle run costs nothing for the room.
const QUEUE: usize = MAX_EVENTS as usize;

/// What the writer thread writes: records are serialised there, off the measured threads.
enum Out {
    Record(Record),
    Line(String),
    End,
}

/// Records events of one process. Cheap to clone.
#[derive(Clone)]
pub(crate) struct Recorder {
    inner: Arc<Inner>,
}

impl std::fmt::Debug for Recorder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Recorder")
            .field("epoch", &self.inner.epoch)
            .finish()
    }
}

struct Inner {
    epoch: u64,
    pid: u32,
    queue: Arc<Queue>,
    lost: AtomicU64,
    closed: AtomicBool,
    writer: Mutex<Option<JoinHandle<()>>>,
}

/// Which pipe format the lines take.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Envelope {
    /// The runner's stdout: [`RunnerOut`].
    Runner,
    /// A worker's stdout: [`WorkerOut`].
    Worker,
}

impl Recorder {
    /// A recorder writing lines in `envelope`'s format to stdout, timed from `epoch`
    /// (CLOCK_MONOTONIC ns).
    pub(crate) fn to_stdout(epoch: u64, envelope: Envelope) -> Self {
        let queue = Arc::new(Queue::default());
        let drained = Arc::clone(&queue);
        let writer = std::thread::Builder::new()
            .name("looplab-writer".into())
            .spawn(move || write_lines(&drained, envelope))
            .ok();
        Self {
            inner: Arc::new(Inner {
                epoch,
                pid: std::process::id(),
                queue,
                lost: AtomicU64::new(0),
                closed: AtomicBool::new(false),
                writer: Mutex::new(writer),
            }),
        }
    }

    /// Nanoseconds since the run's epoch.
    pub(crate) fn now_ns(&self) -> u64 {
        monotonic_ns().saturating_sub(self.inner.epoch)
    }

    /// The run's epoch.
    pub(crate) fn epoch(&self) -> u64 {
        self.inner.epoch
    }

    /// Records `kind` for `subject` on `lane`, stamped now on the calling thread.
    pub(crate) fn record(&self, subject: u32, lane: Lane, kind: EventKind) {
        self.record_at(self.now_ns(), subject, lane, kind);
    }

    /// Records `kind` for `subject` on `lane`, stamped `t_ns`: something that happened
    /// before this thread could notice it (a request that reached the socket while the loop
    /// was busy).
    pub(crate) fn record_at(&self, t_ns: u64, subject: u32, lane: Lane, kind: EventKind) {
        self.forward(Record {
            t_ns,
            subject,
            pid: self.inner.pid,
            tid: tid(),
            lane,
            kind,
        });
    }

    /// Passes on a record made elsewhere (by a worker process).
    pub(crate) fn forward(&self, record: Record) {
        if self.inner.closed.load(Ordering::Acquire) {
            return;
        }
        if !self.inner.queue.push(Out::Record(record), Some(QUEUE)) {
            self.inner.lost.fetch_add(1, Ordering::Relaxed);
        }
    }

    /// Ends every subject still open, the run being cut short: tasks and main are
    /// cancelled; threads, processes, jobs and chunks are killed with their process.
    pub(crate) fn end_open(&self) {
        let open: Vec<(u32, SubjectKind)> = {
            let mut pending = self.inner.queue.lock();
            let mut open: Vec<_> = pending.open.drain().collect();
            open.sort_unstable_by_key(|(subject, _)| *subject);
            open
        };
        for (subject, what) in open {
            let kind = match what {
                SubjectKind::Main | SubjectKind::Task | SubjectKind::Request => {
                    EventKind::Cancelled
                }
                SubjectKind::Job
                | SubjectKind::Thread
                | SubjectKind::Process
                | SubjectKind::Chunk => EventKind::Killed,
            };
            self.record(subject, Lane::Loop, kind);
        }
    }

    /// Records that did not fit.
    pub(crate) fn lost(&self) -> u64 {
        self.inner.lost.load(Ordering::Relaxed)
    }

    /// Writes a control line behind the records taken so far, waiting for room: control
    /// lines (a job's end, the run's end) must never be lost.
    pub(crate) fn send_control<T: Serialize>(&self, msg: &T) {
        let line = serde_json::to_string(msg).unwrap_or_default();
        self.inner.queue.push(Out::Line(line), None);
    }

    /// Stops taking records, writes `last` after everything already taken, and waits until
    /// all of it is out.
    pub(crate) fn finish<T: Serialize>(&self, last: Option<&T>) {
        self.inner.closed.store(true, Ordering::Release);
        if let Some(last) = last {
            self.send_control(last);
        }
        self.inner.queue.push(Out::End, None);
        if let Some(writer) = self.inner.writer.lock().ok().and_then(|mut w| w.take()) {
            let _ = writer.join();
        }
    }
}

/// Records waiting for the writer, and whether it sleeps until there are some.
#[derive(Default)]
struct Queue {
    pending: Mutex<Pending>,
    ready: Condvar,
}

#[derive(Default)]
struct Pending {
    items: Vec<Out>,
    writer_asleep: bool,
    /// Subjects created and not ended yet, with what they are: a run cut short ends each.
    open: HashMap<u32, SubjectKind>,
}

impl Pending {
    fn track(&mut self, record: &Record) {
        match &record.kind {
            EventKind::Created { what, .. } => {
                self.open.insert(record.subject, *what);
            }
            EventKind::Finished
            | EventKind::Failed { .. }
            | EventKind::Cancelled
            | EventKind::Killed => {
                self.open.remove(&record.subject);
            }
            EventKind::Queued
            | EventKind::Started
            | EventKind::Print { .. }
            | EventKind::Suspended { .. }
            | EventKind::Resumed
            | EventKind::Blocked { .. }
            | EventKind::Unblocked
            | EventKind::GilWait
            | EventKind::GilAcquire
            | EventKind::GilRelease
            | EventKind::Responded { .. }
            | EventKind::Acquired { .. }
            | EventKind::Released { .. }
            | EventKind::Put { .. }
            | EventKind::Got { .. }
            | EventKind::Set { .. }
            | EventKind::LoopLag { .. } => {}
        }
    }
}

impl Queue {
    fn lock(&self) -> MutexGuard<'_, Pending> {
        // A panicking recorder leaves a consistent vector behind: keep using it.
        self.pending.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Adds `out` unless `bound` items are already waiting; wakes the writer only if it sleeps.
    fn push(&self, out: Out, bound: Option<usize>) -> bool {
        let mut pending = self.lock();
        if let Out::Record(record) = &out {
            pending.track(record);
        }
        if bound.is_some_and(|bound| pending.items.len() >= bound) {
            return false;
        }
        pending.items.push(out);
        if std::mem::take(&mut pending.writer_asleep) {
            drop(pending);
            self.ready.notify_one();
        }
        true
    }

    /// Moves everything waiting into `batch`, sleeping until something is.
    fn take(&self, batch: &mut Vec<Out>) {
        let mut pending = self.lock();
        while pending.items.is_empty() {
            pending.writer_asleep = true;
            pending = self
                .ready
                .wait(pending)
                .unwrap_or_else(PoisonError::into_inner);
        }
        std::mem::swap(&mut pending.items, batch);
    }
}

fn write_lines(queue: &Queue, envelope: Envelope) {
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::with_capacity(64 * 1024, stdout.lock());
    let mut batch = Vec::new();
    loop {
        queue.take(&mut batch);
        for next in batch.drain(..) {
            let written = match next {
                Out::Record(record) => write_record(&mut out, envelope, record),
                Out::Line(text) => writeln!(out, "{text}"),
                Out::End => {
                    let _ = out.flush();
                    return;
                }
            };
            if written.is_err() {
                return;
            }
        }
        // Flush after every turn, so a live run's events go out at once.
        if out.flush().is_err() {
            return;
        }
    }
}

fn write_record(out: &mut impl Write, envelope: Envelope, record: Record) -> std::io::Result<()> {
    // Serialising the engine's own types cannot fail but for the writer's own errors.
    match envelope {
        Envelope::Runner => serde_json::to_writer(&mut *out, &RunnerOut::Record(record)),
        Envelope::Worker => serde_json::to_writer(&mut *out, &WorkerOut::Record(record)),
    }
    .map_err(std::io::Error::other)?;
    out.write_all(b"\n")
}
