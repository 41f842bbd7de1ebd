//! Plain steps on the calling thread: a pool worker, a started thread, a worker process, the
//! main thread, or — for the blocking steps of a task — the loop itself. A plain function's
//! whole body is called here ([`Ctx::call`]) and run by [`exec`](super::exec).

use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use looplab_shared::model::{Expr, Function};
use looplab_shared::protocol::{BlockReason, EventKind, Lane, SubjectKind};
use looplab_shared::python::value::{self, Value};

use super::agents::Wait;
use super::cpu::{burn, cpu_step};
use super::exec::{Cx, Mode, blocking};
use super::gil::{Gil, Holder};
use super::interp::{Binding, Frame};
use super::latch::Latch;
use super::recorder::Recorder;
use super::resource::{ThreadLock, ThreadLocks};

/// What a body returns: its `return` value, or why it failed, for the learner.
pub(crate) type Returned = Result<Value, String>;

/// Reads a variable: the body's own, then the module's.
pub(crate) type Lookup<'a> = &'a dyn Fn(&str) -> Option<Value>;

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
    /// The process's `threading.Lock`s.
    pub(crate) locks: &'a ThreadLocks,
    /// Set when the subject is killed (a daemon abandoned at exit): it records nothing more.
    pub(crate) killed: Option<&'a AtomicBool>,
    /// Set when a started thread first blocks: its starter may go on.
    pub(crate) yielded: Option<&'a Latch>,
}

impl Holder for Ctx<'_> {
    fn subject(&self) -> u32 {
        self.subject
    }

    fn record(&self, kind: EventKind) {
        Ctx::record(self, kind);
    }
}

impl<'a> Ctx<'a> {
    /// Records `kind` for this subject, unless it has been killed.
    pub(crate) fn record(&self, kind: EventKind) {
        if self.is_killed() {
            return;
        }
        self.rec.record(self.subject, self.lane, kind);
    }

    pub(crate) fn is_killed(&self) -> bool {
        self.killed.is_some_and(|k| k.load(Ordering::Acquire))
    }

    fn scaled(&self, ms: u64) -> f64 {
        ms as f64 * self.scale
    }

    /// `print(...)`: the text with each field's value filled in.
    pub(crate) fn print(&self, text: &str, lookup: Lookup<'_>) -> Result<(), String> {
        let text = value::format(text, lookup).map_err(|e| e.to_string())?;
        self.record(EventKind::Print { text });
        Ok(())
    }

    /// The thread is about to block or to spin for the GIL: whoever waits for it to get
    /// this far may go on.
    fn yield_gil(&self) {
        if let Some(latch) = self.yielded {
            latch.set();
        }
    }

    /// `time.sleep()`: blocks this thread.
    pub(crate) fn blocking_sleep(&self, ms: u64) {
        let ms = self.scaled(ms);
        self.record(EventKind::Blocked {
            on: BlockReason::Sleep,
            ms,
            resource: None,
        });
        self.yield_gil();
        std::thread::sleep(Duration::from_secs_f64(ms / 1000.0));
        self.record(EventKind::Unblocked);
    }

    /// `burn_cpu()`: CPU work on this thread, under the GIL.
    pub(crate) fn cpu(&self, ms: u64) {
        let ms = self.scaled(ms);
        self.record(EventKind::Blocked {
            on: BlockReason::Cpu,
            ms,
            resource: None,
        });
        self.yield_gil();
        cpu_step(self, self.gil, ms, || ());
    }

    /// Evaluates `e`; a computation in it runs for the CPU time CPython would take, under the
    /// GIL, computing its value meanwhile.
    pub(crate) fn eval(&self, e: &Expr, lookup: Lookup<'_>) -> Result<Value, String> {
        if !e.computes() {
            return value::eval(e, lookup).map_err(|e| e.to_string());
        }
        let ms = value::cost_ns(e, lookup).map_err(|e| e.to_string())? / 1e6 * self.scale;
        self.record(EventKind::Blocked {
            on: BlockReason::Cpu,
            ms,
            resource: None,
        });
        self.yield_gil();
        let value = cpu_step(self, self.gil, ms, || value::eval(e, lookup));
        value.map_err(|e| e.to_string())
    }

    /// Runs a plain function called with `args` to its end, on this thread: its return
    /// value, `None` if it has none. Stops early, returning `None`, if the subject is killed.
    /// `globals` are the module's values when it was called.
    pub(crate) fn call(
        &self,
        f: &Function,
        args: &[Value],
        globals: &[(String, Value)],
    ) -> Returned {
        let mut frame = Frame(
            f.params
                .iter()
                .cloned()
                .zip(args.iter().cloned().map(Binding::Value))
                .collect(),
            Vec::new(),
        );
        let cx = Cx {
            ctx: *self,
            mode: Mode::Thread(globals),
        };
        blocking(cx.body(&mut frame, &f.steps))
            .map(|v| v.unwrap_or(Value::None))
            .map_err(|e| e.to_string())
    }

    /// `with lock:` on the `threading.Lock` called `name`: takes it, blocking this thread
    /// while another holds it; released when what is returned is dropped, however the block
    /// ends.
    pub(crate) fn acquire(&self, name: &str) -> Result<Held<'a>, String> {
        let (resource, lock) = self.locks.get(name)?;
        let agents = &self.locks.agents;
        if !lock.try_acquire() {
            self.record(EventKind::Blocked {
                on: BlockReason::Lock,
                ms: 0.0,
                resource: Some(resource),
            });
            agents.wait(self.subject, Wait::Place(resource));
            self.yield_gil();
            lock.acquire();
            self.record(EventKind::Unblocked);
        }
        agents.acquired(self.subject, resource);
        self.record(EventKind::Acquired { resource });
        Ok(Held {
            ctx: *self,
            resource,
            lock,
        })
    }

    pub(crate) fn par_cpu(&self, ms: u64, chunks: u32) {
        let ms = self.scaled(ms);
        self.record(EventKind::Blocked {
            on: BlockReason::ParCpu,
            ms,
            resource: None,
        });
        self.yield_gil();
        let per_chunk = ms / f64::from(chunks.max(1));
        let ids: Vec<u32> = (0..chunks)
            .map(|i| {
                let id = self.ids.fetch_add(1, Ordering::Relaxed);
                self.rec.record(
                    id,
                    self.lane,
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
                    let chunk = Ctx {
                        subject: id,
                        lane: Lane::Rayon { worker },
                        ..*self
                    };
                    chunk.record(EventKind::Started);
                    chunk.record(EventKind::Blocked {
                        on: BlockReason::Cpu,
                        ms: per_chunk,
                        resource: None,
                    });
                    // Chunks are native code: no GIL.
                    burn(&chunk, per_chunk);
                    chunk.record(EventKind::Finished);
                });
            }
        });
        self.record(EventKind::Unblocked);
    }
}

/// A `threading.Lock` held until this is dropped.
pub(crate) struct Held<'a> {
    ctx: Ctx<'a>,
    resource: u32,
    lock: Arc<ThreadLock>,
}

impl Drop for Held<'_> {
    /// Records the release before the lock is free: no other thread's `Acquired` can come
    /// before it.
    fn drop(&mut self) {
        self.ctx.record(EventKind::Released {
            resource: self.resource,
        });
        self.ctx
            .locks
            .agents
            .released(self.ctx.subject, self.resource);
        self.lock.release();
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
