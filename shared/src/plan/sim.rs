//! The scenario run in virtual time: every step takes its ideal duration, and the counts of
//! what it creates add up as it goes.

use std::collections::HashMap;

pub(crate) use calls::Workers;
pub(crate) use exc::{Group, Outcome, outcome};

use super::ghost::Ghost;
use super::resources::{Known, Resources};
use super::{Plan, PlanError};
use crate::limits::MAX_EXECUTED_STEPS;
use crate::model::{ExcClass, PoolKind, Scenario, StartKind, Step};
use crate::python::value::Value;

mod calls;
mod exc;
mod program;
mod values;

/// Events every instance has: created, queued or not, started, and how it ended.
pub(crate) const EVENTS_PER_INSTANCE: u64 = 4;

/// How a body ended early: a `return`, or an exception raised and not caught in it.
#[derive(Debug, Clone)]
pub(crate) enum Exit {
    Return(Value),
    Raise(ExcClass),
}

/// What a variable holds in virtual time.
#[derive(Debug, Clone)]
pub(crate) enum Val {
    Value(Value),
    /// A task or future: when it is done and what it gives.
    Done(f64, Outcome),
    /// A thread or process: when it ends.
    Thread(f64),
}

#[derive(Debug, Default)]
pub(crate) struct Frame {
    pub(crate) vars: HashMap<String, Val>,
    /// Module-level code writes the globals.
    pub(crate) module: bool,
}

pub(crate) struct Sim<'a> {
    pub(crate) s: &'a Scenario,
    pub(crate) cores: u32,
    pub(crate) plan: Plan,
    pub(crate) pools: HashMap<&'a str, Workers>,
    pub(crate) default_pool: Option<Workers>,
    /// Started threads and processes: kind, daemon, when they end.
    pub(crate) started: Vec<(StartKind, bool, f64)>,
    pub(crate) globals: HashMap<String, Val>,
    pub(crate) visiting: Vec<&'a str>,
    pub(crate) has_loop: bool,
    /// Some step computes (CPU work or a computed value).
    pub(crate) computes: bool,
    /// Some step runs on rayon's pool, every core.
    pub(crate) parallel: bool,
    pub(crate) resources: Resources<'a>,
    /// Steps run so far, loops' repetitions included.
    pub(crate) executed: u64,
    /// Each open task group.
    pub(crate) groups: HashMap<&'a str, Group>,
    /// The schedule subject by subject, when it is asked for.
    pub(crate) ghosts: Option<Vec<Ghost>>,
    /// The ghost of the subject running now.
    pub(crate) current: Option<usize>,
}

impl<'a> Sim<'a> {
    pub(crate) fn new(s: &'a Scenario, cores: u32, known: &'a Known, ghosts: bool) -> Self {
        Self {
            s,
            cores,
            plan: Plan::default(),
            pools: HashMap::new(),
            default_pool: None,
            started: Vec::new(),
            globals: HashMap::new(),
            visiting: Vec::new(),
            has_loop: false,
            computes: false,
            parallel: false,
            resources: Resources::new(s, known),
            executed: 0,
            groups: HashMap::new(),
            ghosts: ghosts.then(Vec::new),
            current: None,
        }
    }

    pub(crate) fn count(&mut self, instances: u64, events: u64) {
        self.plan.instances = self.plan.instances.saturating_add(instances);
        self.plan.events = self.plan.events.saturating_add(events);
    }

    pub(crate) fn workers(&mut self, kind: PoolKind, n: u32) {
        let n = u64::from(n);
        match kind {
            PoolKind::Thread => self.plan.threads = self.plan.threads.saturating_add(n),
            PoolKind::Process => self.plan.processes = self.plan.processes.saturating_add(n),
        }
    }

    /// Runs `steps` from `start`; when they end, and what a `return` gave if one ran.
    pub(crate) fn body(
        &mut self,
        steps: &'a [Step],
        path: &str,
        start: f64,
        frame: &mut Frame,
    ) -> Result<(f64, Option<Exit>), PlanError> {
        let mut now = start;
        for (j, step) in steps.iter().enumerate() {
            let at = format!("{path}[{j}]");
            self.executed += 1;
            if self.executed > MAX_EXECUTED_STEPS {
                return Err(PlanError::TooManySteps { at });
            }
            if let Some(exit) = crate::kinds::simulate(self, step, &at, &mut now, frame)? {
                return Ok((now, Some(exit)));
            }
        }
        Ok((now, None))
    }
}
