//! The presets' scenarios, written with a few small constructors so each reads like the
//! Python program it stands for (`looplab python --preset ID` prints that program).

use crate::model::{
    Call, Expr, Function, LoopFlavor, Options, Pool, PoolKind, Route, Scenario, Server, Start,
    StartKind, Step, Term, Traffic,
};

pub(super) fn print(text: &str) -> Step {
    Step::Print { text: text.into() }
}
pub(super) fn sleep(ms: u64) -> Step {
    Step::Sleep { ms }
}
fn time_sleep(ms: u64) -> Step {
    Step::BlockingSleep { ms }
}
fn cpu(ms: u64) -> Step {
    Step::Cpu { ms }
}
pub(super) fn gather(calls: Vec<Call>) -> Step {
    Step::Gather { calls, into: None }
}
fn task(name: &str) -> Call {
    tasks(name, 1)
}
fn tasks(name: &str, times: u32) -> Call {
    Call::Task {
        task: name.into(),
        args: vec![],
        times,
    }
}
fn job(pool: &str, function: &str, args: Vec<Expr>) -> Call {
    Call::Executor {
        pool: Some(pool.into()),
        function: function.into(),
        args,
        times: 1,
    }
}
fn await_job(pool: &str, function: &str) -> Step {
    Step::Await {
        call: job(pool, function, vec![]),
        into: None,
        timeout_ms: None,
    }
}
pub(super) fn def(name: &str, steps: Vec<Step>) -> Function {
    Function {
        name: name.into(),
        params: vec![],
        steps,
    }
}
pub(super) fn def1(name: &str, param: &str, steps: Vec<Step>) -> Function {
    Function {
        params: vec![param.into()],
        ..def(name, steps)
    }
}
fn pool(name: &str, kind: PoolKind, max_workers: Option<u32>) -> Pool {
    Pool {
        name: name.into(),
        kind,
        max_workers,
    }
}
fn with(pool: &str, body: Vec<Step>) -> Step {
    Step::With {
        pool: pool.into(),
        body,
    }
}
/// `asyncio.run(main())`, with `main`'s steps.
pub(super) fn run_main(s: Scenario, steps: Vec<Step>) -> Scenario {
    let mut s = s;
    s.tasks.push(def("main", steps));
    s.main.push(Step::Run {
        task: "main".into(),
        args: vec![],
    });
    s
}
fn start(kind: StartKind, function: &str, daemon: bool, into: &str) -> Step {
    Step::Start(Start {
        kind,
        function: function.into(),
        args: vec![],
        daemon,
        into: Some(into.into()),
    })
}
fn route(path: &str, handler: &str) -> Route {
    Route {
        path: path.into(),
        handler: handler.into(),
    }
}
fn traffic(path: &str, at_ms: u64, every_ms: u64, count: u32) -> Traffic {
    Traffic {
        path: path.into(),
        at_ms,
        every_ms,
        count,
    }
}
pub(super) fn scenario(name: &str) -> Scenario {
    Scenario::empty(name)
}

pub(super) fn gather_lesson() -> Scenario {
    let coroutine = |n: u32, ms: u64| {
        def(
            &format!("task{n}"),
            vec![
                print(&format!("Task {n} started")),
                sleep(ms),
                print(&format!("Task {n} finished")),
            ],
        )
    };
    let s = Scenario {
        tasks: vec![coroutine(1, 2000), coroutine(2, 1000)],
        ..scenario("gather")
    };
    run_main(s, vec![gather(vec![task("task1"), task("task2")])])
}

pub(super) fn blocking_the_loop_lesson() -> Scenario {
    let mut s = gather_lesson();
    s.name = "blocking-the-loop".into();
    s.tasks[0].steps[1] = time_sleep(2000);
    s
}

/// The notes' program: two blocking calls handed to a thread pool, kept as futures and
/// gathered.
pub(super) fn thread_pool_lesson() -> Scenario {
    let s = Scenario {
        pools: vec![pool("pool", PoolKind::Thread, None)],
        functions: vec![def1(
            "blocking_task",
            "name",
            vec![
                print("{name} started (blocking)"),
                time_sleep(3000),
                print("{name} finished (blocking)"),
            ],
        )],
        ..scenario("thread-pool")
    };
    let submit = |into: &str, arg: &str| Step::Submit {
        pool: Some("pool".into()),
        function: "blocking_task".into(),
        args: vec![Expr::str(arg)],
        into: into.into(),
    };
    let handle = |name: &str| Call::Handle { name: name.into() };
    run_main(
        s,
        vec![with(
            "pool",
            vec![
                submit("task1", "Thread-1"),
                submit("task2", "Thread-2"),
                gather(vec![handle("task1"), handle("task2")]),
            ],
        )],
    )
}

/// The notes' program: square roots summed on a process pool.
pub(super) fn process_pool_lesson() -> Scenario {
    let s = Scenario {
        pools: vec![pool("pool", PoolKind::Process, None)],
        functions: vec![def1(
            "heavy_cpu_task",
            "n",
            vec![
                print("Processing {n}..."),
                Step::Return {
                    value: Expr::Sum {
                        term: Term::Sqrt,
                        n: Box::new(Expr::var("n")),
                    },
                },
            ],
        )],
        ..scenario("process-pool")
    };
    let heavy = |n: i64| job("pool", "heavy_cpu_task", vec![Expr::Int(n)]);
    run_main(
        s,
        vec![
            with(
                "pool",
                vec![Step::Gather {
                    calls: vec![heavy(10_000_000), heavy(12_000_000)],
                    into: Some("results".into()),
                }],
            ),
            print("Results: {results}"),
        ],
    )
}

/// A FastAPI app: `/` answers at once; `/compute` computes for 1.5 s, on a process pool or
/// inline on the loop.
pub(super) fn responsive_server(offload: bool) -> Scenario {
    let compute = if offload {
        await_job("executor", "compute")
    } else {
        cpu(1500)
    };
    Scenario {
        pools: if offload {
            vec![pool("executor", PoolKind::Process, Some(2))]
        } else {
            vec![]
        },
        functions: if offload {
            vec![def("compute", vec![cpu(1500)])]
        } else {
            vec![]
        },
        tasks: vec![
            def(
                "index",
                vec![
                    sleep(2),
                    Step::Return {
                        value: Expr::str("ok"),
                    },
                ],
            ),
            def(
                "compute_endpoint",
                vec![print("Compute started"), compute, print("Compute finished")],
            ),
        ],
        server: Some(Server {
            routes: vec![route("/", "index"), route("/compute", "compute_endpoint")],
            traffic: vec![traffic("/", 0, 100, 18), traffic("/compute", 100, 0, 1)],
        }),
        ..scenario(if offload {
            "responsive-server"
        } else {
            "responsive-server-inline"
        })
    }
}

pub(super) fn gil_lesson(gil: bool, kind: PoolKind) -> Scenario {
    let s = Scenario {
        options: Options {
            gil,
            ..Options::default()
        },
        pools: vec![pool("pool", kind, Some(2))],
        functions: vec![def1(
            "job",
            "name",
            vec![print("{name} started"), cpu(1000), print("{name} finished")],
        )],
        ..scenario(match (gil, kind) {
            (true, PoolKind::Thread) => "gil",
            (false, _) => "gil-off",
            (true, PoolKind::Process) => "gil-processes",
        })
    };
    let named = |n: &str| job("pool", "job", vec![Expr::str(n)]);
    run_main(
        s,
        vec![with(
            "pool",
            vec![gather(vec![named("Job-A"), named("Job-B")])],
        )],
    )
}

/// The notes' daemon programs: a daemon and a non-daemon thread (or process) each print,
/// sleep 5 s and print, and main prints as it exits.
pub(super) fn daemon_lesson(kind: StartKind) -> Scenario {
    let (function, started, finished, exiting) = match kind {
        StartKind::Process => (
            "task",
            "Task started",
            "Task finished",
            "Main process exiting...",
        ),
        StartKind::Thread => (
            "worker",
            "Worker started",
            "Worker finished",
            "Main program exiting...",
        ),
    };
    let (p1, p2) = match kind {
        StartKind::Process => ("p1", "p2"),
        StartKind::Thread => ("t1", "t2"),
    };
    Scenario {
        functions: vec![def(
            function,
            vec![print(started), time_sleep(5000), print(finished)],
        )],
        main: vec![
            start(kind, function, true, p1),
            start(kind, function, false, p2),
            print(exiting),
        ],
        ..scenario(match kind {
            StartKind::Process => "daemon-processes",
            StartKind::Thread => "daemon-threads",
        })
    }
}

/// A daemon thread whose work outlasts the non-daemon thread's: cut when the interpreter
/// finishes.
pub(super) fn daemon_outlasts() -> Scenario {
    daemon_and_worker(("background", "Background", 5000), 2000)
}

/// A daemon thread (`function`, printing `label`, sleeping `ms`) and a non-daemon `worker`
/// sleeping `worker_ms`, started by main, which then exits.
pub(super) fn daemon_and_worker(
    (function, label, ms): (&str, &str, u64),
    worker_ms: u64,
) -> Scenario {
    let thread = |name: &str, label: &str, ms: u64| {
        def(
            name,
            vec![
                print(&format!("{label} started")),
                time_sleep(ms),
                print(&format!("{label} finished")),
            ],
        )
    };
    Scenario {
        functions: vec![
            thread(function, label, ms),
            thread("worker", "Worker", worker_ms),
        ],
        main: vec![
            start(StartKind::Thread, function, true, "t1"),
            start(StartKind::Thread, "worker", false, "t2"),
            print("Main program exiting..."),
        ],
        ..scenario("daemon-threads-outlast")
    }
}

pub(super) fn multi_thread_loop() -> Scenario {
    let coroutine = |n: u32| {
        def(
            &format!("task{n}"),
            vec![
                print(&format!("Task {n} started")),
                cpu(1000),
                print(&format!("Task {n} finished")),
            ],
        )
    };
    let s = Scenario {
        // Not Python either way: tokio's loop runs Rust, which has no GIL.
        options: Options {
            loop_flavor: LoopFlavor::MultiThread { workers: 2 },
            gil: false,
        },
        tasks: vec![coroutine(1), coroutine(2)],
        ..scenario("multi-thread-loop")
    };
    run_main(s, vec![gather(vec![task("task1"), task("task2")])])
}

pub(super) fn rayon_lesson() -> Scenario {
    Scenario {
        main: vec![
            print("Splitting the work"),
            Step::ParCpu {
                ms: 2000,
                chunks: 16,
            },
            print("All chunks done"),
        ],
        ..scenario("rayon")
    }
}

pub(super) fn web_scraper() -> Scenario {
    let s = Scenario {
        pools: vec![pool("parsers", PoolKind::Thread, Some(4))],
        functions: vec![def("parse_html", vec![cpu(60)])],
        tasks: vec![def(
            "scrape",
            vec![sleep(400), await_job("parsers", "parse_html")],
        )],
        ..scenario("web-scraper")
    };
    run_main(
        s,
        vec![
            print("Scraping 8 pages"),
            gather(vec![tasks("scrape", 8)]),
            print("All pages parsed"),
        ],
    )
}

pub(super) fn chat_server() -> Scenario {
    Scenario {
        pools: vec![pool("crypto", PoolKind::Thread, Some(2))],
        functions: vec![def("encrypt", vec![cpu(15)])],
        tasks: vec![def(
            "relay_message",
            vec![sleep(2), await_job("crypto", "encrypt"), sleep(1)],
        )],
        main: vec![print("Chat server up")],
        server: Some(Server {
            routes: vec![route("/message", "relay_message")],
            traffic: vec![traffic("/message", 0, 50, 25)],
        }),
        ..scenario("chat-server")
    }
}

pub(super) fn image_upload() -> Scenario {
    Scenario {
        pools: vec![pool("resizers", PoolKind::Process, Some(2))],
        functions: vec![def("resize", vec![cpu(300)])],
        tasks: vec![def(
            "upload",
            vec![sleep(20), await_job("resizers", "resize")],
        )],
        main: vec![print("Service up")],
        server: Some(Server {
            routes: vec![route("/upload", "upload")],
            traffic: vec![traffic("/upload", 0, 200, 8)],
        }),
        ..scenario("image-upload")
    }
}

pub(super) fn report_generator() -> Scenario {
    let s = Scenario {
        pools: vec![pool("renderers", PoolKind::Process, Some(2))],
        functions: vec![def1(
            "render_pdf",
            "name",
            vec![print("Rendering {name} report"), cpu(600)],
        )],
        tasks: vec![
            def("fetch_sales", vec![sleep(800)]),
            def("fetch_users", vec![sleep(500)]),
            def("fetch_inventory", vec![sleep(650)]),
        ],
        ..scenario("report-generator")
    };
    let render = |n: &str| job("renderers", "render_pdf", vec![Expr::str(n)]);
    run_main(
        s,
        vec![
            print("Gathering data"),
            gather(vec![
                task("fetch_sales"),
                task("fetch_users"),
                task("fetch_inventory"),
            ]),
            print("Rendering PDFs"),
            gather(vec![render("sales"), render("users")]),
            print("Reports ready"),
        ],
    )
}

pub(super) fn ai_assistant() -> Scenario {
    let s = Scenario {
        pools: vec![pool("inference", PoolKind::Process, Some(1))],
        functions: vec![def("infer", vec![cpu(800)])],
        tasks: vec![def("call_api", vec![sleep(500)])],
        ..scenario("ai-assistant")
    };
    run_main(
        s,
        vec![
            print("Fetching context"),
            gather(vec![tasks("call_api", 3)]),
            print("Running inference"),
            await_job("inference", "infer"),
            print("Answer ready"),
        ],
    )
}
