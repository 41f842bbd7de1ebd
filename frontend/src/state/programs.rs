//! The learner's own programs, kept in the browser between visits: each scenario they made
//! (a changed lesson, a new one, a program typed or pasted) with its Python or JSON as they
//! left it, mistakes and all. Another lesson, a link or a new empty scenario starts a new
//! one; the others stay in the lesson list, a click away.

use looplab_shared::classroom::{Ask, Goal, validate_ask, validate_goals};
use looplab_shared::model::Scenario;
use looplab_shared::presets::{self, challenges};
use serde::{Deserialize, Serialize};

use super::{JsonDraft, PythonDraft, State};

/// How many programs a browser keeps; past it, the one changed longest ago goes.
pub const MAX_PROGRAMS: usize = 8;

/// One of the learner's programs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Program {
    /// Its name in the list, which stays as it is changed.
    pub id: u32,
    #[serde(with = "as_text")]
    pub scenario: Scenario,
    /// The Python as typed, while it was not the scenario's own.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub python: Option<String>,
    /// The JSON as typed, while it was not the scenario's own.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub json: Option<String>,
    /// The id of the lesson it was made from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    /// The id of the built-in challenge it answers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub challenge: Option<String>,
    /// The goals its runs were checked against.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub goals: Vec<Goal>,
    /// The question asked before Run.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ask: Option<Ask>,
    /// The question is put to the learner: it came with a link.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub asks: bool,
}

impl Program {
    /// The same work: the same scenario, typed the same way.
    fn same(&self, other: &Program) -> bool {
        (&self.scenario, &self.python, &self.json) == (&other.scenario, &other.python, &other.json)
    }
}

/// A scenario kept as the text of its JSON, read back as the JSON view reads it: the page
/// carries one scenario reader, not a second one for what the browser kept.
mod as_text {
    use looplab_shared::model::Scenario;
    use serde::de::{Deserialize, Deserializer, Error};
    use serde::ser::Serializer;

    pub(super) fn serialize<S: Serializer>(s: &Scenario, to: S) -> Result<S::Ok, S::Error> {
        to.serialize_str(&serde_json::to_string(s).unwrap_or_default())
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(from: D) -> Result<Scenario, D::Error> {
        let text = String::deserialize(from)?;
        crate::json_error::parse(&text).map_err(D::Error::custom)
    }
}

/// The programs a browser kept, from what [`save`] wrote; nothing from anything else.
pub fn load(text: &str) -> Vec<Program> {
    let mut programs: Vec<Program> = serde_json::from_str(text).unwrap_or_default();
    programs.truncate(MAX_PROGRAMS);
    programs
}

/// What the browser keeps of `programs`.
pub fn save(programs: &[Program]) -> String {
    serde_json::to_string(programs).unwrap_or_default()
}

/// The solved challenges a browser kept, from their ids as [`save`] wrote them: ids of
/// challenges this page does not have are dropped.
pub fn load_solved(text: &str) -> Vec<&'static str> {
    let ids: Vec<String> = serde_json::from_str(text).unwrap_or_default();
    (challenges::all().iter())
        .filter(|c| ids.iter().any(|id| id == c.id))
        .map(|c| c.id)
        .collect()
}

/// What the browser keeps of the solved challenges.
pub fn save_solved(solved: &[&str]) -> String {
    serde_json::to_string(solved).unwrap_or_default()
}

/// Each program's name in the list: its scenario's, numbered where several share one.
pub fn labels(programs: &[Program]) -> Vec<String> {
    programs
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let name = &p.scenario.name;
            let same = |q: &Program| q.scenario.name == *name;
            if programs.iter().filter(|q| same(q)).count() == 1 {
                return name.clone();
            }
            // Counted from the oldest, so a name keeps its number as others are added.
            let older = programs[i + 1..].iter().filter(|q| same(q)).count();
            format!("{name} ({})", older + 1)
        })
        .collect()
}

impl State {
    /// Keeps what is on screen as the learner's program, once it is theirs: anything but a
    /// lesson as written with nothing typed.
    pub(super) fn remember(&mut self) {
        let python = self.python.as_ref().map(|d| d.text.clone());
        let json = self.json.as_ref().map(|d| d.text.clone());
        if self.mine.is_none()
            && self.lesson.is_some()
            && python.is_none()
            && json.is_none()
            && !self.class.asks
        {
            return;
        }
        let mut program = Program {
            id: 0,
            scenario: self.scenario.clone(),
            python,
            json,
            from: self.from.map(|p| p.id.to_owned()),
            challenge: self.class.challenge.map(|c| c.id.to_owned()),
            goals: self.class.goals.clone(),
            ask: self.class.ask.clone(),
            asks: self.class.asks,
        };
        let at = match self.mine {
            Some(id) => self.programs.iter().position(|p| p.id == id),
            // The same work kept before is that program, not a second copy of it.
            None => self.programs.iter().position(|p| p.same(&program)),
        };
        let programs = std::rc::Rc::make_mut(&mut self.programs);
        program.id = match at {
            Some(i) => programs.remove(i).id,
            None => programs.iter().map(|p| p.id + 1).max().unwrap_or(1),
        };
        self.mine = Some(program.id);
        programs.insert(0, program);
        programs.truncate(MAX_PROGRAMS);
        self.saves += 1;
    }

    /// Shows the learner's program `id` as they left it.
    pub(super) fn open_program(&mut self, id: u32) {
        let Some(program) = self.programs.iter().find(|p| p.id == id).cloned() else {
            return;
        };
        self.leave();
        let from = program.from.as_deref().and_then(presets::find);
        self.show(program.scenario, from);
        self.note = None;
        self.link_error = None;
        self.on_link = false;
        self.mine = Some(id);
        self.class.challenge = program.challenge.as_deref().and_then(challenges::find);
        // What the browser kept is read as a link is: goals beyond the limits are dropped.
        if validate_goals(&program.goals).is_ok() {
            self.class.goals = program.goals;
        }
        // A link's question is read as a link's is; the teacher's own, maybe half written,
        // is clipped to the limits as the editor clips it.
        if let Some(ask) = program
            .ask
            .filter(|a| !program.asks || validate_ask(a).is_ok())
        {
            self.set_ask(Some(ask));
            self.class.asks = program.asks;
        }
        if let Some(text) = program.json {
            let error = crate::json_error::parse(&text).err();
            self.json = Some(JsonDraft { text, error });
        }
        if let Some(text) = program.python {
            self.python = Some(PythonDraft {
                text,
                asked: self.next_parse,
                answered: false,
                diagnostics: Vec::new(),
            });
            self.next_parse += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::Action;
    use super::*;
    use crate::edit::Edit;

    fn changed_gather() -> Scenario {
        let mut s = presets::find("gather").unwrap().scenario();
        s.main.push(s.main[0].clone());
        s
    }

    #[test]
    fn a_changed_lesson_is_kept_and_comes_back_as_it_was_left() {
        let mut state = State::default();
        state.apply(Action::SelectPreset("thread-pool"));
        assert!(state.programs.is_empty(), "a lesson as written is not kept");
        state.apply(Action::SelectPreset("gather"));
        state.apply(Action::Replace(changed_gather()));
        state.apply(Action::PythonInput("import asyncio\nbroken(".into()));
        assert_eq!(state.programs.len(), 1);
        let id = state.mine.unwrap();
        // Kept across a reload of the page.
        let mut later = State::default().with_programs(load(&save(&state.programs)), Vec::new());
        later.apply(Action::OpenProgram(id));
        assert_eq!(later.scenario, changed_gather());
        assert_eq!(later.from.map(|p| p.id), Some("gather"));
        let draft = later.python.clone().unwrap();
        assert_eq!(draft.text, "import asyncio\nbroken(");
        assert!(!draft.answered, "it is read again");
        // Read again as it was kept, it stays where it was in the list.
        later.apply(Action::Received(vec![
            looplab_shared::protocol::ServerMsg::Parsed {
                id: draft.asked,
                scenario: Some(serde_json::to_string(&changed_gather()).unwrap()),
                diagnostics: vec![],
            },
        ]));
        assert_eq!(later.saves, 0);
        assert!(later.python.as_ref().unwrap().answered);
        // Changed further, it is the same program, not another.
        later.apply(Action::PythonInput("import asyncio\n".into()));
        assert_eq!(later.programs.len(), 1);
        assert_eq!(
            later.programs[0].python.as_deref(),
            Some("import asyncio\n")
        );
    }

    #[test]
    fn a_new_empty_scenario_keeps_the_program_before_it() {
        let mut state = State::default();
        state.apply(Action::Replace(changed_gather()));
        let mine = state.mine.unwrap();
        state.apply(Action::Edit(Edit::Clear));
        assert_eq!(state.programs.len(), 2);
        assert_ne!(state.mine, Some(mine));
        // A second new empty scenario is the same work as the first: nothing added.
        state.apply(Action::SelectPreset("gil"));
        state.apply(Action::Edit(Edit::Clear));
        assert_eq!(state.programs.len(), 2);
        // The work before is a click away.
        state.apply(Action::OpenProgram(mine));
        assert_eq!(state.scenario, changed_gather());
    }

    #[test]
    fn the_list_keeps_the_latest_programs_each_with_its_own_name() {
        let mut state = State::default();
        for n in 0..MAX_PROGRAMS + 2 {
            state.apply(Action::SelectPreset("gather"));
            let mut s = changed_gather();
            s.name = format!("p{n}");
            state.apply(Action::Replace(s));
        }
        assert_eq!(state.programs.len(), MAX_PROGRAMS);
        assert_eq!(
            state.programs[0].scenario.name,
            format!("p{}", MAX_PROGRAMS + 1)
        );
        let mut twice = state.programs[..2].to_vec();
        twice[1].scenario.name = twice[0].scenario.name.clone();
        assert_eq!(labels(&twice), ["p9 (2)", "p9 (1)"]);
        assert_eq!(load("not what save wrote"), []);
    }
}
