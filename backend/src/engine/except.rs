//! How a coroutine's body handles exceptions and time: `except`, `except*`,
//! `await asyncio.wait_for(...)` and `async with asyncio.timeout(...)`.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use futures_util::FutureExt;
use looplab_shared::model::{Call, Handler, Step};
use looplab_shared::protocol::WaitReason;
use looplab_shared::python::value::Value;

use super::exc::{Cancel, Exc, Flow};
use super::exec::Cx;
use super::interp::{Binding, Frame, Interp};
use super::tasks::suspended;

impl Cx<'_> {
    /// `except class:` blocks: the first that catches `exc` runs, handling it.
    pub(crate) async fn except(&self, frame: &mut Frame, exc: Exc, handlers: &[Handler]) -> Flow {
        let Some(h) = handlers.iter().find(|h| exc.caught_by(h.class)) else {
            return Err(exc);
        };
        frame.1.push(exc);
        let flow = self.body(frame, &h.body).await;
        frame.1.pop();
        flow
    }

    /// `except* class:` blocks: each runs on the part of the group it catches; what none
    /// caught is raised again, as a group (or alone, if it was not raised in one).
    pub(crate) async fn except_star(
        &self,
        frame: &mut Frame,
        exc: Exc,
        handlers: &[Handler],
    ) -> Flow {
        let grouped = exc.caught_by(looplab_shared::model::ExcClass::ExceptionGroup);
        let mut rest = exc.clone().parts();
        for h in handlers {
            let (caught, left): (Vec<Exc>, Vec<Exc>) =
                rest.into_iter().partition(|e| e.caught_by(h.class));
            rest = left;
            if caught.is_empty() {
                continue;
            }
            frame.1.push(Exc::group(caught));
            let flow = self.body(frame, &h.body).await;
            frame.1.pop();
            flow?;
        }
        match rest.len() {
            0 => Ok(None),
            _ if !grouped => Err(exc),
            _ => Err(Exc::group(rest)),
        }
    }

    /// `async with asyncio.timeout(s):` — when the time passes the task is cancelled, and
    /// the block's `CancelledError` becomes `TimeoutError`.
    pub(crate) async fn timeout(&self, frame: &mut Frame, ms: u64, body: &[Step]) -> Flow {
        let Some(cancel) = Cancel::current() else {
            return self.body(frame, body).await;
        };
        let fired = Arc::new(AtomicBool::new(false));
        let timer = tokio::spawn({
            let (fired, cancel) = (Arc::clone(&fired), Arc::clone(&cancel));
            let after = Duration::from_secs_f64(ms as f64 * self.ctx.scale / 1000.0);
            async move {
                tokio::time::sleep(after).await;
                fired.store(true, Ordering::Release);
                cancel.request();
            }
        });
        // A task under a timeout can always move: the timer will cancel it.
        let armed = self.ctx.locks.agents.timer();
        let flow = self.body(frame, body).await;
        drop(armed);
        timer.abort();
        if !fired.load(Ordering::Acquire) {
            return flow;
        }
        // A cancellation the block never reached is taken back.
        cancel.take();
        match flow {
            Err(exc) if exc.is_cancelled() => Err(Exc::timeout()),
            other => other,
        }
    }

    /// `await asyncio.wait_for(call, timeout=s)`: a coroutine runs in a task of its own;
    /// when the time passes that task is cancelled and waited for, and `TimeoutError`
    /// raised.
    pub(crate) async fn wait_for(
        &self,
        run: &Arc<Interp>,
        frame: &Frame,
        call: &Call,
        ms: u64,
    ) -> Result<Value, Exc> {
        let subject = self.ctx.subject;
        let (done, cancel) = match call {
            Call::Task { task, args, .. } => {
                let args = run.eval_args(frame, args)?;
                let (done, cancel) = run.spawn_in(task, args, subject, None, None);
                (done, Some(cancel))
            }
            Call::Executor {
                pool,
                function,
                args,
                ..
            } => {
                let args = run.eval_args(frame, args)?;
                (
                    run.submit(frame, pool.as_deref(), function, args, subject)?,
                    None,
                )
            }
            Call::Handle { name } => match self.binding(frame, name) {
                Some(Binding::Awaitable(done, cancel)) => (done, cancel),
                _ => {
                    return Err(Exc::error(format!(
                        "NameError: name '{name}' is not a task or future"
                    )));
                }
            },
        };
        let after = Duration::from_secs_f64(ms as f64 * self.ctx.scale / 1000.0);
        let inner = cancel.clone();
        let waited = done.clone();
        let wait = async move {
            tokio::select! {
                out = waited.clone() => out,
                () = tokio::time::sleep(after) => match inner {
                    Some(cancel) => {
                        cancel.request();
                        match waited.await {
                            Err(exc) if exc.is_cancelled() => Err(Exc::timeout()),
                            other => other,
                        }
                    }
                    None => Err(Exc::timeout()),
                },
            }
        };
        let on = WaitReason::Await {
            subject: Some(done.subject),
        };
        // The time will pass: the wait can always end.
        let armed = run.env.agents.timer();
        let out = suspended(&run.env, subject, on, wait.boxed()).await;
        drop(armed);
        if out.is_err()
            && let Some(cancel) = cancel
        {
            // Cancelled while it waits: so is what it waits for.
            cancel.request();
        }
        out?
    }
}
