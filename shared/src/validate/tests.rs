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
    format!(
        r#"{{"name":"s","tasks":[{{"name":"t","steps":[{steps}]}}],"main":[{{"type":"gather","calls":[{{"type":"task","task":"t"}}]}}]}}"#
    )
}

fn with(extra: &str) -> String {
    format!(r#"{{"name":"s",{extra}}}"#)
}

#[test]
fn every_preset_is_valid() {
    for p in presets::all() {
        validate(&p.scenario()).unwrap_or_else(|e| panic!("preset {}: {e}", p.id));
    }
}

#[test]
fn accepts_and_refuses_steps() {
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
        &one_task(r#"{"type":"par_cpu","ms":10,"chunks":0}"#),
        Err(("tasks[0].steps[0].chunks", "MAX_PAR_CHUNKS")),
    );
    check(
        &one_task(&[r#"{"type":"sleep","ms":20000}"#; 2].join(",")),
        Err(("main", "MAX_SCENARIO_MS")),
    );
}

#[test]
fn accepts_and_refuses_structure() {
    check(&with(r#""main":[]"#), Ok(()));
    check(
        &with(r#""time_scale":0,"main":[]"#),
        Err(("time_scale", "MIN_TIME_SCALE")),
    );
    check(r#"{"name":" ","main":[]}"#, Err(("name", "empty")));
    check(
        &with(r#""main":[],"stray":1"#),
        Err(("stray", "unknown field `stray`")),
    );
    // Found by fuzzing: a key with an empty name had no path at all.
    check(
        &with(r#""main":[],"":1"#),
        Err(("scenario", "unknown field ``")),
    );
    check(
        r#"{"name":"s","main":[]} x"#,
        Err(("scenario", "trailing characters")),
    );
    check("[[[[", Err(("[0]", "invalid type")));
    check(
        &with(r#""main":[{"type":"spawn","task":"ghost"}]"#),
        Err(("main[0].task", "no task is named `ghost`")),
    );
    check(
        &with(
            r#""main":[{"type":"gather","calls":[{"type":"executor","pool":"p","function":"f"}]}]"#,
        ),
        Err(("main[0].calls[0].pool", "no pool is named `p`")),
    );
    check(
        &with(r#""pools":[{"name":"p","kind":"thread","max_workers":17}],"main":[]"#),
        Err(("pools[0].max_workers", "MAX_POOL_WORKERS")),
    );
    check(
        &with(
            r#""functions":[{"name":"f","steps":[{"type":"spawn","task":"t"}]}],"tasks":[{"name":"t","steps":[]}],"main":[]"#,
        ),
        Err(("functions[0].steps[0].type", "needs an event loop")),
    );
    check(
        &with(
            r#""tasks":[{"name":"a","steps":[{"type":"spawn","task":"b"}]},{"name":"b","steps":[{"type":"gather","calls":[{"type":"task","task":"a"}]}]}],"main":[{"type":"spawn","task":"a"}]"#,
        ),
        Err(("tasks", "awaits itself")),
    );
    check(
        &with(r#""tasks":[{"name":"t","steps":[]},{"name":"t","steps":[]}],"main":[]"#),
        Err(("tasks[1].name", "defined twice")),
    );
    check(
        &with(r#""options":{"loop_flavor":{"type":"multi_thread","workers":0}},"main":[]"#),
        Err(("options.loop_flavor.workers", "MAX_LOOP_WORKERS")),
    );
    check(
        &with(
            r#""functions":[{"name":"f","steps":[]}],"main":[{"type":"start_process","function":"f"}],"pools":[{"name":"p","kind":"process","max_workers":16}]"#,
        ),
        Err(("main", "MAX_PROCESSES")),
    );
}

#[test]
fn refuses_too_many_instances_and_steps() {
    let gather = r#"{"type":"gather","calls":[{"type":"task","task":"t","times":20001}]}"#;
    check(
        &with(&format!(
            r#""tasks":[{{"name":"t","steps":[]}}],"main":[{gather}]"#
        )),
        Err(("main", "MAX_INSTANCES")),
    );
    let steps = vec![r#"{"type":"print","text":"x"}"#; MAX_STEPS_PER_TASK + 1].join(",");
    check(
        &one_task(&steps),
        Err(("tasks[0].steps", "MAX_STEPS_PER_TASK")),
    );
    let steps = vec![r#"{"type":"print","text":"x"}"#; MAX_STEPS_PER_TASK].join(",");
    let tasks: Vec<_> = (0..=MAX_TOTAL_STEPS / MAX_STEPS_PER_TASK)
        .map(|i| format!(r#"{{"name":"t{i}","steps":[{steps}]}}"#))
        .collect();
    check(
        &with(&format!(r#""tasks":[{}],"main":[]"#, tasks.join(","))),
        Err(("tasks", "MAX_TOTAL_STEPS")),
    );
}

#[test]
fn the_ideal_schedule_is_the_lessons() {
    let ideal = |id: &str| {
        crate::plan::plan(&presets::find(id).unwrap().scenario(), 2)
            .unwrap()
            .ideal_ms
    };
    assert_eq!(ideal("gather"), 2000.0);
    assert_eq!(ideal("thread-pool"), 3000.0);
    assert_eq!(ideal("process-pool"), 1000.0);
    assert_eq!(ideal("daemon-threads"), 5000.0);
    assert_eq!(ideal("rayon"), 1000.0);
}

#[test]
fn unordered_lines_fit_anywhere_in_their_range() {
    let p = presets::find("thread-pool").unwrap();
    assert!(p.line_fits(0, "Thread-2 started (blocking)"));
    assert!(!p.line_fits(0, "Thread-2 finished (blocking)"));
    let g = presets::find("gather").unwrap();
    assert!(g.line_fits(0, "Task 1 started") && !g.line_fits(0, "Task 2 started"));
    assert!(!g.line_fits(9, "Task 1 started"));
}
