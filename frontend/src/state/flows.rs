//! What a person does with the page, as actions: changing a lesson, leaving it mid-run,
//! typing JSON, writing a note, following links.

use looplab_shared::presets;
use looplab_shared::protocol::{Outcome, ServerMsg};
use looplab_shared::share::{Shared, encode};

use super::tests::{one_task_run, started};
use super::*;

fn gather() -> Scenario {
    presets::find("gather").unwrap().scenario()
}

#[test]
fn a_changed_lesson_is_the_learners_and_says_where_it_came_from() {
    let mut state = State::default();
    assert_eq!(state.lesson.map(|p| p.id), Some("gather"));
    // The speed is the learner's: still the lesson.
    let mut faster = gather();
    faster.time_scale = 0.5;
    state.apply(Action::Replace(faster.clone()));
    assert_eq!(state.lesson.map(|p| p.id), Some("gather"));
    // So is the name: a lesson pasted under another name is still the lesson.
    let mut renamed = faster.clone();
    renamed.name = "mine".into();
    state.apply(Action::Replace(renamed.clone()));
    assert_eq!(state.lesson.map(|p| p.id), Some("gather"));
    // Anything else makes it theirs, made from the lesson.
    let mut mine = renamed;
    mine.main.push(mine.main[0].clone());
    state.apply(Action::Replace(mine));
    assert_eq!(state.lesson, None);
    assert_eq!(state.from.map(|p| p.id), Some("gather"));
    // Undone, it is the lesson again.
    state.apply(Action::Replace(faster));
    assert_eq!(state.lesson.map(|p| p.id), Some("gather"));
    // A new empty scenario comes from nothing.
    state.apply(Action::Edit(Edit::Clear));
    assert_eq!((state.lesson, state.from), (None, None));
}

#[test]
fn leaving_a_lesson_mid_run_stops_its_run_and_forgets_it() {
    let mut msgs = one_task_run(5);
    let rest = msgs.split_off(5);
    let mut state = State::default();
    state.apply(Action::RunRequested);
    state.apply(Action::Received(msgs));
    state.apply(Action::Compare(vec![
        ("a".into(), gather()),
        ("b".into(), gather()),
    ]));
    state.apply(Action::SelectPreset("gil"));
    assert_eq!(state.to_stop, Some(5));
    assert!(state.run.is_none() && state.comparison.is_none());
    // What the stopped run still sends is not shown under the new lesson.
    state.apply(Action::Received(rest));
    assert!(state.run.is_none());
    // The new lesson runs as usual.
    state.apply(Action::RunRequested);
    state.apply(Action::Received(one_task_run(6)));
    assert_eq!(state.run.as_ref().map(|r| r.run_id), Some(6));
}

#[test]
fn a_run_left_behind_on_a_server_gone_away_does_not_hide_a_run_of_the_next_one() {
    let mut state = State::default();
    state.apply(Action::RunRequested);
    state.apply(Action::Received(one_task_run(5)[..5].to_vec()));
    state.apply(Action::SelectPreset("gil"));
    assert_eq!(state.to_stop, Some(5));
    // The replica goes; the socket reopens on another, whose run ids are its own.
    state.apply(Action::Conn(Conn::Lost));
    state.apply(Action::Conn(Conn::Open));
    state.apply(Action::RunRequested);
    state.apply(Action::Received(one_task_run(5)));
    let run = state.run.as_ref().unwrap();
    assert!(matches!(
        run.status,
        RunStatus::Ended {
            outcome: Outcome::Completed,
            ..
        }
    ));
}

#[test]
fn leaving_before_the_run_has_started_stops_it_once_the_server_names_it() {
    let mut state = State::default();
    state.apply(Action::RunRequested);
    state.apply(Action::SelectPreset("gil"));
    assert_eq!((state.abandoned, state.awaiting_start), (1, false));
    // The learner presses Run on the new lesson before the old start arrives.
    state.apply(Action::RunRequested);
    state.apply(Action::Received(vec![started(5)]));
    assert_eq!(state.to_stop, Some(5));
    assert!(state.run.is_none() && state.awaiting_start);
    state.apply(Action::Received(vec![
        ServerMsg::RunEnded {
            run_id: 5,
            seq: 1,
            outcome: Outcome::Stopped,
            wall_ns: 3,
            events_lost: 0,
        },
        started(6),
    ]));
    assert_eq!(state.run.as_ref().map(|r| r.run_id), Some(6));
}

#[test]
fn leaving_a_queued_run_withdraws_it() {
    let mut state = State::default();
    state.apply(Action::RunRequested);
    state.apply(Action::Received(vec![ServerMsg::Queued {
        run_id: 5,
        seq: 0,
        position: 2,
    }]));
    state.apply(Action::SelectPreset("gil"));
    assert_eq!((state.to_stop, state.queued), (Some(5), None));
    assert_eq!(state.abandoned, 0);
    assert!(!state.awaiting_start);
}

#[test]
fn broken_json_is_kept_as_typed_and_never_runs_the_last_good_scenario_in_its_place() {
    let mut state = State::default();
    let good = serde_json::to_string(&gather()).unwrap();
    let broken = good.replacen("\"name\"", "name", 1);
    state.apply(Action::JsonInput(broken.clone()));
    let draft = state.json.clone().unwrap();
    assert_eq!(draft.text, broken);
    let error = draft.error.unwrap();
    assert_eq!((error.line, error.column), (1, 2));
    assert_eq!(state.scenario, gather(), "the scenario is untouched");
    // Fixed, the text is the scenario and nothing stands in Run's way.
    let renamed = good.replacen("\"gather\"", "\"mine\"", 1);
    state.apply(Action::JsonInput(renamed.clone()));
    assert_eq!(state.scenario.name, "mine");
    assert_eq!(
        state.json,
        Some(JsonDraft {
            text: renamed,
            error: None
        })
    );
    assert_eq!(state.from.map(|p| p.id), Some("gather"));
    // Another lesson shows its own JSON.
    state.apply(Action::JsonInput(broken));
    state.apply(Action::SelectPreset("gil"));
    assert_eq!(state.json, None);
}

#[test]
fn a_note_belongs_to_its_lesson_and_keeps_all_its_bytes() {
    let mut state = State::default();
    let note = "n".repeat(900);
    state.apply(Action::ShareNote(note.clone()));
    state.apply(Action::ShareRunOnOpen(true));
    assert_eq!(state.share.note, note);
    assert!(!state.share.clipped);
    // Kept while the same scenario changes…
    let mut faster = gather();
    faster.time_scale = 0.5;
    state.apply(Action::Replace(faster));
    assert!(state.share.run_on_open && state.share.note == note);
    // …cut at the limit, and said so…
    state.apply(Action::ShareNote("n".repeat(1_200)));
    assert_eq!((state.share.note.len(), state.share.clipped), (1_000, true));
    // …and gone with another lesson.
    state.apply(Action::SelectPreset("gil"));
    assert_eq!(state.share, ShareDraft::default());
}

#[test]
fn a_link_holds_the_address_bar_until_the_page_shows_something_else() {
    let mut mine = presets::find("thread-pool").unwrap().scenario();
    mine.main.push(mine.main[0].clone());
    let link = encode(&Shared {
        scenario: mine.clone(),
        note: "Look.".into(),
        run_on_open: true,
        goals: Vec::new(),
        ask: None,
    });
    let mut state = State::opened(&format!("#{link}"));
    assert_eq!(state.scenario, mine);
    assert!(state.on_link && state.run_on_open);
    // A changed lesson keeps its name: the page says which lesson it was made from.
    assert_eq!(state.lesson, None);
    assert_eq!(state.from.map(|p| p.id), Some("thread-pool"));
    state.apply(Action::SelectPreset("gil"));
    assert!(!state.on_link && !state.run_on_open && state.note.is_none());
    // A link pasted into the open page opens, and leaves when the scenario is changed.
    state.apply(Action::OpenLink(Ok(Shared {
        scenario: gather(),
        note: String::new(),
        run_on_open: false,
        goals: Vec::new(),
        ask: None,
    })));
    assert!(state.on_link);
    assert_eq!(state.lesson.map(|p| p.id), Some("gather"));
    let mut changed = gather();
    changed.name = "changed".into();
    state.apply(Action::Replace(changed));
    assert!(!state.on_link);
    // No fragment: the first lesson.
    assert_eq!(State::opened(""), State::default());
}

#[test]
fn a_closed_comparison_leaves_none_of_its_runs_under_the_scenario() {
    let mut state = State::default();
    state.apply(Action::Compare(vec![
        ("a".into(), gather()),
        ("b".into(), gather()),
    ]));
    state.apply(Action::CompareNext);
    let mut msgs = one_task_run(5);
    msgs.truncate(3);
    state.apply(Action::Received(msgs));
    state.apply(Action::CloseComparison);
    assert!(state.comparison.is_none() && state.run.is_none());
    assert_eq!(state.to_stop, Some(5), "the variant under way is stopped");
}
