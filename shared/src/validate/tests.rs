use super::*;
use crate::presets;

/// Parses `json` and checks the outcome: `Ok(())` or the expected field and a fragment of
/// the message.
fn check(json: &str, expected: Result<(), (&str, &str)>) {
    match (parse_scenario(json, 2), expected) {
        (Ok(_), Ok(())) => {}
        (Err(e), Err((field, fragment))) => {
            assert_eq!(e.field, field, "{e}");
            assert!(e.message.contains(fragment), "{e:?} lacks {fragment:?}");
        }
        (got, want) => panic!("for {json}\n got {got:?}\nwant {want:?}"),
    }
}

/// A scenario whose task `t` has `steps` and is run by `asyncio.run`.
fn one_task(steps: &str) -> String {
    format!(
        r#"{{"name":"s","tasks":[{{"name":"t","steps":[{steps}]}}],"main":[{{"type":"run","task":"t"}}]}}"#
    )
}

fn with(extra: &str) -> String {
    format!(r#"{{"name":"s",{extra}}}"#)
}

const PRINT: &str = r#""main":[{"type":"print","text":"hi"}]"#;

#[test]
fn every_preset_is_valid() {
    for p in presets::all() {
        validate(&p.scenario(), 2).unwrap_or_else(|e| panic!("preset {}: {e}", p.id));
        validate(&p.scenario(), 64).unwrap_or_else(|e| panic!("preset {} on 64 cores: {e}", p.id));
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
        Err(("tasks[0].steps[0].ms", "invalid value: integer `-1`")),
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
        Err(("tasks[0].steps[0].colour", "unknown field `colour`")),
    );
    check(
        &one_task(r#"{"type":"print","text":"x","ms":5}"#),
        Err((
            "tasks[0].steps[0]",
            "unknown field `ms`: a `print` step has no such field",
        )),
    );
    check(
        &one_task(r#"{"type":"blocking_sleep"}"#),
        Err((
            "tasks[0].steps[0]",
            "missing field `ms`: a `blocking_sleep` step has one",
        )),
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
fn prints_are_f_strings_of_variables_in_scope() {
    check(
        &one_task(r#"{"type":"print","text":"{{literal}}"}"#),
        Ok(()),
    );
    check(
        &one_task(r#"{"type":"print","text":"a { b"}"#),
        Err(("tasks[0].steps[0].text", "character 3 opens no field")),
    );
    check(
        &one_task(r#"{"type":"print","text":"{ghost}"}"#),
        Err(("tasks[0].steps[0].text", "`ghost` is not defined here")),
    );
    check(
        &one_task(
            r#"{"type":"assign","name":"x","value":{"int":5}},{"type":"print","text":"{x!r}"}"#,
        ),
        Ok(()),
    );
    check(
        &one_task(
            r#"{"type":"print","text":"{x}"},{"type":"assign","name":"x","value":{"int":5}}"#,
        ),
        Err(("tasks[0].steps[0].text", "`x` is not defined here")),
    );
}

#[test]
fn steps_appear_only_where_python_allows_them() {
    check(
        &with(
            r#""functions":[{"name":"f","steps":[{"type":"sleep","ms":1}]}],"main":[{"type":"print","text":"x"}]"#,
        ),
        Err((
            "functions[0].steps[0].type",
            "may appear only in an async def",
        )),
    );
    check(
        &with(r#""main":[{"type":"sleep","ms":1}]"#),
        Err(("main[0].type", "may appear only in an async def")),
    );
    check(
        &one_task(r#"{"type":"run","task":"t"}"#),
        Err((
            "tasks[0].steps[0].type",
            "may appear only in module-level code",
        )),
    );
    check(
        &with(r#""main":[{"type":"return","value":"none"}]"#),
        Err((
            "main[0].type",
            "may appear only in an async def and a plain def",
        )),
    );
}

#[test]
fn names_are_bound_to_the_right_kind_of_thing() {
    let pool = r#""pools":[{"name":"pool","kind":"thread"}],"functions":[{"name":"f","params":["a"],"steps":[]}]"#;
    let run = |steps: &str| {
        with(&format!(
            r#"{pool},"tasks":[{{"name":"t","steps":[{steps}]}}],"main":[{{"type":"run","task":"t"}}]"#
        ))
    };
    check(
        &run(
            r#"{"type":"submit","pool":"pool","function":"f","args":[{"str":"x"}],"into":"fut"},{"type":"await","call":{"type":"handle","name":"fut"}}"#,
        ),
        Ok(()),
    );
    check(
        &run(r#"{"type":"submit","pool":"pool","function":"f","into":"fut"}"#),
        Err(("tasks[0].steps[0].args", "`f` takes 1 argument, given 0")),
    );
    check(
        &run(
            r#"{"type":"assign","name":"x","value":{"int":1}},{"type":"await","call":{"type":"handle","name":"x"}}"#,
        ),
        Err((
            "tasks[0].steps[1].call.name",
            "`x` holds a value, not a task or a future",
        )),
    );
    check(
        &run(r#"{"type":"join","name":"nobody"}"#),
        Err(("tasks[0].steps[0].name", "`nobody` is not defined here")),
    );
    check(
        &run(r#"{"type":"assign","name":"class","value":"none"}"#),
        Err(("tasks[0].steps[0].name", "not a Python name")),
    );
    // A pool a `with` opens exists inside the block only.
    let with_pool = r#""pools":[{"name":"p","kind":"process","max_workers":2}],"functions":[{"name":"f","steps":[]}],"tasks":[{"name":"t","steps":[{"type":"with","pool":"p","body":[]},{"type":"gather","calls":[{"type":"executor","pool":"p","function":"f"}]}]}],"main":[{"type":"run","task":"t"}]"#;
    check(
        &with(with_pool),
        Err((
            "tasks[0].steps[1].calls[0].pool",
            "open only inside its `with` block",
        )),
    );
}

#[test]
fn accepts_and_refuses_structure() {
    check(&with(PRINT), Ok(()));
    check(
        &with(r#""main":[]"#),
        Err(("main", "the program does nothing")),
    );
    check(
        &with(&format!(r#""time_scale":0,{PRINT}"#)),
        Err(("time_scale", "MIN_TIME_SCALE")),
    );
    check(r#"{"name":" ","main":[]}"#, Err(("name", "empty")));
    check(
        &with(&format!(r#"{PRINT},"stray":1"#)),
        Err(("stray", "unknown field `stray`")),
    );
    // Found by fuzzing: a key with an empty name had no path at all.
    check(
        &with(&format!(r#"{PRINT},"":1"#)),
        Err(("scenario", "unknown field ``")),
    );
    check(
        r#"{"name":"s","main":[]} x"#,
        Err(("scenario", "trailing characters")),
    );
    check("[[[[", Err(("scenario", "invalid type")));
    check(
        &with(r#""main":[{"type":"run","task":"ghost"}]"#),
        Err(("main[0].task", "no task is named `ghost`")),
    );
    check(
        &with(
            r#""pools":[{"name":"p","kind":"thread","max_workers":17}],"main":[{"type":"print","text":"x"}]"#,
        ),
        Err(("pools[0].max_workers", "MAX_POOL_WORKERS")),
    );
    check(
        &with(
            r#""tasks":[{"name":"a","steps":[{"type":"await","call":{"type":"task","task":"b"}}]},{"name":"b","steps":[{"type":"gather","calls":[{"type":"task","task":"a"}]}]}],"main":[{"type":"run","task":"a"}]"#,
        ),
        Err(("tasks", "awaits itself")),
    );
    check(
        &with(
            r#""tasks":[{"name":"t","steps":[]}],"functions":[{"name":"t","steps":[]}],"main":[{"type":"run","task":"t"}]"#,
        ),
        Err(("tasks[0].name", "defined twice")),
    );
    check(
        &with(r#""tasks":[{"name":"print","steps":[]}],"main":[{"type":"run","task":"print"}]"#),
        Err(("tasks[0].name", "needs for itself")),
    );
    check(
        &with(&format!(
            r#""options":{{"loop_flavor":{{"type":"multi_thread","workers":0}}}},{PRINT}"#
        )),
        Err(("options.loop_flavor.workers", "MAX_LOOP_WORKERS")),
    );
    let processes: Vec<_> = (0..=16)
        .map(|i| format!(r#"{{"type":"start","kind":"process","function":"f","into":"p{i}"}}"#))
        .collect();
    check(
        &with(&format!(
            r#""functions":[{{"name":"f","steps":[]}}],"main":[{}]"#,
            processes.join(",")
        )),
        Err(("main", "MAX_PROCESSES")),
    );
}

#[test]
fn servers_answer_only_their_routes() {
    let app = |traffic: &str| {
        with(&format!(
            r#""tasks":[{{"name":"h","steps":[]}}],"main":[],"server":{{"routes":[{{"path":"/","handler":"h"}}],"traffic":[{traffic}]}}"#
        ))
    };
    check(&app(r#"{"path":"/","count":3,"every_ms":10}"#), Ok(()));
    check(
        &app(r#"{"path":"/nope","count":3}"#),
        Err(("server.traffic[0].path", "no route answers `/nope`")),
    );
    check(
        &app(r#"{"path":"/","count":1001}"#),
        Err(("server.traffic[0].count", "MAX_REQUESTS")),
    );
    check(&app(""), Err(("server.traffic", "gets no requests")));
}

#[test]
fn refuses_too_many_instances_and_steps() {
    let gather = r#"{"type":"gather","calls":[{"type":"task","task":"t","times":20001}]}"#;
    check(
        &with(&format!(
            r#""tasks":[{{"name":"t","steps":[]}},{{"name":"m","steps":[{gather}]}}],"main":[{{"type":"run","task":"m"}}]"#
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
        &with(&format!(r#""tasks":[{}],{PRINT}"#, tasks.join(","))),
        Err(("tasks", "MAX_TOTAL_STEPS")),
    );
}

#[test]
fn output_fits_with_unordered_and_optional_lines() {
    let p = presets::find("thread-pool").unwrap();
    assert_eq!(
        p.fits(&[
            "Thread-2 started (blocking)",
            "Thread-2 finished (blocking)"
        ]),
        [true, false]
    );
    let g = presets::find("gather").unwrap();
    assert_eq!(g.fits(&["Task 1 started", "Task 1 started"]), [true, false]);
    assert!(!g.output_matches(&["Task 1 started"]), "incomplete");
    let d = presets::find("daemon-processes").unwrap();
    assert!(d.output_matches(&["Main process exiting...", "Task started", "Task finished"]));
    assert!(d.output_matches(&[
        "Task started",
        "Main process exiting...",
        "Task started",
        "Task finished"
    ]));
    assert!(!d.output_matches(&[
        "Main process exiting...",
        "Task started",
        "Task finished",
        "Task finished"
    ]));
}

/// A scenario with `resources`, whose task `t` has `steps`, run by `asyncio.run`.
fn with_resources(resources: &str, steps: &str) -> String {
    format!(
        r#"{{"name":"s","resources":[{resources}],"tasks":[{{"name":"t","steps":[{steps}]}}],"main":[{{"type":"run","task":"t"}}]}}"#
    )
}

#[test]
fn locks_events_queues_and_loops_are_checked() {
    let q = r#"{"name":"q","kind":{"type":"queue","maxsize":2}}"#;
    let lock = r#"{"name":"lock","kind":{"type":"lock"}}"#;
    check(
        &with_resources(
            q,
            r#"{"type":"use","resource":"q","op":"get","into":"x"},{"type":"print","text":"{x}"}"#,
        ),
        Ok(()),
    );
    check(
        &with_resources(
            r#"{"name":"s2","kind":{"type":"semaphore","value":1001}}"#,
            "",
        ),
        Err(("resources[0].kind.value", "MAX_SEMAPHORE_VALUE")),
    );
    check(
        &with_resources(
            r#"{"name":"q","kind":{"type":"queue","maxsize":10001}}"#,
            "",
        ),
        Err(("resources[0].kind.maxsize", "MAX_QUEUE_SIZE")),
    );
    check(
        &with_resources(q, r#"{"type":"use","resource":"q","op":"set"}"#),
        Err((
            "tasks[0].steps[0].op",
            "has put(), get(), task_done() and join(), not set()",
        )),
    );
    check(
        &with_resources(q, r#"{"type":"hold","resource":"q","body":[]}"#),
        Err((
            "tasks[0].steps[0].resource",
            "only a lock or a semaphore is held",
        )),
    );
    check(
        &with_resources(lock, r#"{"type":"use","resource":"nope","op":"wait"}"#),
        Err(("tasks[0].steps[0].resource", "`nope` is not defined here")),
    );
    // An asyncio lock in module code: `async with` needs a coroutine.
    check(
        &format!(
            r#"{{"name":"s","resources":[{lock}],"main":[{{"type":"hold","resource":"lock","body":[]}}]}}"#
        ),
        Err(("main[0].resource", "`async with` it in an async def")),
    );
    check(
        &one_task(r#"{"type":"for","var":"i","times":10001,"body":[]}"#),
        Err(("tasks[0].steps[0].times", "MAX_FOR_TIMES")),
    );
    // Loops within loops: every repetition counts.
    let inner = r#"{"type":"for","var":"j","times":10000,"body":[{"type":"assign","name":"x","value":{"int":1}}]}"#;
    check(
        &one_task(&format!(
            r#"{{"type":"for","var":"i","times":20,"body":[{inner}]}}"#
        )),
        Err(("tasks[0].steps[0].body[0].body[0]", "MAX_EXECUTED_STEPS")),
    );
    check(
        &one_task(
            r#"{"type":"for","var":"i","times":3,"body":[{"type":"print","text":"{i}"}]},{"type":"print","text":"{i}"}"#,
        ),
        Ok(()),
    );
}
