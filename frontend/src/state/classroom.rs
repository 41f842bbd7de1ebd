//! What a class brings to the scenario on screen: a challenge's goals (built in, from a
//! link, or the teacher's own) and a question asked before Run.

use looplab_shared::classroom::{Ask, Goal};
use looplab_shared::presets::challenges::{self, Challenge};

use super::State;
use super::drafts::clip;

/// The goals and the question on screen.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Classroom {
    /// The built-in challenge on screen, if any: its title and story head the page.
    pub challenge: Option<&'static Challenge>,
    /// What each finished run is checked against.
    pub goals: Vec<Goal>,
    /// The question asked before Run, if any.
    pub ask: Option<Ask>,
    /// The question is put to this page's learner: it came with a link (or with a program
    /// kept from one). A teacher's own question, as they write it, is not asked of them:
    /// their page runs as it is.
    pub asks: bool,
    /// The learner's answer to it.
    pub prediction: Prediction,
}

/// An answer as the learner gave it: a choice picked, or text typed (kept as typed, so a
/// field shows `0.` on the way to `0.5`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Answer {
    /// The choice at this index.
    Choice(usize),
    /// Seconds or cores, as typed.
    Typed(String),
}

/// Where the learner stands with the question.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Prediction {
    /// What they answered so far.
    pub answer: Option<Answer>,
    /// They chose to run without answering.
    pub skipped: bool,
    /// The run (its request's id) the answer was locked for when Run sent it.
    pub locked: Option<u64>,
}

/// What the learner does with the question.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Answering {
    /// Picks or types an answer.
    Give(Answer),
    /// Runs without answering.
    Skip,
    /// Answers afresh for the next run.
    Again,
}

impl Classroom {
    /// A built-in challenge, as it starts.
    pub fn of(challenge: &'static Challenge) -> Self {
        Self {
            challenge: Some(challenge),
            goals: challenge.goals(),
            ask: None,
            asks: false,
            prediction: Prediction::default(),
        }
    }
}

impl State {
    /// Shows built-in challenge `id`: its program, its goals.
    pub(super) fn open_challenge(&mut self, id: &str) {
        if let Some(challenge) = challenges::find(id) {
            self.leave();
            self.show(challenge.start(), None);
            self.class = Classroom::of(challenge);
            self.note = None;
            self.link_error = None;
            self.on_link = false;
        }
    }

    /// A scenario named after a built-in challenge (its program, changed or not) is shown
    /// as that challenge, with its title and story, when `goals` are the challenge's own
    /// (a recorded run carries none: `None`, and the challenge's are judged).
    pub(super) fn as_challenge(&mut self, goals: Option<&[Goal]>) {
        let Some(challenge) = challenges::find(&self.scenario.name) else {
            return;
        };
        if goals.is_none_or(|g| g == challenge.goals().as_slice()) {
            self.class.challenge = Some(challenge);
            self.class.goals = challenge.goals();
        }
    }

    /// The teacher changed the goals; the editor offers no more than
    /// [`MAX_GOALS`](looplab_shared::limits::MAX_GOALS), and a link holds no more either.
    pub(super) fn set_goals(&mut self, mut goals: Vec<Goal>) {
        goals.truncate(looplab_shared::limits::MAX_GOALS);
        self.class.goals = goals;
    }

    /// A run of a built-in challenge ended: if it met every goal, the challenge is solved,
    /// and the browser keeps that.
    pub(super) fn note_solved(&mut self) {
        let Some(challenge) = self.class.challenge else {
            return;
        };
        let Some((run, ran)) = self
            .ran()
            .filter(|(r, _)| r.status != super::RunStatus::Running)
        else {
            return;
        };
        let findings = crate::lints::lints(run, ran);
        let judged = crate::goals::judged(&self.class.goals, Some((run, ran)), &findings, ran);
        let met =
            |(_, v): &(String, crate::goals::Verdict)| matches!(v, crate::goals::Verdict::Met(_));
        if !judged.is_empty() && judged.iter().all(met) && !self.solved.contains(&challenge.id) {
            self.solved.push(challenge.id);
            self.saves += 1;
        }
    }

    /// The teacher set (or took away) the question: each choice and the explanation at
    /// most [`MAX_TEXT_BYTES`](looplab_shared::limits::MAX_TEXT_BYTES), at most
    /// [`MAX_CHOICES`](looplab_shared::limits::MAX_CHOICES) choices. The learner answers
    /// it afresh. The teacher's own question is theirs: it is not asked of them.
    pub(super) fn set_ask(&mut self, mut ask: Option<Ask>) {
        use looplab_shared::classroom::Question;
        use looplab_shared::limits::{MAX_CHOICES, MAX_TEXT_BYTES};
        if let Some(ask) = ask.as_mut() {
            if let Question::FirstLine { choices } | Question::FirstDone { choices } =
                &mut ask.question
            {
                choices.truncate(MAX_CHOICES);
                choices
                    .iter_mut()
                    .for_each(|c| *c = clip(c, MAX_TEXT_BYTES).0);
            }
            ask.why = clip(&ask.why, MAX_TEXT_BYTES).0;
        }
        self.class.ask = ask;
        self.class.asks = false;
        self.class.prediction = Prediction::default();
    }

    /// The learner answers, skips, or asks to predict again. A locked answer stays as it
    /// was until they ask again.
    pub(super) fn answer(&mut self, answering: Answering) {
        let p = &mut self.class.prediction;
        match answering {
            Answering::Give(_) | Answering::Skip if p.locked.is_some() => {}
            Answering::Give(answer) => {
                p.answer = Some(answer);
                p.skipped = false;
            }
            Answering::Skip => p.skipped = true,
            Answering::Again => {
                *p = Prediction::default();
                // The last run's bars and console would answer the question asked afresh.
                if self
                    .run
                    .as_ref()
                    .is_some_and(|r| r.status != super::RunStatus::Running)
                {
                    self.run = None;
                }
            }
        }
    }

    /// Run sends request `id`: the answer (or the skip) is locked for its run.
    pub(super) fn lock_prediction(&mut self, id: u64) {
        if self.class.ask.is_some() && self.class.prediction.locked.is_none() {
            self.class.prediction.locked = Some(id);
        }
    }

    /// The question put to the learner, if there is one: a link's, not a teacher's own.
    pub fn asked(&self) -> Option<&Ask> {
        self.class.ask.as_ref().filter(|_| self.class.asks)
    }

    /// A question is put to the learner and they have not run with an answer or skipped
    /// it: what would give the answer away (the lesson's explanation, its expected output,
    /// a predicted schedule) stays hidden.
    pub fn question_pending(&self) -> bool {
        let p = &self.class.prediction;
        self.asked().is_some() && p.locked.is_none() && !p.skipped
    }

    /// The question is waiting for an answer, and Run with it.
    pub fn awaits_answer(&self) -> bool {
        let p = &self.class.prediction;
        self.question_pending()
            && self.asked().is_some_and(|ask| {
                crate::predict::read_answer(&ask.question, p.answer.as_ref(), crate::cores())
                    .is_err()
            })
    }

    /// The question checked against the run on screen, once the run the answer was locked
    /// for has ended; `None` before, or when the run on screen is another.
    pub fn prediction_checked(&self) -> Option<crate::predict::Checked> {
        let ask = self.asked()?;
        let p = &self.class.prediction;
        let locked = p.locked?;
        (self.sent.as_ref()?.id == locked && self.recorded.is_none())
            .then_some(())
            .and_then(|()| crate::predict::check(ask, p.answer.as_ref(), self.run.as_ref()?))
    }
}

#[cfg(test)]
mod tests {
    use looplab_shared::classroom::Question;
    use looplab_shared::presets;
    use looplab_shared::share::Shared;

    use super::super::tests::one_task_run;
    use super::super::{Action, Conn, Hold, load, load_solved, save, save_solved};
    use super::*;

    /// The first lesson opened from a link that asks which line prints first.
    fn asked() -> State {
        let mut state = State::default();
        state.apply(Action::OpenLink(Ok(shared())));
        state.apply(Action::Conn(Conn::Open));
        state
    }

    /// A link to the first lesson that asks which line prints first.
    fn shared() -> Shared {
        Shared {
            scenario: presets::all()[0].scenario(),
            note: String::new(),
            run_on_open: true,
            goals: Vec::new(),
            ask: Some(Ask {
                question: Question::FirstLine {
                    choices: vec!["hi".into(), "bye".into()],
                },
                why: String::new(),
            }),
        }
    }

    #[test]
    fn run_waits_for_the_answer_which_is_locked_and_checked_on_the_run() {
        let mut state = asked();
        state.apply(Action::PressRun);
        assert_eq!(state.sent, None, "a link that runs on opening asks first");
        assert_eq!(state.hold_with(None), Some(Hold::Predict));
        state.apply(Action::Answer(Answering::Give(Answer::Choice(0))));
        assert_eq!(state.hold_with(None), None);
        state.apply(Action::PressRun);
        assert_eq!(state.class.prediction.locked, Some(1));
        // Locked once the run starts: a change of mind is not taken.
        state.apply(Action::Answer(Answering::Give(Answer::Choice(1))));
        assert_eq!(state.class.prediction.answer, Some(Answer::Choice(0)));
        assert_eq!(
            state.prediction_checked(),
            None,
            "no verdict before the end"
        );
        state.apply(Action::Received(one_task_run(1)));
        let checked = state.prediction_checked().unwrap();
        assert_eq!(checked.right, Some(true));
        assert!(checked.measured.contains("“hi”"), "{}", checked.measured);
        // The next run does not ask again unless the learner wants to.
        state.apply(Action::PressRun);
        assert_eq!(state.sent.as_ref().map(|r| r.id), Some(2));
        assert_eq!(state.prediction_checked(), None);
        state.apply(Action::Answer(Answering::Again));
        assert_eq!(state.class.prediction, Prediction::default());
    }

    #[test]
    fn a_skipped_question_runs_and_still_says_what_was_measured() {
        let mut state = asked();
        state.apply(Action::Answer(Answering::Skip));
        state.apply(Action::PressRun);
        state.apply(Action::Received(one_task_run(1)));
        let checked = state.prediction_checked().unwrap();
        assert_eq!((checked.right, checked.answer), (None, None));
        // A question the teacher writes is kept within the limits, and is theirs: their
        // own page does not ask it of them.
        state.apply(Action::Ask(Some(Ask {
            question: Question::WallTime,
            why: "x".repeat(looplab_shared::limits::MAX_TEXT_BYTES + 5),
        })));
        assert_eq!(state.hold_with(None), None);
        let why = &state.class.ask.as_ref().unwrap().why;
        assert_eq!(why.len(), looplab_shared::limits::MAX_TEXT_BYTES);
    }

    #[test]
    fn the_question_is_pending_until_run_or_skipped_and_predict_again_puts_the_run_away() {
        let mut state = asked();
        assert!(state.question_pending());
        state.apply(Action::Answer(Answering::Give(Answer::Choice(1))));
        assert!(state.question_pending(), "an answer can change until Run");
        state.apply(Action::PressRun);
        assert!(!state.question_pending());
        state.apply(Action::Received(one_task_run(1)));
        assert!(state.run.is_some());
        state.apply(Action::Answer(Answering::Again));
        assert!(state.question_pending());
        assert_eq!(
            state.run, None,
            "the last run would answer the question asked afresh"
        );
        state.apply(Action::Answer(Answering::Skip));
        assert!(!state.question_pending());
    }

    #[test]
    fn a_teachers_own_question_is_not_asked_of_them_and_gets_no_verdict() {
        let mut state = State::default();
        state.apply(Action::Conn(Conn::Open));
        // A kind picked, its choices not yet written.
        state.apply(Action::Ask(Some(Ask {
            question: Question::FirstDone {
                choices: Vec::new(),
            },
            why: String::new(),
        })));
        assert!(!state.question_pending());
        assert_eq!(state.hold_with(None), None, "Run runs");
        state.apply(Action::PressRun);
        state.apply(Action::Received(one_task_run(1)));
        assert_eq!(state.prediction_checked(), None);
        // A link's question the teacher then edits is theirs.
        let mut state = asked();
        let ask = state.class.ask.clone();
        state.apply(Action::Ask(ask));
        assert!(!state.question_pending());
    }

    #[test]
    fn a_links_question_comes_back_with_the_program_after_another_lesson() {
        let mut state = asked();
        let id = state.mine.expect("kept, though the lesson is as written");
        state.apply(Action::SelectPreset("thread-pool"));
        assert_eq!(state.class.ask, None);
        // Kept across a reload of the page too, and with them when the link opens again.
        let programs = load(&save(&state.programs));
        let opened = State::default()
            .with_programs(programs.clone(), Vec::new())
            .open(&format!("#{}", looplab_shared::share::encode(&shared())));
        assert_eq!(
            opened.programs.len(),
            1,
            "the same program, not a second copy"
        );
        let mut state = State::default().with_programs(programs, Vec::new());
        state.apply(Action::Conn(Conn::Open));
        state.apply(Action::OpenProgram(id));
        assert!(state.class.ask.is_some());
        assert!(state.question_pending(), "asked again, afresh");
        assert_eq!(state.hold_with(None), Some(Hold::Predict));
    }

    #[test]
    fn a_link_or_a_recording_of_a_challenges_program_opens_as_that_challenge() {
        let challenge = &challenges::all()[0];
        let mut link = shared();
        link.scenario = challenge.start();
        link.goals = challenge.goals();
        let mut state = State::default();
        state.apply(Action::OpenLink(Ok(link.clone())));
        assert_eq!(state.class.challenge, Some(challenge));
        assert!(state.class.ask.is_some(), "and the link's question stays");
        // A teacher's own goals for the same program: not the challenge.
        link.goals = vec![Goal::Completes];
        state.apply(Action::OpenLink(Ok(link)));
        assert_eq!(state.class.challenge, None);
        assert_eq!(state.class.goals, [Goal::Completes]);
    }

    #[test]
    fn a_challenge_whose_goals_a_run_meets_is_solved_and_kept() {
        let challenge = &challenges::all()[0];
        let mut state = State::default();
        state.apply(Action::Conn(Conn::Open));
        state.apply(Action::OpenChallenge(challenge.id));
        // Goals the test's run misses, then goals it meets.
        let missed = Goal::Console {
            lines: vec!["not printed".into()],
            any_order: false,
        };
        state.apply(Action::Goals(vec![missed, Goal::Completes]));
        state.apply(Action::PressRun);
        state.apply(Action::Received(one_task_run(1)));
        assert!(state.solved.is_empty());
        state.apply(Action::Goals(vec![Goal::Completes]));
        state.apply(Action::PressRun);
        state.apply(Action::Received(one_task_run(2)));
        assert_eq!(state.solved, [challenge.id]);
        let saves = state.saves;
        assert!(saves > 0, "the browser keeps it");
        assert_eq!(load_solved(&save_solved(&state.solved)), [challenge.id]);
        assert_eq!(load_solved("[\"no-such-challenge\"]"), Vec::<&str>::new());
    }
}
