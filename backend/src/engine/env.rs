//! What every part of a runner process shares: the recorder, the process's GIL, the time
//! scale, the subject-id counter, the `threading.Lock`s and the registry of agents.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};

use looplab_shared::model::Scenario;
use looplab_shared::protocol::Lane;

use super::agents::Agents;
use super::gil::Gil;
use super::recorder::Recorder;
use super::resource::ThreadLocks;
use super::sync::Ctx;

/// The runner process's shared state.
#[derive(Debug)]
pub(crate) struct Env {
    /// Where events go.
    pub(crate) rec: Recorder,
    /// This process's GIL, when the scenario turns it on.
    pub(crate) gil: Option<Gil>,
    /// Multiplies every duration.
    pub(crate) scale: f64,
    /// The next subject id; 0 is main.
    pub(crate) ids: AtomicU32,
    /// This process's `threading.Lock`s.
    pub(crate) locks: ThreadLocks,
    /// Who could still move, for the deadlock detector.
    pub(crate) agents: Arc<Agents>,
}

impl Env {
    /// A fresh environment for running `s`.
    pub(crate) fn new(rec: Recorder, s: &Scenario) -> Self {
        let agents = Arc::new(Agents::of(s));
        Self {
            rec,
            gil: s.options.gil.then(Gil::default),
            scale: s.time_scale,
            ids: AtomicU32::new(1),
            locks: ThreadLocks::new(ThreadLocks::indices_of(s), Arc::clone(&agents)),
            agents,
        }
    }

    /// A new subject id.
    pub(crate) fn next_id(&self) -> u32 {
        self.ids.fetch_add(1, Ordering::Relaxed)
    }

    /// `count` consecutive ids; the first of them.
    pub(crate) fn reserve(&self, count: u32) -> u32 {
        self.ids.fetch_add(count, Ordering::Relaxed)
    }

    /// Whether the GIL is on.
    pub(crate) fn gil_on(&self) -> bool {
        self.gil.is_some()
    }

    /// A context for `subject` running on `lane` in this process.
    pub(crate) fn ctx<'a>(
        &'a self,
        subject: u32,
        lane: Lane,
        killed: Option<&'a AtomicBool>,
    ) -> Ctx<'a> {
        Ctx {
            rec: &self.rec,
            subject,
            lane,
            gil: self.gil.as_ref(),
            scale: self.scale,
            ids: &self.ids,
            locks: &self.locks,
            killed,
            yielded: None,
        }
    }
}
