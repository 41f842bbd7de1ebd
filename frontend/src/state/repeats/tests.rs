use looplab_shared::protocol::{Outcome, ServerMsg};
use looplab_shared::repeat::Digest;

use crate::state::{Action, Conn, State};

fn digest(wall_ns: u64) -> Digest {
    Digest {
        outcome: Outcome::Completed,
        wall_ns,
        console: vec!["a".into()],
        ended: vec![],
        cut: false,
        unended: vec![],
    }
}

fn started(run_id: u64) -> ServerMsg {
    ServerMsg::RepeatStarted {
        run_id,
        seq: 0,
        name: "gather".into(),
        times: 3,
        cores: 2,
    }
}

fn repeated(run_id: u64, seq: u64) -> ServerMsg {
    ServerMsg::Repeated {
        run_id,
        seq,
        index: seq as u32 - 1,
        digest: digest(seq),
    }
}

fn open() -> State {
    let mut state = State::default();
    state.apply(Action::Conn(Conn::Open));
    state
}

#[test]
fn a_repeat_collects_its_runs_and_leaves_the_timeline_alone() {
    let mut state = open();
    state.apply(Action::RepeatRequested);
    assert!(state.repeats.busy());
    state.apply(Action::Received(vec![
        started(4),
        ServerMsg::Queued {
            run_id: 4,
            seq: 1,
            position: 2,
        },
    ]));
    assert_eq!(state.repeats.batch.as_ref().unwrap().queued, Some(2));
    state.apply(Action::Received(vec![repeated(4, 2), repeated(4, 3)]));
    let batch = state.repeats.batch.as_ref().unwrap();
    assert_eq!((batch.runs.len(), batch.queued), (2, None));
    assert!(batch.going());
    state.apply(Action::Received(vec![ServerMsg::RunEnded {
        run_id: 4,
        seq: 4,
        outcome: Outcome::Stopped,
        wall_ns: 9,
        events_lost: 0,
    }]));
    assert!(!state.repeats.busy());
    assert_eq!(
        state.repeats.batch.as_ref().unwrap().ended,
        Some(Outcome::Stopped)
    );
    // Nothing of it reached the run view or the queue Run shows.
    assert_eq!((state.run.as_ref(), state.queued), (None, None));
}

#[test]
fn a_parse_answer_is_not_a_repeats_with_or_without_one() {
    let mut state = open();
    state.apply(Action::PythonInput("print('hi')".into()));
    let asked = state.python.as_ref().unwrap().asked;
    state.apply(Action::Received(vec![ServerMsg::Parsed {
        id: asked,
        scenario: None,
        diagnostics: vec![],
    }]));
    assert!(state.python.as_ref().unwrap().answered);
}

#[test]
fn a_refused_repeat_says_why_beside_run_many_times() {
    let mut state = open();
    state.apply(Action::RepeatRequested);
    state.apply(Action::Received(vec![ServerMsg::Rejected {
        run_id: 5,
        seq: 0,
        field: "times".into(),
        message: "51 is outside 1..=50 (MAX_REPEATS)".into(),
    }]));
    assert_eq!(state.repeats.refusal.as_ref().unwrap().field, "times");
    assert_eq!(state.refusal, None);
    assert!(!state.repeats.busy());
}

#[test]
fn another_lesson_stops_the_repeat_and_forgets_it() {
    let mut state = open();
    state.apply(Action::RepeatRequested);
    state.apply(Action::Received(vec![started(6), repeated(6, 1)]));
    state.apply(Action::SelectPreset("thread-pool"));
    assert_eq!(state.to_stop, Some(6));
    assert_eq!(state.repeats.batch, None);
    // Asked for and left before its start: stopped once the server names it.
    state.apply(Action::RepeatRequested);
    state.apply(Action::SelectPreset("gather"));
    state.apply(Action::Received(vec![started(7)]));
    assert_eq!(state.to_stop, Some(7));
    assert_eq!(state.repeats.batch, None);
}

#[test]
fn a_lost_connection_ends_the_repeat() {
    let mut state = open();
    state.apply(Action::RepeatRequested);
    state.apply(Action::Received(vec![started(8)]));
    state.apply(Action::Conn(Conn::Lost));
    let batch = state.repeats.batch.as_ref().unwrap();
    assert!(matches!(batch.ended, Some(Outcome::Failed { .. })));
}

#[test]
fn run_pressed_during_a_repeat_says_it_stopped_the_repeat() {
    let mut state = open();
    state.apply(Action::RepeatRequested);
    state.apply(Action::Received(vec![started(9), repeated(9, 1)]));
    state.apply(Action::RunRequested);
    state.apply(Action::Received(vec![ServerMsg::RunEnded {
        run_id: 9,
        seq: 2,
        outcome: Outcome::Stopped,
        wall_ns: 9,
        events_lost: 0,
    }]));
    let (kind, line) = crate::repeat_words::status(&state.repeats);
    assert_eq!(kind, "stopped");
    assert_eq!(line, "stopped after 1 of 3 runs: you pressed ▶ Run");
}
