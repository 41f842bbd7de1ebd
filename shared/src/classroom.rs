//! What a teacher adds to a scenario for a class: goals that a run meets or not (a
//! challenge), and a question the learner answers before Run (predict, then run). Both travel
//! in a share link ([`share::Shared`](crate::share::Shared)); the page checks them against
//! the measured run.

use serde::{Deserialize, Serialize};

use crate::limits::{
    MAX_CHOICES, MAX_GOAL_LINES, MAX_GOALS, MAX_RUN_WALL_MS, MAX_TEXT_BYTES, MAX_THREADS,
};
use crate::validate::ValidationError;

/// One goal on a measured run. Times are in ms at time scale 1: a run at another speed is
/// held to the goal scaled as its sleeps are. In JSON a goal without fields is its name
/// (`"completes"`), one with fields an object of one key (`{"wall_under": {"ms": 1000}}`):
/// serde's external tagging, which costs the page far less code than an internal tag.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum Goal {
    /// The run ends on its own: no uncaught exception, deadlock, stop or limit.
    Completes,
    /// The run's wall time is under `ms`.
    WallUnder {
        /// The bound, exclusive.
        ms: u64,
    },
    /// The event loop's largest lag is under `ms`: nothing held the loop that long.
    LagUnder {
        /// The bound, exclusive.
        ms: u64,
    },
    /// The 99th-percentile latency of requests to `route` (`GET /`), or of every route, is
    /// under `ms` (the run must serve).
    P99Under {
        /// The bound, exclusive.
        ms: u64,
        /// The route, as the timeline names it (`GET /`); every route when absent.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        route: Option<String>,
    },
    /// At some moment at least `cores` cores were busy at once (or every core of a machine
    /// with fewer).
    CoresAtLeast {
        /// How many.
        cores: u32,
    },
    /// The console shows exactly `lines`.
    Console {
        /// The lines, in order unless `any_order`.
        lines: Vec<String>,
        /// Lines printed by parallel workers at once may come either way: compare them as a
        /// multiset.
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        any_order: bool,
    },
    /// The run gets no finding (a blocked loop, CPU on threads, an unbounded queue, a lock
    /// held across awaits).
    NoFinding,
    /// The program is Python that CPython runs as written: no switch that only exists in
    /// looplab (the GIL off, a multi-threaded loop, rayon).
    Python,
}

impl Goal {
    /// One goal of each kind, as an editor adds it, in the order it offers them.
    pub fn catalogue() -> [Goal; 8] {
        [
            Goal::Completes,
            Goal::WallUnder { ms: 1_000 },
            Goal::LagUnder { ms: 50 },
            Goal::P99Under {
                ms: 50,
                route: None,
            },
            Goal::CoresAtLeast { cores: 2 },
            Goal::Console {
                lines: Vec::new(),
                any_order: false,
            },
            Goal::NoFinding,
            Goal::Python,
        ]
    }

    /// The kind's place in [`Goal::catalogue`].
    pub fn kind_index(&self) -> usize {
        match self {
            Goal::Completes => 0,
            Goal::WallUnder { .. } => 1,
            Goal::LagUnder { .. } => 2,
            Goal::P99Under { .. } => 3,
            Goal::CoresAtLeast { .. } => 4,
            Goal::Console { .. } => 5,
            Goal::NoFinding => 6,
            Goal::Python => 7,
        }
    }
}

/// A question asked before Run; the run's measurement answers it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum Question {
    /// Which of `choices` (console lines) is printed first.
    FirstLine {
        /// The lines offered, in the order shown.
        choices: Vec<String>,
    },
    /// How long the run takes, in seconds: right within 20 % (and at least 0.1 s).
    WallTime,
    /// At most how many cores are busy at once.
    CoresBusy,
    /// Which of `choices` (lanes, by the names the timeline shows) finishes first.
    FirstDone {
        /// The lanes offered, in the order shown.
        choices: Vec<String>,
    },
}

/// A question with the teacher's explanation, shown with the answer once the run is over.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Ask {
    /// What is asked.
    pub question: Question,
    /// Why the answer is what it is, in the teacher's words; may be empty.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub why: String,
}

/// How far a guessed wall time may be from the measured one and still be right: this share
/// of the measured time, or [`WALL_GUESS_MIN_S`], whichever is larger.
pub const WALL_GUESS_SHARE: f64 = 0.2;

/// The least slack a guessed wall time gets, in seconds.
pub const WALL_GUESS_MIN_S: f64 = 0.1;

/// Whether `guess_s` seconds is a right guess for a run that took `measured_s`.
pub fn wall_guess_right(guess_s: f64, measured_s: f64) -> bool {
    (guess_s - measured_s).abs() <= (WALL_GUESS_SHARE * measured_s).max(WALL_GUESS_MIN_S)
}

fn invalid(field: String, message: String) -> ValidationError {
    ValidationError { field, message }
}

fn check_text(field: String, text: &str) -> Result<(), ValidationError> {
    if text.len() > MAX_TEXT_BYTES {
        return Err(invalid(
            field,
            format!(
                "{} bytes exceed the limit of {MAX_TEXT_BYTES} (MAX_TEXT_BYTES)",
                text.len()
            ),
        ));
    }
    Ok(())
}

fn check_texts(
    field: &str,
    texts: &[String],
    (most, name): (usize, &str),
) -> Result<(), ValidationError> {
    if texts.len() > most {
        return Err(invalid(
            field.into(),
            format!(
                "{} entries exceed the limit of {most} ({name})",
                texts.len()
            ),
        ));
    }
    for (i, t) in texts.iter().enumerate() {
        check_text(format!("{field}[{i}]"), t)?;
    }
    Ok(())
}

/// Checks goals against the limits: at most [`MAX_GOALS`], times within a run's longest,
/// console lines at most [`MAX_GOAL_LINES`] of [`MAX_TEXT_BYTES`] each.
pub fn validate_goals(goals: &[Goal]) -> Result<(), ValidationError> {
    if goals.len() > MAX_GOALS {
        return Err(invalid(
            "goals".into(),
            format!(
                "{} goals exceed the limit of {MAX_GOALS} (MAX_GOALS)",
                goals.len()
            ),
        ));
    }
    for (i, goal) in goals.iter().enumerate() {
        let field = format!("goals[{i}]");
        match goal {
            Goal::WallUnder { ms } | Goal::LagUnder { ms } | Goal::P99Under { ms, .. } => {
                if let Goal::P99Under {
                    route: Some(route), ..
                } = goal
                {
                    check_text(format!("{field}.route"), route)?;
                }
                if *ms == 0 || *ms > MAX_RUN_WALL_MS {
                    return Err(invalid(
                        format!("{field}.ms"),
                        format!("{ms} ms is not between 1 and {MAX_RUN_WALL_MS} (MAX_RUN_WALL_MS)"),
                    ));
                }
            }
            Goal::CoresAtLeast { cores } => {
                if *cores == 0 || *cores > MAX_THREADS {
                    return Err(invalid(
                        format!("{field}.cores"),
                        format!("{cores} is not between 1 and {MAX_THREADS} (MAX_THREADS)"),
                    ));
                }
            }
            Goal::Console { lines, .. } => {
                check_texts(
                    &format!("{field}.lines"),
                    lines,
                    (MAX_GOAL_LINES, "MAX_GOAL_LINES"),
                )?;
            }
            Goal::Completes | Goal::NoFinding | Goal::Python => {}
        }
    }
    Ok(())
}

/// Checks a question against the limits: choices at most [`MAX_CHOICES`], at least two,
/// each and the explanation at most [`MAX_TEXT_BYTES`].
pub fn validate_ask(ask: &Ask) -> Result<(), ValidationError> {
    match &ask.question {
        Question::FirstLine { choices } | Question::FirstDone { choices } => {
            check_texts(
                "ask.question.choices",
                choices,
                (MAX_CHOICES, "MAX_CHOICES"),
            )?;
            if choices.len() < 2 {
                return Err(invalid(
                    "ask.question.choices".into(),
                    "a question needs at least 2 choices".into(),
                ));
            }
        }
        Question::WallTime | Question::CoresBusy => {}
    }
    check_text("ask.why".into(), &ask.why)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn goals_within_the_limits_pass_and_each_limit_is_named() {
        let ok = vec![
            Goal::Completes,
            Goal::WallUnder { ms: 1000 },
            Goal::Console {
                lines: vec!["done".into()],
                any_order: false,
            },
        ];
        assert_eq!(validate_goals(&ok), Ok(()));
        let many = vec![Goal::Completes; MAX_GOALS + 1];
        assert!(
            validate_goals(&many)
                .unwrap_err()
                .message
                .contains("MAX_GOALS")
        );
        let zero = validate_goals(&[Goal::LagUnder { ms: 0 }]).unwrap_err();
        assert_eq!(zero.field, "goals[0].ms");
        let long = vec![Goal::Console {
            lines: vec!["x".repeat(MAX_TEXT_BYTES + 1)],
            any_order: true,
        }];
        assert_eq!(
            validate_goals(&long).unwrap_err().field,
            "goals[0].lines[0]"
        );
    }

    #[test]
    fn goals_and_questions_are_written_as_the_spec_says() {
        let goals = vec![
            Goal::Completes,
            Goal::WallUnder { ms: 1000 },
            Goal::P99Under {
                ms: 50,
                route: Some("GET /".into()),
            },
            Goal::Console {
                lines: vec!["done".into()],
                any_order: false,
            },
        ];
        let json = r#"["completes",{"wall_under":{"ms":1000}},{"p99_under":{"ms":50,"route":"GET /"}},{"console":{"lines":["done"]}}]"#;
        assert_eq!(serde_json::to_string(&goals).unwrap(), json);
        assert_eq!(serde_json::from_str::<Vec<Goal>>(json).unwrap(), goals);
        let ask = Ask {
            question: Question::FirstLine {
                choices: vec!["a".into(), "b".into()],
            },
            why: String::new(),
        };
        let json = r#"{"question":{"first_line":{"choices":["a","b"]}}}"#;
        assert_eq!(serde_json::to_string(&ask).unwrap(), json);
        assert_eq!(serde_json::from_str::<Ask>(json).unwrap(), ask);
        // A field no goal has is refused, not dropped.
        assert!(serde_json::from_str::<Goal>(r#"{"wall_under":{"ms":1,"s":2}}"#).is_err());
    }

    #[test]
    fn the_catalogue_has_each_kind_once_in_its_place() {
        for (i, goal) in Goal::catalogue().iter().enumerate() {
            assert_eq!(goal.kind_index(), i);
        }
    }

    #[test]
    fn a_question_needs_two_choices_and_a_short_explanation() {
        let one = Ask {
            question: Question::FirstLine {
                choices: vec!["a".into()],
            },
            why: String::new(),
        };
        assert!(
            validate_ask(&one)
                .unwrap_err()
                .message
                .contains("2 choices")
        );
        let why = Ask {
            question: Question::WallTime,
            why: "y".repeat(MAX_TEXT_BYTES + 1),
        };
        assert_eq!(validate_ask(&why).unwrap_err().field, "ask.why");
    }

    #[test]
    fn a_wall_guess_is_right_within_a_fifth_or_a_tenth_of_a_second() {
        assert!(wall_guess_right(2.3, 2.0));
        assert!(!wall_guess_right(2.5, 2.0));
        assert!(wall_guess_right(0.15, 0.06));
        assert!(!wall_guess_right(0.2, 0.06));
    }
}
