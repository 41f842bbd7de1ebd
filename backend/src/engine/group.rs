//! `asyncio.TaskGroup`, as taskgroups.py has it: the block's tasks belong to the group; at
//! the block's end it waits for all of them; the first child that fails cancels the others
//! and the task in the block, and the block raises an `ExceptionGroup` of the failures.

use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use futures_util::future::join_all;
use looplab_shared::protocol::WaitReason;

use super::env::Env;
use super::exc::{Cancel, Exc, Flow};
use super::interp::Awaitable;
use super::tasks::suspended;

/// A task group while its block runs and ends.
#[derive(Debug)]
pub(crate) struct Group {
    /// The task that runs the block.
    parent: Option<Arc<Cancel>>,
    state: Mutex<State>,
}

#[derive(Default)]
struct State {
    children: Vec<(Awaitable, Arc<Cancel>)>,
    errors: Vec<Exc>,
    /// The block has ended: a failing child no longer cancels its task.
    exiting: bool,
    /// A failing child cancelled the block's task.
    parent_cancelled: bool,
}

impl std::fmt::Debug for State {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("State")
            .field("errors", &self.errors)
            .finish()
    }
}

impl Group {
    /// A group whose block runs in the current task.
    pub(crate) fn new() -> Self {
        Self {
            parent: Cancel::current(),
            state: Mutex::default(),
        }
    }

    fn state(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// `tg.create_task(...)` made `child`.
    pub(crate) fn add(&self, child: Awaitable, cancel: Arc<Cancel>) {
        self.state().children.push((child, cancel));
    }

    /// A child ended: a failure cancels the others and, while the block runs, its task.
    pub(crate) fn child_done(&self, result: &Result<looplab_shared::python::value::Value, Exc>) {
        let Err(exc) = result else { return };
        if exc.is_cancelled() {
            return;
        }
        let mut state = self.state();
        state.errors.push(exc.clone());
        abort(&state);
        if !state.exiting && !state.parent_cancelled {
            state.parent_cancelled = true;
            if let Some(parent) = &self.parent {
                parent.request();
            }
        }
    }

    /// The block ended with `body`: waits for every child, then says how the block ends.
    pub(crate) async fn exit(&self, env: &Env, subject: u32, body: Flow) -> Flow {
        {
            let mut state = self.state();
            state.exiting = true;
            if let Err(exc) = &body {
                if !exc.is_cancelled() {
                    state.errors.push(exc.clone());
                }
                abort(&state);
            }
        }
        let mut cancelled = false;
        loop {
            let children: Vec<Awaitable> =
                self.state().children.iter().map(|c| c.0.clone()).collect();
            if children.iter().all(|c| c.peek().is_some()) {
                break;
            }
            let subjects = children.iter().map(|c| c.subject).collect();
            let on = WaitReason::Gather { subjects };
            match suspended(env, subject, on, join_all(children)).await {
                Ok(_) => break,
                // Cancelled while it waits: the children are cancelled, and waited for.
                Err(_) => {
                    cancelled = true;
                    abort(&self.state());
                }
            }
        }
        let mut state = self.state();
        if state.parent_cancelled
            && let Some(parent) = &self.parent
        {
            // The group's own cancellation of its task is taken back.
            parent.take();
        }
        if !state.errors.is_empty() {
            return Err(Exc::group(std::mem::take(&mut state.errors)));
        }
        if cancelled {
            return Err(Exc::cancelled());
        }
        body
    }
}

/// Cancels every child.
fn abort(state: &State) {
    for (_, cancel) in &state.children {
        cancel.request();
    }
}
