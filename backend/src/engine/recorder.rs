//! Stamps events and writes them out as JSON lines without ever blocking the caller.
//!
//! Callers `try_send` into a bounded channel; a writer thread drains it into the process's
//! stdout. When the reader on the other end is slow, the pipe fills, the writer waits, the
//! channel fills, and further records are counted as lost: the measured code never waits.

use std::io::Write;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::mpsc::{Receiver, Sender, channel};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;

use looplab_shared::limits::MAX_EVENTS;
use looplab_shared::protocol::{EventKind, Lane};
use serde::Serialize;

use super::clock::{monotonic_ns, tid};
use super::pipe::{Record, RunnerOut, WorkerOut};

/// Records that may wait for the writer thread: as many as a run may have, so a burst (ten
/// thousand tasks starting at once) is queued, not lost, and the run's event cap is what
/// bounds it. The channel grows as it fills, so an idle run costs nothing for the room.
const CHANNEL: usize = MAX_EVENTS as usize;

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
    tx: Sender<Out>,
    queued: Arc<AtomicUsize>,
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

fn line(envelope: Envelope, record: Record) -> String {
    // Serialising the engine's own types cannot fail.
    match envelope {
        Envelope::Runner => serde_json::to_string(&RunnerOut::Record(record)),
        Envelope::Worker => serde_json::to_string(&WorkerOut::Record(record)),
    }
    .unwrap_or_default()
}

impl Recorder {
    /// A recorder writing lines in `envelope`'s format to stdout, timed from `epoch`
    /// (CLOCK_MONOTONIC ns).
    pub(crate) fn to_stdout(epoch: u64, envelope: Envelope) -> Self {
        let (tx, rx) = channel();
        let queued = Arc::new(AtomicUsize::new(0));
        let drained = Arc::clone(&queued);
        let writer = std::thread::Builder::new()
            .name("looplab-writer".into())
            .spawn(move || write_lines(rx, envelope, &drained))
            .ok();
        Self {
            inner: Arc::new(Inner {
                epoch,
                pid: std::process::id(),
                tx,
                lost: AtomicU64::new(0),
                closed: AtomicBool::new(false),
                writer: Mutex::new(writer),
                queued,
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
        self.forward(Record {
            t_ns: self.now_ns(),
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
        if self.inner.queued.fetch_add(1, Ordering::Relaxed) >= CHANNEL {
            self.inner.queued.fetch_sub(1, Ordering::Relaxed);
            self.inner.lost.fetch_add(1, Ordering::Relaxed);
            return;
        }
        // A closed channel means the writer is gone: nobody listens any more.
        let _ = self.inner.tx.send(Out::Record(record));
    }

    /// Records that did not fit.
    pub(crate) fn lost(&self) -> u64 {
        self.inner.lost.load(Ordering::Relaxed)
    }

    /// Writes a control line behind the records taken so far, waiting for room: control
    /// lines (a job's end, the run's end) must never be lost.
    pub(crate) fn send_control<T: Serialize>(&self, msg: &T) {
        let _ = self
            .inner
            .tx
            .send(Out::Line(serde_json::to_string(msg).unwrap_or_default()));
    }

    /// Stops taking records, writes `last` after everything already taken, and waits until
    /// all of it is out.
    pub(crate) fn finish<T: Serialize>(&self, last: Option<&T>) {
        self.inner.closed.store(true, Ordering::Release);
        if let Some(last) = last {
            self.send_control(last);
        }
        let _ = self.inner.tx.send(Out::End);
        if let Some(writer) = self.inner.writer.lock().ok().and_then(|mut w| w.take()) {
            let _ = writer.join();
        }
    }
}

fn write_lines(rx: Receiver<Out>, envelope: Envelope, queued: &AtomicUsize) {
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::with_capacity(64 * 1024, stdout.lock());
    loop {
        // Flush whenever the channel runs dry, so a live run's events go out at once.
        let next = match rx.try_recv() {
            Ok(next) => next,
            Err(_) => {
                if out.flush().is_err() {
                    return;
                }
                match rx.recv() {
                    Ok(next) => next,
                    Err(_) => return,
                }
            }
        };
        let text = match next {
            Out::Record(record) => {
                queued.fetch_sub(1, Ordering::Relaxed);
                line(envelope, record)
            }
            Out::Line(text) => text,
            Out::End => {
                let _ = out.flush();
                return;
            }
        };
        if writeln!(out, "{text}").is_err() {
            return;
        }
    }
}
