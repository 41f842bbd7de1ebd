//! A coroutine's task on the loop: created, run with what cancels it, and recorded as it
//! ends; the tasks `asyncio.run` cancels at its end.

use std::sync::{Arc, PoisonError};

use futures_util::future::BoxFuture;
use looplab_shared::model::Step;
use looplab_shared::protocol::{EventKind, Lane, SubjectKind};
use looplab_shared::python::value::Value;

use super::env::Env;
use super::exc::{Cancel, Exc, Flow};
use super::exec::{Cx, Mode};
use super::group::Group;
use super::interp::{Awaitable, Binding, Frame, Interp, joined};

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
            None => (Self::display(task, &args), SubjectKind::Task, rec.now_ns()),
        };
        rec.record_at(
            at,
            id,
            Lane::Loop,
            EventKind::Created { name, what, parent },
        );
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
        let done = joined(tokio::spawn(body));
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

    /// Runs coroutine `task` with `args` in task `subject` to its end.
    pub(crate) async fn call_coroutine(
        self: &Arc<Self>,
        subject: u32,
        task: &str,
        args: Vec<Value>,
    ) -> Result<Value, Exc> {
        let f = self
            .tasks
            .get(task)
            .cloned()
            .ok_or_else(|| Exc::error(format!("NameError: name '{task}' is not defined")))?;
        let mut frame = Frame(
            f.params
                .iter()
                .cloned()
                .zip(args.into_iter().map(Binding::Value))
                .collect(),
            Vec::new(),
        );
        Ok(self
            .body(subject, &mut frame, &f.steps)
            .await?
            .unwrap_or(Value::None))
    }

    /// Runs `steps` of task `subject` on the loop; `Some` when a `return` ran.
    pub(crate) fn body<'a>(
        self: &'a Arc<Self>,
        subject: u32,
        frame: &'a mut Frame,
        steps: &'a [Step],
    ) -> BoxFuture<'a, Flow> {
        Box::pin(async move {
            let cx = Cx {
                ctx: self.env.ctx(subject, Lane::Loop, None),
                mode: Mode::Loop(self),
            };
            cx.body(frame, steps).await
        })
    }
}

/// Records how a task ended: `finished` or `failed` when its body returns, `cancelled` when
/// it is dropped before that, even if it never ran.
pub(super) struct Guard {
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
            self.env
                .rec
                .record(self.subject, Lane::Loop, EventKind::Cancelled);
        }
    }
}
