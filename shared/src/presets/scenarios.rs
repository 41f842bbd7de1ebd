//! The presets' scenarios, written with a few small constructors so each reads like the
//! Python program it stands for.

use crate::model::{Call, Function, LoopFlavor, Options, Pool, PoolKind, Requests, Scenario, Step};

fn print(text: &str) -> Step {
    Step::Print { text: text.into() }
}
fn sleep(ms: u64) -> Step {
    Step::Sleep { ms }
}
fn blocking_sleep(ms: u64) -> Step {
    Step::BlockingSleep { ms }
}
fn cpu(ms: u64) -> Step {
    Step::Cpu { ms }
}
fn gather(calls: Vec<Call>) -> Step {
    Step::Gather { calls }
}
fn task(name: &str) -> Call {
    Call::Task {
        task: name.into(),
        times: 1,
    }
}
fn tasks(name: &str, times: u32) -> Call {
    Call::Task {
        task: name.into(),
        times,
    }
}
fn exec(pool: &str, function: &str, arg: &str) -> Call {
    Call::Executor {
        pool: pool.into(),
        function: function.into(),
        arg: arg.into(),
        times: 1,
    }
}
fn def(name: &str, steps: Vec<Step>) -> Function {
    Function {
        name: name.into(),
        steps,
    }
}
fn pool(name: &str, kind: PoolKind, max_workers: u32) -> Pool {
    Pool {
        name: name.into(),
        kind,
        max_workers,
    }
}
fn scenario(name: &str) -> Scenario {
    Scenario {
        name: name.into(),
        time_scale: 1.0,
        options: Options::default(),
        pools: vec![],
        functions: vec![],
        tasks: vec![],
        main: vec![],
        requests: None,
    }
}

pub(super) fn gather_lesson() -> Scenario {
    let task = |n: u32, ms: u64| {
        def(
            &format!("task{n}"),
            vec![
                print(&format!("Task {n} started")),
                sleep(ms),
                print(&format!("Task {n} finished")),
            ],
        )
    };
    Scenario {
        tasks: vec![task(1, 2000), task(2, 1000)],
        main: vec![gather(vec![task_call("task1"), task_call("task2")])],
        ..scenario("gather")
    }
}

fn task_call(name: &str) -> Call {
    task(name)
}

pub(super) fn blocking_the_loop_lesson() -> Scenario {
    let mut s = gather_lesson();
    s.name = "blocking-the-loop".into();
    s.tasks[0].steps[1] = blocking_sleep(2000);
    s
}

pub(super) fn thread_pool_lesson() -> Scenario {
    Scenario {
        pools: vec![pool("pool", PoolKind::Thread, 4)],
        functions: vec![def(
            "blocking_task",
            vec![
                print("{arg} started (blocking)"),
                sleep(3000),
                print("{arg} finished (blocking)"),
            ],
        )],
        main: vec![gather(vec![
            exec("pool", "blocking_task", "Thread-1"),
            exec("pool", "blocking_task", "Thread-2"),
        ])],
        ..scenario("thread-pool")
    }
}

pub(super) fn process_pool_lesson() -> Scenario {
    Scenario {
        pools: vec![pool("pool", PoolKind::Process, 2)],
        functions: vec![def(
            "heavy_cpu_task",
            vec![print("Processing {arg}..."), cpu(1000)],
        )],
        main: vec![
            gather(vec![
                exec("pool", "heavy_cpu_task", "10000000"),
                exec("pool", "heavy_cpu_task", "12000000"),
            ]),
            print("Results: [2 sums]"),
        ],
        ..scenario("process-pool")
    }
}

pub(super) fn responsive_server(offload: bool) -> Scenario {
    let compute = if offload {
        gather(vec![exec("pool", "compute", "")])
    } else {
        cpu(1500)
    };
    Scenario {
        pools: vec![pool("pool", PoolKind::Process, 2)],
        functions: vec![def("compute", vec![cpu(1500)])],
        tasks: vec![def("handle_request", vec![sleep(2)])],
        main: vec![
            sleep(100),
            print("Compute started"),
            compute,
            print("Compute finished"),
        ],
        requests: Some(Requests {
            handler: "handle_request".into(),
            every_ms: 100,
            count: 18,
        }),
        ..scenario(if offload {
            "responsive-server"
        } else {
            "responsive-server-inline"
        })
    }
}

pub(super) fn gil_lesson(gil: bool, kind: PoolKind) -> Scenario {
    Scenario {
        options: Options {
            gil,
            ..Options::default()
        },
        pools: vec![pool("pool", kind, 2)],
        functions: vec![def(
            "job",
            vec![print("{arg} started"), cpu(1000), print("{arg} finished")],
        )],
        main: vec![gather(vec![
            exec("pool", "job", "Job-A"),
            exec("pool", "job", "Job-B"),
        ])],
        ..scenario(match (gil, kind) {
            (true, PoolKind::Thread) => "gil",
            (false, _) => "gil-off",
            (true, PoolKind::Process) => "gil-processes",
        })
    }
}

pub(super) fn daemon_lesson(processes: bool) -> Scenario {
    let (function, started, finished, exiting) = if processes {
        (
            "task",
            "Task started",
            "Task finished",
            "Main process exiting...",
        )
    } else {
        (
            "worker",
            "Worker started",
            "Worker finished",
            "Main program exiting...",
        )
    };
    let start = |daemon: bool| {
        let (function, arg) = (function.to_owned(), String::new());
        if processes {
            Step::StartProcess {
                function,
                daemon,
                arg,
            }
        } else {
            Step::StartThread {
                function,
                daemon,
                arg,
            }
        }
    };
    Scenario {
        functions: vec![def(
            function,
            vec![print(started), sleep(5000), print(finished)],
        )],
        // A moment for both workers to start and print before main does, as in the lesson,
        // even on a busy machine where starting a process takes tens of milliseconds.
        main: vec![start(true), start(false), sleep(200), print(exiting)],
        ..scenario(if processes {
            "daemon-processes"
        } else {
            "daemon-threads"
        })
    }
}

pub(super) fn multi_thread_loop() -> Scenario {
    let task = |n: u32| {
        def(
            &format!("task{n}"),
            vec![
                print(&format!("Task {n} started")),
                cpu(1000),
                print(&format!("Task {n} finished")),
            ],
        )
    };
    Scenario {
        options: Options {
            loop_flavor: LoopFlavor::MultiThread { workers: 2 },
            gil: false,
        },
        tasks: vec![task(1), task(2)],
        main: vec![gather(vec![task_call("task1"), task_call("task2")])],
        ..scenario("multi-thread-loop")
    }
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
    Scenario {
        options: Options {
            gil: true,
            ..Options::default()
        },
        pools: vec![pool("parsers", PoolKind::Thread, 4)],
        functions: vec![def("parse_html", vec![cpu(60)])],
        tasks: vec![def(
            "scrape",
            vec![sleep(400), gather(vec![exec("parsers", "parse_html", "")])],
        )],
        main: vec![
            print("Scraping 8 pages"),
            gather(vec![tasks("scrape", 8)]),
            print("All pages parsed"),
        ],
        ..scenario("web-scraper")
    }
}

pub(super) fn chat_server() -> Scenario {
    Scenario {
        pools: vec![pool("crypto", PoolKind::Thread, 2)],
        functions: vec![def("encrypt", vec![cpu(15)])],
        tasks: vec![def(
            "relay_message",
            vec![
                sleep(2),
                gather(vec![exec("crypto", "encrypt", "")]),
                sleep(1),
            ],
        )],
        main: vec![
            print("Chat server up"),
            sleep(1500),
            print("Chat server down"),
        ],
        requests: Some(Requests {
            handler: "relay_message".into(),
            every_ms: 50,
            count: 25,
        }),
        ..scenario("chat-server")
    }
}

pub(super) fn image_upload() -> Scenario {
    Scenario {
        pools: vec![pool("resizers", PoolKind::Process, 2)],
        functions: vec![def("resize", vec![cpu(300)])],
        tasks: vec![def(
            "upload",
            vec![sleep(20), gather(vec![exec("resizers", "resize", "")])],
        )],
        main: vec![print("Service up"), sleep(1800), print("Service down")],
        requests: Some(Requests {
            handler: "upload".into(),
            every_ms: 200,
            count: 8,
        }),
        ..scenario("image-upload")
    }
}

pub(super) fn report_generator() -> Scenario {
    Scenario {
        pools: vec![pool("renderers", PoolKind::Process, 2)],
        functions: vec![def(
            "render_pdf",
            vec![print("Rendering {arg} report"), cpu(600)],
        )],
        tasks: vec![
            def("fetch_sales", vec![sleep(800)]),
            def("fetch_users", vec![sleep(500)]),
            def("fetch_inventory", vec![sleep(650)]),
        ],
        main: vec![
            print("Gathering data"),
            gather(vec![
                task_call("fetch_sales"),
                task_call("fetch_users"),
                task_call("fetch_inventory"),
            ]),
            print("Rendering PDFs"),
            gather(vec![
                exec("renderers", "render_pdf", "sales"),
                exec("renderers", "render_pdf", "users"),
            ]),
            print("Reports ready"),
        ],
        ..scenario("report-generator")
    }
}

pub(super) fn ai_assistant() -> Scenario {
    Scenario {
        pools: vec![pool("inference", PoolKind::Process, 1)],
        functions: vec![def("infer", vec![cpu(800)])],
        tasks: vec![def("call_api", vec![sleep(500)])],
        main: vec![
            print("Fetching context"),
            gather(vec![tasks("call_api", 3)]),
            print("Running inference"),
            gather(vec![exec("inference", "infer", "")]),
            print("Answer ready"),
        ],
        ..scenario("ai-assistant")
    }
}
