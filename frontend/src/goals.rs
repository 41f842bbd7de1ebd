//! A challenge's goals, in words and checked against a finished run: each met or not, with
//! the figure measured.

use looplab_shared::classroom::Goal;
use looplab_shared::model::Scenario;
use looplab_shared::protocol::Outcome;

use crate::lints::Lint;
use crate::state::{RunStatus, RunView};
use crate::summary::{Summary, peak_cores, summarize};
use crate::timeline::measured_label;

/// Where a goal stands after a run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// No finished run to judge yet.
    Pending,
    /// Met, with what was measured.
    Met(String),
    /// Not met, with what was measured.
    Missed(String),
}

/// A time bound of `ms` at time scale 1, at the scale `s` runs at, in ns.
fn bound_ns(ms: u64, s: &Scenario) -> u64 {
    (ms as f64 * s.time_scale * 1e6) as u64
}

/// `goal` in words, for a run of `s` on a machine of `cores` cores: "Finishes in under
/// 1.000 s".
pub fn goal_words(goal: &Goal, s: &Scenario, cores: u32) -> String {
    match goal {
        Goal::Completes => "The run completes (no exception, deadlock or stop)".into(),
        Goal::WallUnder { ms } => {
            format!("Finishes in under {}", measured_label(bound_ns(*ms, s)))
        }
        Goal::LagUnder { ms } => format!(
            "The loop never lags {} or more",
            measured_label(bound_ns(*ms, s))
        ),
        Goal::P99Under { ms, route } => format!(
            "{} p99 latency under {}",
            route
                .as_ref()
                .map_or_else(|| "Every route's".to_owned(), |r| format!("{r}:")),
            measured_label(bound_ns(*ms, s))
        ),
        Goal::CoresAtLeast { cores: n } if *n > cores => {
            format!("{n} cores busy at once (this machine has {cores}: all {cores} count)")
        }
        Goal::CoresAtLeast { cores: n } => format!("At least {n} cores busy at once"),
        Goal::Console { lines, any_order } => format!(
            "The console shows exactly {} line{}{}",
            lines.len(),
            if lines.len() == 1 { "" } else { "s" },
            if *any_order {
                ", in any order"
            } else {
                ", in order"
            }
        ),
        Goal::NoFinding => {
            "No finding: no blocked loop, CPU work on threads, unbounded queue or lock held \
             across awaits"
                .into()
        }
        Goal::Python => "Python that CPython runs as written".into(),
    }
}

/// The name of `goal`'s kind, as the editor offers it.
pub fn kind_label(goal: &Goal) -> &'static str {
    match goal {
        Goal::Completes => "completes",
        Goal::WallUnder { .. } => "finishes under",
        Goal::LagUnder { .. } => "loop lag under",
        Goal::P99Under { .. } => "p99 latency under",
        Goal::CoresAtLeast { .. } => "cores busy at once",
        Goal::Console { .. } => "console shows",
        Goal::NoFinding => "no finding",
        Goal::Python => "is Python",
    }
}

/// Every goal in words with its verdict on the last run of the program that ran (`None`:
/// no run, or a comparison's).
pub fn judged(
    goals: &[Goal],
    ran: Option<(&RunView, &Scenario)>,
    findings: &[Lint],
    on_screen: &Scenario,
) -> Vec<(String, Verdict)> {
    // Summarised once for every goal that reads a figure, not once a goal.
    let summary = ran
        .filter(|(run, _)| !goals.is_empty() && matches!(run.status, RunStatus::Ended { .. }))
        .map(|(run, _)| summarize(run));
    goals
        .iter()
        .map(|goal| {
            let (s, cores) = ran.map_or((on_screen, crate::cores()), |(run, s)| (s, run.cores));
            let verdict = match (ran, &summary) {
                (Some((run, s)), Some(summary)) => check(goal, run, s, findings, summary),
                _ => Verdict::Pending,
            };
            (goal_words(goal, s, cores), verdict)
        })
        .collect()
}

/// What is wrong with `printed` against `expected`, if anything. Empty lines at the end of
/// `expected` are the text box's last line break, not lines to print.
fn console_difference(printed: &[&str], expected: &[String], any_order: bool) -> Option<String> {
    let kept = expected.len() - expected.iter().rev().take_while(|l| l.is_empty()).count();
    let expected = &expected[..kept];
    if any_order {
        let mut left: Vec<&str> = expected.iter().map(String::as_str).collect();
        let mut extra = Vec::new();
        for line in printed {
            match left.iter().position(|l| l == line) {
                Some(i) => {
                    left.remove(i);
                }
                None => extra.push(*line),
            }
        }
        return match (left.first(), extra.first()) {
            (None, None) => None,
            (Some(missing), _) => Some(format!("“{missing}” was not printed")),
            (None, Some(extra)) => Some(format!("“{extra}” was printed, not expected")),
        };
    }
    let at = printed
        .iter()
        .zip(expected)
        .position(|(p, e)| *p != e.as_str());
    match at {
        Some(i) => Some(format!(
            "line {} is “{}”, expected “{}”",
            i + 1,
            printed[i],
            expected[i]
        )),
        None if printed.len() < expected.len() => {
            Some(format!("“{}” was not printed", expected[printed.len()]))
        }
        None if printed.len() > expected.len() => Some(format!(
            "“{}” was printed, not expected",
            printed[expected.len()]
        )),
        None => None,
    }
}

/// Whether `run`, of scenario `ran`, with `findings` and `summary`, meets `goal`.
pub fn check(
    goal: &Goal,
    run: &RunView,
    ran: &Scenario,
    findings: &[Lint],
    summary: &Summary,
) -> Verdict {
    let RunStatus::Ended {
        outcome, wall_ns, ..
    } = &run.status
    else {
        return Verdict::Pending;
    };
    let verdict = |met: bool, words: String| match met {
        true => Verdict::Met(words),
        false => Verdict::Missed(words),
    };
    let completed = matches!(outcome, Outcome::Completed);
    match goal {
        Goal::Completes => verdict(
            completed,
            crate::summary::outcome_line(run)
                .1
                .split(':')
                .next()
                .unwrap_or_default()
                .to_owned(),
        ),
        // A run cut short took no time that means anything.
        Goal::WallUnder { .. } if !completed => verdict(false, "the run did not complete".into()),
        Goal::WallUnder { ms } => verdict(
            *wall_ns < bound_ns(*ms, ran),
            format!("took {}", measured_label(*wall_ns)),
        ),
        Goal::LagUnder { ms } => match summary.max_lag_ns {
            None => verdict(false, "no event loop ran".into()),
            Some(lag) => verdict(
                lag < bound_ns(*ms, ran),
                format!("largest lag {}", measured_label(lag)),
            ),
        },
        Goal::P99Under { ms, route } => {
            let worst = (summary.latency.iter())
                .filter(|(r, _)| route.as_ref().is_none_or(|want| r == want))
                .max_by_key(|(_, l)| l.p99_ns);
            match worst {
                None => verdict(
                    false,
                    match route {
                        Some(r) => format!("no request to {r} was answered"),
                        None => "no request was answered".into(),
                    },
                ),
                Some((route, l)) => verdict(
                    l.p99_ns < bound_ns(*ms, ran),
                    format!("worst p99 {} ({route})", measured_label(l.p99_ns)),
                ),
            }
        }
        Goal::CoresAtLeast { cores } => {
            let peak = peak_cores(run);
            verdict(
                peak >= (*cores).min(run.cores),
                format!(
                    "{peak} core{} busy at most",
                    if peak == 1 { "" } else { "s" }
                ),
            )
        }
        Goal::Console { lines, any_order } => {
            let printed: Vec<&str> = run.console.iter().map(|l| l.text.as_str()).collect();
            match console_difference(&printed, lines, *any_order) {
                None => verdict(true, format!("{} lines as expected", printed.len())),
                Some(why) => verdict(false, why),
            }
        }
        Goal::NoFinding => match findings.first() {
            None => verdict(true, "nothing found".into()),
            Some(lint) => verdict(false, lint.text.replace('`', "")),
        },
        Goal::Python => match ran.not_python() {
            None => verdict(true, "it is Python".into()),
            Some(why) => verdict(false, format!("not Python: {why}")),
        },
    }
}

#[cfg(test)]
mod tests;
