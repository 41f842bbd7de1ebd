use looplab_shared::classroom::Goal;
use looplab_shared::model::Scenario;
use looplab_shared::protocol::{BlockReason, EventKind, Lane, SubjectKind};

use super::*;

/// [`super::check`] with the run's summary.
fn check(goal: &Goal, run: &RunView, s: &Scenario, findings: &[Lint]) -> Verdict {
    super::check(goal, run, s, findings, &summarize(run))
}
use crate::lints::tests::{created, run_of};

const MS: u64 = 1_000_000;

fn print(text: &str) -> EventKind {
    EventKind::Print { text: text.into() }
}

fn cpu(ms: f64) -> EventKind {
    EventKind::Blocked {
        on: BlockReason::Cpu,
        ms,
        resource: None,
    }
}

/// Two jobs that burn CPU from 0 to 100 ms, overlapping as `overlap` says, printing `a`
/// then `b`; ended at `end` ms.
fn two_jobs(overlap: bool, end: u64) -> (Scenario, RunView) {
    let s = Scenario::empty("t");
    let second = if overlap { 0 } else { 100 * MS };
    let events = vec![
        (0, 1, Lane::Thread, created("a", SubjectKind::Thread)),
        (0, 1, Lane::Thread, cpu(100.0)),
        (second, 2, Lane::Thread, created("b", SubjectKind::Thread)),
        (second, 2, Lane::Thread, cpu(100.0)),
        (100 * MS, 1, Lane::Thread, EventKind::Unblocked),
        (100 * MS, 1, Lane::Thread, print("a")),
        (100 * MS, 1, Lane::Thread, EventKind::Finished),
        (second + 100 * MS, 2, Lane::Thread, EventKind::Unblocked),
        (second + 100 * MS, 2, Lane::Thread, print("b")),
        (second + 100 * MS, 2, Lane::Thread, EventKind::Finished),
    ];
    let run = run_of(&s, events, end * MS);
    (s, run)
}

fn met(v: Verdict) -> bool {
    match v {
        Verdict::Met(_) => true,
        Verdict::Missed(_) => false,
        Verdict::Pending => panic!("pending"),
    }
}

#[test]
fn a_wall_goal_is_met_under_its_bound_and_scales_with_the_speed() {
    let (mut s, run) = two_jobs(true, 150);
    assert!(met(check(&Goal::WallUnder { ms: 200 }, &run, &s, &[])));
    assert!(!met(check(&Goal::WallUnder { ms: 150 }, &run, &s, &[])));
    // At half speed the goal's 200 ms are 100.
    s.time_scale = 0.5;
    assert_eq!(
        check(&Goal::WallUnder { ms: 200 }, &run, &s, &[]),
        Verdict::Missed("took 150.00 ms".into())
    );
    assert_eq!(
        goal_words(&Goal::WallUnder { ms: 200 }, &s, 2),
        "Finishes in under 100.00 ms"
    );
}

#[test]
fn cores_busy_at_once_are_counted_at_their_peak_and_capped_by_the_machine() {
    let (s, together) = two_jobs(true, 100);
    let (_, apart) = two_jobs(false, 200);
    let two = Goal::CoresAtLeast { cores: 2 };
    assert_eq!(peak_cores(&together), 2);
    assert_eq!(peak_cores(&apart), 1, "one after the other is one core");
    assert!(met(check(&two, &together, &s, &[])));
    assert_eq!(
        check(&two, &apart, &s, &[]),
        Verdict::Missed("1 core busy at most".into())
    );
    // Four asked of a two-core machine: both cores are all it can give.
    assert!(met(check(
        &Goal::CoresAtLeast { cores: 4 },
        &together,
        &s,
        &[]
    )));
    assert!(goal_words(&Goal::CoresAtLeast { cores: 4 }, &s, 2).contains("this machine has 2"));
}

#[test]
fn the_console_is_compared_in_order_or_as_a_multiset() {
    let (s, run) = two_jobs(false, 200);
    let goal = |lines: &[&str], any_order| Goal::Console {
        lines: lines.iter().map(|l| (*l).into()).collect(),
        any_order,
    };
    assert!(met(check(&goal(&["a", "b"], false), &run, &s, &[])));
    assert_eq!(
        check(&goal(&["b", "a"], false), &run, &s, &[]),
        Verdict::Missed("line 1 is “a”, expected “b”".into())
    );
    assert!(met(check(&goal(&["b", "a"], true), &run, &s, &[])));
    assert_eq!(
        check(&goal(&["a", "b", "c"], false), &run, &s, &[]),
        Verdict::Missed("“c” was not printed".into())
    );
    assert_eq!(
        check(&goal(&["a"], true), &run, &s, &[]),
        Verdict::Missed("“b” was printed, not expected".into())
    );
}

#[test]
fn goals_wait_for_the_run_to_end_and_a_run_without_a_loop_has_no_lag() {
    let (s, mut run) = two_jobs(true, 100);
    assert_eq!(
        check(&Goal::LagUnder { ms: 50 }, &run, &s, &[]),
        Verdict::Missed("no event loop ran".into())
    );
    assert_eq!(
        check(
            &Goal::P99Under {
                ms: 50,
                route: None
            },
            &run,
            &s,
            &[]
        ),
        Verdict::Missed("no request was answered".into())
    );
    assert!(met(check(&Goal::Completes, &run, &s, &[])));
    assert!(met(check(&Goal::NoFinding, &run, &s, &[])));
    run.status = crate::state::RunStatus::Running;
    assert_eq!(check(&Goal::Completes, &run, &s, &[]), Verdict::Pending);
}

#[test]
fn a_program_with_a_switch_only_looplab_has_is_not_python() {
    let (mut s, run) = two_jobs(true, 100);
    assert!(met(check(&Goal::Python, &run, &s, &[])));
    s.options.gil = false;
    match check(&Goal::Python, &run, &s, &[]) {
        Verdict::Missed(why) => assert!(why.starts_with("not Python"), "{why}"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_moment_of_overlap_at_a_hand_over_is_not_two_cores() {
    let s = Scenario::empty("t");
    // b starts 1 ms before a stops: a GIL hand-over, not parallel work.
    let events = vec![
        (0, 1, Lane::Thread, created("a", SubjectKind::Thread)),
        (0, 1, Lane::Thread, cpu(100.0)),
        (99 * MS, 2, Lane::Thread, created("b", SubjectKind::Thread)),
        (99 * MS, 2, Lane::Thread, cpu(100.0)),
        (100 * MS, 1, Lane::Thread, EventKind::Unblocked),
        (100 * MS, 1, Lane::Thread, EventKind::Finished),
        (199 * MS, 2, Lane::Thread, EventKind::Unblocked),
        (199 * MS, 2, Lane::Thread, EventKind::Finished),
    ];
    assert_eq!(peak_cores(&run_of(&s, events, 199 * MS)), 1);
}
