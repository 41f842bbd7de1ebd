//! Tasks on the loop: creating one, awaiting it, suspending one on a wait, and how it
//! ended.

use looplab_shared::plan::call_name;
use std::sync::{Arc, PoisonError};

use futures_util::FutureExt;
use looplab_shared::model::Call;
use looplab_shared::protocol::{EventKind, Lane, SubjectKind, WaitReason};
use looplab_shared::python::value::Value;

use super::agents::Wait;
use super::env::Env;
use super::exc::{Cancel, Exc};
use super::group::Group;
use super::interp::{Awaitable, Binding, Frame, Interp};

impl Interp {
    /// `asyncio.create_task(task(args))`, or a task a gather wraps a coroutine in, or a
    /// request's handler (`arrival` set: its answer is measured from then).
    pub(crate) fn spawn_task(
        self: &Arc<Self>,
        task: &str,
        args: Vec<Value>,
        parent: u32,
        request: Option<(String, u64)>,
    ) -> Awaitable {
        self.spawn_in(task, args, parent, request, None).0
    }

    /// [`spawn_task`](Self::spawn_task) in `group`, if any: the task, and what cancels it.
    pub(crate) fn spawn_in(
        self: &Arc<Self>,
        task: &str,
        args: Vec<Value>,
        parent: u32,
        request: Option<(String, u64)>,
        group: Option<Arc<Group>>,
    ) -> (Awaitable, Arc<Cancel>) {
        let id = self.env.next_id();
        let rec = &self.env.rec;
        // A request exists from when it reached the socket, however late the loop sees it:
        // it waits, queued, for as long as the loop was busy.
        let (name, what, at) = match &request {
            Some((name, arrival)) => (name.clone(), SubjectKind::Request, *arrival),
            None => (call_name(task, &args), SubjectKind::Task, rec.now_ns()),
        };
        rec.record_at(
            at,
            id,
            Lane::Loop,
            EventKind::Created { name, what, parent },
        );
        self.env.agents.add(id);
        let guard = Guard::new(id, Arc::clone(&self.env));
        let task = task.to_owned();
        let run = Arc::clone(self);
        let cancel = Arc::new(Cancel::default());
        let body = Cancel::scope(Arc::clone(&cancel), async move {
            run.env.rec.record(id, Lane::Loop, EventKind::Started);
            // A task cancelled before it ran raises as it starts: none of its code runs.
            let result = match Cancel::current().is_some_and(|c| c.take()) {
                true => Err(Exc::cancelled()),
                false => run.call_coroutine(id, &task, args).await,
            };
            if let Some((_, arrival)) = request {
                let latency_ns = run.env.rec.now_ns().saturating_sub(arrival);
                run.env
                    .rec
                    .record(id, Lane::Loop, EventKind::Responded { latency_ns });
            }
            guard.finish(&result);
            if let Some(group) = group {
                group.child_done(&result);
            }
            result
        });
        let done = joined(id, tokio::spawn(body));
        self.pending
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push((done.clone(), Arc::clone(&cancel)));
        (done, cancel)
    }

    /// Every task started so far, with what cancels it: `asyncio.run` cancels those still
    /// pending as its coroutine returns, and waits for them.
    pub(crate) fn take_tasks(&self) -> Vec<(Awaitable, Arc<Cancel>)> {
        std::mem::take(&mut self.pending.lock().unwrap_or_else(PoisonError::into_inner))
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
                        let job =
                            self.submit(frame, pool.as_deref(), function, args.clone(), subject);
                        waits.push(job?);
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
}

/// Records `subject` suspended on `on` while `wait` runs, and tells the deadlock detector
/// what it waits for.
pub(crate) async fn suspended<T>(
    env: &Env,
    subject: u32,
    on: WaitReason,
    wait: impl std::future::Future<Output = T>,
) -> Result<T, Exc> {
    let rec = &env.rec;
    if let Some(waits) = Wait::of(&on) {
        env.agents.wait(subject, waits);
    }
    rec.record(subject, Lane::Loop, EventKind::Suspended { on });
    // `cancel()` raises `CancelledError` here, even if what it waited for is done by the
    // time the task runs again.
    let out = match Cancel::current() {
        Some(cancel) => tokio::select! {
            biased;
            () = cancel.requested() => Err(Exc::cancelled()),
            out = wait => Ok(out),
        },
        None => Ok(wait.await),
    };
    env.agents.go(subject);
    rec.record(subject, Lane::Loop, EventKind::Resumed);
    out
}

fn joined(subject: u32, handle: tokio::task::JoinHandle<Result<Value, Exc>>) -> Awaitable {
    let result =
        handle.map(|r| r.unwrap_or_else(|e| Err(Exc::error(format!("a task panicked: {e}")))));
    Awaitable::new(subject, result)
}

/// Records how a task ended: `finished` or `failed` when its body returns, `cancelled` when
/// it is dropped before that, even if it never ran.
pub(crate) struct Guard {
    subject: u32,
    env: Arc<Env>,
    done: bool,
}

impl Guard {
    pub(crate) fn new(subject: u32, env: Arc<Env>) -> Self {
        Self {
            subject,
            env,
            done: false,
        }
    }

    pub(crate) fn finish(mut self, result: &Result<Value, Exc>) {
        self.done = true;
        self.env.agents.end(self.subject, result.is_err());
        let kind = match result {
            Ok(_) => EventKind::Finished,
            Err(exc) if exc.is_cancelled() => EventKind::Cancelled,
            Err(exc) => EventKind::Failed {
                reason: exc.to_string(),
            },
        };
        self.env.rec.record(self.subject, Lane::Loop, kind);
    }
}

impl Drop for Guard {
    fn drop(&mut self) {
        if !self.done {
            self.env.agents.end(self.subject, true);
            self.env
                .rec
                .record(self.subject, Lane::Loop, EventKind::Cancelled);
        }
    }
}
