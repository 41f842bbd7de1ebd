//! The scenario run in virtual time: every step takes its ideal duration, and the counts of
//! what it creates add up as it goes.

use std::collections::HashMap;

use super::resources::{Known, Resources};
use super::{Plan, PlanError};
use crate::limits::{GIL_SWITCH_MS, HEARTBEAT_MS, MAX_EXECUTED_STEPS, MAX_RUN_WALL_MS};
use crate::model::{
    Call, ExcClass, Expr, Handler, LoopFlavor, Op, PoolKind, Scenario, StartKind, Step,
};
use crate::python::value::{Value, cost_ns, eval_shape};

/// Events every instance has: created, queued or not, started, and how it ended.
const EVENTS_PER_INSTANCE: u64 = 4;

/// A pool's workers: when each is free next, in ms.
#[derive(Debug, Clone, Default)]
struct Workers {
    free: Vec<f64>,
    last: f64,
}

impl Workers {
    fn new(n: u32) -> Self {
        Self {
            free: vec![0.0; n.max(1) as usize],
            last: 0.0,
        }
    }

    /// Runs a job of `ms` submitted at `at` on the worker free first; when it ends.
    fn run(&mut self, at: f64, ms: f64) -> f64 {
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

/// How a body ended early: a `return`, or an exception raised and not caught in it.
#[derive(Debug, Clone)]
enum Exit {
    Return(Value),
    Raise(ExcClass),
}

/// What a coroutine, a function or a job gives whoever awaits it: its value, or the class of
/// the exception it raised, which the awaiting body raises in turn.
type Outcome = Result<Value, ExcClass>;

/// An open task group: when its last child ends, and when a child first failed.
#[derive(Debug, Clone, Copy)]
struct Group {
    last: f64,
    failed: Option<f64>,
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

    /// The plan, and what this pass saw of queues and events.
    pub(super) fn run(mut self) -> Result<(Plan, Known), PlanError> {
        let s = self.s;
        for p in &s.pools {
            if !s.opened_by_with(&p.name) {
                let n = p.workers(self.cores);
                self.pools.insert(&p.name, Workers::new(n));
                self.workers(p.kind, n);
            }
        }
        if let LoopFlavor::MultiThread { workers } = s.options.loop_flavor {
            self.plan.threads = self.plan.threads.saturating_add(u64::from(workers));
        }
        self.count(1, EVENTS_PER_INSTANCE);
        let mut frame = Frame {
            module: true,
            ..Frame::default()
        };
        let (mut now, _) = self.body(&s.main, "main", 0.0, &mut frame)?;
        if let Some(server) = &s.server {
            self.has_loop = true;
            let start = now;
            for t in &server.traffic {
                let Some(route) = s.route(&t.path) else {
                    continue;
                };
                for k in 0..t.count {
                    let arrival = start + t.at_ms as f64 + t.every_ms as f64 * f64::from(k);
                    let (end, _) = self.task(&route.handler, vec![], arrival, "server")?;
                    self.count(1, EVENTS_PER_INSTANCE + 1);
                    now = now.max(end);
                }
            }
        }
        // Exit: pools finish their work and non-daemon threads are joined; daemon processes
        // are terminated and the others joined; daemon threads are abandoned.
        for w in self.pools.values() {
            now = now.max(w.last);
        }
        for (_, daemon, end) in &self.started {
            if !daemon {
                now = now.max(*end);
            }
        }
        if self.has_loop {
            self.plan.events = self
                .plan
                .events
                .saturating_add(MAX_RUN_WALL_MS / HEARTBEAT_MS);
        }
        self.plan.ideal_ms = now * s.time_scale;
        self.plan.cores_busy = self.cores_busy();
        Ok((self.plan, self.resources.learned()))
    }

    fn cores_busy(&self) -> u32 {
        if !self.computes {
            return 0;
        }
        if self.parallel {
            return self.cores;
        }
        let threads = if self.s.options.gil {
            1
        } else {
            self.plan.threads.saturating_add(1)
        };
        let busy = threads.saturating_add(self.plan.processes);
        u32::try_from(busy).unwrap_or(u32::MAX).clamp(1, self.cores)
    }

    /// A coroutine called with `args` at `start`: when it ends and what it returns or raises.
    fn task(
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
    fn function(
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

    fn lookup(&self, frame: &Frame, name: &str) -> Option<Value> {
        let val = frame.vars.get(name).or_else(|| self.globals.get(name))?;
        match val {
            Val::Value(v) | Val::Done(_, Ok(v)) => Some(v.clone()),
            Val::Done(_, Err(_)) => Some(Value::None),
            Val::Thread(_) => None,
        }
    }

    fn bind(&mut self, frame: &mut Frame, name: &str, val: Val) {
        if frame.module {
            self.globals.insert(name.to_owned(), val);
        } else {
            frame.vars.insert(name.to_owned(), val);
        }
    }

    fn eval(&self, frame: &Frame, e: &Expr, at: &str) -> Result<(Value, f64), PlanError> {
        let lookup = |name: &str| self.lookup(frame, name);
        let err = |e: crate::python::value::EvalError| PlanError::Eval {
            at: at.into(),
            message: e.to_string(),
        };
        let value = eval_shape(e, &lookup).map_err(err)?;
        let ms = cost_ns(e, &lookup).map_err(err)? / 1e6;
        Ok((value, ms))
    }

    /// `e`'s value; a computation in it takes CPython's time for it from `now`.
    fn computed(
        &mut self,
        frame: &Frame,
        e: &Expr,
        at: &str,
        now: &mut f64,
    ) -> Result<Value, PlanError> {
        let (v, ms) = self.eval(frame, e, at)?;
        if e.computes() {
            *now += ms;
            let events = self.cpu_events(ms);
            self.count(0, events);
        }
        Ok(v)
    }

    fn cpu_events(&mut self, ms: f64) -> u64 {
        self.computes = true;
        if self.s.options.gil {
            let scaled = (ms * self.s.time_scale) as u64;
            2 + 3 * (scaled / GIL_SWITCH_MS + 1)
        } else {
            2
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
                    let (end, mut exit) = self.body(body, &format!("{at}.body"), now, frame)?;
                    now = end;
                    if let Some(Exit::Raise(class)) = exit {
                        let caught = handlers
                            .iter()
                            .enumerate()
                            .find(|(_, h)| catches(h, *star, class));
                        if let Some((k, h)) = caught {
                            let path = format!("{at}.handlers[{k}].body");
                            (now, exit) = self.body(&h.body, &path, now, frame)?;
                        }
                    }
                    let (end, after) = self.body(finally, &format!("{at}.finally"), now, frame)?;
                    now = end;
                    if let Some(exit) = after.or(exit) {
                        return Ok((now, Some(exit)));
                    }
                }
                Step::Cancel { name } => {
                    // The task ends where it awaits, now, if it had not ended, and raises
                    // `CancelledError` to whoever awaits it.
                    let cancelled = match frame.vars.get(name).or_else(|| self.globals.get(name)) {
                        Some(Val::Done(end, _)) if *end > now => {
                            Val::Done(now, Err(ExcClass::CancelledError))
                        }
                        Some(other) => other.clone(),
                        None => continue,
                    };
                    self.bind(frame, name, cancelled);
                }
                Step::Timeout { ms, body } => {
                    let limit = now + *ms as f64;
                    let (end, exit) = self.body(body, &format!("{at}.body"), now, frame)?;
                    self.count(0, 2);
                    if end > limit {
                        return Ok((limit, Some(Exit::Raise(ExcClass::TimeoutError))));
                    }
                    now = end;
                    if exit.is_some() {
                        return Ok((now, exit));
                    }
                }
                Step::TaskGroup { name, body } => {
                    let fresh = Group {
                        last: now,
                        failed: None,
                    };
                    let outer = self.groups.insert(name, fresh);
                    let (end, exit) = self.body(body, &format!("{at}.body"), now, frame)?;
                    let group = self.groups.remove(name.as_str()).unwrap_or(fresh);
                    if let Some(outer) = outer {
                        self.groups.insert(name, outer);
                    }
                    self.count(0, 2);
                    let (end, exit) = group_end(group, end, exit);
                    now = end;
                    if exit.is_some() {
                        return Ok((now, exit));
                    }
                }
            }
        }
        Ok((now, None))
    }

    fn values(&self, frame: &Frame, args: &[Expr], at: &str) -> Result<Vec<Value>, PlanError> {
        args.iter()
            .map(|a| Ok(self.eval(frame, a, at)?.0))
            .collect()
    }

    /// A gather's or an await's call, from `now`: when it ends and its result (of one copy).
    fn call(
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
                let before = self.plan;
                let (end, v) = self.task(task, args, now, at)?;
                // `await task()` runs the coroutine in the awaiting task; a gather wraps each
                // in a task of its own.
                if !inline {
                    self.count(1, EVENTS_PER_INSTANCE);
                }
                self.repeat(before, *times);
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
    fn repeat(&mut self, before: Plan, times: u32) {
        let extra = u64::from(times.saturating_sub(1));
        let instances = self.plan.instances.saturating_sub(before.instances);
        let events = self.plan.events.saturating_sub(before.events);
        self.count(
            instances.saturating_mul(extra),
            events.saturating_mul(extra),
        );
    }

    /// A job on `pool` (the loop's default executor when `None`) submitted at `at`.
    fn job(
        &mut self,
        pool: Option<&str>,
        function: &str,
        args: Vec<Value>,
        at: f64,
    ) -> Result<(f64, Outcome), PlanError> {
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
        Ok((end, value))
    }
}

/// What a body's end gives whoever called it.
fn outcome(exit: Option<Exit>) -> Outcome {
    match exit {
        Some(Exit::Return(v)) => Ok(v),
        Some(Exit::Raise(class)) => Err(class),
        None => Ok(Value::None),
    }
}

/// When a task group's `async with` ends, and how, given its body's end and exit. The first
/// failure (a child's exception, or the body's own) cancels the body and every child still
/// running at that moment; the cancelled end there and then, and the group raises
/// `ExceptionGroup`. A body cancelled from outside, no child having failed, raises on its
/// `CancelledError`. Otherwise the group waits for its last child.
fn group_end(group: Group, end: f64, exit: Option<Exit>) -> (f64, Option<Exit>) {
    let body_failed = match exit {
        Some(Exit::Raise(class)) => Some((end, class)),
        Some(Exit::Return(_)) | None => None,
    };
    let child_failed = group
        .failed
        .filter(|f| body_failed.is_none_or(|(b, _)| *f < b));
    match (child_failed, body_failed) {
        (Some(at), _) => (at, Some(Exit::Raise(ExcClass::ExceptionGroup))),
        (None, Some((at, ExcClass::CancelledError))) => {
            (at, Some(Exit::Raise(ExcClass::CancelledError)))
        }
        (None, Some((at, _))) => (at, Some(Exit::Raise(ExcClass::ExceptionGroup))),
        (None, None) => (end.max(group.last), exit),
    }
}

/// Whether `handler` catches `class`: an `except*` catches its class inside a group too.
fn catches(handler: &Handler, star: bool, class: ExcClass) -> bool {
    handler.class.catches(class) || (star && class == ExcClass::ExceptionGroup)
}
