//! Worker processes: the same binary re-executed as `looplab __worker`, one job at a time over
//! its stdin, its events back over its stdout. A worker dies with its parent (PDEATHSIG) and
//! exits when its stdin closes, so no worker can outlive its run.

use std::io::{BufRead, BufReader, Write};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::atomic::AtomicU32;
use std::sync::mpsc;

use looplab_shared::limits::{MAX_PROCESS_CPU_S, MAX_PROCESS_MEMORY_BYTES, MAX_PROCESS_OPEN_FILES};
use looplab_shared::protocol::EventKind;
use looplab_shared::python::value::Value;

use super::gil::Gil;
use super::pipe::{JobSpec, WorkerOut};
use super::recorder::{Envelope, Recorder};
use super::sync::Ctx;

/// How a job sent to a worker process ended.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum JobEnd {
    /// It reported done: what the function returned, or why it failed.
    Done(Result<Value, String>),
    /// The process died first.
    Died,
}

/// A worker process seen from the runner.
#[derive(Debug)]
pub(crate) struct WorkerProcess {
    child: Child,
    stdin: Option<ChildStdin>,
    ends: mpsc::Receiver<JobEnd>,
}

impl WorkerProcess {
    /// Starts a worker; its events are forwarded to `rec`.
    pub(crate) fn spawn(rec: &Recorder, gil: bool, scale: f64) -> std::io::Result<Self> {
        let exe = std::env::current_exe()?;
        let mut child = Command::new(exe)
            .arg("__worker")
            .arg(rec.epoch().to_string())
            .arg(if gil { "gil" } else { "no-gil" })
            .arg(scale.to_string())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()?;
        let stdin = child.stdin.take();
        let stdout = child.stdout.take();
        let (tx, ends) = mpsc::channel();
        let rec = rec.clone();
        std::thread::Builder::new()
            .name("looplab-worker-pipe".into())
            .spawn(move || {
                let Some(stdout) = stdout else {
                    let _ = tx.send(JobEnd::Died);
                    return;
                };
                for line in BufReader::new(stdout).lines() {
                    let Ok(line) = line else { break };
                    match serde_json::from_str::<WorkerOut>(&line) {
                        Ok(WorkerOut::Record(r)) => rec.forward(r),
                        Ok(WorkerOut::Done(result)) => {
                            let _ = tx.send(JobEnd::Done(result));
                        }
                        Err(_) => {}
                    }
                }
                // End of output: the process is gone; whoever waits for a job learns it now.
                let _ = tx.send(JobEnd::Died);
            })?;
        Ok(Self { child, stdin, ends })
    }

    /// The worker's pid.
    pub(crate) fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Sends a job without waiting for it.
    pub(crate) fn send(&mut self, job: &JobSpec) -> bool {
        let Some(stdin) = self.stdin.as_mut() else {
            return false;
        };
        let line = serde_json::to_string(job).unwrap_or_default();
        writeln!(stdin, "{line}")
            .and_then(|()| stdin.flush())
            .is_ok()
    }

    /// The stream of job ends, for a caller that waits for them elsewhere.
    pub(crate) fn ends(&mut self) -> mpsc::Receiver<JobEnd> {
        std::mem::replace(&mut self.ends, mpsc::channel().1)
    }

    /// Waits until the job sent last is done, or the process has died.
    pub(crate) fn wait_job(&self) -> JobEnd {
        self.ends.recv().unwrap_or(JobEnd::Died)
    }

    /// Runs one job to its end.
    pub(crate) fn run(&mut self, job: &JobSpec) -> JobEnd {
        if !self.send(job) {
            return JobEnd::Died;
        }
        self.wait_job()
    }

    /// Closes the worker's stdin: it exits once its current job is done.
    pub(crate) fn close(&mut self) {
        self.stdin = None;
    }

    /// Kills the worker at once.
    pub(crate) fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// Sends the worker SIGTERM, as `Process.terminate()` does, and reaps it.
    pub(crate) fn terminate(&mut self) {
        // SAFETY: kill has no memory-safety preconditions; the pid is our unreaped child's.
        unsafe {
            libc::kill(self.child.id() as libc::pid_t, libc::SIGTERM);
        }
        let _ = self.child.wait();
    }

    /// Waits for the worker to exit.
    pub(crate) fn wait(&mut self) {
        let _ = self.child.wait();
    }
}

/// `looplab __worker EPOCH gil|no-gil SCALE`: runs jobs from stdin until it closes.
pub fn worker_main(epoch: u64, gil: bool, scale: f64) {
    die_with_parent();
    let rec = Recorder::to_stdout(epoch, Envelope::Worker);
    let gil = gil.then(Gil::default);
    let unused_ids = AtomicU32::new(0);
    // The worker's own copies, made with its first job: a child process does not share its
    // parent's locks. Nobody watches a worker for deadlocks: the runner counts it as moving.
    let mut locks = None;
    for line in std::io::stdin().lock().lines() {
        let Ok(line) = line else { break };
        let Ok(job) = serde_json::from_str::<JobSpec>(&line) else {
            continue;
        };
        let locks = locks.get_or_insert_with(|| {
            super::resource::ThreadLocks::new(job.thread_locks.clone(), Default::default())
        });
        let ids = AtomicU32::new(job.first_chunk);
        let ctx = Ctx {
            rec: &rec,
            subject: job.subject,
            lane: job.lane,
            gil: gil.as_ref(),
            scale,
            ids: if job.first_chunk == 0 {
                &unused_ids
            } else {
                &ids
            },
            locks,
            killed: None,
            yielded: None,
        };
        ctx.record(EventKind::Started);
        let result = ctx.call(&job.function, &job.args, &job.globals);
        ctx.record(match &result {
            Ok(_) => EventKind::Finished,
            Err(reason) => EventKind::Failed {
                reason: reason.clone(),
            },
        });
        rec.send_control(&WorkerOut::Done(result));
    }
    rec.finish(None::<&WorkerOut>);
}

/// Prepares a process of a run: the kernel kills it when the thread that started it dies,
/// so a crashed parent leaves no orphan, and it gets the run's resource limits.
pub(crate) fn die_with_parent() {
    // SAFETY: prctl with PR_SET_PDEATHSIG takes a signal number and has no other effect.
    unsafe {
        libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL);
    }
    // The parent may have died before the line above: then nobody would kill us later.
    // SAFETY: getppid has no preconditions.
    if unsafe { libc::getppid() } == 1 {
        std::process::exit(1);
    }
    limit(libc::RLIMIT_AS, MAX_PROCESS_MEMORY_BYTES);
    limit(libc::RLIMIT_CPU, MAX_PROCESS_CPU_S);
    limit(libc::RLIMIT_NOFILE, MAX_PROCESS_OPEN_FILES);
}

fn limit(resource: libc::__rlimit_resource_t, value: u64) {
    let rlim = libc::rlimit {
        rlim_cur: value,
        rlim_max: value,
    };
    // SAFETY: setrlimit reads a valid rlimit; lowering a limit cannot fail for lack of rights.
    unsafe { libc::setrlimit(resource, &rlim) };
}
