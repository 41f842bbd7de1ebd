use super::*;
use crate::protocol::SubjectKind;

fn run(wall_ms: u64, console: &[&str], ended: &[&str]) -> Digest {
    Digest {
        outcome: Outcome::Completed,
        wall_ns: wall_ms * 1_000_000,
        console: console.iter().map(|l| l.to_string()).collect(),
        ended: ended.iter().map(|l| l.to_string()).collect(),
        cut: false,
        unended: Vec::new(),
    }
}

fn marks(o: &Ordering) -> Vec<(&str, Mark)> {
    o.lines.iter().map(|(l, m)| (l.as_str(), *m)).collect()
}

#[test]
fn wall_times_by_nearest_rank_with_a_histogram() {
    let runs: Vec<Digest> = (1..=10).map(|ms| run(ms * 100, &[], &[])).collect();
    let w = Spread::of(&runs).walls.unwrap();
    assert_eq!(
        (w.min, w.median, w.p90, w.max),
        (100_000_000, 500_000_000, 900_000_000, 1_000_000_000)
    );
    // Evenly spread times fill every bar once; the slowest lands in the last, not past it.
    assert_eq!(w.bins, vec![1; HISTOGRAM_BINS]);
    let same = Spread::of(&[run(5, &[], &[]), run(5, &[], &[])])
        .walls
        .unwrap();
    assert_eq!(same.bins, vec![2]);
    assert_eq!(Spread::of(&[]).walls, None);
}

#[test]
fn orderings_counted_most_common_first_and_marked_against_it() {
    let usual = [
        "Task started",
        "Main process exiting...",
        "Task started",
        "Task finished",
    ];
    let early = [
        "Main process exiting...",
        "Task started",
        "Task started",
        "Task finished",
    ];
    let short = ["Main process exiting...", "Task started", "Task finished"];
    let runs = [
        run(500, &early, &[]),
        run(500, &usual, &[]),
        run(500, &usual, &[]),
        run(500, &short, &[]),
    ];
    let s = Spread::of(&runs);
    let counts: Vec<u32> = s.orderings.iter().map(|o| o.count).collect();
    // Ties keep the order first seen: `early` before `short`.
    assert_eq!(counts, vec![2, 1, 1]);
    assert!(s.orderings[0].lines.iter().all(|(_, m)| *m == Mark::Same));
    assert_eq!(
        marks(&s.orderings[1]),
        vec![
            ("Main process exiting...", Mark::Moved),
            ("Task started", Mark::Same),
            ("Task started", Mark::Same),
            ("Task finished", Mark::Same),
        ]
    );
    assert!(s.orderings[1].missing.is_empty());
    // The daemon was terminated before it printed: its line is missing, the rest in order.
    assert_eq!(s.orderings[2].missing, vec!["Task started".to_string()]);
    assert!(s.orderings[2].lines.iter().all(|(_, m)| *m == Mark::Same));
}

#[test]
fn a_line_the_usual_console_lacks_is_extra() {
    let s = Spread::of(&[
        run(1, &["a", "b"], &[]),
        run(1, &["a", "b"], &[]),
        run(1, &["a", "c", "b"], &[]),
    ]);
    assert_eq!(
        marks(&s.orderings[1]),
        vec![("a", Mark::Same), ("c", Mark::Extra), ("b", Mark::Same)]
    );
}

#[test]
fn only_subjects_that_ended_in_more_than_one_place_are_listed() {
    let s = Spread::of(&[
        run(1, &[], &["main_task", "job A", "job B"]),
        run(1, &[], &["main_task", "job B", "job A"]),
        run(1, &[], &["main_task", "job A", "job B"]),
    ]);
    let moved: Vec<(&str, &[(u32, u32)])> = (s.moved_ends.iter())
        .map(|p| (p.label.as_str(), p.places.as_slice()))
        .collect();
    assert_eq!(
        moved,
        vec![
            ("job A", &[(2, 2), (3, 1)][..]),
            ("job B", &[(2, 1), (3, 2)][..])
        ]
    );
}

#[test]
fn runs_that_did_not_complete_are_counted_by_outcome() {
    let mut stopped = run(1, &[], &[]);
    stopped.outcome = Outcome::TimedOut;
    let s = Spread::of(&[run(1, &[], &[]), stopped.clone(), stopped]);
    assert_eq!(s.not_completed, vec![(Outcome::TimedOut, 2)]);
    assert_eq!(s.runs, 3);
}

fn created(name: &str) -> EventKind {
    EventKind::Created {
        name: name.into(),
        what: SubjectKind::Process,
        parent: 0,
    }
}

fn print(text: &str) -> EventKind {
    EventKind::Print { text: text.into() }
}

#[test]
fn a_digest_orders_lines_by_time_and_names_alike_subjects_apart() {
    let mut d = Digester::default();
    d.event(0, 1, &created("task"));
    d.event(0, 2, &created("task"));
    d.event(0, 3, &created("other"));
    d.event(30, 0, &print("Main process exiting..."));
    // A worker process's line arrives after a later line of the runner's.
    d.event(20, 1, &print("Task started"));
    d.event(40, 1, &EventKind::Killed);
    d.event(50, 3, &EventKind::Finished);
    d.event(60, 2, &EventKind::Finished);
    d.event(70, 0, &EventKind::Finished);
    let digest = d.finish(Outcome::Completed, 80);
    assert_eq!(
        digest.console,
        vec!["Task started", "Main process exiting..."]
    );
    assert_eq!(digest.ended, vec!["task #1 (killed)", "other", "task #2"]);
    assert!(!digest.cut);
}

#[test]
fn a_digest_keeps_the_first_lines_and_says_it_cut() {
    let mut d = Digester::default();
    for i in (0..MAX_DIGEST_LINES as u64 + 5).rev() {
        d.event(i, 0, &print(&format!("line {i}")));
    }
    let digest = d.finish(Outcome::Completed, 1);
    assert_eq!(digest.console.len(), MAX_DIGEST_LINES);
    assert_eq!(digest.console[0], "line 0");
    assert!(digest.cut);
}

#[test]
fn a_line_twice_where_the_usual_console_has_it_once_is_only_in_this_order() {
    // Daemon and non-daemon processes: the daemon printed before main, then both tasks did.
    let usual = ["Main process exiting...", "Task started", "Task finished"];
    let twice = [
        "Task started",
        "Main process exiting...",
        "Task started",
        "Task finished",
    ];
    let s = Spread::of(&[
        run(1, &usual, &[]),
        run(1, &usual, &[]),
        run(1, &twice, &[]),
    ]);
    assert_eq!(
        marks(&s.orderings[1]),
        vec![
            ("Task started", Mark::Extra),
            ("Main process exiting...", Mark::Same),
            ("Task started", Mark::Same),
            ("Task finished", Mark::Same),
        ]
    );
    // A line in both, elsewhere, is still moved.
    let s = Spread::of(&[
        run(1, &["a", "b"], &[]),
        run(1, &["a", "b"], &[]),
        run(1, &["b", "a"], &[]),
    ]);
    assert!(
        marks(&s.orderings[1]).contains(&("b", Mark::Moved))
            || marks(&s.orderings[1]).contains(&("a", Mark::Moved))
    );
}

#[test]
fn a_digest_names_the_subjects_that_never_ended() {
    let mut d = Digester::default();
    d.event(0, 0, &created("main"));
    d.event(0, 1, &created("transfer"));
    d.event(0, 2, &created("audit"));
    d.event(0, 3, &created("done"));
    d.event(10, 3, &EventKind::Finished);
    // The engine cancels the stuck ones to end the run; CPython would wait for ever.
    d.event(30, 1, &EventKind::Cancelled);
    d.event(30, 2, &EventKind::Cancelled);
    let stuck = |subject| crate::protocol::Stuck {
        subject,
        resource: None,
        on: Vec::new(),
    };
    let digest = d.finish(
        Outcome::Deadlocked {
            stuck: vec![stuck(1), stuck(2)],
        },
        20,
    );
    assert_eq!(digest.ended, vec!["done"]);
    assert_eq!(digest.unended, vec!["transfer", "audit"]);
}

#[test]
fn deadlocked_runs_and_subjects_that_never_ended_are_counted() {
    let mut stuck = run(128, &["transfer holds accounts"], &[]);
    stuck.outcome = Outcome::Deadlocked { stuck: Vec::new() };
    stuck.unended = vec!["transfer".into(), "audit".into()];
    let s = Spread::of(&[
        stuck.clone(),
        stuck.clone(),
        run(1, &[], &["transfer", "audit"]),
    ]);
    assert_eq!(s.deadlocked(), 2);
    assert_eq!(s.unended, vec![("transfer".into(), 2), ("audit".into(), 2)]);
    assert!(s.any_ended);
    assert!(!Spread::of(&[stuck]).any_ended);
}

#[test]
fn fewer_runs_than_the_minimum_are_too_few_to_tell() {
    let runs: Vec<Digest> = (0..MIN_RUNS_TO_TELL).map(|_| run(1, &["a"], &[])).collect();
    assert!(!Spread::of(&runs).too_few());
    assert!(Spread::of(&runs[1..]).too_few());
}
