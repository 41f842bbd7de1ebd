//! Whether Run can send the scenario on screen, and what it waits for if not. The reducer
//! decides when Run is pressed, with the state as it stands then: a callback made at the
//! last render may be a keystroke behind, and would run the program before it.

use looplab_shared::model::Scenario;
use looplab_shared::validate::{ValidationError, validate};

use super::{Action, Conn, RunStatus, State};
use crate::json_error::JsonError;

/// What keeps Run from sending the scenario on screen.
#[derive(Debug, Clone, PartialEq)]
pub enum Hold {
    /// The Python as typed is still being read; Run pressed now runs it once it is.
    Reading,
    /// The Python as typed is not a scenario: the line of its first problem.
    Python(u32),
    /// The JSON as typed is not a scenario.
    Json(JsonError),
    /// The scenario breaks a rule: the rule, and where in the program, in words.
    Invalid(ValidationError, String),
    /// The teacher's question waits for the learner's answer (or a skip).
    Predict,
}

impl Hold {
    /// What the status line beside Run says, whole: it points at nothing else.
    pub fn words(&self) -> String {
        match self {
            Hold::Reading => "reading your program: it runs once read".into(),
            Hold::Python(line) => format!(
                "Run waits: the Python has an error at line {line}, listed under the program"
            ),
            Hold::Json(e) => format!(
                "Run waits: the JSON has an error at line {}, column {}",
                e.line, e.column
            ),
            Hold::Invalid(e, place) => format!(
                "not runnable yet — {place}: {}",
                crate::words::refusal(&e.message)
            ),
            Hold::Predict => "Answer the question (or skip it), then Run".into(),
        }
    }
}

/// A run the learner asked for: the page sends `scenario` once, when `id` is new.
#[derive(Debug, Clone, PartialEq)]
pub struct RunRequest {
    pub id: u64,
    pub scenario: Scenario,
    /// A person pressed Run (rather than a link that runs on opening): the page may scroll
    /// to the timeline. A link's run leaves the page where it is, with the teacher's note.
    pub by_hand: bool,
}

impl State {
    /// What Run waits for, given the scenario's own problem (`invalid`), if any.
    pub fn hold_with(&self, invalid: Option<&ValidationError>) -> Option<Hold> {
        if let Some(e) = self.json.as_ref().and_then(|d| d.error.clone()) {
            return Some(Hold::Json(e));
        }
        if let Some(line) = self.python_error() {
            return Some(Hold::Python(line));
        }
        if self.python.as_ref().is_some_and(|d| !d.answered) {
            return Some(Hold::Reading);
        }
        if let Some(e) = invalid {
            return Some(Hold::Invalid(
                e.clone(),
                crate::place::place(&self.scenario, &e.field),
            ));
        }
        self.awaits_answer().then_some(Hold::Predict)
    }

    /// The line of the first problem of the Python as typed, if it has one. While it has,
    /// the builder and the JSON show the last scenario that read, and cannot be changed:
    /// a change there would replace the learner's Python with a program they did not write.
    pub fn python_error(&self) -> Option<u32> {
        let draft = self.python.as_ref().filter(|d| d.answered)?;
        draft.diagnostics.first().map(|d| d.line)
    }

    /// A run is starting, waiting in the queue or under way, or there is no server to ask.
    pub fn busy(&self) -> bool {
        self.conn != Conn::Open
            || self.awaiting_start
            || self.queued.is_some()
            || self
                .run
                .as_ref()
                .is_some_and(|r| r.status == RunStatus::Running)
    }

    /// The run shown is not of the scenario on screen: it was changed since.
    pub fn stale(&self) -> bool {
        self.run.is_some()
            && self
                .sent
                .as_ref()
                .is_some_and(|r| r.scenario != self.scenario)
    }

    /// The run the goals and the findings read, with the program that ran: the last run
    /// the page asked for (not a comparison's), or the recorded run on screen.
    pub fn ran(&self) -> Option<(&super::RunView, &Scenario)> {
        let run = self.run.as_ref()?;
        if self.recorded.is_some() {
            return Some((run, &self.scenario));
        }
        let sent = self.sent.as_ref().filter(|_| self.comparison.is_none())?;
        Some((run, &sent.scenario))
    }

    /// Run was pressed (or a link asked to run): the scenario on screen is sent if nothing
    /// holds it; if its Python is still being read, it is sent once read.
    pub(super) fn press_run(&mut self) {
        // A recorded run is shown, not run: "Run it yourself" leaves it first.
        if self.recorded.is_some() {
            return;
        }
        let invalid = validate(&self.scenario, crate::cores()).err();
        match self.hold_with(invalid.as_ref()) {
            None if !self.busy() => {
                let by_hand = !self.run_on_open;
                self.run_when_read = false;
                self.apply(Action::RunRequested);
                let id = self.sent.as_ref().map_or(1, |r| r.id + 1);
                self.lock_prediction(id);
                self.sent = Some(RunRequest {
                    id,
                    scenario: self.scenario.clone(),
                    by_hand,
                });
            }
            Some(Hold::Reading) => self.run_when_read = true,
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use looplab_shared::presets;
    use looplab_shared::protocol::ServerMsg;
    use looplab_shared::python::Diagnostic;

    use super::super::tests::one_task_run;
    use super::*;
    use crate::edit::Edit;

    fn open() -> State {
        let mut state = State::default();
        state.apply(Action::Conn(Conn::Open));
        state
    }

    fn parsed(id: u64, scenario: &Scenario) -> Action {
        Action::Received(vec![ServerMsg::Parsed {
            id,
            scenario: Some(serde_json::to_string(scenario).unwrap()),
            diagnostics: vec![],
        }])
    }

    fn typed() -> Scenario {
        let mut s = presets::find("gather").unwrap().scenario();
        s.main.push(s.main[0].clone());
        s
    }

    #[test]
    fn run_pressed_while_the_python_is_read_runs_what_was_typed() {
        let mut state = open();
        state.apply(Action::PythonInput("the program as typed".into()));
        state.apply(Action::PressRun);
        assert!(state.run_when_read && state.sent.is_none() && !state.awaiting_start);
        assert_eq!(state.hold_with(None), Some(Hold::Reading));
        state.apply(parsed(1, &typed()));
        let sent = state.sent.clone().unwrap();
        assert_eq!((sent.id, sent.scenario, sent.by_hand), (1, typed(), true));
        assert!(state.awaiting_start && !state.run_when_read);
    }

    #[test]
    fn run_pressed_on_a_program_that_does_not_read_runs_nothing() {
        let mut state = open();
        state.apply(Action::PythonInput("asyncio.wait()".into()));
        state.apply(Action::PressRun);
        state.apply(Action::Received(vec![ServerMsg::Parsed {
            id: 1,
            scenario: None,
            diagnostics: vec![Diagnostic::at("asyncio.wait()", 0, 7, "not in the subset")],
        }]));
        assert_eq!(state.sent, None);
        assert_eq!(state.python_error(), Some(1));
        assert_eq!(state.hold_with(None), Some(Hold::Python(1)));
        assert!(!state.run_when_read);
        // The builder and the JSON hold still: the Python as typed is the learner's.
        let before = state.scenario.clone();
        state.apply(Action::Edit(Edit::Name("renamed".into())));
        state.apply(Action::JsonInput("{}".into()));
        assert_eq!(state.scenario, before);
        assert!(state.python.is_some() && state.json.is_none());
        // Another lesson is still a click away.
        state.apply(Action::SelectPreset("gil"));
        assert_eq!(state.python_error(), None);
    }

    #[test]
    fn a_reading_replaced_by_the_builder_is_not_waited_for() {
        let mut state = open();
        state.apply(Action::PythonInput("half typed".into()));
        state.apply(Action::PressRun);
        state.apply(Action::Edit(Edit::Name("renamed".into())));
        assert!(!state.run_when_read);
        assert_eq!(state.hold_with(None), None);
    }

    #[test]
    fn results_of_an_earlier_program_are_stale_until_the_next_run() {
        let mut state = open();
        state.apply(Action::PressRun);
        state.apply(Action::Received(one_task_run(1)));
        assert!(!state.stale());
        let mut faster = state.scenario.clone();
        faster.time_scale = 0.5;
        state.apply(Action::Replace(faster));
        assert!(state.stale());
        state.apply(Action::PressRun);
        assert!(!state.stale(), "no run shown while the next one starts");
        // Nothing runs while a run is under way, or with no server.
        let mut state = open();
        state.apply(Action::PressRun);
        state.apply(Action::PressRun);
        assert_eq!(state.sent.map(|r| r.id), Some(1));
        let mut offline = State::default();
        offline.apply(Action::PressRun);
        assert_eq!(offline.sent, None);
    }
}
