//! What the page shows of one run: each subject's track of spans, the console, and the
//! figures measured along the way, every one with its time so a replay can cut it; and of
//! a comparison's several runs.

use std::rc::Rc;

use looplab_shared::model::{Resource, Scenario};
use looplab_shared::protocol::{Lane, Outcome, RunId, SubjectKind};

pub use super::span::{SpanKind, WaitOn};

/// A stretch of time a task spent in one state. `end` is `None` while it lasts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    /// Start, in ns since the run began.
    pub start: u64,
    /// End, in ns since the run began; `None` while open.
    pub end: Option<u64>,
    /// What the task was doing.
    pub kind: SpanKind,
    /// For a task suspended on a lock, a semaphore, an event or a queue: which, and why.
    pub on: Option<WaitOn>,
}

/// One task's lane.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Track {
    /// The task's name.
    pub name: String,
    /// Its spans, in time order.
    pub spans: Vec<Span>,
    /// When it printed.
    pub prints: Vec<u64>,
    /// How it ended, once it has.
    pub end: Option<TrackEnd>,
    /// Where it ran: the process, thread and lane of its start.
    pub home: Option<Home>,
    /// What it is (a task, a job, a request…), once its creation has been seen.
    pub kind: Option<SubjectKind>,
    /// The subject that created it, once its creation has been seen (`main` has none).
    pub parent: Option<u32>,
    /// Each `gather` it waited in: the suspended span's start, and the subjects gathered.
    pub gathers: Vec<(u64, Vec<u32>)>,
}

/// Where a subject ran.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Home {
    /// Its process.
    pub pid: u32,
    /// Its thread.
    pub tid: u64,
    /// Its lane kind.
    pub lane: Lane,
}

/// How a subject ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TrackEnd {
    /// It returned.
    Finished,
    /// It was cancelled.
    Cancelled,
    /// It was killed (a daemon at main's exit).
    Killed,
    /// It failed.
    Failed,
    /// It never ended: it was one of a deadlock's subjects, waiting forever when the run
    /// was stopped (the engine's cancelling it to stop the run is not how it ended).
    Stuck,
}

/// Where a run stands.
#[derive(Debug, Clone, PartialEq)]
pub enum RunStatus {
    /// Events are arriving.
    Running,
    /// It ended.
    Ended {
        /// How.
        outcome: Outcome,
        /// Its measured wall time.
        wall_ns: u64,
        /// Events the server could not deliver.
        events_lost: u64,
    },
}

/// A printed line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    /// When, in ns since the run began.
    pub t_ns: u64,
    /// Which task printed it.
    pub task: u32,
    /// What it said.
    pub text: String,
}

/// Everything the page shows of one run.
#[derive(Debug, Clone, PartialEq)]
pub struct RunView {
    /// The run's id.
    pub run_id: RunId,
    /// The scenario's name.
    pub name: String,
    /// The scenario's locks, semaphores, events and queues, by index.
    pub resources: Rc<Vec<Resource>>,
    /// What subjects did with them (took, let go, put, got, set), in time order.
    pub uses: Rc<Vec<Use>>,
    /// What an ideal machine would take.
    pub ideal_wall_ns: u64,
    /// What its lesson says it takes, where the lesson states a length.
    pub predicted_wall_ns: Option<u64>,
    /// Cores of the machine that runs it.
    pub cores: u32,
    /// Where it stands.
    pub status: RunStatus,
    /// Lanes by task id: 0 is main.
    pub tracks: Vec<Rc<Track>>,
    /// The console, in print order.
    pub console: Rc<Vec<Line>>,
    /// Latest event time seen.
    pub last_t_ns: u64,
    /// The `seq` expected next; a message with another one is a gap.
    pub next_seq: u64,
    /// Every loop lag measured, with when: a replay cut keeps the ones before its moment.
    pub lags: Rc<Vec<Sample>>,
    /// Every answered request's latency, with when it was answered, in arrival order.
    pub latencies: Rc<Vec<Sample>>,
    /// Messages that arrived out of sequence.
    pub gaps: u64,
    /// Its messages, for saving it as a recorded run.
    pub log: super::MessageLog,
}

/// A subject used a resource: took or let go a lock or a semaphore's place, put or got a
/// queue's item, set an event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Use {
    /// When, in ns since the run began.
    pub t_ns: u64,
    /// Who.
    pub subject: u32,
    /// Which: its index in the scenario's resources.
    pub resource: u32,
    /// What it did.
    pub op: UseOp,
}

/// What a [`Use`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UseOp {
    /// Took a lock or one of a semaphore's places.
    Acquired,
    /// Let it go.
    Released,
    /// Put item number `0` on a queue.
    Put(u64),
    /// Got item number `0` off a queue.
    Got(u64),
    /// Set an event.
    Set,
}

impl RunView {
    /// Its wall time: measured once it ended, its latest event's time while it runs.
    pub fn wall_ns(&self) -> u64 {
        match self.status {
            RunStatus::Ended { wall_ns, .. } => wall_ns,
            RunStatus::Running => self.last_t_ns,
        }
    }
}

/// A figure measured at a moment of the run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sample {
    /// When, in ns since the run began.
    pub t_ns: u64,
    /// What was measured, in ns.
    pub value_ns: u64,
    /// Who measured it: the request answered, or the loop's owner.
    pub subject: u32,
}

/// Several variants of a scenario, run one after another and shown on one time axis.
#[derive(Debug, Clone, PartialEq)]
pub struct Comparison {
    /// Each variant's label and scenario, in order.
    pub variants: Vec<(String, Scenario)>,
    /// The finished runs, in the same order; fewer while the comparison runs.
    pub runs: Vec<RunView>,
    /// A variant's run was requested and has not ended yet.
    pub waiting: bool,
}

impl Comparison {
    /// The variant to run next, if any is left and none is under way.
    pub fn next(&self) -> Option<&Scenario> {
        (!self.waiting)
            .then(|| self.variants.get(self.runs.len()).map(|(_, s)| s))
            .flatten()
    }
}
