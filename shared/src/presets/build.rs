//! The presets' scenarios, written with a few small constructors so each reads like the
//! Python program it stands for.

use super::Preset;
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

pub(super) static PRESETS: [Preset; 18] = [
    Preset {
        id: "gather",
        title: "The event loop and gather",
        lesson: "One thread runs the event loop. Each task runs until it reaches an await that is \
                 not ready — here a sleep — and then hands the loop back, so the loop can start the \
                 next task. Both tasks sleep at the same time, which is why the whole program takes \
                 about as long as the longest sleep (2 s), not the sum of both (3 s). Task 2 \
                 finishes first because its sleep is shorter.",
        expected_output: &[
            "Task 1 started",
            "Task 2 started",
            "Task 2 finished",
            "Task 1 finished",
        ],
        unordered: &[],
        compare: &["blocking-the-loop"],
        build: gather_lesson,
    },
    Preset {
        id: "thread-pool",
        title: "Blocking calls go to a thread pool",
        lesson: "time.sleep() blocks whatever thread runs it. Handed to a ThreadPoolExecutor with \
                 run_in_executor, each blocking call gets a worker thread of its own, and the loop \
                 only awaits the results: both 3 s calls run side by side, the whole run takes about \
                 3 s, and the loop stays free the whole time.",
        expected_output: &[
            "Thread-1 started (blocking)",
            "Thread-2 started (blocking)",
            "Thread-1 finished (blocking)",
            "Thread-2 finished (blocking)",
        ],
        unordered: &[(0, 2), (2, 4)],
        compare: &[],
        build: thread_pool_lesson,
    },
    Preset {
        id: "process-pool",
        title: "CPU work goes to a process pool",
        lesson: "CPU-heavy work would hold the loop (and, in Python, the GIL). A ProcessPoolExecutor \
                 runs each job in a separate OS process — see their pids on the lanes — so two jobs \
                 use two cores at once while the loop stays responsive: its lag stays near zero.",
        expected_output: &[
            "Processing 10000000...",
            "Processing 12000000...",
            "Results: [2 sums]",
        ],
        unordered: &[(0, 2)],
        compare: &["gil"],
        build: process_pool_lesson,
    },
    Preset {
        id: "responsive-server",
        title: "A server that stays responsive",
        lesson: "A web server runs its request handlers on the loop. Here a request arrives every \
                 100 ms while a 1.5 s computation runs — on a process pool, so the loop keeps \
                 answering and every request's latency stays a few milliseconds. Compare it with the \
                 same computation done inline on the loop.",
        expected_output: &["Compute started", "Compute finished"],
        unordered: &[],
        compare: &["responsive-server-inline"],
        build: || responsive_server(true),
    },
    Preset {
        id: "responsive-server-inline",
        title: "A server that computes inline (frozen)",
        lesson: "The same server, but the computation runs inline in the handler, on the loop. For \
                 1.5 s nothing else can run: requests that arrive meanwhile wait, and their latency \
                 grows to the length of the computation.",
        expected_output: &["Compute started", "Compute finished"],
        unordered: &[],
        compare: &["responsive-server"],
        build: || responsive_server(false),
    },
    Preset {
        id: "blocking-the-loop",
        title: "Blocking the loop",
        lesson: "Task 1 calls time.sleep() instead of await asyncio.sleep(): it never hands the loop \
                 back, so task 2 cannot even start until task 1 is done. The loop's lag meter jumps \
                 to 2 s, and the run takes 3 s instead of 2. The fix is one word: await.",
        expected_output: &[
            "Task 1 started",
            "Task 1 finished",
            "Task 2 started",
            "Task 2 finished",
        ],
        unordered: &[],
        compare: &["gather"],
        build: blocking_the_loop_lesson,
    },
    Preset {
        id: "gil",
        title: "The GIL and CPU work on threads",
        lesson: "In CPython, a thread must hold the global interpreter lock to run Python code, and \
                 it hands it over about every 5 ms. Two CPU-bound jobs on two threads therefore take \
                 turns: the lanes interleave and the run takes the sum of both jobs. Without the \
                 lock, or on processes (each with its own lock), they overlap.",
        expected_output: &[
            "Job-A started",
            "Job-B started",
            "Job-A finished",
            "Job-B finished",
        ],
        unordered: &[(0, 2), (2, 4)],
        compare: &["gil-off", "gil-processes"],
        build: || gil_lesson(true, PoolKind::Thread),
    },
    Preset {
        id: "gil-off",
        title: "CPU work on threads without a GIL",
        lesson: "The same two CPU-bound jobs on two threads, without a global lock (as in Rust, or \
                 free-threaded Python): on two cores they run at the same time and the run takes \
                 about as long as one job.",
        expected_output: &[
            "Job-A started",
            "Job-B started",
            "Job-A finished",
            "Job-B finished",
        ],
        unordered: &[(0, 2), (2, 4)],
        compare: &["gil", "gil-processes"],
        build: || gil_lesson(false, PoolKind::Thread),
    },
    Preset {
        id: "gil-processes",
        title: "CPU work on processes, GIL and all",
        lesson: "The GIL is on, but the jobs run on a process pool: each process has its own lock, \
                 so the jobs overlap on two cores just as without the lock.",
        expected_output: &[
            "Job-A started",
            "Job-B started",
            "Job-A finished",
            "Job-B finished",
        ],
        unordered: &[(0, 2), (2, 4)],
        compare: &["gil", "gil-off"],
        build: || gil_lesson(true, PoolKind::Process),
    },
    Preset {
        id: "daemon-threads",
        title: "Daemon and non-daemon threads",
        lesson: "Both threads print, sleep 5 s and print again. When main's own work ends, Python \
                 waits for non-daemon threads but kills daemon threads where they stand — so \
                 \"Worker finished\" is printed once: the daemon lane is cut at main's exit.",
        expected_output: &[
            "Worker started",
            "Worker started",
            "Main program exiting...",
            "Worker finished",
        ],
        unordered: &[],
        compare: &["daemon-processes"],
        build: || daemon_lesson(false),
    },
    Preset {
        id: "daemon-processes",
        title: "Daemon and non-daemon processes",
        lesson: "The same with processes: at main's exit the daemon process is terminated (its pid \
                 ends) while the non-daemon process is waited for and finishes its work.",
        expected_output: &[
            "Task started",
            "Task started",
            "Main process exiting...",
            "Task finished",
        ],
        unordered: &[],
        compare: &["daemon-threads"],
        build: || daemon_lesson(true),
    },
    Preset {
        id: "multi-thread-loop",
        title: "A multi-threaded loop (tokio)",
        lesson: "tokio can run tasks on several worker threads that steal work from each other. Two \
                 tasks that burn CPU inline block a single-threaded loop one after the other; on a \
                 two-worker loop they run in parallel, on two different threads.",
        expected_output: &[
            "Task 1 started",
            "Task 2 started",
            "Task 1 finished",
            "Task 2 finished",
        ],
        unordered: &[(0, 2), (2, 4)],
        compare: &[],
        build: multi_thread_loop,
    },
    Preset {
        id: "rayon",
        title: "Data-parallel CPU work (rayon)",
        lesson: "One CPU-heavy step split into chunks over a rayon pool: every core takes chunks \
                 until none are left, so the step takes about its CPU time divided by the cores.",
        expected_output: &["Splitting the work", "All chunks done"],
        unordered: &[],
        compare: &[],
        build: rayon_lesson,
    },
    Preset {
        id: "web-scraper",
        title: "Pattern: a web scraper",
        lesson: "asyncio fetches many pages at once (the fetches overlap), and each page's HTML is \
                 parsed on a thread pool so parsing never blocks the loop.",
        expected_output: &["Scraping 8 pages", "All pages parsed"],
        unordered: &[],
        compare: &[],
        build: web_scraper,
    },
    Preset {
        id: "chat-server",
        title: "Pattern: a chat server",
        lesson: "Messages arrive on async sockets; each is encrypted on a thread pool before it is \
                 sent on, so the loop keeps reading new messages meanwhile.",
        expected_output: &["Chat server up", "Chat server down"],
        unordered: &[],
        compare: &[],
        build: chat_server,
    },
    Preset {
        id: "image-upload",
        title: "Pattern: an image upload service",
        lesson: "Uploads arrive asynchronously; resizing is CPU work, so it goes to a process pool \
                 while the loop keeps accepting uploads.",
        expected_output: &["Service up", "Service down"],
        unordered: &[],
        compare: &[],
        build: image_upload,
    },
    Preset {
        id: "report-generator",
        title: "Pattern: a report generator",
        lesson: "The data comes from three sources at once (async), then the PDFs are rendered on a \
                 process pool, two at a time.",
        expected_output: &[
            "Gathering data",
            "Rendering PDFs",
            "Rendering sales report",
            "Rendering users report",
            "Reports ready",
        ],
        unordered: &[(2, 4)],
        compare: &[],
        build: report_generator,
    },
    Preset {
        id: "ai-assistant",
        title: "Pattern: an AI assistant",
        lesson: "The assistant calls three APIs concurrently for context, then runs model inference \
                 on a process pool so the loop stays free for other users.",
        expected_output: &["Fetching context", "Running inference", "Answer ready"],
        unordered: &[],
        compare: &[],
        build: ai_assistant,
    },
];

fn gather_lesson() -> Scenario {
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

fn blocking_the_loop_lesson() -> Scenario {
    let mut s = gather_lesson();
    s.name = "blocking-the-loop".into();
    s.tasks[0].steps[1] = blocking_sleep(2000);
    s
}

fn thread_pool_lesson() -> Scenario {
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

fn process_pool_lesson() -> Scenario {
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

fn responsive_server(offload: bool) -> Scenario {
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

fn gil_lesson(gil: bool, kind: PoolKind) -> Scenario {
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

fn daemon_lesson(processes: bool) -> Scenario {
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
        // The short sleep lets both workers print before main does, as in the lesson.
        main: vec![start(true), start(false), sleep(50), print(exiting)],
        ..scenario(if processes {
            "daemon-processes"
        } else {
            "daemon-threads"
        })
    }
}

fn multi_thread_loop() -> Scenario {
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

fn rayon_lesson() -> Scenario {
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

fn web_scraper() -> Scenario {
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

fn chat_server() -> Scenario {
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

fn image_upload() -> Scenario {
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

fn report_generator() -> Scenario {
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

fn ai_assistant() -> Scenario {
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
