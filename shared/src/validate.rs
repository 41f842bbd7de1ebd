//! Checks a [`Scenario`] against the [`limits`](crate::limits) before anything runs.
//!
//! Each refusal names the field by its path in the scenario's JSON (`tasks[1].steps[0].ms`)
//! and the limit it broke, so both the UI and the server can point at it.

use crate::limits::*;
use crate::model::{Scenario, Step};
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
        // serde_path_to_error says "." at the top and "?" where the JSON itself is broken.
        let field = if field == "." || field == "?" {
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

/// Checks every limit; the first broken one is reported.
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
    if s.tasks.is_empty() {
        return Err(ValidationError::new(
            "tasks",
            "a scenario needs at least one task",
        ));
    }
    if s.tasks.len() > MAX_TASKS {
        return Err(ValidationError::new(
            "tasks",
            format!(
                "{} tasks exceed the limit of {MAX_TASKS} (MAX_TASKS)",
                s.tasks.len()
            ),
        ));
    }
    let mut total_steps = 0usize;
    for (i, task) in s.tasks.iter().enumerate() {
        check_name(&format!("tasks[{i}].name"), &task.name)?;
        if task.steps.len() > MAX_STEPS_PER_TASK {
            return Err(ValidationError::new(
                format!("tasks[{i}].steps"),
                format!(
                    "{} steps exceed the limit of {MAX_STEPS_PER_TASK} (MAX_STEPS_PER_TASK)",
                    task.steps.len()
                ),
            ));
        }
        total_steps += task.steps.len();
        for (j, step) in task.steps.iter().enumerate() {
            check_step(&format!("tasks[{i}].steps[{j}]"), step)?;
        }
        let wall_ms = task.sleep_ms() as f64 * s.time_scale;
        if wall_ms > MAX_SCENARIO_MS as f64 {
            return Err(ValidationError::new(
                format!("tasks[{i}]"),
                format!(
                    "takes {wall_ms:.0} ms after scaling, over the limit of {MAX_SCENARIO_MS} ms (MAX_SCENARIO_MS)"
                ),
            ));
        }
    }
    if total_steps > MAX_TOTAL_STEPS {
        return Err(ValidationError::new(
            "tasks",
            format!(
                "{total_steps} steps in all exceed the limit of {MAX_TOTAL_STEPS} (MAX_TOTAL_STEPS)"
            ),
        ));
    }
    let events = s.event_upper_bound();
    if events > MAX_EVENTS {
        return Err(ValidationError::new(
            "tasks",
            format!("could emit {events} events, over the limit of {MAX_EVENTS} (MAX_EVENTS)"),
        ));
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

fn check_step(path: &str, step: &Step) -> Result<(), ValidationError> {
    match step {
        Step::Print { text } if text.len() > MAX_TEXT_BYTES => Err(ValidationError::new(
            format!("{path}.text"),
            format!(
                "{} bytes exceed the limit of {MAX_TEXT_BYTES} (MAX_TEXT_BYTES)",
                text.len()
            ),
        )),
        Step::Sleep { ms } if *ms > MAX_STEP_MS => Err(ValidationError::new(
            format!("{path}.ms"),
            format!("{ms} ms exceeds the limit of {MAX_STEP_MS} ms (MAX_STEP_MS)"),
        )),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::presets;

    /// Parses `json` and checks the outcome: `Ok(())` or the expected field and a fragment of
    /// the message.
    fn check(json: &str, expected: Result<(), (&str, &str)>) {
        match (parse_scenario(json), expected) {
            (Ok(_), Ok(())) => {}
            (Err(e), Err((field, fragment))) => {
                assert_eq!(e.field, field, "{e}");
                assert!(e.message.contains(fragment), "{e:?} lacks {fragment:?}");
            }
            (got, want) => panic!("for {json}\n got {got:?}\nwant {want:?}"),
        }
    }

    fn one_task(steps: &str) -> String {
        format!(r#"{{"name":"s","tasks":[{{"name":"t","steps":[{steps}]}}]}}"#)
    }

    #[test]
    fn every_preset_is_valid() {
        for p in presets::all() {
            validate(&p.scenario()).unwrap_or_else(|e| panic!("preset {}: {e}", p.id));
        }
    }

    #[test]
    fn accepts_and_refuses() {
        check(&one_task(r#"{"type":"sleep","ms":10}"#), Ok(()));
        check(
            &one_task(r#"{"type":"sleep","ms":60001}"#),
            Err(("tasks[0].steps[0].ms", "MAX_STEP_MS")),
        );
        check(
            &one_task(r#"{"type":"sleep","ms":-1}"#),
            Err(("tasks[0].steps[0]", "invalid value: integer `-1`")),
        );
        check(
            &one_task(r#"{"type":"sleep","ms":1e400}"#),
            Err(("tasks[0].steps[0].ms", "out of range")),
        );
        check(
            &one_task(r#"{"type":"spin","ms":1}"#),
            Err(("tasks[0].steps[0].type", "unknown variant `spin`")),
        );
        check(
            &one_task(r#"{"type":"print","text":"x","colour":"red"}"#),
            Err(("tasks[0].steps[0]", "unknown field `colour`")),
        );
        check(
            &one_task(&format!(
                r#"{{"type":"print","text":"{}"}}"#,
                "x".repeat(257)
            )),
            Err(("tasks[0].steps[0].text", "MAX_TEXT_BYTES")),
        );
        check(
            r#"{"name":"s","time_scale":0,"tasks":[{"name":"t","steps":[]}]}"#,
            Err(("time_scale", "MIN_TIME_SCALE")),
        );
        check(r#"{"name":"s","tasks":[]}"#, Err(("tasks", "at least one")));
        check(
            r#"{"name":" ","tasks":[{"name":"t","steps":[]}]}"#,
            Err(("name", "empty")),
        );
        check(
            &one_task(&[r#"{"type":"sleep","ms":20000}"#; 2].join(",")),
            Err(("tasks[0]", "MAX_SCENARIO_MS")),
        );
        check(
            r#"{"name":"s","tasks":[{"name":"t","stepz":[]}]}"#,
            Err(("tasks[0].stepz", "unknown field `stepz`")),
        );
        check(
            r#"{"name":"s","tasks":[]} x"#,
            Err(("scenario", "trailing characters")),
        );
        check("[[[[", Err(("[0]", "invalid type")));
    }

    #[test]
    fn refuses_too_many_tasks_and_steps() {
        let task = r#"{"name":"t","steps":[]}"#;
        let tasks = vec![task; MAX_TASKS + 1].join(",");
        check(
            &format!(r#"{{"name":"s","tasks":[{tasks}]}}"#),
            Err(("tasks", "MAX_TASKS")),
        );
        let steps = vec![r#"{"type":"print","text":"x"}"#; MAX_STEPS_PER_TASK + 1].join(",");
        check(
            &one_task(&steps),
            Err(("tasks[0].steps", "MAX_STEPS_PER_TASK")),
        );
        let steps = vec![r#"{"type":"print","text":"x"}"#; MAX_STEPS_PER_TASK].join(",");
        let task = format!(r#"{{"name":"t","steps":[{steps}]}}"#);
        let tasks = vec![task.as_str(); MAX_TOTAL_STEPS / MAX_STEPS_PER_TASK + 1].join(",");
        check(
            &format!(r#"{{"name":"s","tasks":[{tasks}]}}"#),
            Err(("tasks", "MAX_TOTAL_STEPS")),
        );
    }
}
