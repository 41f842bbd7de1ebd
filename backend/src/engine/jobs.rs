//! Jobs, threads and processes from the loop or a thread: `submit` and `run_in_executor`
//! on a pool (the loop's default executor made on first use), threads and processes started
//! and joined, and what a gather or an await waits for.

use std::sync::{Arc, PoisonError};

use looplab_shared::model::{Call, Function, PoolKind, Start, StartKind};
use looplab_shared::protocol::{EventKind, Lane, SubjectKind};
use looplab_shared::python::value::Value;
use tokio::sync::oneshot;

use super::interp::{Awaitable, Binding, Frame, Interp, par_chunks, received};
use super::pipe::JobSpec;
use super::pool::{Job, Pool};
use super::started::Unit;
use super::sync::Returned;

impl Interp {
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
                self.blocked(subject, lane, !unit.is_done(), || unit.join());
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
                name: Self::display(&start.function, &args),
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
                };
                self.started.process(&self.env, job, start.daemon)
            }
        })
    }

    /// What a gather or an await waits for, each started now.
    pub(crate) fn awaitables(
        self: &Arc<Self>,
        frame: &Frame,
        calls: &[Call],
        subject: u32,
    ) -> Result<Vec<Awaitable>, String> {
        let mut waits = Vec::with_capacity(calls.iter().map(|c| c.times() as usize).sum());
        for call in calls {
            match call {
                Call::Task { task, args, times } => {
                    let args = self.eval_args(frame, args)?;
                    for _ in 0..*times {
                        waits.push(self.spawn_task(task, args.clone(), subject, None));
                    }
                }
                Call::Executor {
                    pool,
                    function,
                    args,
                    times,
                } => {
                    let args = self.eval_args(frame, args)?;
                    for _ in 0..*times {
                        let rx =
                            self.submit(frame, pool.as_deref(), function, args.clone(), subject)?;
                        waits.push(received(rx));
                    }
                }
                Call::Handle { name } => match self.binding(frame, name) {
                    Some(Binding::Awaitable(a, _)) => waits.push(a),
                    _ => return Err(format!("NameError: name '{name}' is not a task or future")),
                },
            }
        }
        Ok(waits)
    }

    /// `loop.run_in_executor(pool, function, *args)`.
    pub(crate) fn submit(
        &self,
        frame: &Frame,
        pool: Option<&str>,
        function: &str,
        args: Vec<Value>,
        parent: u32,
    ) -> Result<oneshot::Receiver<Returned>, String> {
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
                name: Self::display(function, &args),
                what: SubjectKind::Job,
                parent,
            },
        );
        self.env.rec.record(id, Lane::Loop, EventKind::Queued);
        let (tx, rx) = oneshot::channel();
        pool.submit(Job {
            subject: id,
            chunks: par_chunks(&f),
            function: f,
            args,
            globals: self.global_values(),
            done: tx,
        });
        Ok(rx)
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
