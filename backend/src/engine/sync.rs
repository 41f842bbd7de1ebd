//! Runs a plain function's steps on the calling thread: a pool worker, a started thread, a
//! worker process, or — for the blocking steps of a task — the loop itself.

use std::sync::OnceLock;
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::time::Duration;

use looplab_shared::model::{Step, with_arg};
use looplab_shared::protocol::{BlockReason, EventKind, Lane, SubjectKind};

use super::cpu::burn;
use super::gil::Gil;
use super::recorder::Recorder;

/// Who runs, where, and with what.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Ctx<'a> {
    /// Where events go.
    pub(crate) rec: &'a Recorder,
    /// Who runs.
    pub(crate) subject: u32,
    /// On which lane.
    pub(crate) lane: Lane,
    /// The process's GIL, when it is on.
    pub(crate) gil: Option<&'a Gil>,
    /// Multiplies every duration.
    pub(crate) scale: f64,
    /// Hands out subject ids for `par_cpu` chunks.
    pub(crate) ids: &'a AtomicU32,
    /// Set when the subject is killed (a daemon at main's exit): it records nothing more.
    pub(crate) killed: Option<&'a AtomicBool>,
}

impl Ctx<'_> {
    /// Records `kind` for this subject, unless it has been killed.
    pub(crate) fn record(&self, kind: EventKind) {
        if self.killed.is_some_and(|k| k.load(Ordering::Acquire)) {
            return;
        }
        self.rec.record(self.subject, self.lane, kind);
    }

    fn scaled(&self, ms: u64) -> f64 {
        ms as f64 * self.scale
    }

    /// Runs one blocking step (`sleep` in a function is `time.sleep`). Steps that need a loop
    /// never get here: validation keeps them out of functions.
    pub(crate) fn blocking_step(&self, step: &Step, arg: &str) {
        match step {
            Step::Print { text } => self.record(EventKind::Print {
                text: with_arg(text, arg),
            }),
            Step::Sleep { ms } | Step::BlockingSleep { ms } => {
                let ms = self.scaled(*ms);
                self.record(EventKind::Blocked {
                    on: BlockReason::Sleep,
                    ms,
                });
                std::thread::sleep(Duration::from_secs_f64(ms / 1000.0));
                self.record(EventKind::Unblocked);
            }
            Step::Cpu { ms } => {
                let ms = self.scaled(*ms);
                self.record(EventKind::Blocked {
                    on: BlockReason::Cpu,
                    ms,
                });
                burn(self, ms);
                self.record(EventKind::Unblocked);
            }
            Step::ParCpu { ms, chunks } => {
                let ms = self.scaled(*ms);
                self.record(EventKind::Blocked {
                    on: BlockReason::ParCpu,
                    ms,
                });
                self.par_cpu(ms, *chunks);
                self.record(EventKind::Unblocked);
            }
            Step::Spawn { .. }
            | Step::Gather { .. }
            | Step::StartThread { .. }
            | Step::StartProcess { .. } => {}
        }
    }

    /// Runs a function's steps, stopping early if the subject is killed.
    pub(crate) fn run(&self, steps: &[Step], arg: &str) {
        for step in steps {
            if self.killed.is_some_and(|k| k.load(Ordering::Acquire)) {
                return;
            }
            self.blocking_step(step, arg);
        }
    }

    fn par_cpu(&self, ms: f64, chunks: u32) {
        let per_chunk = ms / f64::from(chunks.max(1));
        let ids: Vec<u32> = (0..chunks)
            .map(|i| {
                let id = self.ids.fetch_add(1, Ordering::Relaxed);
                self.record_for(
                    id,
                    EventKind::Created {
                        name: format!("chunk {}", i + 1),
                        what: SubjectKind::Chunk,
                        parent: self.subject,
                    },
                );
                id
            })
            .collect();
        rayon_pool().scope(|scope| {
            for id in ids {
                scope.spawn(move |_| {
                    let worker = rayon::current_thread_index().unwrap_or_default() as u32;
                    // Chunks are native code: no GIL.
                    let chunk = Ctx {
                        subject: id,
                        lane: Lane::Rayon { worker },
                        gil: None,
                        ..*self
                    };
                    chunk.record(EventKind::Started);
                    burn(&chunk, per_chunk);
                    chunk.record(EventKind::Finished);
                });
            }
        });
    }

    fn record_for(&self, subject: u32, kind: EventKind) {
        self.rec.record(subject, self.lane, kind);
    }
}

/// The process's rayon pool, one thread per core, started on first use.
fn rayon_pool() -> &'static rayon::ThreadPool {
    static POOL: OnceLock<rayon::ThreadPool> = OnceLock::new();
    POOL.get_or_init(|| {
        rayon::ThreadPoolBuilder::new()
            .thread_name(|i| format!("looplab-rayon-{i}"))
            .build()
            .unwrap_or_else(|_| {
                // A pool of one still computes; a machine that cannot start threads would
                // have failed long before this.
                rayon::ThreadPoolBuilder::new()
                    .num_threads(1)
                    .build()
                    .expect("one rayon thread")
            })
    })
}
