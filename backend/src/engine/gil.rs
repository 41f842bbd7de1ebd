//! A simulated global interpreter lock, one per process, handed over first-come first-served.
//!
//! A thread must hold it to run `cpu` work. While others wait, the holder gives it up every
//! [`GIL_SWITCH_MS`] of CPU (CPython's switch interval) and queues again behind them, so
//! CPU-bound threads of one process take turns instead of running in parallel.

use std::collections::VecDeque;
use std::sync::{Condvar, Mutex, MutexGuard, PoisonError};

use looplab_shared::protocol::EventKind;

/// Who takes the lock: a subject that records its waits.
pub(crate) trait Holder {
    /// The subject that holds or waits.
    fn subject(&self) -> u32;
    /// Records one of its events.
    fn record(&self, kind: EventKind);
}

/// The lock.
#[derive(Debug, Default)]
pub(crate) struct Gil {
    state: Mutex<State>,
    turn: Condvar,
}

#[derive(Debug, Default)]
struct State {
    holder: Option<u32>,
    queue: VecDeque<u32>,
}

impl Gil {
    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Waits for the lock in turn, recording the wait when there is one.
    pub(crate) fn acquire(&self, ctx: &impl Holder) {
        let mut state = self.lock();
        if state.holder.is_none() && state.queue.is_empty() {
            state.holder = Some(ctx.subject());
            drop(state);
            ctx.record(EventKind::GilAcquire);
            return;
        }
        ctx.record(EventKind::GilWait);
        state.queue.push_back(ctx.subject());
        self.wait_turn(state, ctx);
    }

    fn wait_turn(&self, mut state: MutexGuard<'_, State>, ctx: &impl Holder) {
        while state.holder.is_some() || state.queue.front() != Some(&ctx.subject()) {
            state = self
                .turn
                .wait(state)
                .unwrap_or_else(PoisonError::into_inner);
        }
        state.queue.pop_front();
        state.holder = Some(ctx.subject());
        drop(state);
        ctx.record(EventKind::GilAcquire);
    }

    /// Gives the lock up. The release is recorded before anyone can take it, so that no
    /// two holders ever appear to overlap.
    pub(crate) fn release(&self, ctx: &impl Holder) {
        let mut state = self.lock();
        ctx.record(EventKind::GilRelease);
        state.holder = None;
        drop(state);
        self.turn.notify_all();
    }

    /// Gives the lock to the next in line and queues behind the others for it again: the
    /// holder's wait is recorded before the next holder can start.
    pub(crate) fn hand_over(&self, ctx: &impl Holder) {
        let mut state = self.lock();
        ctx.record(EventKind::GilRelease);
        ctx.record(EventKind::GilWait);
        state.holder = None;
        state.queue.push_back(ctx.subject());
        self.turn.notify_all();
        self.wait_turn(state, ctx);
    }

    /// Whether another thread waits for the lock.
    pub(crate) fn contended(&self) -> bool {
        !self.lock().queue.is_empty()
    }
}
