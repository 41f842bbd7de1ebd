use super::*;
use crate::model::{Call, Expr, Op, PoolKind, ResourceKind, StartKind, Step, Term};
use crate::presets;
use crate::python::render;

fn notes(name: &str) -> String {
    let path = format!("{}/../tests/python/{name}.py", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn parse2(source: &str) -> Result<Scenario, Vec<Diagnostic>> {
    parse(source, 2)
}

#[test]
fn every_preset_reads_back_from_its_python() {
    for p in presets::all() {
        let s = p.scenario();
        let program = render(&s);
        match parse2(&program) {
            Ok(back) => assert_eq!(back, s, "{}:\n{program}", p.id),
            Err(e) => panic!("{}: {e:?}\n{program}", p.id),
        }
    }
}

#[test]
fn the_notes_gather_program_is_the_gather_lesson() {
    let s = parse2(&notes("notes_gather")).unwrap();
    let mut lesson = presets::find("gather").unwrap().scenario();
    lesson.name = "my program".into();
    assert_eq!(s, lesson);
}

#[test]
fn the_notes_thread_pool_program_keeps_its_futures() {
    let s = parse2(&notes("notes_thread_pool")).unwrap();
    assert_eq!(s.pools.len(), 1);
    assert_eq!(
        (s.pools[0].kind, s.pools[0].max_workers),
        (PoolKind::Thread, None)
    );
    let main = s.task("main").unwrap();
    let Step::With { pool, body } = &main.steps[0] else {
        panic!("{main:?}")
    };
    assert_eq!(pool, "pool");
    assert!(
        matches!(&body[0], Step::Submit { into, args, .. } if into == "task1" && args == &[Expr::str("Thread-1")])
    );
    assert!(
        matches!(&body[2], Step::Gather { calls, .. } if calls == &[Call::Handle { name: "task1".into() }, Call::Handle { name: "task2".into() }])
    );
    let f = s.function("blocking_task").unwrap();
    assert_eq!(
        f.steps[0],
        Step::Print {
            text: "{name} started (blocking)".into()
        }
    );
    assert_eq!(f.steps[1], Step::BlockingSleep { ms: 3000 });
}

#[test]
fn the_notes_process_pool_program_sums_square_roots() {
    let s = parse2(&notes("notes_process_pool")).unwrap();
    let f = s.function("heavy_cpu_task").unwrap();
    assert_eq!(f.params, ["n"]);
    assert_eq!(
        f.steps[1],
        Step::Return {
            value: Expr::Sum {
                term: Term::Sqrt,
                n: Box::new(Expr::var("n"))
            }
        }
    );
    let main = s.task("main").unwrap();
    assert_eq!(
        main.steps[1],
        Step::Print {
            text: "Results: {results}".into()
        }
    );
}

#[test]
fn the_notes_fastapi_program_is_a_server() {
    let s = parse2(&notes("notes_fastapi")).unwrap();
    let server = s.server.as_ref().unwrap();
    assert_eq!(server.routes[0].path, "/compute");
    assert_eq!(
        server.traffic.len(),
        1,
        "a default traffic for its one route"
    );
    assert_eq!(s.pools[0].name, "executor");
    let f = s.function("cpu_task").unwrap();
    assert!(matches!(
        &f.steps[0],
        Step::Return {
            value: Expr::Sum {
                term: Term::Square,
                ..
            }
        }
    ));
}

#[test]
fn the_notes_daemon_programs_start_and_print() {
    for (name, kind) in [
        ("notes_daemon_threads", StartKind::Thread),
        ("notes_daemon_processes", StartKind::Process),
    ] {
        let s = parse2(&notes(name)).unwrap();
        let starts: Vec<_> = s
            .main
            .iter()
            .filter_map(|st| match st {
                Step::Start(start) => Some((start.kind, start.daemon)),
                _ => None,
            })
            .collect();
        assert_eq!(starts, [(kind, true), (kind, false)], "{name}");
        assert!(matches!(s.main.last(), Some(Step::Print { .. })), "{name}");
    }
}

/// The first diagnostic for `source`: its line, column and a fragment of its message.
fn refused(source: &str, line: u32, column: u32, fragment: &str) {
    let shown: String = source.chars().take(200).collect();
    let diags = parse2(source).expect_err(&shown);
    let d = &diags[0];
    assert_eq!((d.line, d.column), (line, column), "{shown}\n{diags:?}");
    assert!(
        d.message.contains(fragment),
        "{shown}\n{:?} lacks {fragment:?}",
        d.message
    );
}

#[test]
fn what_is_outside_the_subset_is_refused_where_it_is() {
    refused(
        "import requests\n",
        1,
        8,
        "module `requests` is not supported",
    );
    refused(
        "import asyncio\n\nasync def main():\n    await asyncio.wait([])\n\nasyncio.run(main())\n",
        4,
        11,
        "`asyncio.wait` is not in looplab's Python subset",
    );
    refused(
        "import asyncio\n\nasync def main():\n    while True:\n        pass\n",
        4,
        5,
        "a `while` loop is not in looplab's Python subset",
    );
    refused("def f(:\n", 1, 6, "'(' was never closed");
    refused("print(\"a\")\nx = (\n", 2, 5, "'(' was never closed");
    refused(
        "print(\"a\"\nx = [1,\ny = 2\n",
        1,
        6,
        "'(' was never closed",
    );
    refused("f(a, [b\n", 1, 6, "'[' was never closed");
    refused(
        "import asyncio\n\nasync def t():\n    pass\n\nasync def main():\n    t()\n",
        7,
        5,
        "never awaited",
    );
    refused("import time\ntime.sleep(-1)\n", 2, 12, "non-negative");
    refused(
        "import asyncio\nasync def main():\n    await asyncio.sleep(0.0005)\nasyncio.run(main())\n",
        3,
        25,
        "0.5 ms: looplab's durations are whole milliseconds (write 0 or 0.001)",
    );
    refused(
        "import asyncio\nasync def main():\n    await asyncio.sleep(100)\nasyncio.run(main())\n",
        3,
        5,
        "MAX_STEP_MS",
    );
    refused(
        "print(f\"{1 + 2}\")\n",
        1,
        10,
        "f-string fields show a variable",
    );
    refused(
        "match x:\n    case 1:\n        pass\n",
        1,
        1,
        "not in looplab's Python subset",
    );
    refused("", 1, 1, "does nothing");
}

#[test]
fn hostile_sources_are_refused_without_a_panic() {
    let deep = format!("x = {}1{}\n", "(".repeat(40_000), ")".repeat(40_000));
    refused(&deep, 1, 1, "MAX_PYTHON_NESTING");
    let unary = format!("x = {}1\n", "-".repeat(50_000));
    refused(&unary, 1, 1, "MAX_PYTHON_NESTING");
    let big = format!("# {}\n", "x".repeat(1 << 20));
    refused(&big, 1, 1, "MAX_PYTHON_BYTES");
    let mut blocks = String::new();
    for depth in 0..150 {
        blocks.push_str(&" ".repeat(depth));
        blocks.push_str("if x:\n");
    }
    assert!(parse2(&blocks).is_err());
    // Tabs and spaces mixed, odd Unicode, a lone surrogate escape, a BOM.
    for source in [
        "if True:\n\tprint(1)\n        print(2)\n",
        "print('\u{202e}abc')\nprint(\"\\ud800\")\n",
        "\u{feff}print('bom')\n",
        "ünïcödé = 1\n",
        "print('\0')\n",
    ] {
        let _ = parse2(source);
    }
}

#[test]
fn positions_count_characters_from_one() {
    assert_eq!(crate::python::line_column("ab\ncé d", 7), (2, 4));
    assert_eq!(crate::python::line_column("", 0), (1, 1));
}

/// The deepest programs the guard lets through parse within a megabyte of stack, even in a
/// debug build: a server's worker threads have two.
#[test]
fn the_deepest_accepted_programs_fit_a_small_stack() {
    let n = crate::limits::MAX_PYTHON_NESTING;
    let mut blocks = String::from("import asyncio\n");
    for depth in 0..n / 2 {
        blocks.push_str(&"    ".repeat(depth));
        blocks.push_str("if __name__ == \"__main__\":\n");
    }
    blocks.push_str(&"    ".repeat(n / 2));
    blocks.push_str("print(1)\n");
    let sources = [
        format!("x = {}1{}\n", "(".repeat(n - 1), ")".repeat(n - 1)),
        format!("x = {}1\n", "-".repeat(n - 1)),
        format!("x = {}1\n", "not ".repeat(n - 1)),
        format!("x = 2{}\n", " ** 2".repeat(n - 1)),
        format!("x = {}1\n", "lambda: ".repeat(n - 1)),
        blocks,
    ];
    for source in sources {
        let shown: String = source.chars().take(60).collect();
        let parsed = std::thread::Builder::new()
            .stack_size(1 << 20)
            .spawn(move || parse2(&source).map(drop).map_err(|d| d[0].message.clone()))
            .unwrap()
            .join();
        assert!(parsed.is_ok(), "{shown} overflowed the stack");
    }
}

#[test]
fn a_negative_asyncio_sleep_only_yields_as_in_cpython() {
    let s = parse2(
        "import asyncio\nasync def main():\n    await asyncio.sleep(-1)\nasyncio.run(main())\n",
    )
    .unwrap();
    assert_eq!(s.tasks[0].steps, [Step::Yield]);
}

const SYNC_HEAD: &str = "import asyncio\nimport threading\n\nlock = asyncio.Lock()\n\
                         sem = asyncio.Semaphore(2)\nevent = asyncio.Event()\n\
                         queue = asyncio.Queue(maxsize=3)\ntlock = threading.Lock()\n\n";

#[test]
fn locks_events_queues_and_loops_are_read() {
    let program = format!(
        "{SYNC_HEAD}def work(n):\n    with tlock:\n        print(f\"{{n}}\")\n\n\
         async def main():\n    for i in range(3):\n        async with sem:\n            \
         await queue.put(i)\n    item = await queue.get()\n    queue.task_done()\n    \
         event.set()\n    await event.wait()\n    await queue.join()\n    \
         async with lock:\n        print(f\"{{item}}\")\n\n\
         asyncio.run(main())\n"
    );
    let s = parse2(&program).unwrap_or_else(|d| panic!("{d:?}"));
    let kinds: Vec<_> = s.resources.iter().map(|r| r.kind).collect();
    assert_eq!(
        kinds,
        [
            ResourceKind::Lock,
            ResourceKind::Semaphore { value: 2 },
            ResourceKind::Event,
            ResourceKind::Queue { maxsize: 3 },
            ResourceKind::ThreadLock
        ]
    );
    let main = &s.task("main").unwrap().steps;
    assert!(
        matches!(&main[0], Step::For { times: 3, body, .. } if matches!(&body[0], Step::Hold { .. }))
    );
    assert!(matches!(
        &main[1],
        Step::Use {
            op: Op::Get { into: Some(_) },
            ..
        }
    ));
    assert!(matches!(&s.functions[0].steps[0], Step::Hold { resource, .. } if resource == "tlock"));
    assert_eq!(
        parse2(&render(&s)).unwrap(),
        s,
        "reads back from its rendering"
    );
}

#[test]
fn locks_events_and_queues_used_wrongly_are_refused_where_they_are() {
    let at = |body: &str, line: u32, column: u32, fragment: &str| {
        refused(
            &format!("{SYNC_HEAD}async def main():\n{body}\n\nasyncio.run(main())\n"),
            line,
            column,
            fragment,
        )
    };
    at(
        "    with lock:\n        pass",
        11,
        5,
        "hold it with `async with lock:`",
    );
    at(
        "    async with tlock:\n        pass",
        11,
        5,
        "is a threading.Lock",
    );
    at(
        "    await event.set()",
        11,
        11,
        "is a plain call: no `await`",
    );
    at("    queue.put(1)", 11, 5, "write `await queue.put(...)`");
    at(
        "    await lock.acquire()",
        11,
        16,
        "hold it with `async with`",
    );
    at(
        "    await queue.put_nowait(1)",
        11,
        17,
        "not `put_nowait()`",
    );
    at(
        "    q = asyncio.Queue()",
        11,
        9,
        "make the asyncio.Queue() at module level",
    );
    at(
        "    for i in range(n):\n        pass",
        11,
        20,
        "`n` is a whole number",
    );
    at(
        "    for i in [1, 2]:\n        pass",
        11,
        14,
        "for i in range(n):",
    );
}

#[test]
fn an_asyncio_lock_in_a_plain_def_is_refused_with_what_works_there() {
    refused(
        &format!("{SYNC_HEAD}def work():\n    with lock:\n        pass\n\nwork()\n"),
        11,
        5,
        "only an async def can hold it",
    );
}
