//! Thread and process pools with `concurrent.futures` semantics: workers start on demand up
//! to `max_workers`, jobs beyond them wait in a FIFO queue, and a process pool whose worker
//! dies is broken: its running and queued jobs fail, as with `BrokenProcessPool`.

use std::collections::VecDeque;
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};
use std::thread::JoinHandle;

use looplab_shared::model::{Function, PoolKind};
use looplab_shared::protocol::{EventKind, Lane};
use looplab_shared::python::value::Value;
use tokio::sync::oneshot;

use super::env::Env;
use super::pipe::JobSpec;
use super::process::{JobEnd, WorkerProcess};

/// Why a job failed, for the learner.
pub(crate) type JobError = String;

/// A job on its way to a worker.
#[derive(Debug)]
pub(crate) struct Job {
    /// Its subject id.
    pub(crate) subject: u32,
    /// The function to call.
    pub(crate) function: Arc<Function>,
    /// Its arguments.
    pub(crate) args: Vec<Value>,
    /// The module's variables when it was submitted.
    pub(crate) globals: Arc<Vec<(String, Value)>>,
    /// Its `par_cpu` chunks, for reserving their ids.
    pub(crate) chunks: u32,
    /// Told when the job ends: what the function returned.
    pub(crate) done: oneshot::Sender<Result<Value, JobError>>,
}

/// One pool.
#[derive(Debug)]
pub(crate) struct Pool {
    index: u32,
    kind: PoolKind,
    max_workers: u32,
    env: Arc<Env>,
    state: Mutex<State>,
    wake: Condvar,
}

#[derive(Debug, Default)]
struct State {
    queue: VecDeque<Job>,
    workers: u32,
    idle: u32,
    closed: bool,
    broken: Option<JobError>,
    threads: Vec<JoinHandle<()>>,
}

impl Pool {
    /// A pool with no workers yet.
    pub(crate) fn new(index: u32, kind: PoolKind, max_workers: u32, env: Arc<Env>) -> Arc<Self> {
        Arc::new(Self {
            index,
            kind,
            max_workers,
            env,
            state: Mutex::new(State::default()),
            wake: Condvar::new(),
        })
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Queues `job`, starting a worker if none is idle and the pool may grow.
    pub(crate) fn submit(self: &Arc<Self>, job: Job) {
        let mut state = self.lock();
        if let Some(reason) = &state.broken {
            self.env.agents.end(job.subject, true);
            let _ = job.done.send(Err(reason.clone()));
            return;
        }
        state.queue.push_back(job);
        if state.idle == 0 && state.workers < self.max_workers {
            let worker = state.workers;
            state.workers += 1;
            let pool = Arc::clone(self);
            let spawned = std::thread::Builder::new()
                .name(format!("looplab-pool{}-{worker}", self.index))
                .spawn(move || pool.work(worker));
            match spawned {
                Ok(handle) => state.threads.push(handle),
                Err(_) => state.workers -= 1,
            }
        }
        drop(state);
        self.wake.notify_one();
    }

    /// Lets the workers finish the queue and exit; process workers' stdin closes.
    pub(crate) fn close(&self) {
        self.lock().closed = true;
        self.wake.notify_all();
    }

    /// `shutdown(wait=True)`: no more jobs; returns once every job given is done and every
    /// worker has exited.
    pub(crate) fn shutdown(&self) {
        self.close();
        let threads = std::mem::take(&mut self.lock().threads);
        for t in threads {
            let _ = t.join();
        }
    }

    /// Whether a job is queued or running: a shutdown would wait.
    pub(crate) fn busy(&self) -> bool {
        let state = self.lock();
        !state.queue.is_empty() || state.idle < state.workers
    }

    fn next_job(&self) -> Option<Job> {
        let mut state = self.lock();
        state.idle += 1;
        while state.queue.is_empty() && !state.closed && state.broken.is_none() {
            state = self
                .wake
                .wait(state)
                .unwrap_or_else(PoisonError::into_inner);
        }
        state.idle -= 1;
        if state.broken.is_some() {
            return None;
        }
        state.queue.pop_front()
    }

    fn work(self: Arc<Self>, worker: u32) {
        let lane = Lane::PoolWorker {
            pool: self.index,
            worker,
        };
        let mut process = match self.kind {
            PoolKind::Thread => None,
            PoolKind::Process => {
                match WorkerProcess::spawn(&self.env.rec, self.env.gil_on(), self.env.scale) {
                    Ok(p) => Some(p),
                    Err(e) => {
                        self.break_pool(format!("could not start a worker process: {e}"));
                        return;
                    }
                }
            }
        };
        while let Some(job) = self.next_job() {
            let result = match process.as_mut() {
                None => {
                    let ctx = self.env.ctx(job.subject, lane, None);
                    ctx.record(EventKind::Started);
                    let result = ctx.call(&job.function, &job.args, &job.globals);
                    ctx.record(match &result {
                        Ok(_) => EventKind::Finished,
                        Err(reason) => EventKind::Failed {
                            reason: reason.clone(),
                        },
                    });
                    result
                }
                Some(p) => {
                    let first_chunk = if job.chunks > 0 {
                        self.env.reserve(job.chunks)
                    } else {
                        0
                    };
                    let spec = JobSpec {
                        subject: job.subject,
                        lane,
                        function: Function::clone(&job.function),
                        args: job.args.clone(),
                        globals: job.globals.to_vec(),
                        first_chunk,
                        thread_locks: self.env.locks.indices(),
                    };
                    match p.run(&spec) {
                        JobEnd::Done(result) => result,
                        JobEnd::Died => {
                            let reason = format!(
                                "BrokenProcessPool: worker process {} of pool {} died mid-job",
                                p.pid(),
                                self.index
                            );
                            self.env.rec.record(
                                job.subject,
                                lane,
                                EventKind::Failed {
                                    reason: reason.clone(),
                                },
                            );
                            self.break_pool(reason.clone());
                            Err(reason)
                        }
                    }
                }
            };
            // Ended before its result is given, so whoever awaits it is never seen stuck.
            self.env.agents.end(job.subject, result.is_err());
            let _ = job.done.send(result);
        }
        if let Some(mut p) = process {
            p.close();
            p.wait();
        }
    }

    fn break_pool(&self, reason: JobError) {
        let mut state = self.lock();
        for job in state.queue.drain(..) {
            self.env.rec.record(
                job.subject,
                Lane::Loop,
                EventKind::Failed {
                    reason: reason.clone(),
                },
            );
            self.env.agents.end(job.subject, true);
            let _ = job.done.send(Err(reason.clone()));
        }
        state.broken = Some(reason);
        drop(state);
        self.wake.notify_all();
    }
}
