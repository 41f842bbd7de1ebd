//! What a scenario will cost before it runs: how many instances and events it can create,
//! how many threads and processes it starts, and how long its ideal schedule takes.
//!
//! The ideal schedule is the lesson's prediction: sleeps overlap, a gather takes its longest
//! call, a pool of `w` workers runs its jobs `w` at a time, and non-daemon threads and
//! processes are waited for at the end. Contention the lesson is about (the GIL, a blocked
//! loop) is not in it: the measured time shows it against the ideal.

use std::collections::HashMap;

use crate::limits::{GIL_SWITCH_MS, HEARTBEAT_MS, MAX_RUN_WALL_MS};
use crate::model::{Call, Function, PoolKind, Scenario, Step};

/// A scenario's cost. Counts saturate rather than overflow.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Plan {
    /// The ideal schedule's length, in ms after scaling.
    pub ideal_ms: f64,
    /// Task, job, thread, process and request instances created.
    pub instances: u64,
    /// Events emitted, at most.
    pub events: u64,
    /// Threads started besides the loop: pool workers and started threads.
    pub threads: u64,
    /// Processes started: pool workers and started processes.
    pub processes: u64,
}

/// Events every instance has: created, queued, started, and how it ended.
const EVENTS_PER_INSTANCE: u64 = 4;

/// Why a plan cannot be made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PlanError {
    /// Task `name` awaits itself, directly or through others.
    Cycle(String),
}

/// The cost of one function or task body, unscaled ms.
#[derive(Debug, Clone, Copy, Default)]
struct Cost {
    ms: f64,
    instances: u64,
    events: u64,
    threads: u64,
    processes: u64,
}

impl Cost {
    fn add(&mut self, other: Cost) {
        self.instances = self.instances.saturating_add(other.instances);
        self.events = self.events.saturating_add(other.events);
        self.threads = self.threads.saturating_add(other.threads);
        self.processes = self.processes.saturating_add(other.processes);
    }

    fn times(self, n: u64) -> Cost {
        Cost {
            ms: self.ms,
            instances: self.instances.saturating_mul(n),
            events: self.events.saturating_mul(n),
            threads: self.threads.saturating_mul(n),
            processes: self.processes.saturating_mul(n),
        }
    }
}

struct Planner<'a> {
    s: &'a Scenario,
    cores: u32,
    tasks: HashMap<&'a str, Cost>,
    visiting: Vec<&'a str>,
}

/// Plans `s` for a machine with `cores` cores (`par_cpu` runs on at most that many at once).
/// References must already resolve (validation checks them first); an unknown name counts
/// as nothing.
pub fn plan(s: &Scenario, cores: u32) -> Result<Plan, PlanError> {
    let mut p = Planner {
        s,
        cores: cores.max(1),
        tasks: HashMap::new(),
        visiting: Vec::new(),
    };
    let mut main = p.body(&s.main)?;
    main.ms = main.ms.max(p.join_tail(&s.main));
    main.instances = main.instances.saturating_add(1);
    main.events = main.events.saturating_add(EVENTS_PER_INSTANCE);
    if let Some(r) = &s.requests {
        let handler = p.task(&r.handler)?;
        let n = u64::from(r.count);
        main.add(handler.times(n));
        main.instances = main.instances.saturating_add(n);
        main.events = main
            .events
            .saturating_add(n.saturating_mul(EVENTS_PER_INSTANCE + 1));
        let last_arrival = r.every_ms as f64 * f64::from(r.count.saturating_sub(1));
        main.ms = main.ms.max(last_arrival + handler.ms);
    }
    for pool in &s.pools {
        let workers = u64::from(pool.max_workers);
        match pool.kind {
            PoolKind::Thread => main.threads = main.threads.saturating_add(workers),
            PoolKind::Process => main.processes = main.processes.saturating_add(workers),
        }
    }
    // Heartbeat samples of the loop's lag, for as long as a run may last.
    main.events = main.events.saturating_add(MAX_RUN_WALL_MS / HEARTBEAT_MS);
    Ok(Plan {
        ideal_ms: main.ms * s.time_scale,
        instances: main.instances,
        events: main.events,
        threads: main.threads,
        processes: main.processes,
    })
}

impl<'a> Planner<'a> {
    fn task(&mut self, name: &'a str) -> Result<Cost, PlanError> {
        if let Some(cost) = self.tasks.get(name) {
            return Ok(*cost);
        }
        if self.visiting.contains(&name) {
            return Err(PlanError::Cycle(name.to_owned()));
        }
        let Some(task) = self.s.task(name) else {
            return Ok(Cost::default());
        };
        self.visiting.push(name);
        let mut cost = self.body(&task.steps)?;
        self.visiting.pop();
        cost.instances = cost.instances.saturating_add(1);
        cost.events = cost.events.saturating_add(EVENTS_PER_INSTANCE);
        self.tasks.insert(name, cost);
        Ok(cost)
    }

    fn function(&self, name: &str) -> Cost {
        let Some(Function { steps, .. }) = self.s.function(name) else {
            return Cost::default();
        };
        // Functions hold only plain steps: no recursion possible.
        let mut cost = Cost {
            instances: 1,
            events: EVENTS_PER_INSTANCE,
            ..Cost::default()
        };
        for step in steps {
            cost.ms += step_ms(step, self.cores);
            cost.events = cost.events.saturating_add(step_events(step, self.s));
            cost.instances = cost.instances.saturating_add(par_chunks(step));
        }
        cost
    }

    fn body(&mut self, steps: &'a [Step]) -> Result<Cost, PlanError> {
        let mut cost = Cost::default();
        for step in steps {
            cost.events = cost.events.saturating_add(step_events(step, self.s));
            cost.instances = cost.instances.saturating_add(par_chunks(step));
            cost.ms += step_ms(step, self.cores);
            match step {
                Step::Spawn { task } => cost.add(self.task(task)?),
                Step::Gather { calls } => {
                    let (ms, inner) = self.gather(calls)?;
                    cost.ms += ms;
                    cost.add(inner);
                }
                Step::StartThread { function, .. } => {
                    cost.add(self.function(function));
                    cost.threads = cost.threads.saturating_add(1);
                }
                Step::StartProcess { function, .. } => {
                    cost.add(self.function(function));
                    cost.processes = cost.processes.saturating_add(1);
                }
                _ => {}
            }
        }
        Ok(cost)
    }

    /// A gather's ideal length and what its calls cost together.
    fn gather(&mut self, calls: &'a [Call]) -> Result<(f64, Cost), PlanError> {
        let mut total = Cost::default();
        let mut longest: f64 = 0.0;
        let mut per_pool: HashMap<&str, (f64, f64)> = HashMap::new(); // pool → (sum, longest)
        for call in calls {
            let n = u64::from(call.times());
            match call {
                Call::Task { task, .. } => {
                    let cost = self.task(task)?;
                    longest = longest.max(cost.ms);
                    total.add(cost.times(n));
                }
                Call::Executor { pool, function, .. } => {
                    let cost = self.function(function);
                    let entry = per_pool.entry(pool.as_str()).or_default();
                    entry.0 += cost.ms * n as f64;
                    entry.1 = entry.1.max(cost.ms);
                    total.add(cost.times(n));
                }
            }
        }
        for (pool, (sum, max)) in per_pool {
            let workers = self.s.pool(pool).map_or(1, |(_, p)| p.max_workers.max(1));
            longest = longest.max(max.max(sum / f64::from(workers)));
        }
        Ok((longest, total))
    }

    /// When the last non-daemon thread or process started by `steps` ends, if main waited
    /// for nothing else: the start offset plus its function's length.
    fn join_tail(&self, steps: &[Step]) -> f64 {
        let mut at = 0.0;
        let mut tail: f64 = 0.0;
        for step in steps {
            match step {
                Step::StartThread {
                    function,
                    daemon: false,
                    ..
                }
                | Step::StartProcess {
                    function,
                    daemon: false,
                    ..
                } => {
                    tail = tail.max(at + self.function(function).ms);
                }
                Step::Gather { .. } | Step::Spawn { .. } => {}
                other => at += step_ms(other, self.cores),
            }
        }
        tail
    }
}

/// A plain step's own ideal length, unscaled ms.
fn step_ms(step: &Step, cores: u32) -> f64 {
    match step {
        Step::ParCpu { ms, chunks } => *ms as f64 / f64::from((*chunks).clamp(1, cores)),
        other => other.own_ms() as f64,
    }
}

fn step_events(step: &Step, s: &Scenario) -> u64 {
    match step {
        Step::Print { .. } => 1,
        Step::ParCpu { chunks, .. } => 2 + u64::from(*chunks) * EVENTS_PER_INSTANCE,
        // With the GIL on, a cpu step may hand it over every switch interval: wait, acquire
        // and release each time.
        Step::Cpu { ms } if s.options.gil => {
            let scaled = (*ms as f64 * s.time_scale) as u64;
            2 + 3 * (scaled / GIL_SWITCH_MS + 1)
        }
        _ => 2,
    }
}

fn par_chunks(step: &Step) -> u64 {
    match step {
        Step::ParCpu { chunks, .. } => u64::from(*chunks),
        _ => 0,
    }
}
