use looplab_shared::classroom::{Ask, Question};
use looplab_shared::model::Scenario;
use looplab_shared::protocol::{BlockReason, EventKind, Lane, SubjectKind};

use super::*;
use crate::lints::tests::{created, run_of};

const MS: u64 = 1_000_000;

fn print(text: &str) -> EventKind {
    EventKind::Print { text: text.into() }
}

/// main prints `main: start`; two tasks, `slow` and `fast`, print and finish at 300 and
/// 100 ms (`fast` burns CPU); the run ends at `end` ms.
fn run(end: u64) -> RunView {
    let s = Scenario::empty("t");
    let events = vec![
        (0, 0, Lane::Loop, created("main", SubjectKind::Main)),
        (0, 0, Lane::Loop, EventKind::Started),
        (MS, 0, Lane::Loop, print("main: start")),
        (MS, 1, Lane::Loop, created("slow", SubjectKind::Task)),
        (MS, 2, Lane::Thread, created("fast", SubjectKind::Thread)),
        (2 * MS, 2, Lane::Thread, EventKind::Started),
        (
            2 * MS,
            2,
            Lane::Thread,
            EventKind::Blocked {
                on: BlockReason::Cpu,
                ms: 98.0,
                resource: None,
            },
        ),
        (2 * MS, 1, Lane::Loop, EventKind::Started),
        (100 * MS, 2, Lane::Thread, EventKind::Unblocked),
        (100 * MS, 2, Lane::Thread, print("fast done")),
        (100 * MS, 2, Lane::Thread, EventKind::Finished),
        (300 * MS, 1, Lane::Loop, print("slow done")),
        (300 * MS, 1, Lane::Loop, EventKind::Finished),
        (end * MS, 0, Lane::Loop, EventKind::Finished),
    ];
    run_of(&s, events, end * MS)
}

fn ask(question: Question) -> Ask {
    Ask {
        question,
        why: String::new(),
    }
}

fn choices(q: fn(Vec<String>) -> Question, of: &[&str]) -> Ask {
    ask(q(of.iter().map(|c| (*c).to_owned()).collect()))
}

fn first_line(choices: Vec<String>) -> Question {
    Question::FirstLine { choices }
}

fn first_done(choices: Vec<String>) -> Question {
    Question::FirstDone { choices }
}

fn typed(text: &str) -> Answer {
    Answer::Typed(text.into())
}

#[test]
fn the_first_line_printed_answers_which_line_prints_first() {
    let run = run(310);
    let q = choices(first_line, &["slow done", "main: start", "never"]);
    let right = check(&q, Some(&Answer::Choice(1)), &run).unwrap();
    assert_eq!(right.right, Some(true));
    assert_eq!(right.answer.as_deref(), Some("“main: start”"));
    assert_eq!(
        right.measured,
        "Printed first: “main: start” at 1.00 ms by main; then “slow done” at 300.00 ms by slow; \
         “never” was not printed."
    );
    let wrong = check(&q, Some(&Answer::Choice(0)), &run).unwrap();
    assert_eq!(wrong.right, Some(false));
    // None of the lines printed: the run cannot say who is right.
    let none = choices(first_line, &["x", "y"]);
    let open = check(&none, Some(&Answer::Choice(0)), &run).unwrap();
    assert_eq!(open.right, None);
    assert_eq!(open.measured, "None of the lines was printed.");
}

#[test]
fn the_lane_that_ends_first_answers_which_lane_finishes_first() {
    let run = run(310);
    let q = choices(first_done, &["slow", "fast"]);
    let checked = check(&q, Some(&Answer::Choice(1)), &run).unwrap();
    assert_eq!(checked.right, Some(true));
    assert_eq!(
        checked.measured,
        "First to end: “fast” finished at 100.00 ms; then “slow” finished at 300.00 ms."
    );
    assert_eq!(lane_names(&run), ["main", "slow", "fast"]);
}

#[test]
fn a_wall_time_typed_in_seconds_is_right_within_a_fifth() {
    let run = run(1_000);
    let q = ask(Question::WallTime);
    for (typed_text, right) in [("1", true), ("0.85", true), ("1.3", false), ("0.5", false)] {
        let checked = check(&q, Some(&typed(typed_text)), &run).unwrap();
        assert_eq!(checked.right, Some(right), "{typed_text}");
    }
    let checked = check(&q, Some(&typed("0.85")), &run).unwrap();
    assert_eq!(checked.answer.as_deref(), Some("0.85 s"));
    assert!(
        checked
            .measured
            .starts_with("The run took 1.000 s from start to end; right is within 0.20 s"),
        "{}",
        checked.measured
    );
    // What a person types on the way to 0.5 reads as far as it goes: never 5.
    assert_eq!(
        read_answer(&Question::WallTime, Some(&typed("0.")), 2),
        Ok(Guess::WallMs(0))
    );
    assert_eq!(
        read_answer(&Question::WallTime, Some(&typed("0.5")), 2),
        Ok(Guess::WallMs(500))
    );
    assert!(read_answer(&Question::WallTime, Some(&typed("half")), 2).is_err());
}

#[test]
fn cores_are_counted_at_their_peak_and_answers_stay_within_the_machine() {
    let run = run(310);
    let q = ask(Question::CoresBusy);
    // main, `slow` and `fast` all run at 2 ms: every core of the machine.
    let checked = check(&q, Some(&typed("2")), &run).unwrap();
    assert_eq!(checked.right, Some(true), "{}", checked.measured);
    assert!(
        checked
            .measured
            .starts_with("At most 2 of this machine's 2 cores were busy")
    );
    assert_eq!(
        check(&q, Some(&typed("1")), &run).unwrap().right,
        Some(false)
    );
    assert!(read_answer(&Question::CoresBusy, Some(&typed("3")), 2).is_err());
    assert!(read_answer(&Question::CoresBusy, Some(&typed("0")), 2).is_err());
}

#[test]
fn a_skipped_question_is_answered_without_a_verdict_and_a_live_run_answers_nothing() {
    let run = run(310);
    let q = choices(first_line, &["slow done", "main: start"]);
    let skipped = check(&q, None, &run).unwrap();
    assert_eq!((skipped.right, skipped.answer), (None, None));
    assert!(skipped.measured.starts_with("Printed first: “main: start”"));
    let mut live = run.clone();
    live.status = RunStatus::Running;
    assert_eq!(check(&q, Some(&Answer::Choice(1)), &live), None);
}

#[test]
fn choices_the_last_run_did_not_print_are_named_and_empty_lines_are_not_shared() {
    let q = first_line(vec!["a".into(), "b".into(), "".into()]);
    assert_eq!(unseen(&q, &["a".into()], &[]), ["b"]);
    assert_eq!(
        shareable(&ask(q)).unwrap().question,
        first_line(vec!["a".into(), "b".into()])
    );
    let one = ask(first_line(vec!["a".into(), "".into()]));
    assert!(shareable(&one).unwrap_err().contains("2 choices"));
}

#[test]
fn the_catalogue_has_each_kind_once() {
    let labels: Vec<&str> = catalogue().iter().map(kind_label).collect();
    let mut unique = labels.clone();
    unique.dedup();
    assert_eq!(labels.len(), unique.len());
}

#[test]
fn one_busy_core_of_two_is_said_with_the_machine_in_the_plural() {
    let s = Scenario::empty("t");
    let events = vec![
        (0, 0, Lane::Loop, created("main", SubjectKind::Main)),
        (0, 0, Lane::Loop, EventKind::Started),
        (50 * MS, 0, Lane::Loop, EventKind::Finished),
    ];
    let mut run = run_of(&s, events, 50 * MS);
    run.cores = 2;
    let checked = check(&ask(Question::CoresBusy), Some(&typed("1")), &run).unwrap();
    assert!(
        checked
            .measured
            .starts_with("At most 1 of this machine's 2 cores was busy"),
        "{}",
        checked.measured
    );
}

#[test]
fn choices_are_shown_in_an_order_of_their_texts_not_the_order_they_came_in() {
    let lines = [
        "Task 1 started",
        "Task 2 started",
        "Task 2 finished",
        "Task 1 finished",
    ];
    let shown = |of: &[&'static str]| {
        let choices: Vec<String> = of.iter().map(|c| (*c).to_owned()).collect();
        let order = shown_order(&choices);
        let mut seen = order.clone();
        seen.sort_unstable();
        assert_eq!(seen, (0..of.len()).collect::<Vec<_>>(), "each choice once");
        order.iter().map(|&i| of[i]).collect::<Vec<&'static str>>()
    };
    let in_run_order = shown(&lines);
    let mut reversed = lines;
    reversed.reverse();
    assert_eq!(
        shown(&reversed),
        in_run_order,
        "the same texts, the same order"
    );
    assert_ne!(in_run_order, lines, "not the order the run printed them");
}

#[test]
fn a_question_without_choices_gets_no_verdict() {
    let run = run(310);
    assert_eq!(check(&choices(first_done, &[]), None, &run), None);
    assert_eq!(check(&choices(first_line, &[]), None, &run), None);
}
