//! `looplab __runner EPOCH`: one run in a process of its own.
//!
//! The scenario arrives as the first line of stdin. The process leads its own process group,
//! so the server can kill the whole run at once; it dies with the server (PDEATHSIG) and
//! kills its group when its stdin closes. Its threads are the event loop (tokio,
//! single- or multi-threaded), pool workers, started threads and the rayon pool; its children
//! are process-pool workers and started processes. When the run ends it writes its `End`
//! line and then kills its whole group, itself included: nothing of a run survives it.

use std::collections::HashMap;
use std::io::BufRead;
use std::sync::{Arc, Mutex, PoisonError};

use futures_util::FutureExt;
use futures_util::future::{BoxFuture, Either, join_all};
use looplab_shared::limits::LAG_REPORT_MS;
use looplab_shared::model::{LoopFlavor, Scenario, Step};
use looplab_shared::protocol::{EventKind, Lane, Outcome, SubjectKind};
use looplab_shared::validate::parse_scenario;
use tokio::sync::oneshot;

use super::env::Env;
use super::exit::Started;
use super::pipe::{RunnerIn, RunnerOut};
use super::pool::{Job, Pool};
use super::process::die_with_parent;
use super::recorder::{Envelope, Recorder};

/// What a task body returns: `Err` carries why it failed.
pub(super) type BodyResult = Result<(), String>;

/// One run, shared by every task of it.
pub(super) struct Run {
    pub(super) env: Arc<Env>,
    pub(super) scenario: Arc<Scenario>,
    tasks: HashMap<String, Arc<Vec<Step>>>,
    pub(super) functions: HashMap<String, Arc<Vec<Step>>>,
    pools: Vec<Arc<Pool>>,
    pub(super) started: Mutex<Vec<Started>>,
}

/// Runs the runner process; never returns normally.
pub fn runner_main(epoch: u64) {
    die_with_parent();
    let rec = Recorder::to_stdout(epoch, Envelope::Runner);
    let mut first = String::new();
    // The lock is released at once: the watcher thread reads the rest of stdin.
    let _ = std::io::stdin().lock().read_line(&mut first);
    let scenario = match parse_scenario(first.trim()) {
        Ok(s) => s,
        Err(e) => {
            return end(
                &rec,
                Outcome::Failed {
                    reason: format!("the runner was given a bad scenario: {e}"),
                },
            );
        }
    };
    let (signal_tx, signal_rx) = oneshot::channel();
    let watcher = std::thread::Builder::new()
        .name("looplab-stdin".into())
        .spawn(move || watch_stdin(signal_tx));
    if watcher.is_err() {
        return end(
            &rec,
            Outcome::Failed {
                reason: "could not watch the server's pipe".into(),
            },
        );
    }
    let runtime = match scenario.options.loop_flavor {
        LoopFlavor::SingleThread => tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .build(),
        LoopFlavor::MultiThread { workers } => tokio::runtime::Builder::new_multi_thread()
            .worker_threads(workers as usize)
            .thread_name("looplab-loop")
            .enable_time()
            .build(),
    };
    let runtime = match runtime {
        Ok(rt) => rt,
        Err(e) => {
            return end(
                &rec,
                Outcome::Failed {
                    reason: format!("could not start the event loop: {e}"),
                },
            );
        }
    };
    let env = Arc::new(Env::new(
        rec.clone(),
        scenario.options.gil,
        scenario.time_scale,
    ));
    let run = Arc::new(Run::new(scenario, env));
    let outcome = runtime.block_on(async {
        tokio::select! {
            outcome = run_main(Arc::clone(&run)) => outcome,
            Ok(signal) = signal_rx => signal.outcome(),
        }
    });
    if outcome != Outcome::Completed {
        run.kill_started();
    }
    // Dropping the loop drops every pending task; their guards record `cancelled`.
    drop(runtime);
    for pool in &run.pools {
        pool.close();
    }
    end(&rec, outcome);
}

/// Writes the end, then ends every process of the run, this one included.
fn end(rec: &Recorder, outcome: Outcome) {
    rec.finish(Some(&RunnerOut::End {
        outcome,
        lost: rec.lost(),
    }));
    kill_own_group();
    std::process::exit(0);
}

/// Kills this process's group if this process leads it (the server starts runners that
/// way); a runner started by hand leaves its caller's group alone.
fn kill_own_group() {
    // SAFETY: getpgrp, getpid and killpg have no memory-safety preconditions.
    unsafe {
        if libc::getpgrp() == libc::getpid() as libc::pid_t {
            libc::killpg(libc::getpgrp(), libc::SIGKILL);
        }
    }
}

fn watch_stdin(signal: oneshot::Sender<RunnerIn>) {
    let mut signal = Some(signal);
    for line in std::io::stdin().lock().lines() {
        let Ok(line) = line else { break };
        if let (Ok(msg), Some(tx)) = (serde_json::from_str::<RunnerIn>(&line), signal.take()) {
            let _ = tx.send(msg);
        }
    }
    // The server is gone: so is the run.
    kill_own_group();
    std::process::exit(1);
}

async fn run_main(run: Arc<Run>) -> Outcome {
    let env = &run.env;
    env.rec.record(
        0,
        Lane::Loop,
        EventKind::Created {
            name: "main".into(),
            what: SubjectKind::Main,
            parent: 0,
        },
    );
    let guard = Guard::new(0, Arc::clone(env));
    env.rec.record(0, Lane::Loop, EventKind::Started);
    let beat = tokio::spawn(heartbeat(Arc::clone(&run)));
    let requests = run
        .scenario
        .requests
        .clone()
        .map(|r| tokio::spawn(super::requests::serve(Arc::clone(&run), r)));
    let mut result = run.body(0, Arc::clone(&run.scenario_main())).await;
    if let Some(requests) = requests {
        env.rec.record(
            0,
            Lane::Loop,
            EventKind::Suspended {
                on: looplab_shared::protocol::WaitReason::Gather,
            },
        );
        if requests.await.is_err() {
            result = result.and(Err("the request source failed".into()));
        }
        env.rec.record(0, Lane::Loop, EventKind::Resumed);
    }
    run.exit_main().await;
    beat.abort();
    guard.finish(&result);
    match result {
        Ok(()) => Outcome::Completed,
        Err(reason) => Outcome::Failed { reason },
    }
}

/// Measures how late the loop wakes a timer, every heartbeat.
async fn heartbeat(run: Arc<Run>) {
    let period = std::time::Duration::from_millis(looplab_shared::limits::HEARTBEAT_MS);
    loop {
        let before = run.env.rec.now_ns();
        tokio::time::sleep(period).await;
        let late = run
            .env
            .rec
            .now_ns()
            .saturating_sub(before)
            .saturating_sub(period.as_nanos() as u64);
        if late >= LAG_REPORT_MS * 1_000_000 {
            run.env
                .rec
                .record(0, Lane::Loop, EventKind::LoopLag { lag_ns: late });
        }
    }
}

impl Run {
    fn new(scenario: Scenario, env: Arc<Env>) -> Self {
        let steps = |defs: &[looplab_shared::model::Function]| {
            defs.iter()
                .map(|f| (f.name.clone(), Arc::new(f.steps.clone())))
                .collect()
        };
        let pools = scenario
            .pools
            .iter()
            .enumerate()
            .map(|(i, p)| Pool::new(i as u32, p.kind, p.max_workers, Arc::clone(&env)))
            .collect();
        Self {
            tasks: steps(&scenario.tasks),
            functions: steps(&scenario.functions),
            pools,
            env,
            scenario: Arc::new(scenario),
            started: Mutex::new(Vec::new()),
        }
    }

    fn scenario_main(&self) -> Arc<Vec<Step>> {
        Arc::new(self.scenario.main.clone())
    }

    pub(super) fn started(&self) -> std::sync::MutexGuard<'_, Vec<Started>> {
        self.started.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Runs a coroutine's steps on the loop. Boxed: tasks await tasks.
    pub(super) fn body(
        self: &Arc<Self>,
        subject: u32,
        steps: Arc<Vec<Step>>,
    ) -> BoxFuture<'static, BodyResult> {
        let run = Arc::clone(self);
        Box::pin(async move {
            for step in steps.iter() {
                run.step(subject, step).await?;
            }
            Ok(())
        })
    }

    async fn step(self: &Arc<Self>, subject: u32, step: &Step) -> BodyResult {
        let rec = &self.env.rec;
        match step {
            Step::Sleep { ms } => {
                let ms = *ms as f64 * self.env.scale;
                rec.record(
                    subject,
                    Lane::Loop,
                    EventKind::Suspended {
                        on: looplab_shared::protocol::WaitReason::Sleep { ms },
                    },
                );
                tokio::time::sleep(std::time::Duration::from_secs_f64(ms / 1000.0)).await;
                rec.record(subject, Lane::Loop, EventKind::Resumed);
            }
            Step::Spawn { task } => {
                // Not awaited: cancelled if still pending when main ends, as asyncio does.
                drop(self.spawn_task(task, subject));
            }
            Step::Gather { calls } => {
                // Unboxed: a gather of ten thousand tasks makes ten thousand of these.
                let mut waits = Vec::with_capacity(calls.iter().map(|c| c.times() as usize).sum());
                for call in calls {
                    for _ in 0..call.times() {
                        waits.push(match call {
                            looplab_shared::model::Call::Task { task, .. } => {
                                Either::Left(self.spawn_task(task, subject).map(|joined| {
                                    joined.unwrap_or_else(|e| Err(format!("a task panicked: {e}")))
                                }))
                            }
                            looplab_shared::model::Call::Executor {
                                pool,
                                function,
                                arg,
                                ..
                            } => Either::Right(self.submit(pool, function, arg, subject).map(
                                |done| done.unwrap_or_else(|_| Err("the pool shut down".into())),
                            )),
                        });
                    }
                }
                rec.record(
                    subject,
                    Lane::Loop,
                    EventKind::Suspended {
                        on: looplab_shared::protocol::WaitReason::Gather,
                    },
                );
                let results = join_all(waits).await;
                rec.record(subject, Lane::Loop, EventKind::Resumed);
                results.into_iter().collect::<Result<Vec<()>, String>>()?;
            }
            Step::StartThread {
                function,
                daemon,
                arg,
            } => self.start_thread(function, *daemon, arg, subject),
            Step::StartProcess {
                function,
                daemon,
                arg,
            } => self.start_process(function, *daemon, arg, subject),
            // print, blocking_sleep, cpu and par_cpu run right here: on the loop's thread.
            other => self
                .env
                .ctx(subject, Lane::Loop, None)
                .blocking_step(other, ""),
        }
        Ok(())
    }

    /// `asyncio.create_task`: a new task on the loop.
    pub(super) fn spawn_task(
        self: &Arc<Self>,
        name: &str,
        parent: u32,
    ) -> tokio::task::JoinHandle<BodyResult> {
        let id = self.env.next_id();
        self.env.rec.record(
            id,
            Lane::Loop,
            EventKind::Created {
                name: name.into(),
                what: SubjectKind::Task,
                parent,
            },
        );
        let steps = self.tasks.get(name).cloned().unwrap_or_default();
        self.spawn_body(id, steps, None)
    }

    /// Runs `steps` as a new task `id`; with `arrival`, answers a request that arrived then.
    pub(super) fn spawn_body(
        self: &Arc<Self>,
        id: u32,
        steps: Arc<Vec<Step>>,
        arrival: Option<u64>,
    ) -> tokio::task::JoinHandle<BodyResult> {
        let guard = Guard::new(id, Arc::clone(&self.env));
        let run = Arc::clone(self);
        tokio::spawn(async move {
            run.env.rec.record(id, Lane::Loop, EventKind::Started);
            let result = run.body(id, steps).await;
            if let Some(arrival) = arrival {
                let latency_ns = run.env.rec.now_ns().saturating_sub(arrival);
                run.env
                    .rec
                    .record(id, Lane::Loop, EventKind::Responded { latency_ns });
            }
            guard.finish(&result);
            result
        })
    }

    /// `loop.run_in_executor(pool, function, arg)`.
    fn submit(
        &self,
        pool: &str,
        function: &str,
        arg: &str,
        parent: u32,
    ) -> oneshot::Receiver<BodyResult> {
        let (tx, rx) = oneshot::channel();
        let Some((index, _)) = self.scenario.pool(pool) else {
            let _ = tx.send(Err(format!("no pool is named `{pool}`")));
            return rx;
        };
        let (id, steps) = self.announce(function, arg, parent, Lane::Loop, SubjectKind::Job);
        self.env.rec.record(id, Lane::Loop, EventKind::Queued);
        let chunks = par_chunks(&steps);
        self.pools[index].submit(Job {
            subject: id,
            steps,
            arg: arg.to_owned(),
            chunks,
            done: tx,
        });
        rx
    }
}

/// Subject ids a function's `par_cpu` steps need.
pub(super) fn par_chunks(steps: &[Step]) -> u32 {
    steps
        .iter()
        .map(|s| match s {
            Step::ParCpu { chunks, .. } => *chunks,
            _ => 0,
        })
        .sum()
}

/// Records how a task ended: `finished` or `failed` when its body returns, `cancelled` when
/// it is dropped before that, even if it never ran.
pub(super) struct Guard {
    subject: u32,
    env: Arc<Env>,
    done: bool,
}

impl Guard {
    pub(super) fn new(subject: u32, env: Arc<Env>) -> Self {
        Self {
            subject,
            env,
            done: false,
        }
    }

    pub(super) fn finish(mut self, result: &BodyResult) {
        self.done = true;
        let kind = match result {
            Ok(()) => EventKind::Finished,
            Err(reason) => EventKind::Failed {
                reason: reason.clone(),
            },
        };
        self.env.rec.record(self.subject, Lane::Loop, kind);
    }
}

impl Drop for Guard {
    fn drop(&mut self) {
        if !self.done {
            self.env
                .rec
                .record(self.subject, Lane::Loop, EventKind::Cancelled);
        }
    }
}
