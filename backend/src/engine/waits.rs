//! A coroutine's steps on synchronisation objects: `async with` a lock or semaphore, `with` a
//! `threading.Lock` (which blocks the loop), and an event's or a queue's methods. A wait that
//! would not wait records nothing: asyncio does not suspend the task then either. Each step
//! records what it did to the object (acquired, released, put, got, set), and the deadlock
//! detector learns who holds what.

use std::sync::Arc;

use looplab_shared::model::{Op, Step};
use looplab_shared::protocol::{EventKind, Lane, WaitReason};
use tokio::sync::OwnedSemaphorePermit;

use super::env::Env;
use super::exc::{Exc, Flow};
use super::interp::{Binding, Frame, Interp};
use super::resource::{Live, hold, try_hold};
use super::tasks::suspended;

/// A place of an asyncio lock or semaphore, held by a task until this is dropped: when its
/// block ends, however it ends (a `return`, an exception, the task cancelled).
struct Holding {
    env: Arc<Env>,
    subject: u32,
    resource: u32,
    permit: Option<OwnedSemaphorePermit>,
}

impl Holding {
    fn new(env: &Arc<Env>, subject: u32, resource: u32, permit: OwnedSemaphorePermit) -> Self {
        env.agents.acquired(subject, resource);
        env.rec
            .record(subject, Lane::Loop, EventKind::Acquired { resource });
        Self {
            env: Arc::clone(env),
            subject,
            resource,
            permit: Some(permit),
        }
    }
}

impl Drop for Holding {
    /// Records the release before the place is free: the next holder's `Acquired` comes
    /// after it.
    fn drop(&mut self) {
        let (subject, resource) = (self.subject, self.resource);
        self.env
            .rec
            .record(subject, Lane::Loop, EventKind::Released { resource });
        self.env.agents.released(subject, resource);
        drop(self.permit.take());
    }
}

impl Interp {
    /// `async with resource:` (asyncio) or `with resource:` (threading) around `body`; what a
    /// `return` in it gave.
    pub(crate) async fn hold_block(
        self: &Arc<Self>,
        subject: u32,
        frame: &mut Frame,
        resource: &str,
        body: &[Step],
    ) -> Flow {
        let is_async = self.s.resource(resource).is_some_and(|r| r.kind.is_async());
        if !is_async {
            // A threading.Lock: waiting for it blocks the loop's thread, as in CPython.
            let env = Arc::clone(&self.env);
            let held = env.ctx(subject, Lane::Loop, None).acquire(resource)?;
            let returned = self.body(subject, frame, body).await;
            drop(held);
            return returned;
        }
        let (index, live) = self.resources.get(resource)?;
        let Live::Permits(permits) = &*live else {
            return Err(Exc::error(format!(
                "TypeError: '{resource}' cannot be held with `async with`"
            )));
        };
        let permit = match try_hold(permits) {
            Some(permit) => permit,
            None => {
                let on = WaitReason::Lock { resource: index };
                suspended(&self.env, subject, on, hold(permits)).await?
            }
        };
        let held = Holding::new(&self.env, subject, index, permit);
        let returned = self.body(subject, frame, body).await;
        drop(held);
        returned
    }

    /// `event.set()`, `await queue.get()` and the others.
    pub(crate) async fn use_resource(
        &self,
        subject: u32,
        frame: &mut Frame,
        resource: &str,
        op: &Op,
    ) -> Result<(), Exc> {
        let (index, live) = self.resources.get(resource)?;
        let env = &*self.env;
        let record = |kind| env.rec.record(subject, Lane::Loop, kind);
        match (op, &*live) {
            (Op::Set, Live::Event(event)) => {
                // Before any waiter wakes: their `resumed` comes after it.
                record(EventKind::Set { resource: index });
                event.set();
            }
            (Op::Wait, Live::Event(event)) => {
                if !event.is_set() {
                    let on = WaitReason::Event { resource: index };
                    suspended(env, subject, on, event.wait()).await?;
                }
            }
            (Op::Put { value }, Live::Queue(queue)) => {
                // As an assignment's: a computation costs CPython's time, on the loop.
                let ctx = self.env.ctx(subject, Lane::Loop, None);
                let value = ctx.eval(value, &|n| self.value(frame, n))?;
                // Recorded as the item goes in, before any getter can take it.
                let put = |item| {
                    record(EventKind::Put {
                        resource: index,
                        item,
                    })
                };
                if queue.is_full() {
                    let on = WaitReason::QueuePut { resource: index };
                    suspended(env, subject, on, queue.put(value, put)).await?;
                } else {
                    queue.put(value, put).await;
                }
            }
            (Op::Get { into }, Live::Queue(queue)) => {
                let (item, value) = if queue.is_empty() {
                    let on = WaitReason::QueueGet { resource: index };
                    suspended(env, subject, on, queue.get()).await?
                } else {
                    queue.get().await
                };
                record(EventKind::Got {
                    resource: index,
                    item,
                });
                if let Some(name) = into {
                    frame.0.insert(name.clone(), Binding::Value(value));
                }
            }
            (Op::TaskDone, Live::Queue(queue)) => queue.task_done()?,
            (Op::Join, Live::Queue(queue)) => {
                if queue.has_unfinished() {
                    let on = WaitReason::QueueJoin { resource: index };
                    suspended(env, subject, on, queue.join()).await?;
                }
            }
            (Op::Set | Op::Wait | Op::Put { .. } | Op::Get { .. } | Op::TaskDone | Op::Join, _) => {
                return Err(Exc::error(format!(
                    "AttributeError: '{resource}' has no attribute '{}'",
                    op.kind().method()
                )));
            }
        }
        Ok(())
    }
}
