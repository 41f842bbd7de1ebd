//! Predict, then run: a teacher's question, the learner's answer read as they typed or
//! picked it, and the answer checked against what the run measured, with a sentence that
//! says only what was measured.

use looplab_shared::classroom::{Ask, Question, WALL_GUESS_MIN_S, WALL_GUESS_SHARE};
use looplab_shared::classroom::{validate_ask, wall_guess_right};
use looplab_shared::limits::MAX_CHOICES;
use looplab_shared::protocol::Outcome;

use crate::state::{Answer, RunStatus, RunView, TrackEnd};
use crate::summary::{PEAK_MIN_NS, peak_cores};
use crate::timeline::measured_label;

/// One question of each kind, as the editor offers them.
pub fn catalogue() -> [Question; 4] {
    [
        Question::FirstLine {
            choices: Vec::new(),
        },
        Question::WallTime,
        Question::CoresBusy,
        Question::FirstDone {
            choices: Vec::new(),
        },
    ]
}

/// The name of `q`'s kind, as the editor offers it.
pub fn kind_label(q: &Question) -> &'static str {
    match q {
        Question::FirstLine { .. } => "which line prints first",
        Question::WallTime => "how long the run takes",
        Question::CoresBusy => "how many cores are busy",
        Question::FirstDone { .. } => "which lane finishes first",
    }
}

/// The question as the learner reads it.
pub fn question_words(q: &Question) -> &'static str {
    match q {
        Question::FirstLine { .. } => "Which line prints first?",
        Question::WallTime => "How long will the run take, in seconds?",
        Question::CoresBusy => "At most how many cores will be busy at once?",
        Question::FirstDone { .. } => "Which lane finishes first?",
    }
}

/// The order the choices are shown in, as indices into `choices`: by a hash of each text,
/// so it follows from the texts alone. A teacher offers the last run's lines or lanes in
/// the order they came; shown that way, the first choice would always be right.
pub fn shown_order(choices: &[String]) -> Vec<usize> {
    // FNV-1a: stable across builds and browsers, unlike std's hasher.
    let hash = |text: &str| {
        (text.bytes()).fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
            (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
        })
    };
    let mut order: Vec<usize> = (0..choices.len()).collect();
    order.sort_by_key(|&i| (hash(&choices[i]), choices[i].as_str(), i));
    order
}

/// An answer as the question reads it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Guess {
    /// The choice at this index.
    Choice(usize),
    /// A wall time, in whole ms.
    WallMs(u64),
    /// A number of cores.
    Cores(u32),
}

/// What the learner answered, read for `q` on a machine of `cores` cores, or why it is no
/// answer yet.
pub fn read_answer(q: &Question, answer: Option<&Answer>, cores: u32) -> Result<Guess, String> {
    let pick = "pick one of the choices".to_owned();
    match (q, answer) {
        (Question::FirstLine { choices } | Question::FirstDone { choices }, answer) => match answer
        {
            Some(Answer::Choice(i)) if *i < choices.len() => Ok(Guess::Choice(*i)),
            _ => Err(pick),
        },
        (Question::WallTime, Some(Answer::Typed(text))) => {
            crate::seconds::read_seconds(text).map(Guess::WallMs)
        }
        (Question::CoresBusy, Some(Answer::Typed(text))) => match text.trim().parse::<u32>() {
            Ok(n) if (1..=cores.max(1)).contains(&n) => Ok(Guess::Cores(n)),
            _ => Err(format!("type a number of cores from 1 to {}", cores.max(1))),
        },
        (Question::WallTime, _) => Err("type seconds as digits, such as 0.5 or 2".into()),
        (Question::CoresBusy, _) => {
            Err(format!("type a number of cores from 1 to {}", cores.max(1)))
        }
    }
}

/// `guess` in words: `“main: start”`, `0.5 s`, `2 cores`.
pub fn guess_words(q: &Question, guess: Guess) -> String {
    match (q, guess) {
        (Question::FirstLine { choices } | Question::FirstDone { choices }, Guess::Choice(i)) => {
            format!("“{}”", choices.get(i).map_or("", String::as_str))
        }
        (_, Guess::WallMs(ms)) => format!("{} s", crate::seconds::seconds(ms)),
        (_, Guess::Cores(n)) => cores_words(n),
        (_, Guess::Choice(i)) => format!("choice {}", i + 1),
    }
}

pub fn cores_words(n: u32) -> String {
    format!("{n} core{}", if n == 1 { "" } else { "s" })
}

/// How the answer fared against the run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checked {
    /// Right or wrong; `None` when the run cannot answer the question (it did not complete,
    /// or printed none of the lines), or the learner skipped it.
    pub right: Option<bool>,
    /// The learner's answer in words, if they gave one.
    pub answer: Option<String>,
    /// What was measured, as a sentence.
    pub measured: String,
}

/// `ask` checked against `run` with the learner's `answer` (`None`: skipped); `None` while
/// the run is under way.
pub fn check(ask: &Ask, answer: Option<&Answer>, run: &RunView) -> Option<Checked> {
    let RunStatus::Ended { outcome, .. } = &run.status else {
        return None;
    };
    // A question without choices (one still being written) has nothing to check.
    if let Question::FirstLine { choices } | Question::FirstDone { choices } = &ask.question
        && choices.is_empty()
    {
        return None;
    }
    let guess = answer.and_then(|a| read_answer(&ask.question, Some(a), run.cores).ok());
    let (truth, measured) = measure(&ask.question, run, outcome);
    let right = match (guess, truth) {
        (Some(guess), Some(truth)) => Some(truth.fits(guess)),
        _ => None,
    };
    Some(Checked {
        right,
        answer: guess.map(|g| guess_words(&ask.question, g)),
        measured,
    })
}

/// The run's own answer to a question.
enum Truth {
    Choice(usize),
    WallS(f64),
    Cores(u32),
}

impl Truth {
    fn fits(&self, guess: Guess) -> bool {
        match (self, guess) {
            (Truth::Choice(i), Guess::Choice(g)) => *i == g,
            (Truth::WallS(s), Guess::WallMs(ms)) => wall_guess_right(ms as f64 / 1e3, *s),
            (Truth::Cores(n), Guess::Cores(g)) => *n == g,
            _ => false,
        }
    }
}

/// The run's answer to `q`, if it gives one, and what was measured in words.
fn measure(q: &Question, run: &RunView, outcome: &Outcome) -> (Option<Truth>, String) {
    let name = |task: u32| (run.tracks.get(task as usize)).map_or("?", |t| t.name.as_str());
    match q {
        Question::FirstLine { choices } => {
            // Each choice's first print, in the order the console has them.
            let mut printed: Vec<(usize, usize)> = (choices.iter().enumerate())
                .filter_map(|(i, c)| Some((run.console.iter().position(|l| l.text == *c)?, i)))
                .collect();
            printed.sort_unstable();
            let said = printed.iter().map(|&(at, _)| {
                let line = &run.console[at];
                format!(
                    "“{}” at {} by {}",
                    line.text,
                    measured_label(line.t_ns),
                    name(line.task)
                )
            });
            let said: Vec<String> = said.collect();
            let silent = (choices.iter().enumerate())
                .filter(|(i, _)| !printed.iter().any(|(_, p)| p == i))
                .map(|(_, c)| format!("“{c}” was not printed"));
            let silent: Vec<String> = silent.collect();
            let mut words = match said.split_first() {
                None => "None of the lines was printed".to_owned(),
                Some((first, [])) => format!("Printed first: {first}"),
                Some((first, rest)) => {
                    format!("Printed first: {first}; then {}", rest.join(", "))
                }
            };
            if !silent.is_empty() && !said.is_empty() {
                words = format!("{words}; {}", silent.join(", "));
            }
            (
                printed.first().map(|&(_, i)| Truth::Choice(i)),
                format!("{words}."),
            )
        }
        Question::WallTime => {
            let RunStatus::Ended { wall_ns, .. } = run.status else {
                return (None, String::new());
            };
            if !matches!(outcome, Outcome::Completed) {
                let how = crate::summary::outcome_line(run).1;
                return (
                    None,
                    format!("The run did not complete ({how}): its time answers nothing."),
                );
            }
            let s = wall_ns as f64 / 1e9;
            let slack = (WALL_GUESS_SHARE * s).max(WALL_GUESS_MIN_S);
            (
                Some(Truth::WallS(s)),
                format!(
                    "The run took {} from start to end; right is within {:.2} s of it ({} %, at least {} s).",
                    measured_label(wall_ns),
                    slack,
                    WALL_GUESS_SHARE * 100.0,
                    WALL_GUESS_MIN_S
                ),
            )
        }
        Question::CoresBusy => {
            let peak = peak_cores(run);
            (
                Some(Truth::Cores(peak)),
                format!(
                    "At most {} of this machine's {} {} busy at once (for {} or longer).",
                    peak,
                    cores_words(run.cores),
                    if peak == 1 { "was" } else { "were" },
                    measured_label(PEAK_MIN_NS)
                ),
            )
        }
        Question::FirstDone { choices } => {
            let ends = lane_ends(run);
            let mut done: Vec<(u64, usize, &str)> = (choices.iter().enumerate())
                .filter_map(|(i, c)| {
                    let (t, how) = ends
                        .iter()
                        .filter(|(n, ..)| n == c)
                        .map(|(_, t, how)| (*t, *how))
                        .min()?;
                    Some((t, i, how))
                })
                .collect();
            done.sort_unstable();
            let said: Vec<String> = (done.iter())
                .map(|&(t, i, how)| format!("“{}” {how} at {}", choices[i], measured_label(t)))
                .collect();
            let open: Vec<String> = (choices.iter().enumerate())
                .filter(|(i, _)| !done.iter().any(|(_, d, _)| d == i))
                .map(|(_, c)| format!("“{c}” never ended"))
                .collect();
            let words = match said.split_first() {
                None => "None of the lanes ended".to_owned(),
                Some((first, [])) => format!("First to end: {first}"),
                Some((first, rest)) => format!("First to end: {first}; then {}", rest.join(", ")),
            };
            let words = if open.is_empty() || said.is_empty() {
                words
            } else {
                format!("{words}; {}", open.join(", "))
            };
            (
                done.first().map(|&(_, i, _)| Truth::Choice(i)),
                format!("{words}."),
            )
        }
    }
}

/// Every subject that ended, by name: when, and how in words. A subject stuck in a
/// deadlock never ended.
fn lane_ends(run: &RunView) -> Vec<(String, u64, &'static str)> {
    (run.tracks.iter())
        .filter_map(|t| {
            let how = match t.end? {
                TrackEnd::Finished => "finished",
                TrackEnd::Cancelled => "was cancelled",
                TrackEnd::Killed => "was killed",
                TrackEnd::Failed => "failed",
                TrackEnd::Stuck => return None,
            };
            Some((t.name.clone(), t.spans.last()?.end?, how))
        })
        .collect()
}

/// The lanes of `run`, by the names the timeline shows, each once, in the order they
/// appeared: what a teacher can offer as choices.
pub fn lane_names(run: &RunView) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    for t in run.tracks.iter().filter(|t| !t.name.is_empty()) {
        if !names.contains(&t.name) {
            names.push(t.name.clone());
        }
    }
    names.truncate(MAX_CHOICES);
    names
}

/// The choices of `q` the last run could not answer with: lines it did not print, lanes it
/// did not have. Empty when there is nothing to check against.
pub fn unseen<'a>(q: &'a Question, console: &[String], lanes: &[String]) -> Vec<&'a str> {
    let (choices, seen) = match q {
        Question::FirstLine { choices } => (choices, console),
        Question::FirstDone { choices } => (choices, lanes),
        Question::WallTime | Question::CoresBusy => return Vec::new(),
    };
    (choices.iter())
        .filter(|c| !c.is_empty() && !seen.contains(c))
        .map(String::as_str)
        .collect()
}

/// The question as a link carries it: choices without the empty lines of the text box;
/// none while it breaks a rule (fewer than two choices), with the rule.
pub fn shareable(ask: &Ask) -> Result<Ask, String> {
    let mut ask = ask.clone();
    if let Question::FirstLine { choices } | Question::FirstDone { choices } = &mut ask.question {
        choices.retain(|c| !c.is_empty());
    }
    validate_ask(&ask).map(|()| ask).map_err(|e| e.message)
}

#[cfg(test)]
mod tests;
