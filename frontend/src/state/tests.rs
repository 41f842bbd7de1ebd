use looplab_shared::protocol::{BlockReason, EventKind, Lane, ServerMsg, SubjectKind, WaitReason};
use std::rc::Rc;

use looplab_shared::presets;
use looplab_shared::share::Shared;

use super::*;

const LANE: Lane = Lane::Loop;

pub(super) fn started(run_id: RunId) -> ServerMsg {
    ServerMsg::RunStarted {
        run_id,
        seq: 0,
        name: "gather".into(),
        ideal_wall_ns: 2_000,
        predicted_wall_ns: None,
        cores: 2,
    }
}

pub(super) fn event(
    run_id: RunId,
    seq: u64,
    t_ns: u64,
    subject: u32,
    kind: EventKind,
) -> ServerMsg {
    ServerMsg::Event {
        run_id,
        seq,
        t_ns,
        subject,
        pid: 1,
        tid: 2,
        lane: LANE,
        kind,
    }
}

fn created(name: &str) -> EventKind {
    EventKind::Created {
        name: name.into(),
        what: SubjectKind::Task,
        parent: 0,
    }
}

/// A short run of one task: created, started, prints, sleeps, wakes, finishes.
pub(super) fn one_task_run(run_id: RunId) -> Vec<ServerMsg> {
    let sleep = EventKind::Suspended {
        on: WaitReason::Sleep { ms: 1.0 },
    };
    vec![
        started(run_id),
        event(run_id, 1, 0, 0, EventKind::Started),
        event(run_id, 2, 1, 1, created("t")),
        event(
            run_id,
            3,
            2,
            0,
            EventKind::Suspended {
                on: WaitReason::Gather { subjects: vec![1] },
            },
        ),
        event(run_id, 4, 3, 1, EventKind::Started),
        event(run_id, 5, 4, 1, EventKind::Print { text: "hi".into() }),
        event(run_id, 6, 5, 1, sleep),
        event(run_id, 7, 9, 1, EventKind::Resumed),
        event(run_id, 8, 10, 1, EventKind::Finished),
        event(run_id, 9, 11, 0, EventKind::Resumed),
        event(run_id, 10, 12, 0, EventKind::Finished),
        ServerMsg::RunEnded {
            run_id,
            seq: 11,
            outcome: Outcome::Completed,
            wall_ns: 13,
            events_lost: 0,
        },
    ]
}

pub(super) fn run_with(msgs: Vec<ServerMsg>) -> State {
    let mut state = State::default();
    state.apply(Action::RunRequested);
    state.apply(Action::Received(msgs));
    state
}

fn span(start: u64, end: u64, kind: SpanKind) -> Span {
    Span {
        start,
        end: Some(end),
        kind,
        on: None,
    }
}

#[test]
fn cpu_work_is_one_colour_under_the_gil_and_waits_hold_no_core() {
    let cpu = EventKind::Blocked {
        on: BlockReason::Cpu,
        ms: 1.0,
        resource: None,
    };
    let join = EventKind::Blocked {
        on: BlockReason::Join,
        ms: 0.0,
        resource: None,
    };
    let kinds = [
        EventKind::Started,
        cpu,
        EventKind::GilAcquire,
        EventKind::GilRelease,
        EventKind::GilWait,
        EventKind::GilAcquire,
        EventKind::GilRelease,
        EventKind::Unblocked,
        EventKind::GilWait,
        EventKind::GilAcquire,
        join,
        EventKind::Unblocked,
    ];
    let mut msgs = vec![started(1)];
    for (i, kind) in kinds.into_iter().enumerate() {
        let i = i as u64;
        msgs.push(event(1, i + 1, i * 10, 0, kind));
    }
    let state = run_with(msgs);
    let spans = &state.run.unwrap().tracks[0].spans;
    assert_eq!(
        spans.iter().map(|s| (s.start, s.kind)).collect::<Vec<_>>(),
        vec![
            (0, SpanKind::Running),
            (10, SpanKind::Cpu),
            (40, SpanKind::GilWait),
            // The GIL back mid-computation: still CPU work, not plain running.
            (50, SpanKind::Cpu),
            (70, SpanKind::Running),
            (80, SpanKind::GilWait),
            // Back outside a computation: running.
            (90, SpanKind::Running),
            (100, SpanKind::Waiting),
            (110, SpanKind::Running),
        ]
    );
}

#[test]
fn a_run_becomes_tracks_and_a_console() {
    let state = run_with(one_task_run(5));
    let run = state.run.unwrap();
    assert_eq!(run.gaps, 0);
    assert_eq!(
        run.status,
        RunStatus::Ended {
            outcome: Outcome::Completed,
            wall_ns: 13,
            events_lost: 0
        }
    );
    assert_eq!(run.tracks.len(), 2);
    assert_eq!(
        run.tracks[0].spans,
        vec![
            span(0, 2, SpanKind::Running),
            Span {
                on: Some(WaitOn::Gather(1)),
                ..span(2, 11, SpanKind::Suspended)
            },
            span(11, 12, SpanKind::Running)
        ]
    );
    let task = &run.tracks[1];
    assert_eq!(task.name, "t");
    assert_eq!(
        task.spans,
        vec![
            span(1, 3, SpanKind::Queued),
            span(3, 5, SpanKind::Running),
            span(5, 9, SpanKind::Suspended),
            span(9, 10, SpanKind::Running)
        ]
    );
    assert_eq!(task.prints, vec![4]);
    assert_eq!(task.end, Some(TrackEnd::Finished));
    assert_eq!(
        run.console,
        Rc::new(vec![Line {
            t_ns: 4,
            task: 1,
            text: "hi".into()
        }])
    );
}

#[test]
fn other_runs_are_ignored() {
    let mut msgs = one_task_run(5);
    // A late message of an older run, and a start nobody asked for.
    msgs.insert(
        3,
        event(
            4,
            9,
            3,
            1,
            EventKind::Print {
                text: "stale".into(),
            },
        ),
    );
    msgs.push(started(6));
    let state = run_with(msgs);
    let run = state.run.unwrap();
    assert_eq!(run.run_id, 5);
    assert_eq!(run.console.len(), 1);
    assert_eq!(run.gaps, 0);
}

#[test]
fn gaps_are_counted() {
    let mut msgs = one_task_run(5);
    msgs.remove(4);
    assert_eq!(run_with(msgs).run.unwrap().gaps, 1);
}

#[test]
fn a_refusal_is_kept_and_cleared_by_the_next_run() {
    let mut state = run_with(vec![ServerMsg::Rejected {
        run_id: 3,
        seq: 0,
        field: "scenario.name".into(),
        message: "must not be empty".into(),
    }]);
    assert_eq!(state.refusal.as_ref().unwrap().field, "scenario.name");
    assert!(state.run.is_none() && !state.awaiting_start);
    state.apply(Action::RunRequested);
    assert!(state.refusal.is_none());
}

#[test]
fn a_lost_connection_ends_a_running_run() {
    let mut msgs = one_task_run(5);
    msgs.truncate(5);
    let mut state = run_with(msgs);
    state.apply(Action::Conn(Conn::Lost));
    let run = state.run.unwrap();
    assert!(matches!(
        run.status,
        RunStatus::Ended {
            outcome: Outcome::Failed { .. },
            ..
        }
    ));
}

#[test]
fn a_link_opens_its_scenario_and_finds_its_lesson() {
    let mut state = State::default();
    let mut scenario = presets::find("gil").unwrap().scenario();
    scenario.time_scale = 0.5;
    state.apply(Action::OpenLink(Ok(Shared {
        scenario: scenario.clone(),
        note: "Look at the yellow.".into(),
        run_on_open: true,
        goals: Vec::new(),
        ask: None,
    })));
    assert_eq!(state.scenario, scenario);
    assert_eq!(state.lesson.map(|p| p.id), Some("gil"));
    assert_eq!(state.note.as_deref(), Some("Look at the yellow."));
    assert!(state.run_on_open);
    state.apply(Action::RunRequested);
    assert!(
        !state.run_on_open,
        "a link runs once, not on every reconnect"
    );

    // Renamed, it is still the lesson; changed and renamed, it is no lesson and opens
    // too, without a lesson's text.
    scenario.name = "mine".into();
    assert!(presets::find("gil").unwrap().is(&scenario));
    scenario.main.clear();
    state.apply(Action::OpenLink(Ok(Shared {
        scenario,
        note: String::new(),
        run_on_open: false,
        goals: Vec::new(),
        ask: None,
    })));
    assert!(state.lesson.is_none() && state.from.is_none() && state.note.is_none());
}

#[test]
fn a_damaged_link_keeps_the_page_usable() {
    let mut state = State::default();
    state.apply(Action::OpenLink(Err("this link is damaged".into())));
    assert_eq!(state.link_error.as_deref(), Some("this link is damaged"));
    assert_eq!(state.scenario, presets::all()[0].scenario());
    state.apply(Action::SelectPreset("gather"));
    assert!(state.link_error.is_none());
}

#[test]
fn a_comparison_collects_its_runs_in_order() {
    let mut state = State::default();
    let scenario = presets::find("gather").unwrap().scenario();
    let variants = vec![
        ("a".to_owned(), scenario.clone()),
        ("b".to_owned(), scenario),
    ];
    state.apply(Action::Compare(variants));
    assert_eq!(
        state
            .comparison
            .as_ref()
            .unwrap()
            .next()
            .map(|s| s.name.as_str()),
        Some("gather")
    );
    for run_id in [5, 6] {
        state.apply(Action::CompareNext);
        assert_eq!(
            state.comparison.as_ref().unwrap().next(),
            None,
            "one at a time"
        );
        state.apply(Action::Received(one_task_run(run_id)));
    }
    let c = state.comparison.as_ref().unwrap();
    assert_eq!(c.runs.iter().map(|r| r.run_id).collect::<Vec<_>>(), [5, 6]);
    assert_eq!(c.next(), None, "all done");
    state.apply(Action::Conn(Conn::Lost));
    assert!(state.comparison.is_none());
}

#[test]
fn an_event_copies_only_the_track_it_changes() {
    // A run with many tasks: the state after one more event shares every other track.
    let mut msgs = vec![started(5)];
    for i in 1..=1000u32 {
        msgs.push(event(5, u64::from(i), u64::from(i), i, created("t")));
    }
    let before = run_with(msgs);
    let mut after = before.clone();
    after.apply(Action::Received(vec![event(
        5,
        1001,
        2000,
        7,
        EventKind::Started,
    )]));
    let (old, new) = (
        &before.run.as_ref().unwrap().tracks,
        &after.run.as_ref().unwrap().tracks,
    );
    let shared = old
        .iter()
        .zip(new)
        .filter(|(a, b)| Rc::ptr_eq(a, b))
        .count();
    assert_eq!(shared, old.len() - 1, "only task 7 changed");
    assert!(!Rc::ptr_eq(&old[7], &new[7]));
}

#[test]
fn a_queued_run_shows_its_place_then_starts_or_is_withdrawn() {
    let mut state = State::default();
    state.apply(Action::RunRequested);
    let queued = |position| ServerMsg::Queued {
        run_id: 5,
        seq: 0,
        position,
    };
    state.apply(Action::Received(vec![queued(3), queued(1)]));
    assert_eq!(state.queued, Some((5, 1)));
    // Admitted: the start comes numbered after the two places.
    let mut msgs = one_task_run(5);
    for msg in &mut msgs {
        if let ServerMsg::RunStarted { seq, .. }
        | ServerMsg::Event { seq, .. }
        | ServerMsg::RunEnded { seq, .. } = msg
        {
            *seq += 2;
        }
    }
    state.apply(Action::Received(msgs));
    assert_eq!(state.queued, None);
    assert_eq!(state.run.as_ref().unwrap().gaps, 0);

    // Withdrawn while waiting: the page is ready again.
    state.apply(Action::RunRequested);
    state.apply(Action::Received(vec![ServerMsg::Queued {
        run_id: 6,
        seq: 0,
        position: 2,
    }]));
    state.apply(Action::Received(vec![ServerMsg::RunEnded {
        run_id: 6,
        seq: 1,
        outcome: Outcome::Stopped,
        wall_ns: 0,
        events_lost: 0,
    }]));
    assert!(state.queued.is_none() && !state.awaiting_start);
}

#[test]
fn a_wait_on_a_queue_names_the_queue_of_the_scenario_that_ran() {
    let mut state = State::default();
    state.apply(Action::Conn(Conn::Open));
    state.scenario = presets::find("producer-consumer").unwrap().scenario();
    state.apply(Action::PressRun);
    // The learner edits while the run starts: the names are those of the program sent.
    state.scenario.resources.clear();
    let on = EventKind::Suspended {
        on: WaitReason::QueuePut { resource: 0 },
    };
    state.apply(Action::Received(vec![started(1), event(1, 1, 10, 0, on)]));
    let run = state.run.as_ref().unwrap();
    let span = run.tracks[0].spans.last().copied().unwrap();
    assert_eq!(span.kind, SpanKind::Contended);
    let words = crate::waits::wait_words(run, 0, &span, None);
    assert_eq!(words.as_deref(), Some("queue `queue` full (0/2)"));
    // A sleep needs no more words than its span's kind has.
    assert_eq!(WaitOn::of(&WaitReason::Sleep { ms: 1.0 }), None);
    // A thread blocked on a threading.Lock is told apart from one joining.
    let on = BlockReason::Lock;
    let blocked = EventKind::Blocked {
        on,
        ms: 0.0,
        resource: Some(0),
    };
    state.apply(Action::Received(vec![event(1, 2, 20, 0, blocked)]));
    let run = state.run.as_ref().unwrap();
    let span = run.tracks[0].spans.last().copied().unwrap();
    assert_eq!(span.kind, SpanKind::Waiting);
    assert_eq!(span.on, Some(WaitOn::ThreadLock(Some(0))));
}

#[test]
fn a_deadlocked_task_is_stuck_not_cancelled_and_the_run_expects_no_end() {
    use crate::summary::{Expected, outcome_line};
    use looplab_shared::protocol::Stuck;
    let run_id = 7;
    let lock = EventKind::Suspended {
        on: WaitReason::Sleep { ms: 1.0 },
    };
    // The engine cancels the stuck task to stop the run, then says the run deadlocked.
    let state = run_with(vec![
        started(run_id),
        event(run_id, 1, 0, 0, EventKind::Started),
        event(run_id, 2, 1, 1, created("t")),
        event(run_id, 3, 2, 1, EventKind::Started),
        event(run_id, 4, 3, 1, lock),
        event(run_id, 5, 50, 1, EventKind::Cancelled),
        ServerMsg::RunEnded {
            run_id,
            seq: 6,
            outcome: Outcome::Deadlocked {
                stuck: vec![Stuck {
                    subject: 1,
                    resource: None,
                    on: vec![],
                }],
            },
            wall_ns: 50,
            events_lost: 0,
        },
    ]);
    let run = state.run.as_ref().unwrap();
    assert_eq!(run.tracks[1].end, Some(TrackEnd::Stuck));
    assert_eq!(Expected::of(run), Expected::Never);
    let (key, line) = outcome_line(run);
    assert_eq!(key, "failed");
    assert!(line.starts_with("deadlocked: stopped after"), "{line}");
    assert!(!line.contains("ideal"), "{line}");
}
