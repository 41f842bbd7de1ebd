//! Work off the loop: jobs submitted to a pool, threads and processes started and
//! joined.

use looplab_shared::plan::call_name;
use std::sync::{Arc, PoisonError};

use futures_util::FutureExt;
use looplab_shared::model::{Function, PoolKind, Start, StartKind, Step};
use looplab_shared::protocol::{BlockReason, EventKind, Lane, SubjectKind};
use looplab_shared::python::value::Value;
use tokio::sync::oneshot;

use super::agents::Wait;
use super::exc::Exc;
use super::interp::{Awaitable, Binding, Frame, Interp};
use super::pipe::JobSpec;
use super::pool::{Job, Pool};
use super::started::Unit;
use super::sync::Returned;

impl Interp {
    /// Records the subject blocked while `wait` runs, if `waits`: waiting for `subjects` to
    /// end, as far as the deadlock detector can tell (none: for work it cannot name).
    pub(crate) fn blocked(
        &self,
        subject: u32,
        lane: Lane,
        waits: bool,
        subjects: &[u32],
        wait: impl FnOnce(),
    ) {
        let agents = &self.env.agents;
        if waits && !subjects.is_empty() {
            agents.wait(subject, Wait::Subjects(subjects.to_vec()));
        }
        if waits {
            self.env.rec.record(
                subject,
                lane,
                EventKind::Blocked {
                    on: BlockReason::Join,
                    ms: 0.0,
                    resource: None,
                },
            );
        }
        wait();
        if waits {
            agents.go(subject);
            self.env.rec.record(subject, lane, EventKind::Unblocked);
        }
    }

    /// `name.join()`, blocking the thread that runs `subject`.
    pub(crate) fn join(
        &self,
        frame: &Frame,
        name: &str,
        subject: u32,
        lane: Lane,
    ) -> Result<(), String> {
        match self.binding(frame, name) {
            Some(Binding::Unit(unit)) => {
                let joined = [unit.subject()];
                self.blocked(subject, lane, !unit.is_done(), &joined, || unit.join());
                Ok(())
            }
            _ => Err(format!(
                "NameError: name '{name}' is not a thread or process"
            )),
        }
    }

    /// Starts a thread or process.
    pub(crate) fn start(
        &self,
        frame: &Frame,
        start: &Start,
        parent: u32,
    ) -> Result<Arc<Unit>, String> {
        let f = self
            .functions
            .get(&start.function)
            .cloned()
            .ok_or_else(|| format!("NameError: name '{}' is not defined", start.function))?;
        let args = self.eval_args(frame, &start.args)?;
        let id = self.env.next_id();
        let (lane, what) = match start.kind {
            StartKind::Thread => (Lane::Thread, SubjectKind::Thread),
            StartKind::Process => (Lane::Process, SubjectKind::Process),
        };
        self.env.rec.record(
            id,
            lane,
            EventKind::Created {
                name: call_name(&start.function, &args),
                what,
                parent,
            },
        );
        let globals = self.global_values();
        Ok(match start.kind {
            StartKind::Thread => self
                .started
                .thread(&self.env, id, f, args, globals, start.daemon),
            StartKind::Process => {
                let chunks = par_chunks(&f);
                let job = JobSpec {
                    subject: id,
                    lane,
                    function: Function::clone(&f),
                    args,
                    globals: globals.to_vec(),
                    first_chunk: if chunks > 0 {
                        self.env.reserve(chunks)
                    } else {
                        0
                    },
                    thread_locks: self.env.locks.indices(),
                };
                self.started.process(&self.env, job, start.daemon)
            }
        })
    }

    /// `loop.run_in_executor(pool, function, *args)`.
    pub(crate) fn submit(
        &self,
        frame: &Frame,
        pool: Option<&str>,
        function: &str,
        args: Vec<Value>,
        parent: u32,
    ) -> Result<Awaitable, String> {
        let pool = match pool {
            Some(name) => match self.binding(frame, name) {
                Some(Binding::Pool(p)) => p,
                _ => return Err(format!("NameError: name '{name}' is not an executor")),
            },
            None => self.default_pool(),
        };
        let f = self
            .functions
            .get(function)
            .cloned()
            .ok_or_else(|| format!("NameError: name '{function}' is not defined"))?;
        let id = self.env.next_id();
        self.env.rec.record(
            id,
            Lane::Loop,
            EventKind::Created {
                name: call_name(function, &args),
                what: SubjectKind::Job,
                parent,
            },
        );
        self.env.rec.record(id, Lane::Loop, EventKind::Queued);
        // A queued job counts as able to move: the pool may yet run it.
        self.env.agents.add(id);
        let (tx, rx) = oneshot::channel();
        pool.submit(Job {
            subject: id,
            chunks: par_chunks(&f),
            function: f,
            args,
            globals: self.global_values(),
            done: tx,
        });
        Ok(received(id, rx))
    }

    fn default_pool(&self) -> Arc<Pool> {
        let mut pool = self
            .default_pool
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        Arc::clone(pool.get_or_insert_with(|| {
            Pool::new(
                self.s.pools.len() as u32,
                PoolKind::Thread,
                PoolKind::Thread.default_workers(self.cores),
                Arc::clone(&self.env),
            )
        }))
    }

    /// The loop's default executor, which `asyncio.run` shuts down as it ends.
    pub(crate) fn take_default_pool(&self) -> Option<Arc<Pool>> {
        self.default_pool
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take()
    }
}

fn received(subject: u32, rx: oneshot::Receiver<Returned>) -> Awaitable {
    let result = rx.map(|r| {
        r.unwrap_or_else(|_| Err("the pool shut down".into()))
            .map_err(Exc::from)
    });
    Awaitable::new(subject, result)
}

/// Subject ids a function's `par_cpu` steps need.
pub(crate) fn par_chunks(f: &Function) -> u32 {
    let mut chunks = 0;
    for step in &f.steps {
        step.walk(&mut |s| {
            if let Step::ParCpu { chunks: n, .. } = s {
                chunks += n;
            }
        });
    }
    chunks
}
