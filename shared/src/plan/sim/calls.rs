//! Calls in virtual time: a coroutine, a plain function, a job on a pool's workers, and
//! what an await or a gather waits for.

use super::{EVENTS_PER_INSTANCE, Frame, Outcome, PlanError, Sim, Val, outcome};
use crate::model::{Call, Expr, PoolKind};
use crate::plan::{Plan, call_name};
use crate::protocol::SubjectKind;
use crate::python::value::Value;

/// A pool's workers: when each is free next, in ms.
#[derive(Debug, Clone, Default)]
pub(crate) struct Workers {
    pub(crate) free: Vec<f64>,
    pub(crate) last: f64,
}

impl Workers {
    pub(crate) fn new(n: u32) -> Self {
        Self {
            free: vec![0.0; n.max(1) as usize],
            last: 0.0,
        }
    }

    /// Runs a job of `ms` submitted at `at` on the worker free first; when it ends.
    pub(crate) fn run(&mut self, at: f64, ms: f64) -> f64 {
        let (i, free) = self
            .free
            .iter()
            .copied()
            .enumerate()
            .min_by(|a, b| a.1.total_cmp(&b.1))
            .unwrap_or((0, 0.0));
        let end = at.max(free) + ms;
        if let Some(slot) = self.free.get_mut(i) {
            *slot = end;
        }
        self.last = self.last.max(end);
        end
    }
}

impl<'a> Sim<'a> {
    /// A coroutine called with `args` at `start`: when it ends and what it returns or raises.
    pub(crate) fn task(
        &mut self,
        name: &str,
        args: Vec<Value>,
        start: f64,
        at: &str,
    ) -> Result<(f64, Outcome), PlanError> {
        let s = self.s;
        let Some((i, t)) = s.tasks.iter().enumerate().find(|(_, t)| t.name == name) else {
            return Ok((start, Ok(Value::None)));
        };
        if self.visiting.contains(&t.name.as_str()) {
            return Err(PlanError::Cycle(t.name.clone()));
        }
        if args.len() != t.params.len() {
            return Err(PlanError::Eval {
                at: at.into(),
                message: format!("TypeError: {name}() takes {} arguments", t.params.len()),
            });
        }
        self.visiting.push(&t.name);
        let mut frame = Frame::default();
        for (p, v) in t.params.iter().zip(args) {
            frame.vars.insert(p.clone(), Val::Value(v));
        }
        let result = self.body(&t.steps, &format!("tasks[{i}].steps"), start, &mut frame);
        self.visiting.pop();
        let (end, exit) = result?;
        Ok((end, outcome(exit)))
    }

    /// A plain function called with `args` at `start`.
    pub(crate) fn function(
        &mut self,
        name: &str,
        args: Vec<Value>,
        start: f64,
    ) -> Result<(f64, Outcome), PlanError> {
        let s = self.s;
        let Some((i, f)) = s.functions.iter().enumerate().find(|(_, f)| f.name == name) else {
            return Ok((start, Ok(Value::None)));
        };
        let mut frame = Frame::default();
        for (p, v) in f.params.iter().zip(args) {
            frame.vars.insert(p.clone(), Val::Value(v));
        }
        let (end, exit) = self.body(
            &f.steps,
            &format!("functions[{i}].steps"),
            start,
            &mut frame,
        )?;
        Ok((end, outcome(exit)))
    }

    pub(crate) fn values(
        &self,
        frame: &Frame,
        args: &[Expr],
        at: &str,
    ) -> Result<Vec<Value>, PlanError> {
        args.iter()
            .map(|a| Ok(self.eval(frame, a, at)?.0))
            .collect()
    }

    /// A gather's or an await's call, from `now`: when it ends and its result (of one copy).
    pub(crate) fn call(
        &mut self,
        frame: &Frame,
        call: &'a Call,
        now: f64,
        at: &str,
        inline: bool,
    ) -> Result<(f64, Outcome), PlanError> {
        match call {
            Call::Task { task, args, times } => {
                let args = self.values(frame, args, at)?;
                let before = (self.plan, self.ghost_count());
                // `await task()` runs the coroutine in the awaiting task; a gather wraps each
                // in a task of its own.
                let own = (!inline)
                    .then(|| self.enter(|| call_name(task, &args), SubjectKind::Task, now));
                let (end, v) = self.task(task, args, now, at)?;
                if let Some(own) = own {
                    self.leave(own, None, end);
                    self.count(1, EVENTS_PER_INSTANCE);
                }
                self.repeat(before.0, *times);
                self.copies(before.1, *times);
                Ok((end, v))
            }
            Call::Executor {
                pool,
                function,
                args,
                times,
            } => {
                let args = self.values(frame, args, at)?;
                let mut last = (now, Ok(Value::None));
                for _ in 0..*times {
                    let (end, out) = self.job(pool.as_deref(), function, args.clone(), now)?;
                    last = (last.0.max(end), last.1.and(out));
                }
                Ok(last)
            }
            Call::Handle { name } => {
                match frame.vars.get(name).or_else(|| self.globals.get(name)) {
                    Some(Val::Done(end, out)) => Ok((end.max(now), out.clone())),
                    _ => Ok((now, Ok(Value::None))),
                }
            }
        }
    }

    /// Counts `times - 1` more copies of what happened since `before`.
    pub(crate) fn repeat(&mut self, before: Plan, times: u32) {
        let extra = u64::from(times.saturating_sub(1));
        let instances = self.plan.instances.saturating_sub(before.instances);
        let events = self.plan.events.saturating_sub(before.events);
        self.count(
            instances.saturating_mul(extra),
            events.saturating_mul(extra),
        );
    }

    /// A job on `pool` (the loop's default executor when `None`) submitted at `at`.
    pub(crate) fn job(
        &mut self,
        pool: Option<&str>,
        function: &str,
        args: Vec<Value>,
        at: f64,
    ) -> Result<(f64, Outcome), PlanError> {
        let job = self.enter(|| call_name(function, &args), SubjectKind::Job, at);
        let (ms, value) = self.function(function, args, 0.0)?;
        self.count(1, EVENTS_PER_INSTANCE + 1);
        let end = match pool {
            Some(name) => match self.pools.get_mut(name) {
                Some(w) => w.run(at, ms),
                None => at + ms,
            },
            None => {
                if self.default_pool.is_none() {
                    let n = PoolKind::Thread.default_workers(self.cores);
                    self.workers(PoolKind::Thread, n);
                    self.default_pool = Some(Workers::new(n));
                }
                self.default_pool
                    .as_mut()
                    .map_or(at + ms, |w| w.run(at, ms))
            }
        };
        self.leave(job, Some(end - ms), end);
        Ok((end, value))
    }
}
