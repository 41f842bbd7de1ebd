//! The page's one state, the actions that change it, and the reducer.
//!
//! A run is rebuilt from the server's messages: each task gets a track of spans (queued,
//! running, suspended) opened and closed by its events. Messages of any run but the current
//! one are ignored, so a late message of a replaced run cannot leak into the view.
//!
//! A lesson's explanation, expected output and comparisons belong to the lesson as written:
//! once the learner changes it, the scenario is theirs ([`State::lesson`] is `None`), and the
//! page says which lesson it came from ([`State::from`]).

use looplab_shared::model::Scenario;
use looplab_shared::presets::{self, Preset};
use looplab_shared::protocol::{Outcome, RunId};
use looplab_shared::record;
use yew::Reducible;

use crate::edit::{self, Edit};

pub use action::Action;
pub use classroom::{Answer, Answering, Classroom, Prediction};
pub use drafts::{JsonDraft, PythonDraft, ShareDraft, clip_note, note_room};
pub use fix::Fixed;
pub use hold::{Hold, RunRequest};
pub use log::{MessageLog, recorded_when};
pub use programs::{MAX_PROGRAMS, Program, labels, load, load_solved, save, save_solved};
pub use recorded::Recorded;
pub use repeats::{Batch, Repeats};
pub use run::{
    Comparison, Home, Line, RunStatus, RunView, Sample, Span, SpanKind, Track, TrackEnd, Use,
    UseOp, WaitOn,
};

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
    /// The lesson the scenario came from: the one picked, or the one a link's scenario is
    /// (or was made from, by its name).
    pub from: Option<&'static Preset>,
    /// [`State::from`] while the scenario is still that lesson as written, at any speed.
    pub lesson: Option<&'static Preset>,
    /// A teacher's note from the link the page opened.
    pub note: Option<String>,
    /// Why the link the page was given could not be used.
    pub link_error: Option<String>,
    /// Run as soon as the socket is open (a link asked for it).
    pub run_on_open: bool,
    /// The scenario on screen is the one the address bar's link holds; once it is not, the
    /// page takes the link out of the address bar, so a reload does not bring it back.
    pub on_link: bool,
    /// The note and switch the share panel puts in its link.
    pub share: ShareDraft,
    /// The JSON view's text while it differs from the scenario's own JSON.
    pub json: Option<JsonDraft>,
    /// The Python view's text while it differs from the scenario's own Python.
    pub python: Option<PythonDraft>,
    /// The id the next parse request gets.
    pub next_parse: u64,
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
    /// Requested runs whose scenario left the screen before their id arrived: each is
    /// stopped as soon as the server names it.
    pub abandoned: u32,
    /// The last run the page left behind (another lesson or link opened while it ran), which
    /// the page asks the server to stop; its messages are ignored.
    pub to_stop: Option<RunId>,
    /// Run was pressed while the Python was being read: it runs once read.
    pub run_when_read: bool,
    /// The last run the learner asked for.
    pub sent: Option<RunRequest>,
    /// The learner's own programs, the one changed last first; shared, as every action
    /// copies the state.
    pub programs: std::rc::Rc<Vec<Program>>,
    /// Which of them is on screen.
    pub mine: Option<u32>,
    /// How many times the programs changed: the page keeps them when this moves.
    pub saves: u64,
    /// A challenge's goals and a teacher's question, if any.
    pub class: Classroom,
    /// The built-in challenges this browser solved (every goal met on a run), by id: kept
    /// with the programs.
    pub solved: Vec<&'static str>,
    /// The last finding's fix applied, to show what it changed once it has run.
    pub fixed: Option<Fixed>,
    /// The run on screen is a recorded one, shown read-only: when and where it ran.
    pub recorded: Option<Recorded>,
    /// Why the last recorded run given to the page (a file, a link) could not be opened.
    pub recording_error: Option<String>,
    /// Run ×N: the same scenario run many times, and what varied.
    pub repeats: Repeats,
}

impl Default for State {
    fn default() -> Self {
        let preset = &presets::all()[0];
        Self {
            scenario: preset.scenario(),
            from: Some(preset),
            lesson: Some(preset),
            note: None,
            link_error: None,
            run_on_open: false,
            on_link: false,
            share: ShareDraft::default(),
            json: None,
            python: None,
            next_parse: 1,
            conn: Conn::Connecting,
            awaiting_start: false,
            queued: None,
            run: None,
            refusal: None,
            comparison: None,
            abandoned: 0,
            to_stop: None,
            run_when_read: false,
            sent: None,
            programs: Default::default(),
            mine: None,
            saves: 0,
            class: Classroom::default(),
            solved: Vec::new(),
            fixed: None,
            recorded: None,
            recording_error: None,
            repeats: Repeats::default(),
        }
    }
}

impl Reducible for State {
    type Action = Action;

    fn reduce(self: std::rc::Rc<Self>, action: Action) -> std::rc::Rc<Self> {
        let mut state = std::rc::Rc::unwrap_or_clone(self);
        state.apply(action);
        std::rc::Rc::new(state)
    }
}

impl State {
    /// The page as a link in the address bar (`#v1.…`, or nothing) opens it.
    pub fn opened(fragment: &str) -> Self {
        Self::default().open(fragment)
    }

    /// This page, once the link in the address bar has opened: after the programs the
    /// browser kept are in, so the link's question is kept with them, not in their place.
    pub fn open(mut self, fragment: &str) -> Self {
        let state = &mut self;
        if record::is_link(fragment) {
            state.apply(Action::OpenRecording {
                recording: record::from_link(fragment)
                    .map(Box::new)
                    .map_err(|e| e.to_string()),
                by_link: true,
            });
        } else if fragment.len() > 1 {
            let link =
                looplab_shared::share::decode(fragment, crate::cores()).map_err(|e| e.to_string());
            state.apply(Action::OpenLink(link));
        }
        self
    }

    /// The page as `opened`, with the programs and the solved challenges the browser kept.
    pub fn with_programs(mut self, programs: Vec<Program>, solved: Vec<&'static str>) -> Self {
        self.programs = programs.into();
        self.solved = solved;
        self
    }

    /// Applies one action.
    pub fn apply(&mut self, action: Action) {
        // What the learner changes is theirs, and kept.
        let theirs = matches!(
            action,
            Action::Edit(_)
                | Action::Replace(_)
                | Action::ApplyFix(_)
                | Action::JsonInput(_)
                | Action::PythonInput(_)
        );
        self.act(action);
        if theirs {
            self.remember();
        }
        // Run waits for a reading only while one is under way: text replaced by the
        // builder or the JSON before its answer came is never read.
        if self.python.as_ref().is_none_or(|d| d.answered) {
            self.run_when_read = false;
        }
    }

    fn act(&mut self, action: Action) {
        match action {
            Action::SelectPreset(id) => {
                if let Some(preset) = presets::find(id) {
                    self.leave();
                    self.show(preset.scenario(), Some(preset));
                    self.note = None;
                    self.link_error = None;
                    self.on_link = false;
                }
            }
            Action::OpenProgram(id) => self.open_program(id),
            Action::OpenChallenge(id) => self.open_challenge(id),
            Action::Goals(goals) => self.set_goals(goals),
            Action::Ask(ask) => self.set_ask(ask),
            Action::Answer(answering) => self.answer(answering),
            Action::OpenLink(Ok(shared)) => {
                self.leave();
                // A lesson's link (at any speed) is that lesson; a changed lesson keeps its
                // name, and says where it came from.
                let from = presets::lesson_of(&shared.scenario)
                    .or_else(|| presets::find(&shared.scenario.name));
                self.show(shared.scenario, from);
                self.class = Classroom {
                    challenge: None,
                    goals: shared.goals,
                    asks: shared.ask.is_some(),
                    ask: shared.ask,
                    prediction: Default::default(),
                };
                self.as_challenge(Some(&self.class.goals.clone()));
                self.note = (!shared.note.is_empty()).then_some(shared.note);
                self.run_on_open = shared.run_on_open;
                self.link_error = None;
                self.on_link = true;
                // A teacher's question is kept with the program, so another lesson does not
                // lose it: "Your programs" brings it back.
                if self.class.asks {
                    self.remember();
                }
            }
            Action::OpenRecording {
                recording: Ok(recording),
                by_link,
            } => self.open_recording(*recording, by_link),
            Action::OpenRecording {
                recording: Err(why),
                by_link,
            } => {
                self.recording_error = Some(why);
                self.on_link = by_link;
            }
            Action::RunYourself => {
                self.recorded = None;
                self.run = None;
                self.on_link = false;
            }
            Action::OpenLink(Err(why)) => {
                self.link_error = Some(why);
                self.on_link = true;
            }
            // While the Python has an error, the builder and the JSON show the last scenario
            // that read and cannot change it.
            Action::Edit(_) | Action::JsonInput(_) if self.python_error().is_some() => {}
            Action::Edit(edit) => {
                if edit == Edit::Clear {
                    // A new program: the one before stays kept as it is.
                    self.from = None;
                    self.mine = None;
                }
                let mut scenario = self.scenario.clone();
                edit::apply(&mut scenario, edit);
                self.change(scenario);
                self.json = None;
                self.python = None;
            }
            Action::ApplyFix(scenario) => self.apply_fix(scenario),
            Action::Replace(scenario) => {
                self.change(scenario);
                self.json = None;
                self.python = None;
            }
            Action::JsonInput(text) => {
                let error = match crate::json_error::parse(&text) {
                    Ok(scenario) => {
                        self.change(scenario);
                        None
                    }
                    Err(e) => Some(e),
                };
                self.json = Some(JsonDraft { text, error });
                self.python = None;
            }
            Action::PythonInput(text) => {
                self.python = Some(PythonDraft {
                    text,
                    asked: self.next_parse,
                    answered: false,
                    diagnostics: Vec::new(),
                });
                self.next_parse += 1;
                self.json = None;
            }
            Action::ShareNote(text) => {
                let (note, clipped) = clip_note(&text);
                self.share.note = note;
                self.share.clipped = clipped;
            }
            Action::ShareRunOnOpen(on) => self.share.run_on_open = on,
            Action::Conn(conn) => {
                self.conn = conn;
                if conn != Conn::Open {
                    // A comparison cannot go on without its runs.
                    self.comparison = None;
                    // A closed socket's run sends nothing more; a new server may reuse its id.
                    self.awaiting_start = false;
                    self.abandoned = 0;
                    (self.queued, self.to_stop) = (None, None);
                    self.lose_repeat();
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
            Action::PressRun => self.press_run(),
            Action::RepeatRequested => self.request_repeat(),
            Action::RunRequested => {
                self.displace_repeat();
                self.run_on_open = false;
                self.awaiting_start = true;
                self.run = None;
                self.refusal = None;
            }
            Action::Received(msgs) => self.received(msgs),
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
            // The timeline under a comparison shows the scenario on screen, which a
            // variant's run, finished or under way, is not: it is left as another lesson's.
            Action::CloseComparison => self.leave(),
        }
    }

    /// Shows `scenario`, which came from `from`, in place of whatever was there.
    fn show(&mut self, scenario: Scenario, from: Option<&'static Preset>) {
        self.from = from;
        self.class = Classroom::default();
        self.mine = None;
        self.share = ShareDraft::default();
        self.json = None;
        self.python = None;
        self.change(scenario);
    }

    /// The scenario on screen becomes `scenario`: the lesson applies while it is the lesson.
    fn change(&mut self, scenario: Scenario) {
        if scenario != self.scenario {
            self.on_link = false;
        }
        self.scenario = scenario;
        self.lesson = self.from.filter(|p| p.is(&self.scenario));
        self.refusal = None;
    }

    /// Another scenario takes the screen: the run of this one, under way or about to be,
    /// is stopped and forgotten, and so is its comparison.
    fn leave(&mut self) {
        if let Some((run_id, _)) = self.queued.take() {
            self.to_stop = Some(run_id);
        } else if self.awaiting_start {
            self.abandoned += 1;
        } else if let Some(run) = self.run.as_ref().filter(|r| r.status == RunStatus::Running) {
            self.to_stop = Some(run.run_id);
        }
        self.awaiting_start = false;
        self.run_on_open = false;
        self.run_when_read = false;
        self.run = None;
        self.comparison = None;
        self.recorded = None;
        self.recording_error = None;
        self.leave_repeat();
    }
}

mod action;
mod apply;
mod classroom;
mod drafts;
mod fix;
mod hold;
mod log;
mod programs;
mod receive;
mod recorded;
mod repeats;
mod run;
mod span;

#[cfg(test)]
mod tests;

#[cfg(test)]
mod flows;
