//! Threads and processes that `main` starts, and what happens to them when main's steps end:
//! daemon ones are killed where they stand (threads die with the process, processes get
//! SIGKILL), then non-daemon ones are joined — as Python's exit does.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::JoinHandle;

use looplab_shared::model::Step;
use looplab_shared::protocol::{EventKind, Lane, SubjectKind, WaitReason};

use super::pipe::JobSpec;
use super::process::WorkerProcess;
use super::runner::{Run, par_chunks};

/// A thread or process `main` started.
#[derive(Debug)]
pub(super) struct Started {
    subject: u32,
    daemon: bool,
    what: What,
}

#[derive(Debug)]
enum What {
    Thread {
        handle: JoinHandle<()>,
        killed: Arc<AtomicBool>,
        done: Arc<AtomicBool>,
    },
    Process(WorkerProcess),
}

impl Started {
    fn lane(&self) -> Lane {
        match self.what {
            What::Thread { .. } => Lane::Thread,
            What::Process(_) => Lane::Process,
        }
    }

    /// Kills it where it stands, unless it is already done.
    fn kill(self, run: &Run) {
        let lane = self.lane();
        match self.what {
            What::Thread { killed, done, .. } => {
                if !done.load(Ordering::Acquire) {
                    // The thread itself dies with the process; from now on it records nothing.
                    killed.store(true, Ordering::Release);
                    run.env.rec.record(self.subject, lane, EventKind::Killed);
                }
            }
            What::Process(mut p) => {
                p.kill();
                run.env.rec.record(self.subject, lane, EventKind::Killed);
            }
        }
    }

    /// Waits for it to end.
    fn join(self) {
        match self.what {
            What::Thread { handle, .. } => {
                let _ = handle.join();
            }
            What::Process(mut p) => {
                let _ = p.wait_job();
                p.wait();
            }
        }
    }
}

impl Run {
    /// Announces a job, thread or process about to start; returns its id and its function's
    /// steps.
    pub(super) fn announce(
        &self,
        function: &str,
        arg: &str,
        parent: u32,
        lane: Lane,
        what: SubjectKind,
    ) -> (u32, Arc<Vec<Step>>) {
        let id = self.env.next_id();
        let name = if arg.is_empty() {
            function.to_owned()
        } else {
            format!("{function}({arg})")
        };
        self.env
            .rec
            .record(id, lane, EventKind::Created { name, what, parent });
        (
            id,
            self.functions.get(function).cloned().unwrap_or_default(),
        )
    }

    /// `threading.Thread(target=function, daemon=daemon).start()`.
    pub(super) fn start_thread(
        self: &Arc<Self>,
        function: &str,
        daemon: bool,
        arg: &str,
        parent: u32,
    ) {
        let (id, steps) = self.announce(function, arg, parent, Lane::Thread, SubjectKind::Thread);
        let (killed, done) = (
            Arc::new(AtomicBool::new(false)),
            Arc::new(AtomicBool::new(false)),
        );
        let (env, arg) = (Arc::clone(&self.env), arg.to_owned());
        let (k, d) = (Arc::clone(&killed), Arc::clone(&done));
        let spawned = std::thread::Builder::new()
            .name(format!("looplab-thread-{id}"))
            .spawn(move || {
                let ctx = env.ctx(id, Lane::Thread, Some(&k));
                ctx.record(EventKind::Started);
                ctx.run(&steps, &arg);
                ctx.record(EventKind::Finished);
                d.store(true, Ordering::Release);
            });
        match spawned {
            Ok(handle) => self.started().push(Started {
                subject: id,
                daemon,
                what: What::Thread {
                    handle,
                    killed,
                    done,
                },
            }),
            Err(e) => self.env.rec.record(
                id,
                Lane::Thread,
                EventKind::Failed {
                    reason: format!("could not start a thread: {e}"),
                },
            ),
        }
    }

    /// `multiprocessing.Process(target=function, daemon=daemon).start()`.
    pub(super) fn start_process(
        self: &Arc<Self>,
        function: &str,
        daemon: bool,
        arg: &str,
        parent: u32,
    ) {
        let (id, steps) = self.announce(function, arg, parent, Lane::Process, SubjectKind::Process);
        let chunks = par_chunks(&steps);
        let mut process =
            match WorkerProcess::spawn(&self.env.rec, self.env.gil_on(), self.env.scale) {
                Ok(p) => p,
                Err(e) => {
                    let reason = format!("could not start a process: {e}");
                    return self
                        .env
                        .rec
                        .record(id, Lane::Process, EventKind::Failed { reason });
                }
            };
        let first_chunk = if chunks > 0 {
            self.env.reserve(chunks)
        } else {
            0
        };
        let job = JobSpec {
            subject: id,
            lane: Lane::Process,
            steps: steps.to_vec(),
            arg: arg.to_owned(),
            first_chunk,
        };
        process.send(&job);
        // One job only: the process exits when it is done.
        process.close();
        self.started().push(Started {
            subject: id,
            daemon,
            what: What::Process(process),
        });
    }

    /// Main's steps are over: kill the daemons, join the rest.
    pub(super) async fn exit_main(self: &Arc<Self>) {
        let all: Vec<Started> = std::mem::take(&mut *self.started());
        let (daemons, others): (Vec<_>, Vec<_>) = all.into_iter().partition(|s| s.daemon);
        for daemon in daemons {
            daemon.kill(self);
        }
        if others.is_empty() {
            return;
        }
        self.env.rec.record(
            0,
            Lane::Loop,
            EventKind::Suspended {
                on: WaitReason::Join,
            },
        );
        let _ =
            tokio::task::spawn_blocking(move || others.into_iter().for_each(Started::join)).await;
        self.env.rec.record(0, Lane::Loop, EventKind::Resumed);
    }

    /// The run was cut short: everything started is killed where it stands.
    pub(super) fn kill_started(&self) {
        let all: Vec<Started> = std::mem::take(&mut *self.started());
        for started in all {
            started.kill(self);
        }
    }
}
