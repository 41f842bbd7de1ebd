//! What the page says about a repeat (*Run ×N*): where it stands, and its figures in words.

use looplab_shared::limits::MAX_REPEATS;
use looplab_shared::model::Scenario;
use looplab_shared::protocol::Outcome;
use looplab_shared::repeat::{MIN_RUNS_TO_TELL, Spread};

use crate::state::{Batch, Repeats};

/// The runs a repeat makes unless the learner says otherwise.
pub const DEFAULT_TIMES: u32 = 20;

/// The number of runs typed, or why it is not one.
pub fn read_times(text: &str) -> Result<u32, String> {
    match text.trim().parse::<u32>() {
        Ok(n) if (1..=MAX_REPEATS).contains(&n) => Ok(n),
        _ => Err(format!(
            "type a whole number of runs from 1 to {MAX_REPEATS}"
        )),
    }
}

/// `ns` in seconds, to the millisecond.
pub fn secs(ns: u64) -> String {
    format!("{:.3} s", ns as f64 / 1e9)
}

/// How a run or a repeat ended, in a few words.
pub fn ended(outcome: &Outcome) -> &'static str {
    match outcome {
        Outcome::Completed => "completed",
        Outcome::Stopped => "stopped",
        Outcome::TimedOut => "timed out",
        Outcome::TooManyEvents => "stopped at the event limit",
        Outcome::Deadlocked { .. } => "deadlocked",
        Outcome::Failed { .. } => "failed",
    }
}

/// The heading over the distinct consoles: below [`MIN_RUNS_TO_TELL`] runs, one order seen
/// is no proof that the order is fixed.
pub fn consoles_heading(spread: &Spread) -> String {
    match (spread.orderings.len(), spread.too_few()) {
        (1, true) => format!(
            "One console order in {}: too few runs to tell whether the order is fixed — run at least {MIN_RUNS_TO_TELL}",
            plural(spread.runs, "run")
        ),
        (1, false) => {
            "One console order: every run printed the same lines in the same order".into()
        }
        (n, _) => format!("{n} distinct console orders, the most common first"),
    }
}

/// What to say when no subject ended in more than one place: nothing when none ended, and
/// only of those that ended.
pub fn ends_same(spread: &Spread) -> Option<String> {
    if !spread.any_ended {
        return None;
    }
    let who = if spread.unended.is_empty() {
        "Every task, job, thread and process"
    } else {
        "Every one of them that ended"
    };
    Some(if spread.too_few() {
        format!(
            "{who} ended in the same place in {}: too few runs to tell whether that is fixed — run at least {MIN_RUNS_TO_TELL}.",
            match spread.runs {
                1 => "the one run".to_owned(),
                2 => "both runs".to_owned(),
                n => format!("all {n} runs"),
            }
        )
    } else {
        format!("{who} ended in the same place among the others in every run.")
    })
}

/// The wall times' name: a deadlocked run never ends (CPython would hang for ever), so its
/// time is how long looplab took to find the deadlock.
pub fn wall_heading(spread: &Spread) -> String {
    match spread.deadlocked() {
        0 => "Wall time".into(),
        n if n == spread.runs => {
            "Time until the deadlock was found (every run deadlocked: python3 would hang for ever)"
                .into()
        }
        n => format!(
            "Wall time ({} deadlocked: for those, the time until the deadlock was found; python3 would hang for ever)",
            plural(n, "run")
        ),
    }
}

/// Why the orders' frequencies are looplab's, said only where threads or processes run:
/// a program of tasks alone runs its loop as CPython's does.
pub fn frequencies(scenario: &Scenario) -> &'static str {
    if scenario.functions.is_empty() && scenario.pools.is_empty() {
        return "";
    }
    "How often each order comes is this machine's and looplab's, not CPython's: looplab \
     starts a thread or a process a little later than CPython does, and its threads wake \
     from a sleep up to a millisecond late, so two threads that sleep as long finish here in \
     either order about as often, where python3 nearly always finishes first the one that \
     started first. "
}

/// "1 run", "3 runs".
fn plural(n: u32, one: &str) -> String {
    match n {
        1 => format!("1 {one}"),
        n => format!("{n} {one}s"),
    }
}

/// 1st, 2nd, 3rd, 4th…
pub fn ordinal(n: u32) -> String {
    let suffix = match (n % 10, n % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}

/// (machine-readable state, sentence) for the repeat's status line.
pub fn status(repeats: &Repeats) -> (&'static str, String) {
    if let Some(refusal) = &repeats.refusal {
        return (
            "rejected",
            format!("refused — {}: {}", refusal.field, refusal.message),
        );
    }
    if repeats.awaiting.is_some() {
        return ("starting", "starting…".into());
    }
    let Some(batch) = &repeats.batch else {
        return ("idle", String::new());
    };
    let done = batch.runs.len() as u32;
    match (&batch.ended, batch.queued) {
        (None, Some(place)) => (
            "queued",
            format!(
                "run {} of {}: queued, place {place} — each run takes its turn",
                done + 1,
                batch.times
            ),
        ),
        (None, None) => ("running", format!("run {} of {}…", done + 1, batch.times)),
        (Some(Outcome::Completed), _) => ("completed", finished(batch)),
        (Some(Outcome::Failed { reason }), _) => (
            "failed",
            format!("stopped after {done} of {} runs: {reason}", batch.times),
        ),
        (Some(Outcome::Stopped), _) if batch.displaced => (
            "stopped",
            format!(
                "stopped after {done} of {} runs: you pressed ▶ Run",
                batch.times
            ),
        ),
        (Some(other), _) => (
            "stopped",
            format!("{} after {done} of {} runs", ended(other), batch.times),
        ),
    }
}

fn finished(batch: &Batch) -> String {
    let cores = match batch.cores {
        1 => "1 core".to_owned(),
        n => format!("{n} cores"),
    };
    format!(
        "{} on this machine ({cores})",
        real_runs(batch.runs.len() as u32)
    )
}

/// "1 real run", "20 real runs".
pub fn real_runs(n: u32) -> String {
    plural(n, "real run")
}

/// The main status line's words while a repeat goes: the timeline's Run is idle, not ready.
pub fn under_way(batch: &Batch) -> String {
    format!(
        "Run ×{} under way: {} of {} runs done — the timeline keeps the last single run",
        batch.times,
        batch.runs.len(),
        batch.times
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_are_typed_within_the_limit() {
        assert_eq!(read_times(" 20 "), Ok(20));
        assert_eq!(read_times("50"), Ok(MAX_REPEATS));
        for bad in ["0", "51", "", "2.5", "-1"] {
            let why = read_times(bad).unwrap_err();
            // Said in words: no constant's name.
            assert_eq!(why, "type a whole number of runs from 1 to 50", "{bad}");
        }
    }

    use looplab_shared::repeat::Digest;

    fn runs(n: u32, outcome: Outcome, unended: &[&str]) -> Spread {
        let run = Digest {
            outcome,
            wall_ns: 1,
            console: vec!["transfer holds accounts".into()],
            ended: vec!["other".into()],
            cut: false,
            unended: unended.iter().map(|u| u.to_string()).collect(),
        };
        Spread::of(&vec![run; n as usize])
    }

    #[test]
    fn too_few_runs_are_not_said_to_agree() {
        let two = runs(2, Outcome::Completed, &[]);
        let heading = consoles_heading(&two);
        assert!(heading.contains("too few runs to tell"), "{heading}");
        assert!(!heading.contains("every run"), "{heading}");
        let same = ends_same(&two).unwrap();
        assert!(same.contains("too few runs to tell"), "{same}");
        let enough = runs(MIN_RUNS_TO_TELL, Outcome::Completed, &[]);
        assert!(consoles_heading(&enough).contains("every run printed the same"));
        assert!(ends_same(&enough).unwrap().contains("in every run"));
    }

    #[test]
    fn subjects_that_never_ended_are_not_said_to_have_ended() {
        let deadlocked = Outcome::Deadlocked { stuck: vec![] };
        let mut stuck = runs(5, deadlocked.clone(), &["transfer", "audit"]);
        let same = ends_same(&stuck).unwrap();
        assert!(!same.starts_with("Every task"), "{same}");
        assert!(wall_heading(&stuck).starts_with("Time until the deadlock was found"));
        // Nothing ended at all: nothing said of where.
        stuck.any_ended = false;
        assert_eq!(ends_same(&stuck), None);
        assert_eq!(wall_heading(&runs(5, Outcome::Completed, &[])), "Wall time");
    }

    #[test]
    fn the_caveat_about_threads_is_only_for_programs_with_threads() {
        let gather = looplab_shared::presets::find("gather").unwrap().scenario();
        assert_eq!(frequencies(&gather), "");
        let pool = looplab_shared::presets::find("thread-pool")
            .unwrap()
            .scenario();
        assert!(frequencies(&pool).contains("thread"));
    }

    #[test]
    fn one_run_is_singular() {
        assert_eq!(real_runs(1), "1 real run");
        assert_eq!(real_runs(2), "2 real runs");
    }

    #[test]
    fn ordinals() {
        let words: Vec<String> = [1, 2, 3, 4, 11, 12, 13, 21, 22].map(ordinal).into();
        assert_eq!(
            words,
            [
                "1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd"
            ]
        );
    }
}
