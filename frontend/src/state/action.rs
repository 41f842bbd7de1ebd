//! Everything that changes the page's state, as one enum the reducer matches.

use looplab_shared::classroom::{Ask, Goal};
use looplab_shared::model::Scenario;
use looplab_shared::protocol::ServerMsg;
use looplab_shared::record::Recording;
use looplab_shared::share::Shared;

use super::{Answering, Conn};
use crate::edit::Edit;

/// Everything that changes the state.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// Show another lesson.
    SelectPreset(&'static str),
    /// Show one of the learner's own programs as they left it.
    OpenProgram(u32),
    /// Show a built-in challenge: its program and its goals.
    OpenChallenge(&'static str),
    /// The teacher changed the goals.
    Goals(Vec<Goal>),
    /// The teacher set the question asked before Run, or took it away.
    Ask(Option<Ask>),
    /// The learner answered the question, skipped it, or asked to predict again.
    Answer(Answering),
    /// A share link arrived (the page opened with it, or it was pasted into the open page):
    /// what it held, or why it could not be read.
    OpenLink(Result<Shared, String>),
    /// A recorded run arrived (a file dropped or picked, a link): what it held, or why it
    /// could not be read. `by_link` when it came in the address bar.
    OpenRecording {
        recording: Result<Box<Recording>, String>,
        by_link: bool,
    },
    /// Leave the recorded run for its scenario, to run and change it.
    RunYourself,
    /// The socket changed state.
    Conn(Conn),
    /// The learner changed the scenario in the builder.
    Edit(Edit),
    /// The learner replaced the scenario.
    Replace(Scenario),
    /// The learner applied a finding's fix: the program it makes.
    ApplyFix(Scenario),
    /// The learner typed in the JSON view: its whole text.
    JsonInput(String),
    /// The learner typed in the Python view: its whole text, which the page asks the
    /// server to read.
    PythonInput(String),
    /// The teacher typed the share link's note.
    ShareNote(String),
    /// The teacher switched "run as soon as the link opens".
    ShareRunOnOpen(bool),
    /// The learner pressed Run (or a link asked to run): the scenario on screen runs if
    /// nothing holds it, or once its Python is read.
    PressRun,
    /// A run's request is on its way.
    RunRequested,
    /// Run ×N was pressed: a repeat of the scenario on screen is on its way.
    RepeatRequested,
    /// Compare these variants (label, scenario), 2 to 4 of them.
    Compare(Vec<(String, Scenario)>),
    /// The next variant of the comparison is being sent.
    CompareNext,
    /// Leave the comparison.
    CloseComparison,
    /// Messages from the server, in arrival order.
    Received(Vec<ServerMsg>),
}
