//! Checks a [`Scenario`] against the [`limits`](crate::limits) before anything runs.
//!
//! Each refusal names the field by its path in the scenario's JSON (`tasks[1].steps[0].ms`)
//! and the limit it broke, so both the UI and the server can point at it.

use crate::limits::*;
use crate::model::{Call, LoopFlavor, Scenario, Step};
use crate::plan::{PlanError, plan};
use crate::protocol::ClientMsg;

/// Why a scenario was refused.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{field}: {message}")]
pub struct ValidationError {
    /// Path of the offending field, as in the scenario's JSON: `tasks[1].steps[0].ms`.
    pub field: String,
    /// What is wrong, with the limit where one was broken.
    pub message: String,
}

impl ValidationError {
    fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            message: message.into(),
        }
    }
}

/// Parses a scenario from JSON and validates it.
pub fn parse_scenario(json: &str) -> Result<Scenario, ValidationError> {
    let scenario: Scenario = from_json(json, "scenario")?;
    validate(&scenario)?;
    Ok(scenario)
}

/// Parses JSON into `T`; an error names the path where parsing stopped (`tasks[0].steps[1]`),
/// or `root` when it stopped at the top.
pub fn from_json<T: serde::de::DeserializeOwned>(
    json: &str,
    root: &str,
) -> Result<T, ValidationError> {
    let at = |field: String, message: String| {
        // serde_path_to_error says "." at the top, "?" where the JSON itself is broken, and
        // nothing at all for an unknown field whose name is empty.
        let field = if field.is_empty() || field == "." || field == "?" {
            root.to_owned()
        } else {
            field
        };
        ValidationError::new(field, message)
    };
    let mut de = serde_json::Deserializer::from_str(json);
    let value = serde_path_to_error::deserialize(&mut de)
        .map_err(|e| at(e.path().to_string(), e.into_inner().to_string()))?;
    // Trailing characters after the value.
    de.end().map_err(|e| at(".".into(), e.to_string()))?;
    Ok(value)
}

/// Parses a client message. A malformed scenario inside a `run` is reported at its exact
/// field (`scenario.tasks[0].steps[1].ms`), which serde alone cannot do through a tagged enum.
pub fn parse_client_msg(json: &str) -> Result<ClientMsg, ValidationError> {
    from_json(json, "message").map_err(|e| {
        if e.field != "message" {
            return e;
        }
        // Only on the error path: find the field by reading the scenario on its own.
        let value: serde_json::Value = match serde_json::from_str(json) {
            Ok(value) => value,
            Err(_) => return e,
        };
        match value.get("scenario") {
            Some(scenario) if value.get("type").and_then(|t| t.as_str()) == Some("run") => {
                match from_json::<Scenario>(&scenario.to_string(), "") {
                    Err(inner) if !inner.field.is_empty() => ValidationError {
                        field: format!("scenario.{}", inner.field),
                        message: inner.message,
                    },
                    _ => e,
                }
            }
            _ => e,
        }
    })
}

/// Checks every limit and every reference; the first problem found is reported.
pub fn validate(s: &Scenario) -> Result<(), ValidationError> {
    check_name("name", &s.name)?;
    if !s.time_scale.is_finite() || !(MIN_TIME_SCALE..=MAX_TIME_SCALE).contains(&s.time_scale) {
        return Err(ValidationError::new(
            "time_scale",
            format!(
                "{} is outside {MIN_TIME_SCALE}..={MAX_TIME_SCALE} (MIN_TIME_SCALE..=MAX_TIME_SCALE)",
                s.time_scale
            ),
        ));
    }
    if let LoopFlavor::MultiThread { workers } = s.options.loop_flavor {
        in_range(
            "options.loop_flavor.workers",
            workers,
            1,
            MAX_LOOP_WORKERS,
            "MAX_LOOP_WORKERS",
        )?;
    }
    if s.pools.len() > MAX_POOLS {
        return Err(over(
            "pools",
            s.pools.len(),
            MAX_POOLS,
            "MAX_POOLS",
            "pools",
        ));
    }
    for (i, pool) in s.pools.iter().enumerate() {
        check_name(&format!("pools[{i}].name"), &pool.name)?;
        in_range(
            &format!("pools[{i}].max_workers"),
            pool.max_workers,
            1,
            MAX_POOL_WORKERS,
            "MAX_POOL_WORKERS",
        )?;
    }
    unique("pools", s.pools.iter().map(|p| p.name.as_str()))?;
    let mut total_steps = s.main.len();
    for (kind, defs) in [("functions", &s.functions), ("tasks", &s.tasks)] {
        if defs.len() > MAX_TASKS {
            return Err(over(kind, defs.len(), MAX_TASKS, "MAX_TASKS", kind));
        }
        unique(kind, defs.iter().map(|f| f.name.as_str()))?;
        for (i, def) in defs.iter().enumerate() {
            check_name(&format!("{kind}[{i}].name"), &def.name)?;
            check_steps(
                s,
                &format!("{kind}[{i}].steps"),
                &def.steps,
                kind == "tasks",
            )?;
            total_steps += def.steps.len();
        }
    }
    check_steps(s, "main", &s.main, true)?;
    if total_steps > MAX_TOTAL_STEPS {
        return Err(over(
            "tasks",
            total_steps,
            MAX_TOTAL_STEPS,
            "MAX_TOTAL_STEPS",
            "steps in all",
        ));
    }
    if let Some(r) = &s.requests {
        if s.task(&r.handler).is_none() {
            return Err(ValidationError::new(
                "requests.handler",
                format!("no task is named `{}`", r.handler),
            ));
        }
        in_range("requests.count", r.count, 1, MAX_REQUESTS, "MAX_REQUESTS")?;
        if r.every_ms > MAX_STEP_MS {
            return Err(ValidationError::new(
                "requests.every_ms",
                format!(
                    "{} ms exceeds the limit of {MAX_STEP_MS} ms (MAX_STEP_MS)",
                    r.every_ms
                ),
            ));
        }
    }
    // One core: the limit must hold on any machine.
    let plan = plan(s, 1).map_err(|PlanError::Cycle(name)| {
        ValidationError::new(
            "tasks",
            format!("task `{name}` awaits itself, directly or through other tasks"),
        )
    })?;
    if plan.ideal_ms > MAX_SCENARIO_MS as f64 {
        return Err(ValidationError::new(
            "main",
            format!(
                "the scenario takes {:.0} ms after scaling, over the limit of {MAX_SCENARIO_MS} ms (MAX_SCENARIO_MS)",
                plan.ideal_ms
            ),
        ));
    }
    let counts = [
        (
            plan.instances,
            MAX_INSTANCES,
            "MAX_INSTANCES",
            "task, job, thread, process and request instances",
        ),
        (plan.events, MAX_EVENTS, "MAX_EVENTS", "events"),
        (
            plan.threads,
            u64::from(MAX_THREADS),
            "MAX_THREADS",
            "threads",
        ),
        (
            plan.processes,
            u64::from(MAX_PROCESSES),
            "MAX_PROCESSES",
            "processes",
        ),
    ];
    for (count, limit, constant, what) in counts {
        if count > limit {
            return Err(ValidationError::new(
                "main",
                format!(
                    "the scenario could create {count} {what}, over the limit of {limit} ({constant})"
                ),
            ));
        }
    }
    Ok(())
}

fn over(field: &str, count: usize, limit: usize, constant: &str, what: &str) -> ValidationError {
    ValidationError::new(
        field,
        format!("{count} {what} exceed the limit of {limit} ({constant})"),
    )
}

fn in_range(
    field: &str,
    value: u32,
    min: u32,
    max: u32,
    constant: &str,
) -> Result<(), ValidationError> {
    if (min..=max).contains(&value) {
        Ok(())
    } else {
        Err(ValidationError::new(
            field,
            format!("{value} is outside {min}..={max} ({constant})"),
        ))
    }
}

fn unique<'a>(field: &str, names: impl Iterator<Item = &'a str>) -> Result<(), ValidationError> {
    let mut seen = std::collections::HashSet::new();
    for (i, name) in names.enumerate() {
        if !seen.insert(name) {
            return Err(ValidationError::new(
                format!("{field}[{i}].name"),
                format!("`{name}` is defined twice"),
            ));
        }
    }
    Ok(())
}

fn check_name(field: &str, name: &str) -> Result<(), ValidationError> {
    if name.trim().is_empty() {
        return Err(ValidationError::new(field, "must not be empty"));
    }
    if name.len() > MAX_NAME_BYTES {
        return Err(ValidationError::new(
            field,
            format!(
                "{} bytes exceed the limit of {MAX_NAME_BYTES} (MAX_NAME_BYTES)",
                name.len()
            ),
        ));
    }
    Ok(())
}

fn check_text(field: String, text: &str) -> Result<(), ValidationError> {
    if text.len() > MAX_TEXT_BYTES {
        return Err(ValidationError::new(
            field,
            format!(
                "{} bytes exceed the limit of {MAX_TEXT_BYTES} (MAX_TEXT_BYTES)",
                text.len()
            ),
        ));
    }
    Ok(())
}

fn check_steps(
    s: &Scenario,
    path: &str,
    steps: &[Step],
    on_loop: bool,
) -> Result<(), ValidationError> {
    if steps.len() > MAX_STEPS_PER_TASK {
        return Err(over(
            path,
            steps.len(),
            MAX_STEPS_PER_TASK,
            "MAX_STEPS_PER_TASK",
            "steps",
        ));
    }
    for (j, step) in steps.iter().enumerate() {
        let at = format!("{path}[{j}]");
        if step.needs_loop() && !on_loop {
            return Err(ValidationError::new(
                format!("{at}.type"),
                "needs an event loop: it may appear only in main and in tasks",
            ));
        }
        check_step(s, &at, step)?;
    }
    Ok(())
}

fn check_step(s: &Scenario, at: &str, step: &Step) -> Result<(), ValidationError> {
    let ms = step.own_ms();
    if ms > MAX_STEP_MS {
        return Err(ValidationError::new(
            format!("{at}.ms"),
            format!("{ms} ms exceeds the limit of {MAX_STEP_MS} ms (MAX_STEP_MS)"),
        ));
    }
    let task = |field: String, name: &str| match s.task(name) {
        Some(_) => Ok(()),
        None => Err(ValidationError::new(
            field,
            format!("no task is named `{name}`"),
        )),
    };
    let function = |field: String, name: &str| match s.function(name) {
        Some(_) => Ok(()),
        None => Err(ValidationError::new(
            field,
            format!("no function is named `{name}`"),
        )),
    };
    match step {
        Step::Print { text } => check_text(format!("{at}.text"), text),
        Step::ParCpu { chunks, .. } => in_range(
            &format!("{at}.chunks"),
            *chunks,
            1,
            MAX_PAR_CHUNKS,
            "MAX_PAR_CHUNKS",
        ),
        Step::Spawn { task: name } => task(format!("{at}.task"), name),
        Step::StartThread {
            function: name,
            arg,
            ..
        }
        | Step::StartProcess {
            function: name,
            arg,
            ..
        } => {
            function(format!("{at}.function"), name)?;
            check_text(format!("{at}.arg"), arg)
        }
        Step::Gather { calls } => {
            for (k, call) in calls.iter().enumerate() {
                let at = format!("{at}.calls[{k}]");
                if call.times() == 0 {
                    return Err(ValidationError::new(
                        format!("{at}.times"),
                        "must be at least 1",
                    ));
                }
                match call {
                    Call::Task { task: name, .. } => task(format!("{at}.task"), name)?,
                    Call::Executor {
                        pool,
                        function: name,
                        arg,
                        ..
                    } => {
                        if s.pool(pool).is_none() {
                            return Err(ValidationError::new(
                                format!("{at}.pool"),
                                format!("no pool is named `{pool}`"),
                            ));
                        }
                        function(format!("{at}.function"), name)?;
                        check_text(format!("{at}.arg"), arg)?;
                    }
                }
            }
            Ok(())
        }
        Step::Sleep { .. } | Step::BlockingSleep { .. } | Step::Cpu { .. } => Ok(()),
    }
}

#[cfg(test)]
mod tests;
