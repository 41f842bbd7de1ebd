//! The catalogue of presets: each lesson's text, predicted output and scenario.

use super::locks::*;
use super::scenarios::*;
use super::toolkit::*;
use super::{Prediction, Preset};
use crate::model::{PoolKind, StartKind};

/// Two jobs that start together and end together, in either order.
const JOBS_OUTPUT: &[&str] = &[
    "Job-A started",
    "Job-B started",
    "Job-A finished",
    "Job-B finished",
];
const JOBS_UNORDERED: &[(usize, usize)] = &[(0, 2), (2, 4)];

pub(super) static PRESETS: [Preset; 25] = [
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
        optional: &[],
        compare: &["blocking-the-loop"],
        predicts: Prediction::Ideal,
        build: gather_lesson,
    },
    Preset {
        id: "thread-pool",
        title: "Blocking calls go to a thread pool",
        lesson: "time.sleep() blocks whatever thread runs it. Handed to a ThreadPoolExecutor with \
                 run_in_executor, each blocking call gets a worker thread of its own (the pool has \
                 min(32, cores + 4) of them), and the loop only awaits the two futures: both 3 s \
                 calls run side by side, the whole run takes about 3 s, and the loop stays free. \
                 Which call finishes first is not fixed, though python3 nearly always finishes \
                 Thread-1 first (it started first; 19 and 20 of 20 runs, measured at full and a \
                 tenth of the speed). Press Run ×20: looplab's threads wake from a sleep up to a \
                 millisecond late, so here either call finishes first about as often.",
        expected_output: &[
            "Thread-1 started (blocking)",
            "Thread-2 started (blocking)",
            "Thread-1 finished (blocking)",
            "Thread-2 finished (blocking)",
        ],
        unordered: &[(0, 2), (2, 4)],
        optional: &[],
        compare: &["blocking-the-loop"],
        predicts: Prediction::Ideal,
        build: thread_pool_lesson,
    },
    Preset {
        id: "process-pool",
        title: "CPU work goes to a process pool",
        lesson: "Summing square roots is pure Python CPU work: it would hold the loop, and the \
                 GIL. A ProcessPoolExecutor runs each job in a separate OS process — see their pids \
                 on the lanes — so the two sums use two cores at once while the loop stays \
                 responsive. Each job costs the CPU time CPython 3.11 takes for it, and prints the \
                 very sums CPython prints.",
        expected_output: &[
            "Processing 10000000...",
            "Processing 12000000...",
            "Results: [21081849486.439312, 27712811188.840614]",
        ],
        unordered: &[(0, 2)],
        optional: &[],
        compare: &["gil"],
        predicts: Prediction::Ideal,
        build: process_pool_lesson,
    },
    Preset {
        id: "responsive-server",
        title: "A server that stays responsive",
        lesson: "A FastAPI app runs its handlers on the loop. Here a request for / arrives every \
                 100 ms while /compute runs a 1.5 s computation — on a process pool, so the loop \
                 keeps answering and every request's latency stays a few milliseconds. Compare it \
                 with the same computation done inline in the handler.",
        expected_output: &["Compute started", "Compute finished"],
        unordered: &[],
        optional: &[],
        compare: &["responsive-server-inline"],
        predicts: Prediction::Ideal,
        build: || responsive_server(true),
    },
    Preset {
        id: "responsive-server-inline",
        title: "A server that computes inline (frozen)",
        lesson: "The same app, but /compute computes inline in its handler, on the loop. For 1.5 s \
                 nothing else can run: requests that arrive meanwhile wait, and their latency grows \
                 to the length of the computation.",
        expected_output: &["Compute started", "Compute finished"],
        unordered: &[],
        optional: &[],
        compare: &["responsive-server"],
        predicts: Prediction::Ideal,
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
        optional: &[],
        compare: &["gather"],
        // As the lesson says: task 2 waits for task 1 (2 s), then runs its own 1 s.
        predicts: Prediction::Stated { ms: 3_000 },
        build: blocking_the_loop_lesson,
    },
    Preset {
        id: "gil",
        title: "The GIL and CPU work on threads",
        lesson: "In CPython, a thread must hold the global interpreter lock to run Python code, and \
                 it hands it over about every 5 ms. Two CPU-bound jobs on two threads therefore take \
                 turns: the lanes interleave and the run takes the sum of both jobs. Without the \
                 lock, or on processes (each with its own lock), they overlap.",
        expected_output: JOBS_OUTPUT,
        unordered: JOBS_UNORDERED,
        optional: &[],
        compare: &["gil-off", "gil-processes"],
        // The two threads take turns with the GIL: their CPU time adds up.
        predicts: Prediction::Stated { ms: 2_000 },
        build: || gil_lesson(true, PoolKind::Thread),
    },
    Preset {
        id: "gil-off",
        title: "CPU work on threads without a GIL",
        lesson: "The same two CPU-bound jobs on two threads, without a global lock. That is not \
                 CPython 3.11 but a free-threaded build (3.13t), or Rust: on two cores the jobs run \
                 at the same time and the run takes about as long as one job.",
        expected_output: JOBS_OUTPUT,
        unordered: JOBS_UNORDERED,
        optional: &[],
        compare: &["gil", "gil-processes"],
        predicts: Prediction::Ideal,
        build: || gil_lesson(false, PoolKind::Thread),
    },
    Preset {
        id: "gil-processes",
        title: "CPU work on processes, GIL and all",
        lesson: "The GIL is on, but the jobs run on a process pool: each process has its own lock, \
                 so the jobs overlap on two cores just as without the lock.",
        expected_output: JOBS_OUTPUT,
        unordered: JOBS_UNORDERED,
        optional: &[],
        compare: &["gil", "gil-off"],
        predicts: Prediction::Ideal,
        build: || gil_lesson(true, PoolKind::Process),
    },
    Preset {
        id: "daemon-threads",
        title: "Daemon and non-daemon threads",
        lesson: "Both threads print, sleep 5 s and print again; main prints and reaches the end \
                 of the module. CPython then joins every non-daemon thread — and daemon threads \
                 keep running while it waits. Both sleeps end together, so \"Worker finished\" \
                 usually prints twice: the daemon is abandoned only when the interpreter \
                 finishes, after the non-daemon threads. It is a race — if the daemon's sleep \
                 ends last, it is cut (in CPython too, on a busy machine). Many notes claim it \
                 prints once; run it in python3. \
                 Compare the daemon whose work outlasts the other thread's.",
        expected_output: &[
            "Worker started",
            "Worker started",
            "Main program exiting...",
            "Worker finished",
        ],
        unordered: &[(1, 3)],
        optional: &["Worker finished"],
        compare: &["daemon-threads-outlast", "daemon-processes"],
        predicts: Prediction::Ideal,
        build: || daemon_lesson(StartKind::Thread),
    },
    Preset {
        id: "daemon-threads-outlast",
        title: "A daemon thread that outlasts the rest",
        lesson: "Now the daemon thread's work (5 s) outlasts the non-daemon thread's (2 s). At the \
                 end of the module CPython joins the non-daemon thread; once it has finished, the \
                 interpreter finishes too and the daemon is cut where it stands: \
                 \"Background finished\" never prints, and its lane ends at 2 s.",
        expected_output: &[
            "Background started",
            "Worker started",
            "Main program exiting...",
            "Worker finished",
        ],
        unordered: &[(1, 3)],
        optional: &[],
        compare: &["daemon-threads"],
        predicts: Prediction::Ideal,
        build: daemon_outlasts,
    },
    Preset {
        id: "daemon-processes",
        title: "Daemon and non-daemon processes",
        lesson: "Processes differ from threads. At exit, multiprocessing terminates every daemon \
                 process first, then waits for the others: \"Task finished\" prints once. A new \
                 process takes milliseconds to start, so main often prints first, and the daemon \
                 may be terminated before it prints at all — the order is not fixed, in CPython \
                 as here. Press Run ×20 to see every order that came and how often (a process \
                 starts later here than under python3, so the daemon misses its print more often).",
        expected_output: &["Main process exiting...", "Task started", "Task finished"],
        unordered: &[(0, 2)],
        optional: &["Task started"],
        compare: &["daemon-threads"],
        predicts: Prediction::Ideal,
        build: || daemon_lesson(StartKind::Process),
    },
    Preset {
        id: "multi-thread-loop",
        title: "A multi-threaded loop (tokio)",
        lesson: "Not Python: asyncio's loop is one thread. tokio can run tasks on several worker \
                 threads that steal work from each other: two tasks that burn CPU inline, which \
                 would block a single-threaded loop one after the other, run in parallel on two \
                 threads of a two-worker loop.",
        expected_output: &[
            "Task 1 started",
            "Task 2 started",
            "Task 1 finished",
            "Task 2 finished",
        ],
        unordered: &[(0, 2), (2, 4)],
        optional: &[],
        compare: &["gather"],
        predicts: Prediction::Ideal,
        build: multi_thread_loop,
    },
    Preset {
        id: "rayon",
        title: "Data-parallel CPU work (rayon)",
        lesson: "Not Python: rayon is Rust's data-parallel library. One CPU-heavy step is split \
                 into chunks over a rayon pool: every core takes chunks until none are left, so the \
                 step takes about its CPU time divided by the cores.",
        expected_output: &["Splitting the work", "All chunks done"],
        unordered: &[],
        optional: &[],
        compare: &[],
        predicts: Prediction::Ideal,
        build: rayon_lesson,
    },
    Preset {
        id: "semaphore-scraper",
        title: "A semaphore caps concurrent fetches",
        lesson: "asyncio.Semaphore(2) lets two tasks hold it at once. Six fetches are gathered, but \
                 only two run at a time: the others wait at \"async with limit:\", in the order they \
                 came, until a fetch ends and hands its place on. Six half-second fetches two at a \
                 time take 1.5 s — not 0.5 s (no cap) nor 3 s (one at a time). A server that \
                 allows a few connections per client asks for exactly this.",
        expected_output: &[
            "fetching 0",
            "fetching 1",
            "fetching 2",
            "fetching 3",
            "fetching 4",
            "fetching 5",
            "6 pages fetched",
        ],
        unordered: &[],
        optional: &[],
        compare: &[],
        predicts: Prediction::Ideal,
        build: semaphore_scraper,
    },
    Preset {
        id: "producer-consumer",
        title: "Producer and consumer on a bounded queue",
        lesson: "The producer makes an item every 0.05 s; the consumer needs 0.25 s for each. The \
                 queue holds at most two, so once it is full the producer waits at \"await \
                 queue.put()\" until the consumer takes an item out: backpressure, and the \
                 producer's puts fall into the consumer's rhythm. \"await queue.join()\" returns \
                 when every item put has been marked done with task_done().",
        expected_output: &[
            "put 0",
            "put 1",
            "put 2",
            "handled 0",
            "put 3",
            "handled 1",
            "put 4",
            "handled 2",
            "put 5",
            "handled 3",
            "handled 4",
            "handled 5",
            "all handled",
        ],
        unordered: &[],
        optional: &[],
        compare: &[],
        predicts: Prediction::Ideal,
        build: producer_consumer,
    },
    Preset {
        id: "timeouts-cancellation",
        title: "Timeouts and cancellation",
        lesson: "asyncio.wait_for runs slow_fetch() in a task of its own and gives it 0.5 s: \
                 then it cancels it. CancelledError is raised inside the task at the await where \
                 it sleeps, its `except` block cleans up and raises it on, and main gets \
                 TimeoutError — at 0.5 s, not 2 s: on the timeline the fetch's bar ends \
                 cancelled. `async with asyncio.timeout(0.3):` does the same to main's own \
                 sleep: cut at 0.3 s, the block raises TimeoutError. 0.8 s in all.",
        expected_output: &[
            "fetching",
            "fetch cancelled: cleanup",
            "gave up after 0.5 s",
            "the timeout block cut the sleep",
        ],
        unordered: &[],
        optional: &[],
        compare: &[],
        predicts: Prediction::Ideal,
        build: timeouts_cancellation,
    },
    Preset {
        id: "lock-contention",
        title: "Lock contention",
        lesson: "asyncio.Lock lets one task in at a time. Three saves are gathered and all start at \
                 once, but each holds the lock across an await (its half-second write), so the \
                 others wait at \"async with db:\" in the order they came: the timeline shows the \
                 writes one after another, 1.5 s in all, where without the lock they would overlap \
                 in 0.5 s. Hold a lock only around what must not interleave.",
        expected_output: &[
            "save 1 waits for the lock",
            "save 1 writes",
            "save 2 waits for the lock",
            "save 3 waits for the lock",
            "save 2 writes",
            "save 3 writes",
            "3 writes, one at a time",
        ],
        unordered: &[],
        optional: &[],
        compare: &[],
        predicts: Prediction::Ideal,
        build: lock_contention,
    },
    Preset {
        id: "lock-order-deadlock",
        title: "A deadlock: two locks in opposite orders",
        lesson: "transfer takes the accounts lock, then the ledger; audit takes the ledger, then \
                 accounts. Each gets its first lock, sleeps, and then waits for the lock the other \
                 holds: neither can ever go on. CPython would hang here forever; looplab sees that \
                 nothing can move any more and ends the run as deadlocked at once, naming who \
                 waits for which lock held by whom. The fix is to take the locks in one order \
                 everywhere: compare with the fixed program.",
        expected_output: &["transfer holds accounts", "audit holds ledger"],
        unordered: &[],
        optional: &[],
        compare: &["lock-order-fixed"],
        predicts: Prediction::Deadlock { ms: 100 },
        build: || lock_order(false),
    },
    Preset {
        id: "lock-order-fixed",
        title: "The deadlock fixed: one lock order",
        lesson: "The same two tasks, but audit now takes accounts first, as transfer does. \
                 Whoever gets accounts first also gets the ledger; the other waits at its first \
                 lock, holding nothing, and goes on when both are free. No cycle of waits can \
                 form, so both finish: 0.2 s, one after the other.",
        expected_output: &[
            "transfer holds accounts",
            "transfer holds both",
            "audit holds accounts",
            "audit holds both",
            "both done",
        ],
        unordered: &[],
        optional: &[],
        compare: &["lock-order-deadlock"],
        predicts: Prediction::Ideal,
        build: || lock_order(true),
    },
    Preset {
        id: "web-scraper",
        title: "Pattern: a web scraper",
        lesson: "asyncio fetches many pages at once (the fetches overlap), and each page's HTML is \
                 parsed on a thread pool so parsing never blocks the loop.",
        expected_output: &["Scraping 8 pages", "All pages parsed"],
        unordered: &[],
        optional: &[],
        compare: &[],
        // The fetches overlap (400 ms), then the GIL lets one parse run at a time (8 × 60 ms).
        predicts: Prediction::Stated { ms: 880 },
        build: web_scraper,
    },
    Preset {
        id: "chat-server",
        title: "Pattern: a chat server",
        lesson: "Messages arrive at an async endpoint; each is encrypted on a thread pool before it \
                 is sent on, so the loop keeps reading new messages meanwhile.",
        expected_output: &["Chat server up"],
        unordered: &[],
        optional: &[],
        compare: &[],
        predicts: Prediction::Ideal,
        build: chat_server,
    },
    Preset {
        id: "image-upload",
        title: "Pattern: an image upload service",
        lesson: "Uploads arrive asynchronously; resizing is CPU work, so it goes to a process pool \
                 while the loop keeps accepting uploads.",
        expected_output: &["Service up"],
        unordered: &[],
        optional: &[],
        compare: &[],
        predicts: Prediction::Ideal,
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
        optional: &[],
        compare: &[],
        predicts: Prediction::Ideal,
        build: report_generator,
    },
    Preset {
        id: "ai-assistant",
        title: "Pattern: an AI assistant",
        lesson: "The assistant calls three APIs concurrently for context, then runs model inference \
                 on a process pool so the loop stays free for other users.",
        expected_output: &["Fetching context", "Running inference", "Answer ready"],
        unordered: &[],
        optional: &[],
        compare: &[],
        predicts: Prediction::Ideal,
        build: ai_assistant,
    },
];
