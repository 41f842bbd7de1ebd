//! Threads and processes the program starts, `join()`, and what becomes of them at exit, as
//! CPython does it: `threading._shutdown` joins the non-daemon threads while daemon threads
//! run on; `multiprocessing`'s exit handler terminates the daemon processes and joins the
//! others; daemon threads still running are abandoned when the interpreter finishes.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use looplab_shared::model::{Function, StartKind};
use looplab_shared::protocol::{EventKind, Lane};
use looplab_shared::python::value::Value;

use super::env::Env;
use super::latch::Latch;
use super::pipe::JobSpec;
use super::process::{JobEnd, WorkerProcess};

/// One started thread or process.
#[derive(Debug)]
pub(crate) struct Unit {
    subject: u32,
    kind: StartKind,
    daemon: bool,
    /// Set when it has ended, however.
    done: Arc<Latch>,
    /// A thread that is killed records nothing more and dies with the process.
    killed: Arc<AtomicBool>,
    /// A process's handle, for terminating and reaping it.
    process: Mutex<Option<WorkerProcess>>,
}

impl Unit {
    fn lane(&self) -> Lane {
        match self.kind {
            StartKind::Thread => Lane::Thread,
            StartKind::Process => Lane::Process,
        }
    }

    /// Its subject id.
    pub(crate) fn subject(&self) -> u32 {
        self.subject
    }

    /// `join()`: waits for it to end.
    pub(crate) fn join(&self) {
        self.done.wait();
        if let Some(p) = self.process_handle().as_mut() {
            p.wait();
        }
    }

    /// Whether it has ended.
    pub(crate) fn is_done(&self) -> bool {
        self.done.is_set()
    }

    fn process_handle(&self) -> MutexGuard<'_, Option<WorkerProcess>> {
        self.process.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Ends it where it stands and records so, unless it has ended already.
    fn kill(&self, env: &Env, terminate: bool) {
        if self.stop(env, terminate) {
            self.done.set();
        }
    }

    /// Kills it without waking who joins it: whether it was still running.
    fn stop(&self, env: &Env, terminate: bool) -> bool {
        if self.is_done() {
            return false;
        }
        match self.kind {
            StartKind::Thread => self.killed.store(true, Ordering::Release),
            StartKind::Process => {
                if let Some(p) = self.process_handle().as_mut() {
                    if terminate {
                        p.terminate();
                    } else {
                        p.kill();
                    }
                }
            }
        }
        env.rec.record(self.subject, self.lane(), EventKind::Killed);
        env.agents.end(self.subject, true);
        true
    }
}

/// Everything the program started, in the order it started them.
#[derive(Debug, Default)]
pub(crate) struct Started {
    units: Mutex<Vec<Arc<Unit>>>,
}

impl Started {
    fn units(&self) -> Vec<Arc<Unit>> {
        self.units
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    fn push(&self, unit: Arc<Unit>) -> Arc<Unit> {
        self.units
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(Arc::clone(&unit));
        unit
    }

    /// `threading.Thread(target=function, args=args).start()`: returns once the thread has
    /// run up to its first blocking call (or its end). `Thread.start()` waits for the thread
    /// to signal that it runs; the thread then holds the GIL, and the starter gets it back
    /// only when the thread blocks — so what the thread does first comes first.
    pub(crate) fn thread(
        &self,
        env: &Arc<Env>,
        subject: u32,
        function: Arc<Function>,
        args: Vec<Value>,
        globals: Arc<Vec<(String, Value)>>,
        daemon: bool,
    ) -> Arc<Unit> {
        let unit = self.push(Arc::new(Unit {
            subject,
            kind: StartKind::Thread,
            daemon,
            done: Arc::default(),
            killed: Arc::default(),
            process: Mutex::new(None),
        }));
        env.agents.add(subject);
        let yielded = Arc::new(Latch::default());
        let (env2, unit2, yielded2) = (Arc::clone(env), Arc::clone(&unit), Arc::clone(&yielded));
        let spawned = std::thread::Builder::new()
            .name(format!("looplab-thread-{subject}"))
            .spawn(move || {
                let ctx = super::sync::Ctx {
                    yielded: Some(&yielded2),
                    ..env2.ctx(subject, Lane::Thread, Some(&unit2.killed))
                };
                ctx.record(EventKind::Started);
                let result = ctx.call(&function, &args, &globals);
                env2.agents.end(subject, result.is_err());
                ctx.record(match result {
                    Ok(_) => EventKind::Finished,
                    Err(reason) => EventKind::Failed { reason },
                });
                yielded2.set();
                unit2.done.set();
            });
        match spawned {
            Ok(_) => yielded.wait(),
            Err(e) => {
                env.rec.record(
                    subject,
                    Lane::Thread,
                    EventKind::Failed {
                        reason: format!("RuntimeError: can't start new thread ({e})"),
                    },
                );
                env.agents.end(subject, true);
                unit.done.set();
            }
        }
        unit
    }

    /// `multiprocessing.Process(target=function, args=args).start()`: returns once the
    /// process exists; it runs the function and exits.
    pub(crate) fn process(&self, env: &Arc<Env>, job: JobSpec, daemon: bool) -> Arc<Unit> {
        let subject = job.subject;
        let unit = self.push(Arc::new(Unit {
            subject,
            kind: StartKind::Process,
            daemon,
            done: Arc::default(),
            killed: Arc::default(),
            process: Mutex::new(None),
        }));
        // A process counts as able to move until it ends: its own locks are its business.
        env.agents.add(subject);
        let mut process = match WorkerProcess::spawn(&env.rec, env.gil_on(), env.scale) {
            Ok(p) => p,
            Err(e) => {
                let reason = format!("OSError: could not start a process ({e})");
                env.rec
                    .record(subject, Lane::Process, EventKind::Failed { reason });
                env.agents.end(subject, true);
                unit.done.set();
                return unit;
            }
        };
        process.send(&job);
        // One job only: the process exits when it is done.
        process.close();
        let ends = process.ends();
        *unit.process_handle() = Some(process);
        let done = Arc::clone(&unit.done);
        let agents = Arc::clone(&env.agents);
        let waiter = std::thread::Builder::new()
            .name(format!("looplab-process-{subject}"))
            .spawn(move || {
                let end: Option<JobEnd> = ends.recv().ok();
                let failed = !matches!(end, Some(JobEnd::Done(Ok(_))));
                agents.end(subject, failed);
                done.set();
            });
        if waiter.is_err() {
            env.agents.end(subject, true);
            unit.done.set();
        }
        unit
    }

    /// The first half of exit, `threading._shutdown`: waits for the non-daemon threads.
    pub(crate) fn join_threads(&self) {
        for unit in self.units() {
            if unit.kind == StartKind::Thread && !unit.daemon {
                unit.join();
            }
        }
    }

    /// `multiprocessing`'s exit handler: terminates the daemon processes, then joins the
    /// others.
    pub(crate) fn end_processes(&self, env: &Env) {
        let units = self.units();
        for unit in units.iter().filter(|u| u.kind == StartKind::Process) {
            if unit.daemon {
                unit.kill(env, true);
            }
        }
        for unit in units.iter().filter(|u| u.kind == StartKind::Process) {
            if !unit.daemon {
                unit.join();
            }
        }
    }

    /// The interpreter finishes: daemon threads still running are abandoned.
    pub(crate) fn abandon_daemon_threads(&self, env: &Env) {
        for unit in self.units() {
            if unit.kind == StartKind::Thread && unit.daemon {
                unit.kill(env, false);
            }
        }
    }

    /// The non-daemon threads and processes still running, which exit joins.
    pub(crate) fn exit_joins(&self) -> Vec<u32> {
        (self.units().iter())
            .filter(|u| !u.daemon && !u.is_done())
            .map(|u| u.subject)
            .collect()
    }

    /// The run is cut short: everything is killed where it stands. Who joins them stays
    /// blocked until the runner exits: a joiner woken now would run on and print what the
    /// program, stuck or stopped, never prints.
    pub(crate) fn kill_all(&self, env: &Env) {
        for unit in self.units() {
            unit.stop(env, false);
        }
    }
}
