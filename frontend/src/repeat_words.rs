//! What the page says about a repeat (*Run ×N*): where it stands, and its figures in words.

use looplab_shared::limits::MAX_REPEATS;
use looplab_shared::protocol::Outcome;

use crate::state::{Batch, Repeats};

/// The runs a repeat makes unless the learner says otherwise.
pub const DEFAULT_TIMES: u32 = 20;

/// The number of runs typed, or why it is not one.
pub fn read_times(text: &str) -> Result<u32, String> {
    match text.trim().parse::<u32>() {
        Ok(n) if (1..=MAX_REPEATS).contains(&n) => Ok(n),
        _ => Err(format!("type 1 to {MAX_REPEATS} runs (MAX_REPEATS)")),
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
    format!("{} real runs on this machine ({cores})", batch.runs.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_are_typed_within_the_limit() {
        assert_eq!(read_times(" 20 "), Ok(20));
        assert_eq!(read_times("50"), Ok(MAX_REPEATS));
        for bad in ["0", "51", "", "2.5", "-1"] {
            assert!(
                read_times(bad).unwrap_err().contains("MAX_REPEATS"),
                "{bad}"
            );
        }
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
