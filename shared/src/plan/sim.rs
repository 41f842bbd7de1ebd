//! The scenario run in virtual time: every step takes its ideal duration, and the counts of
//! what it creates add up as it goes.

use std::collections::HashMap;

use calls::Workers;
use exc::{Group, Outcome, outcome};

use super::resources::{Known, Resources};
use super::{Plan, PlanError};
use crate::limits::MAX_EXECUTED_STEPS;
use crate::model::{ExcClass, Op, PoolKind, Scenario, StartKind, Step};
use crate::python::value::Value;

mod calls;
mod exc;
mod program;
mod values;

/// Events every instance has: created, queued or not, started, and how it ended.
const EVENTS_PER_INSTANCE: u64 = 4;

/// How a body ended early: a `return`, or an exception raised and not caught in it.
#[derive(Debug, Clone)]
enum Exit {
    Return(Value),
    Raise(ExcClass),
}

/// What a variable holds in virtual time.
#[derive(Debug, Clone)]
enum Val {
    Value(Value),
    /// A task or future: when it is done and what it gives.
    Done(f64, Outcome),
    /// A thread or process: when it ends.
    Thread(f64),
}

#[derive(Debug, Default)]
struct Frame {
    vars: HashMap<String, Val>,
    /// Module-level code writes the globals.
    module: bool,
}

pub(super) struct Sim<'a> {
    s: &'a Scenario,
    cores: u32,
    plan: Plan,
    pools: HashMap<&'a str, Workers>,
    default_pool: Option<Workers>,
    /// Started threads and processes: kind, daemon, when they end.
    started: Vec<(StartKind, bool, f64)>,
    globals: HashMap<String, Val>,
    visiting: Vec<&'a str>,
    has_loop: bool,
    /// Some step computes (CPU work or a computed value).
    computes: bool,
    /// Some step runs on rayon's pool, every core.
    parallel: bool,
    resources: Resources<'a>,
    /// Steps run so far, loops' repetitions included.
    executed: u64,
    /// Each open task group.
    groups: HashMap<&'a str, Group>,
}

impl<'a> Sim<'a> {
    pub(super) fn new(s: &'a Scenario, cores: u32, known: &'a Known) -> Self {
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
        }
    }

    fn count(&mut self, instances: u64, events: u64) {
        self.plan.instances = self.plan.instances.saturating_add(instances);
        self.plan.events = self.plan.events.saturating_add(events);
    }

    fn workers(&mut self, kind: PoolKind, n: u32) {
        let n = u64::from(n);
        match kind {
            PoolKind::Thread => self.plan.threads = self.plan.threads.saturating_add(n),
            PoolKind::Process => self.plan.processes = self.plan.processes.saturating_add(n),
        }
    }

    /// Runs `steps` from `start`; when they end, and what a `return` gave if one ran.
    fn body(
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
            match step {
                Step::Print { .. } => self.count(0, 1),
                Step::Sleep { ms } | Step::BlockingSleep { ms } => {
                    now += *ms as f64;
                    self.count(0, 2);
                }
                Step::Cpu { ms } => {
                    now += *ms as f64;
                    let events = self.cpu_events(*ms as f64);
                    self.count(0, events);
                }
                Step::ParCpu { ms, chunks } => {
                    (self.parallel, self.computes) = (true, true);
                    now += *ms as f64 / f64::from((*chunks).clamp(1, self.cores));
                    let chunks = u64::from(*chunks);
                    self.count(chunks, 2 + chunks * EVENTS_PER_INSTANCE);
                }
                Step::Assign { name, value } => {
                    let v = self.computed(frame, value, &at, &mut now)?;
                    self.bind(frame, name, Val::Value(v));
                }
                Step::Return { value } => {
                    let v = self.computed(frame, value, &at, &mut now)?;
                    return Ok((now, Some(Exit::Return(v))));
                }
                Step::Spawn {
                    task,
                    args,
                    into,
                    group,
                } => {
                    let args = self.values(frame, args, &at)?;
                    let (end, out) = self.task(task, args, now, &at)?;
                    self.count(1, EVENTS_PER_INSTANCE);
                    if let Some(g) = group.as_deref().and_then(|g| self.groups.get_mut(g)) {
                        g.last = g.last.max(end);
                        // A child's failure (not its cancellation) fails the group.
                        if out.as_ref().is_err_and(|c| *c != ExcClass::CancelledError) {
                            g.failed = Some(g.failed.map_or(end, |f| f.min(end)));
                        }
                    }
                    if let Some(name) = into {
                        self.bind(frame, name, Val::Done(end, out));
                    }
                }
                Step::Submit {
                    pool,
                    function,
                    args,
                    into,
                } => {
                    let args = self.values(frame, args, &at)?;
                    let (end, out) = self.job(pool.as_deref(), function, args, now)?;
                    self.bind(frame, into, Val::Done(end, out));
                }
                Step::Await {
                    call,
                    into,
                    timeout_ms,
                } => {
                    // `wait_for` wraps a coroutine in a task, and ends at its timeout.
                    let inline = timeout_ms.is_none();
                    let (end, out) = self.call(frame, call, now, &at, inline)?;
                    self.count(0, 2);
                    if let Some(limit) = timeout_ms.map(|ms| now + ms as f64)
                        && end > limit
                    {
                        return Ok((limit, Some(Exit::Raise(ExcClass::TimeoutError))));
                    }
                    now = now.max(end);
                    match out {
                        Ok(v) => {
                            if let Some(name) = into {
                                self.bind(frame, name, Val::Value(v));
                            }
                        }
                        // What the awaited raised, the awaiting body raises.
                        Err(class) => return Ok((now, Some(Exit::Raise(class)))),
                    }
                }
                Step::Gather { calls, into } => {
                    let mut results = Vec::new();
                    let mut end = now;
                    // The first exception raised, when: gather raises it then; the other
                    // awaitables run on.
                    let mut raised: Option<(f64, ExcClass)> = None;
                    for call in calls {
                        let (e, out) = self.call(frame, call, now, &at, false)?;
                        end = end.max(e);
                        match out {
                            Ok(v) => results.extend(std::iter::repeat_n(v, call.times() as usize)),
                            Err(class) if raised.is_none_or(|(r, _)| e < r) => {
                                raised = Some((e, class));
                            }
                            Err(_) => {}
                        }
                    }
                    self.count(0, 2);
                    if let Some((r, class)) = raised {
                        return Ok((r, Some(Exit::Raise(class))));
                    }
                    now = end;
                    if let Some(name) = into {
                        self.bind(frame, name, Val::Value(Value::List(results)));
                    }
                }
                Step::Start(start) => {
                    let args = self.values(frame, &start.args, &at)?;
                    let (end, _) = self.function(&start.function, args, now)?;
                    self.count(1, EVENTS_PER_INSTANCE);
                    match start.kind {
                        StartKind::Thread => {
                            self.plan.threads = self.plan.threads.saturating_add(1)
                        }
                        StartKind::Process => {
                            self.plan.processes = self.plan.processes.saturating_add(1)
                        }
                    }
                    self.started.push((start.kind, start.daemon, end));
                    if let Some(name) = &start.into {
                        self.bind(frame, name, Val::Thread(end));
                    }
                }
                Step::Join { name } => {
                    if let Some(Val::Thread(end)) =
                        frame.vars.get(name).or_else(|| self.globals.get(name))
                    {
                        now = now.max(*end);
                    }
                    self.count(0, 2);
                }
                Step::With { pool, body } => {
                    let Some((_, p)) = self.s.pool(pool) else {
                        continue;
                    };
                    let n = p.workers(self.cores);
                    self.workers(p.kind, n);
                    let outer = self.pools.insert(pool, Workers::new(n));
                    let (end, returned) = self.body(body, &format!("{at}.body"), now, frame)?;
                    let inner = self.pools.remove(pool.as_str()).unwrap_or_default();
                    if let Some(outer) = outer {
                        self.pools.insert(pool, outer);
                    }
                    now = end.max(inner.last);
                    self.count(0, 2);
                    if returned.is_some() {
                        return Ok((now, returned));
                    }
                }
                Step::Run { task, args } => {
                    self.has_loop = true;
                    let args = self.values(frame, args, &at)?;
                    let outer = self.default_pool.take();
                    let (end, out) = self.task(task, args, now, &at)?;
                    self.count(1, EVENTS_PER_INSTANCE);
                    now = end;
                    if let Some(default) = std::mem::replace(&mut self.default_pool, outer) {
                        now = now.max(default.last);
                    }
                    self.count(0, 2);
                    // An exception out of `asyncio.run` ends the program.
                    if let Err(class) = out {
                        return Ok((now, Some(Exit::Raise(class))));
                    }
                }
                Step::For { var, times, body } => {
                    let body_path = format!("{at}.body");
                    for k in 0..*times {
                        self.bind(frame, var, Val::Value(Value::Int(i128::from(k))));
                        let (end, returned) = self.body(body, &body_path, now, frame)?;
                        now = end;
                        if returned.is_some() {
                            return Ok((now, returned));
                        }
                    }
                }
                Step::Hold { resource, body } => {
                    let (slot, held) = self.resources.acquire(resource, now);
                    let (end, returned) = self.body(body, &format!("{at}.body"), held, frame)?;
                    self.resources.release(resource, slot, end);
                    now = end;
                    self.count(0, 2);
                    if returned.is_some() {
                        return Ok((now, returned));
                    }
                }
                Step::Use { resource, op } => match op {
                    Op::Set => self.resources.set(resource, now),
                    Op::Wait => {
                        now = self.resources.wait(resource, now);
                        self.count(0, 2);
                    }
                    Op::Put { value } => {
                        let v = self.computed(frame, value, &at, &mut now)?;
                        now = self.resources.put(resource, now, v);
                        self.count(0, 2);
                    }
                    Op::Get { into } => {
                        let (end, v) = self.resources.get(resource, now);
                        now = end;
                        self.count(0, 2);
                        if let Some(name) = into {
                            self.bind(frame, name, Val::Value(v));
                        }
                    }
                    Op::TaskDone => self.resources.task_done(resource, now),
                    Op::Join => {
                        now = self.resources.join(resource, now);
                        self.count(0, 2);
                    }
                },
                Step::Raise { class, .. } => {
                    self.count(0, 1);
                    let class = class.unwrap_or(ExcClass::Exception);
                    return Ok((now, Some(Exit::Raise(class))));
                }
                Step::Try {
                    body,
                    handlers,
                    star,
                    finally,
                } => {
                    let (end, exit) =
                        self.try_block((body, handlers, *star, finally), &at, now, frame)?;
                    now = end;
                    if exit.is_some() {
                        return Ok((now, exit));
                    }
                }
                Step::Cancel { name } => self.cancel(name, now, frame),
                Step::Timeout { ms, body } => {
                    let (end, exit) = self.timeout(*ms, body, &at, now, frame)?;
                    now = end;
                    if exit.is_some() {
                        return Ok((now, exit));
                    }
                }
                Step::TaskGroup { name, body } => {
                    let (end, exit) = self.task_group(name, body, &at, now, frame)?;
                    now = end;
                    if exit.is_some() {
                        return Ok((now, exit));
                    }
                }
            }
        }
        Ok((now, None))
    }
}
