//! Every bound looplab enforces, as named constants.
//!
//! The server enforces them; the UI shows them. The README lists them, and a test keeps that
//! list in step with this file.

/// Most tasks and functions one scenario may define, each.
pub const MAX_TASKS: usize = 10_000;

/// Most steps one task, function or `main` may have.
pub const MAX_STEPS_PER_TASK: usize = 100;

/// Most steps in a whole scenario, all definitions together.
pub const MAX_TOTAL_STEPS: usize = 100_000;

/// Most task, job, thread, process and request instances one run may create.
pub const MAX_INSTANCES: u64 = 20_000;

/// Longest single duration a step may ask for, in milliseconds, before scaling.
pub const MAX_STEP_MS: u64 = 60_000;

/// Longest a scenario may be planned to take, in milliseconds after scaling: a scenario whose
/// ideal schedule is longer is refused before it runs.
pub const MAX_SCENARIO_MS: u64 = 30_000;

/// Longest a run may take on the wall clock, in milliseconds. A run still going then is
/// stopped and ends as `timed_out`, keeping the events it produced. The margin over
/// [`MAX_SCENARIO_MS`] absorbs scheduling delays and the GIL's serialisation.
pub const MAX_RUN_WALL_MS: u64 = 35_000;

/// Most events one run may emit. A scenario that could emit more is refused; a run that
/// still reaches it is stopped, keeping what it produced.
pub const MAX_EVENTS: u64 = 250_000;

/// Address space each process of a run may map, in bytes (RLIMIT_AS). With
/// [`MAX_PROCESSES`] this bounds a run's whole process tree.
pub const MAX_PROCESS_MEMORY_BYTES: u64 = 1024 * 1024 * 1024;

/// CPU seconds each process of a run may use (RLIMIT_CPU); past it the kernel kills it.
pub const MAX_PROCESS_CPU_S: u64 = 120;

/// Files each process of a run may hold open (RLIMIT_NOFILE).
pub const MAX_PROCESS_OPEN_FILES: u64 = 256;

/// Most pools one scenario may define.
pub const MAX_POOLS: usize = 8;

/// Most workers one pool may have.
pub const MAX_POOL_WORKERS: u32 = 16;

/// Most OS processes one run may have alive besides its own: process-pool workers and
/// started processes together.
pub const MAX_PROCESSES: u32 = 16;

/// Most threads one run may start besides the loop: thread-pool workers and started threads
/// together.
pub const MAX_THREADS: u32 = 64;

/// Most worker threads of a multi-threaded loop.
pub const MAX_LOOP_WORKERS: u32 = 8;

/// Most chunks one `par_cpu` step may be split into.
pub const MAX_PAR_CHUNKS: u32 = 64;

/// Most locks, semaphores, events and queues one scenario may define.
pub const MAX_RESOURCES: usize = 16;

/// Largest initial value of a semaphore (`asyncio.Semaphore(n)`).
pub const MAX_SEMAPHORE_VALUE: u32 = 1_000;

/// Largest `maxsize` of a queue (`asyncio.Queue(maxsize)`); 0 is unbounded.
pub const MAX_QUEUE_SIZE: u32 = 10_000;

/// Most times one `for` loop may run its body (`for i in range(n)`).
pub const MAX_FOR_TIMES: u32 = 10_000;

/// Most steps a run may execute, every repetition of a loop counted.
pub const MAX_EXECUTED_STEPS: u64 = 100_000;

/// Most requests a server's traffic may send, all paths together.
pub const MAX_REQUESTS: u32 = 1_000;

/// Longest name of a scenario, task, function, pool, parameter, variable or route, in bytes.
pub const MAX_NAME_BYTES: usize = 64;

/// Most `except` blocks one `try` may have.
pub const MAX_HANDLERS: usize = 8;

/// Longest text of a `print` step or of a string value, in bytes.
pub const MAX_TEXT_BYTES: usize = 256;

/// Largest Python program looplab reads, in bytes. A lesson's program is a few kilobytes.
pub const MAX_PYTHON_BYTES: usize = 100_000;

/// Deepest a Python program may nest brackets and operators on one line, or blocks. CPython
/// itself refuses more than 200 nested parentheses.
pub const MAX_PYTHON_NESTING: usize = 100;

/// Deepest an expression of a scenario may nest (lists in lists, sums of sums).
pub const MAX_EXPR_DEPTH: usize = 8;

/// Deepest blocks (`with`, `async with`, `for`) may nest in one body.
pub const MAX_BLOCK_DEPTH: usize = 8;

/// Longest teacher's note a share link may carry, in bytes.
pub const MAX_NOTE_BYTES: usize = 1_000;

/// Most goals a challenge (built in or in a link) may set.
pub const MAX_GOALS: usize = 8;

/// Most console lines a goal may expect.
pub const MAX_GOAL_LINES: usize = 100;

/// Most choices a question asked before Run may offer.
pub const MAX_CHOICES: usize = 8;

/// Most runs one repeat (`ClientMsg::Repeat`: the same scenario run again and again, to see
/// what varies) may ask for. Each is a whole run, admitted one after another like any other.
pub const MAX_REPEATS: u32 = 50;

/// Console lines, and subjects' ends, a repeat keeps of each of its runs: the first ones.
/// The orderings of a run that printed more are compared on these and marked cut.
pub const MAX_DIGEST_LINES: usize = 100;

/// Largest recorded run a page opens, in bytes of its file: room for a run at
/// [`MAX_EVENTS`] (an event is about 150 bytes of JSON), so any run the page shows can be
/// saved and opened again.
pub const MAX_RECORDING_BYTES: usize = 64 * 1024 * 1024;

/// Longest link a recorded run travels in, in characters after the `#`: a run whose link
/// would be longer is offered as a file only. Chat tools and course pages keep links of
/// this length whole; a few hundred events fit.
pub const MAX_RECORDING_LINK_CHARS: usize = 16 * 1024;

/// Smallest time scale (every duration is multiplied by it).
pub const MIN_TIME_SCALE: f64 = 0.01;

/// Largest time scale.
pub const MAX_TIME_SCALE: f64 = 10.0;

/// Runs that may wait for a run slot at once; past it a run is refused as the server being
/// busy. (How many runs go at once: a run that computes takes the cores it can keep busy, of
/// the server's `--run-cores`, by default its cores; runs that only wait share them,
/// [`LIGHT_RUNS_PER_CORE`] a core.)
pub const MAX_QUEUED_RUNS: usize = 256;

/// Runs that compute nothing (they sleep, wait for I/O or join) admitted at once a core, beside
/// the runs that compute. Such a run uses under 1/100 of a core (the gather lesson, measured:
/// 0.45 s of CPU for 30 runs of 2 s), mostly to start its process; 16 keeps a class of 30
/// starting together on two cores while leaving the cores to the runs that compute.
pub const LIGHT_RUNS_PER_CORE: u32 = 16;

/// WebSocket connections one address may hold at once. A whole class behind one school
/// router shares an address, so this is generous.
pub const MAX_CONNECTIONS_PER_ADDRESS: usize = 256;

/// Runs one address may start in a minute.
pub const MAX_RUNS_PER_MINUTE_PER_ADDRESS: usize = 600;

/// Seconds a new connection has to send a complete HTTP request (for `/ws`, the WebSocket
/// upgrade); a connection that trickles or sends nothing is closed.
pub const HANDSHAKE_TIMEOUT_S: u64 = 10;

/// Seconds a connection may stay without a message from its client and without a run.
pub const IDLE_TIMEOUT_S: u64 = 600;

/// Seconds one connection may last at most.
pub const SESSION_TIMEOUT_S: u64 = 4 * 3600;

/// Largest WebSocket message a client may send, in bytes.
pub const MAX_CLIENT_MESSAGE_BYTES: usize = 2 * 1024 * 1024;

/// How often the simulated GIL is handed to a waiting thread, in milliseconds, as CPython's
/// default switch interval. Not a limit: the engine's setting, here so the UI can show it.
pub const GIL_SWITCH_MS: u64 = 5;

/// How often the loop's heartbeat measures its lag, in milliseconds.
pub const HEARTBEAT_MS: u64 = 10;

/// The smallest loop lag reported, in ms. The timer wakes up to about a millisecond late on
/// its own (its resolution); a lag below this is that, not a busy loop, and reporting it
/// would wake the whole pipeline a hundred times a second for nothing.
pub const LAG_REPORT_MS: u64 = 2;

/// How long the runner's deadlock detector watches a run in which nothing can move before it
/// ends the run as deadlocked, in ms: a wake-up already on its way (a lock handed over, an
/// item put) shows within this window as a change, and the run goes on. Not a limit: the
/// engine's setting, which bounds how late a deadlock is reported.
pub const DEADLOCK_CONFIRM_MS: u64 = 20;
