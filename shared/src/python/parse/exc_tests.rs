//! Exceptions, cancellation, timeouts and task groups read back from their Python, and what
//! of them the subset refuses, where, and what to write instead.

use super::parse;
use crate::model::{Call, ExcClass, Scenario, Step};
use crate::python::render;

fn corpus(name: &str) -> String {
    let path = format!("{}/../tests/python/{name}.py", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// `parse(render(s)) == s.canonical()`.
fn round_trips(s: &Scenario) {
    let program = render(s);
    match parse(&program, 2) {
        Ok(back) => assert_eq!(back, s.canonical(), "{program}"),
        Err(e) => panic!("{e:?}\n{program}"),
    }
}

/// Every step of `s`, nested ones too.
fn steps(s: &Scenario) -> Vec<&Step> {
    let mut all = Vec::new();
    s.walk_steps(&mut |st| all.push(st));
    all
}

/// Every construct of the exceptions' subset at least once: raise with and without a
/// message, a bare raise in an except block, try with except, except* and finally, cancel,
/// wait_for on a coroutine and on a task, asyncio.timeout, a TaskGroup whose task is kept.
const EVERYTHING: &str = r#"import asyncio


async def fails(n):
    await asyncio.sleep(0.1)
    raise ValueError("bad {n}")


async def plain():
    raise Exception


async def sleeper():
    try:
        await asyncio.sleep(1.0)
    except asyncio.CancelledError:
        print("cancelled")
        raise
    finally:
        print("cleanup")


async def main():
    t = asyncio.create_task(sleeper())
    t.cancel()
    try:
        await t
    except asyncio.CancelledError:
        print("saw it")
    u = asyncio.create_task(sleeper())
    try:
        await asyncio.wait_for(u, timeout=0.05)
    except TimeoutError:
        print("u timed out")
    try:
        await asyncio.wait_for(plain(), timeout=1)
    except Exception:
        print("plain raised")
    try:
        async with asyncio.timeout(0.2):
            async with asyncio.TaskGroup() as tg:
                kept = tg.create_task(fails(1))
                tg.create_task(sleeper())
            print("not printed")
    except* ValueError:
        print("caught")
    try:
        async with asyncio.TaskGroup() as tg:
            tg.create_task(fails(2))
    except ExceptionGroup:
        print("group")
    finally:
        print("after")


asyncio.run(main())
"#;

#[test]
fn every_exception_construct_reads_back_from_its_python() {
    let s = parse(EVERYTHING, 2).unwrap_or_else(|e| panic!("{e:?}"));
    let all = steps(&s);
    let has = |f: &dyn Fn(&Step) -> bool| all.iter().any(|st| f(st));
    assert!(has(
        &|st| matches!(st, Step::Raise { class: Some(ExcClass::ValueError), text } if text == "bad {n}")
    ));
    assert!(has(
        &|st| matches!(st, Step::Raise { class: Some(ExcClass::Exception), text } if text.is_empty())
    ));
    assert!(has(&|st| matches!(st, Step::Raise { class: None, .. })));
    assert!(has(
        &|st| matches!(st, Step::Try { star: true, handlers, .. } if handlers[0].class == ExcClass::ValueError)
    ));
    assert!(has(
        &|st| matches!(st, Step::Try { star: false, finally, .. } if !finally.is_empty())
    ));
    assert!(has(
        &|st| matches!(st, Step::Cancel { name } if name == "t")
    ));
    assert!(has(
        &|st| matches!(st, Step::Await { call: Call::Handle { name }, timeout_ms: Some(50), .. } if name == "u")
    ));
    assert!(has(
        &|st| matches!(st, Step::Await { call: Call::Task { task, .. }, timeout_ms: Some(1000), .. } if task == "plain")
    ));
    assert!(has(&|st| matches!(st, Step::Timeout { ms: 200, .. })));
    assert!(has(
        &|st| matches!(st, Step::TaskGroup { name, .. } if name == "tg")
    ));
    assert!(has(
        &|st| matches!(st, Step::Spawn { into: Some(into), group: Some(g), .. } if into == "kept" && g == "tg")
    ));
    assert!(has(&|st| matches!(
        st,
        Step::Spawn {
            into: None,
            group: Some(_),
            ..
        }
    )));
    round_trips(&s);
}

#[test]
fn the_corpus_programs_with_exceptions_read_back() {
    for name in ["cancel_cleanup", "timeouts", "taskgroup_failure"] {
        let source = corpus(name);
        let s = parse(&source, 2).unwrap_or_else(|e| panic!("{name}: {e:?}"));
        round_trips(&s);
    }
}

/// The first diagnostic for `source`: where it is, and that its message says both `what`
/// and `instead`.
fn refused(source: &str, line: u32, column: u32, what: &str, instead: &str) {
    let diags = parse(source, 2).expect_err(source);
    let d = &diags[0];
    assert_eq!((d.line, d.column), (line, column), "{source}\n{diags:?}");
    for fragment in [what, instead] {
        assert!(
            d.message.contains(fragment),
            "{source}\n{:?} lacks {fragment:?}",
            d.message
        );
    }
}

/// `main` with `body` (indented by four) inside, run by asyncio.run.
fn in_main(body: &str) -> String {
    format!("import asyncio\n\n\nasync def main():\n{body}\n\nasyncio.run(main())\n")
}

#[test]
fn what_the_subset_refuses_of_exceptions_it_refuses_where_it_is() {
    refused(
        &in_main("    try:\n        pass\n    except ValueError as e:\n        print(\"x\")"),
        7,
        26,
        "no `as` name",
        "write `except ValueError:`",
    );
    refused(
        &in_main(
            "    try:\n        pass\n    except ValueError:\n        pass\n    else:\n        print(\"x\")",
        ),
        10,
        9,
        "without `else:`",
        "put the `else:` block's steps at the end of the `try:` block",
    );
    refused(
        &in_main("    raise ValueError(\"a\") from None"),
        5,
        32,
        "without `from`",
        "write `raise ValueError(\"a\")`",
    );
    refused(
        &in_main("    raise"),
        5,
        5,
        "a bare `raise`",
        "inside an `except` block",
    );
    refused(
        &in_main("    raise asyncio.CancelledError"),
        5,
        5,
        "raises CancelledError only as asyncio does",
        "cancel() a task",
    );
    refused(
        &in_main("    raise ExceptionGroup"),
        5,
        5,
        "raises ExceptionGroup only as asyncio does",
        "let a TaskGroup's child fail",
    );
}
