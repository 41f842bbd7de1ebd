//! The page's one state, the actions that change it, and the reducer.
//!
//! A run is rebuilt from the server's messages: each task gets a track of spans (queued,
//! running, suspended) opened and closed by its events. Messages of any run but the current
//! one are ignored, so a late message of a replaced run cannot leak into the view.

use std::rc::Rc;

use looplab_shared::model::Scenario;
use looplab_shared::presets::{self, Preset};
use looplab_shared::protocol::{Lane, Outcome, RunId, ServerMsg};
use looplab_shared::share::Shared;
use yew::Reducible;

use crate::edit::{self, Edit};

/// Where the WebSocket stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Conn {
    /// Opening, for the first time or again after a drop.
    Connecting,
    /// Open.
    Open,
    /// Dropped; a new attempt starts after a pause.
    Lost,
}

/// What a span of a task's track means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SpanKind {
    /// Created, waiting for the loop to run it for the first time.
    Queued,
    /// Running on the loop.
    Running,
    /// Suspended at an `await`; the loop is free.
    Suspended,
    /// Blocking its thread in a sleep (on the loop: the loop is stuck).
    BlockedSleep,
    /// Burning CPU (on the loop: the loop is stuck too).
    Cpu,
    /// Waiting for its process's GIL.
    GilWait,
}

/// A stretch of time a task spent in one state. `end` is `None` while it lasts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    /// Start, in ns since the run began.
    pub start: u64,
    /// End, in ns since the run began; `None` while open.
    pub end: Option<u64>,
    /// What the task was doing.
    pub kind: SpanKind,
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
    /// What an ideal machine would take.
    pub ideal_wall_ns: u64,
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
    /// The largest loop lag measured.
    pub max_lag_ns: u64,
    /// Every answered request's latency, in arrival order.
    pub latencies_ns: Rc<Vec<u64>>,
    /// Messages that arrived out of sequence.
    pub gaps: u64,
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

/// A request the server refused.
#[derive(Debug, Clone, PartialEq)]
pub struct Refusal {
    /// The offending field.
    pub field: String,
    /// Why.
    pub message: String,
}

/// The page's state.
#[derive(Debug, Clone, PartialEq)]
pub struct State {
    /// The scenario on screen, which Run sends.
    pub scenario: Scenario,
    /// The lesson it is, if it is one (a shared link may hold a lesson, or anything else).
    pub preset: Option<&'static Preset>,
    /// A teacher's note from the link the page opened with.
    pub note: Option<String>,
    /// Why the link the page opened with could not be used.
    pub link_error: Option<String>,
    /// Run as soon as the socket is open (a link asked for it).
    pub run_on_open: bool,
    /// The socket.
    pub conn: Conn,
    /// A run was requested and its start has not arrived yet.
    pub awaiting_start: bool,
    /// The requested run waits in the server's queue: its id and its place (1 is next).
    pub queued: Option<(RunId, u32)>,
    /// The current or last run.
    pub run: Option<RunView>,
    /// The last refusal, cleared by the next run.
    pub refusal: Option<Refusal>,
    /// A comparison under way or finished.
    pub comparison: Option<Comparison>,
}

impl Default for State {
    fn default() -> Self {
        let preset = &presets::all()[0];
        Self {
            scenario: preset.scenario(),
            preset: Some(preset),
            note: None,
            link_error: None,
            run_on_open: false,
            conn: Conn::Connecting,
            awaiting_start: false,
            queued: None,
            run: None,
            refusal: None,
            comparison: None,
        }
    }
}

/// Everything that changes the state.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// Show another lesson.
    SelectPreset(&'static str),
    /// The page opened with a share link: what it held, or why it could not be read.
    OpenLink(Result<Shared, String>),
    /// The socket changed state.
    Conn(Conn),
    /// The learner changed the scenario in the builder.
    Edit(Edit),
    /// The learner replaced the scenario (in the JSON view).
    Replace(Scenario),
    /// The learner pressed Run; the request is on its way.
    RunRequested,
    /// Compare these variants (label, scenario), 2 to 4 of them.
    Compare(Vec<(String, Scenario)>),
    /// The next variant of the comparison is being sent.
    CompareNext,
    /// Leave the comparison.
    CloseComparison,
    /// Messages from the server, in arrival order.
    Received(Vec<ServerMsg>),
}

impl Reducible for State {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut state = Rc::unwrap_or_clone(self);
        state.apply(action);
        Rc::new(state)
    }
}

impl State {
    /// Applies one action.
    pub fn apply(&mut self, action: Action) {
        match action {
            Action::SelectPreset(id) => {
                if let Some(preset) = presets::find(id) {
                    self.scenario = preset.scenario();
                    self.preset = Some(preset);
                    self.note = None;
                    self.link_error = None;
                    self.run = None;
                    self.refusal = None;
                }
            }
            Action::OpenLink(Ok(shared)) => {
                // A link to a lesson (at any speed) still shows that lesson's explanation.
                self.preset = presets::all().iter().find(|p| {
                    let mut lesson = p.scenario();
                    lesson.time_scale = shared.scenario.time_scale;
                    lesson == shared.scenario
                });
                self.scenario = shared.scenario;
                self.note = (!shared.note.is_empty()).then_some(shared.note);
                self.run_on_open = shared.run_on_open;
                self.link_error = None;
            }
            Action::OpenLink(Err(why)) => self.link_error = Some(why),
            Action::Edit(edit) => {
                edit::apply(&mut self.scenario, edit);
                self.refusal = None;
            }
            Action::Replace(scenario) => {
                self.scenario = scenario;
                self.refusal = None;
            }
            Action::Conn(conn) => {
                self.conn = conn;
                if conn != Conn::Open {
                    // A comparison cannot go on without its runs.
                    self.comparison = None;
                    // The server stops a run whose socket closes: nothing more will come.
                    self.awaiting_start = false;
                    self.queued = None;
                    if let Some(run) = self.run.as_mut().filter(|r| r.status == RunStatus::Running)
                    {
                        run.status = RunStatus::Ended {
                            outcome: Outcome::Failed {
                                reason: "the connection to the server was lost".into(),
                            },
                            wall_ns: run.last_t_ns,
                            events_lost: 0,
                        };
                    }
                }
            }
            Action::RunRequested => {
                self.run_on_open = false;
                self.awaiting_start = true;
                self.run = None;
                self.refusal = None;
            }
            Action::Received(msgs) => {
                for msg in msgs {
                    self.receive(msg);
                }
                self.collect_compared();
            }
            Action::Compare(variants) => {
                self.comparison = Some(Comparison {
                    variants,
                    runs: Vec::new(),
                    waiting: false,
                });
            }
            Action::CompareNext => {
                if let Some(c) = self.comparison.as_mut() {
                    c.waiting = true;
                }
                self.apply(Action::RunRequested);
            }
            Action::CloseComparison => self.comparison = None,
        }
    }

    /// A comparison's run that ended joins the comparison. A refused or lost one ends it.
    fn collect_compared(&mut self) {
        let Some(c) = self.comparison.as_mut().filter(|c| c.waiting) else {
            return;
        };
        if self.refusal.is_some() {
            self.comparison = None;
            return;
        }
        if let Some(run) = self.run.as_ref().filter(|r| r.status != RunStatus::Running) {
            c.runs.push(run.clone());
            c.waiting = false;
        }
    }

    fn receive(&mut self, msg: ServerMsg) {
        match msg {
            ServerMsg::RunStarted {
                run_id,
                seq,
                name,
                ideal_wall_ns,
            } if self.awaiting_start => {
                self.awaiting_start = false;
                self.queued = None;
                self.run = Some(RunView {
                    next_seq: seq + 1,
                    ..RunView::started(run_id, name, ideal_wall_ns, vec![Track::new("main".into())])
                });
            }
            ServerMsg::Queued {
                run_id, position, ..
            } if self.awaiting_start => self.queued = Some((run_id, position)),
            // A queued run stopped before it started.
            ServerMsg::RunEnded { run_id, .. }
                if self.queued.is_some_and(|(id, _)| id == run_id) =>
            {
                self.queued = None;
                self.awaiting_start = false;
            }
            ServerMsg::Rejected { field, message, .. } if self.awaiting_start => {
                self.awaiting_start = false;
                self.refusal = Some(Refusal { field, message });
            }
            msg => {
                let Some(run) = self.run.as_mut().filter(|r| r.run_id == msg.run_id()) else {
                    return;
                };
                run.receive(msg);
            }
        }
    }
}

mod apply;

#[cfg(test)]
mod tests;
