//! Checks a [`Scenario`] against the [`limits`](crate::limits) before anything runs.
//!
//! Each refusal names the field by its path in the scenario's JSON (`tasks[1].steps[0].ms`)
//! and the limit it broke, so both the UI and the server can point at it.

pub(crate) mod body;
mod path;

pub use path::json_path;

use crate::limits::*;
use crate::model::{Context, LoopFlavor, ResourceKind, Scenario, Server, is_identifier};
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
    pub(crate) fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            message: message.into(),
        }
    }
}

/// Parses a scenario from JSON and validates it for a machine with `cores` cores.
pub fn parse_scenario(json: &str, cores: u32) -> Result<Scenario, ValidationError> {
    let scenario: Scenario = from_json(json, "scenario")?;
    validate(&scenario, cores)?;
    Ok(scenario)
}

/// Parses JSON into `T`; an error names the path where parsing stopped (`tasks[0].steps[1]`),
/// or `root` when it stopped at the top.
pub fn from_json<T: serde::de::DeserializeOwned>(
    json: &str,
    root: &str,
) -> Result<T, ValidationError> {
    let at = |e: serde_json::Error| {
        let field = json_path(json, &e);
        let field = if field.is_empty() {
            root.to_owned()
        } else {
            field
        };
        ValidationError::new(field, e.to_string())
    };
    let mut de = serde_json::Deserializer::from_str(json);
    let value = T::deserialize(&mut de).map_err(at)?;
    // Trailing characters after the value.
    de.end().map_err(at)?;
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
            Some(scenario)
                if matches!(
                    value.get("type").and_then(|t| t.as_str()),
                    Some("run" | "repeat")
                ) =>
            {
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

/// Checks every limit and every reference for a machine with `cores` cores (the default
/// sizes of pools depend on them); the first problem found is reported.
pub fn validate(s: &Scenario, cores: u32) -> Result<(), ValidationError> {
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
        check_identifier(&format!("pools[{i}].name"), &pool.name)?;
        if let Some(workers) = pool.max_workers {
            in_range(
                &format!("pools[{i}].max_workers"),
                workers,
                1,
                MAX_POOL_WORKERS,
                "MAX_POOL_WORKERS",
            )?;
        }
    }
    if s.resources.len() > MAX_RESOURCES {
        return Err(over(
            "resources",
            s.resources.len(),
            MAX_RESOURCES,
            "MAX_RESOURCES",
            "resources",
        ));
    }
    for (i, r) in s.resources.iter().enumerate() {
        check_identifier(&format!("resources[{i}].name"), &r.name)?;
        match r.kind {
            ResourceKind::Semaphore { value } => in_range(
                &format!("resources[{i}].kind.value"),
                value,
                0,
                MAX_SEMAPHORE_VALUE,
                "MAX_SEMAPHORE_VALUE",
            )?,
            ResourceKind::Queue { maxsize } => in_range(
                &format!("resources[{i}].kind.maxsize"),
                maxsize,
                0,
                MAX_QUEUE_SIZE,
                "MAX_QUEUE_SIZE",
            )?,
            ResourceKind::Lock | ResourceKind::Event | ResourceKind::ThreadLock => {}
        }
    }
    let mut total_steps = 0;
    for (kind, defs) in [("functions", &s.functions), ("tasks", &s.tasks)] {
        if defs.len() > MAX_TASKS {
            return Err(over(kind, defs.len(), MAX_TASKS, "MAX_TASKS", kind));
        }
        for (i, def) in defs.iter().enumerate() {
            check_identifier(&format!("{kind}[{i}].name"), &def.name)?;
            for (k, param) in def.params.iter().enumerate() {
                check_identifier(&format!("{kind}[{i}].params[{k}]"), param)?;
            }
            unique(
                &format!("{kind}[{i}].params"),
                def.params.iter().map(String::as_str),
                "",
            )?;
        }
    }
    // Pools, functions and tasks share the module's one namespace, as in Python.
    unique_names(s)?;
    let globals = body::Globals::of(s);
    for (kind, defs, ctx) in [
        ("functions", &s.functions, Context::Function),
        ("tasks", &s.tasks, Context::Coroutine),
    ] {
        for (i, def) in defs.iter().enumerate() {
            let path = format!("{kind}[{i}].steps");
            total_steps += body::check(s, &globals, &path, &def.steps, ctx, &def.params)?;
        }
    }
    total_steps += body::check(s, &globals, "main", &s.main, Context::Module, &[])?;
    if total_steps > MAX_TOTAL_STEPS {
        return Err(over(
            "tasks",
            total_steps,
            MAX_TOTAL_STEPS,
            "MAX_TOTAL_STEPS",
            "steps in all",
        ));
    }
    if let Some(server) = &s.server {
        check_server(s, server)?;
    }
    if s.main.is_empty() && s.server.is_none() {
        return Err(ValidationError::new(
            "main",
            "the program does nothing: its module-level code (main) has no steps and it \
             serves no requests. Add `asyncio.run(main())`, a print, or a thread",
        ));
    }
    // One core for durations (a par_cpu step is longest there); this machine's cores for
    // what pools default to.
    let one_core = plan(s, 1).map_err(plan_error)?;
    if one_core.ideal_ms > MAX_SCENARIO_MS as f64 {
        return Err(ValidationError::new(
            "main",
            format!(
                "the scenario takes {:.0} ms after scaling, over the limit of {MAX_SCENARIO_MS} ms (MAX_SCENARIO_MS)",
                one_core.ideal_ms
            ),
        ));
    }
    let here = plan(s, cores).map_err(plan_error)?;
    let counts = [
        (
            one_core.instances.max(here.instances),
            MAX_INSTANCES,
            "MAX_INSTANCES",
            "task, job, thread, process and request instances",
        ),
        (
            one_core.events.max(here.events),
            MAX_EVENTS,
            "MAX_EVENTS",
            "events",
        ),
        (
            here.threads,
            u64::from(MAX_THREADS),
            "MAX_THREADS",
            "threads",
        ),
        (
            here.processes,
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

fn plan_error(e: PlanError) -> ValidationError {
    match e {
        PlanError::Cycle(name) => ValidationError::new(
            "tasks",
            format!("task `{name}` awaits itself, directly or through other tasks"),
        ),
        PlanError::Eval { at, message } => ValidationError::new(at, message),
        PlanError::TooManySteps { at } => ValidationError::new(
            at,
            format!(
                "the program would run more than {MAX_EXECUTED_STEPS} steps, every repetition \
                 of its loops counted (MAX_EXECUTED_STEPS)"
            ),
        ),
    }
}

fn check_server(s: &Scenario, server: &Server) -> Result<(), ValidationError> {
    for (i, route) in server.routes.iter().enumerate() {
        let at = format!("server.routes[{i}]");
        if !route.path.starts_with('/') || route.path.len() > MAX_NAME_BYTES {
            return Err(ValidationError::new(
                format!("{at}.path"),
                format!(
                    "a path starts with `/` and has at most {MAX_NAME_BYTES} bytes (MAX_NAME_BYTES)"
                ),
            ));
        }
        match s.task(&route.handler) {
            Some(t) if t.params.is_empty() => {}
            Some(_) => {
                return Err(ValidationError::new(
                    format!("{at}.handler"),
                    format!(
                        "`{}` takes parameters; a route's handler takes none",
                        route.handler
                    ),
                ));
            }
            None => {
                return Err(ValidationError::new(
                    format!("{at}.handler"),
                    format!("no async def is named `{}`", route.handler),
                ));
            }
        }
    }
    unique(
        "server.routes",
        server.routes.iter().map(|r| r.path.as_str()),
        ".path",
    )?;
    if server.traffic.is_empty() {
        // Its Python would read back with a default traffic: a web app is there to be called.
        return Err(ValidationError::new(
            "server.traffic",
            "the web app gets no requests: add traffic for one of its routes",
        ));
    }
    let mut total: u64 = 0;
    for (i, t) in server.traffic.iter().enumerate() {
        let at = format!("server.traffic[{i}]");
        if s.route(&t.path).is_none() {
            return Err(ValidationError::new(
                format!("{at}.path"),
                format!("no route answers `{}`", t.path),
            ));
        }
        in_range(
            &format!("{at}.count"),
            t.count,
            1,
            MAX_REQUESTS,
            "MAX_REQUESTS",
        )?;
        total += u64::from(t.count);
        for (field, ms) in [("every_ms", t.every_ms), ("at_ms", t.at_ms)] {
            if ms > MAX_STEP_MS {
                return Err(ValidationError::new(
                    format!("{at}.{field}"),
                    format!("{ms} ms exceeds the limit of {MAX_STEP_MS} ms (MAX_STEP_MS)"),
                ));
            }
        }
    }
    if total > u64::from(MAX_REQUESTS) {
        return Err(ValidationError::new(
            "server.traffic",
            format!("{total} requests in all exceed the limit of {MAX_REQUESTS} (MAX_REQUESTS)"),
        ));
    }
    Ok(())
}

/// Pools, resources, functions and tasks may not share a name, nor take the name of what the rendered
/// program imports or defines.
fn unique_names(s: &Scenario) -> Result<(), ValidationError> {
    let mut seen = std::collections::HashMap::new();
    let all = s
        .pools
        .iter()
        .enumerate()
        .map(|(i, p)| (format!("pools[{i}].name"), p.name.as_str()))
        .chain(
            s.functions
                .iter()
                .enumerate()
                .map(|(i, f)| (format!("functions[{i}].name"), f.name.as_str())),
        )
        .chain(
            s.tasks
                .iter()
                .enumerate()
                .map(|(i, t)| (format!("tasks[{i}].name"), t.name.as_str())),
        )
        .chain(
            s.resources
                .iter()
                .enumerate()
                .map(|(i, r)| (format!("resources[{i}].name"), r.name.as_str())),
        );
    for (field, name) in all {
        if RESERVED.contains(&name) {
            return Err(ValidationError::new(
                field,
                format!("`{name}` is a name the Python program needs for itself: pick another"),
            ));
        }
        if let Some(first) = seen.insert(name, field.clone()) {
            return Err(ValidationError::new(
                field,
                format!(
                    "`{name}` is defined twice (also at {first}): pools, resources, functions and tasks share one namespace"
                ),
            ));
        }
    }
    Ok(())
}

/// Names the rendered program binds itself.
const RESERVED: [&str; 16] = [
    "asyncio",
    "time",
    "math",
    "threading",
    "multiprocessing",
    "ThreadPoolExecutor",
    "ProcessPoolExecutor",
    "FastAPI",
    "app",
    "loop",
    "print",
    "sum",
    "range",
    "burn_cpu",
    "par_cpu",
    "None",
];

pub(crate) fn over(
    field: &str,
    count: usize,
    limit: usize,
    constant: &str,
    what: &str,
) -> ValidationError {
    ValidationError::new(
        field,
        format!("{count} {what} exceed the limit of {limit} ({constant})"),
    )
}

pub(crate) fn in_range(
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

/// Each of `names` once; a repeat is reported at `{field}[i]{suffix}`.
fn unique<'a>(
    field: &str,
    names: impl Iterator<Item = &'a str>,
    suffix: &str,
) -> Result<(), ValidationError> {
    let mut seen = std::collections::HashSet::new();
    for (i, name) in names.enumerate() {
        if !seen.insert(name) {
            return Err(ValidationError::new(
                format!("{field}[{i}]{suffix}"),
                format!("`{name}` is given twice"),
            ));
        }
    }
    Ok(())
}

/// A name that must be a Python identifier: a pool's, function's, parameter's, variable's.
pub(crate) fn check_identifier(field: &str, name: &str) -> Result<(), ValidationError> {
    check_name(field, name)?;
    if !is_identifier(name) || KEYWORDS.contains(&name) {
        return Err(ValidationError::new(
            field,
            format!(
                "`{name}` is not a Python name: letters, digits and `_`, not starting with a \
                 digit, and not a keyword"
            ),
        ));
    }
    Ok(())
}

/// Python's keywords, which no name may be.
const KEYWORDS: [&str; 35] = [
    "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class", "continue",
    "def", "del", "elif", "else", "except", "finally", "for", "from", "global", "if", "import",
    "in", "is", "lambda", "nonlocal", "not", "or", "pass", "raise", "return", "try", "while",
    "with", "yield",
];

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

pub(crate) fn check_text(field: String, text: &str) -> Result<(), ValidationError> {
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

#[cfg(test)]
mod tests;
