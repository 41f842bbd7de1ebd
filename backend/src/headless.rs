//! `looplab run`: a scenario run without a browser, its console printed as it happens.

use std::io::Write;

use std::collections::HashMap;

use looplab_shared::model::{ResourceKind, Scenario};
use looplab_shared::plan::plan;

use crate::engine::cores;
use looplab_shared::protocol::{EventKind, Outcome, ServerMsg, Stuck, WaitReason};

use crate::engine;
use crate::wire::RunStream;

/// What to print.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// The console lines, then a one-line summary.
    Console,
    /// Every protocol message as one line of JSON (JSON Lines).
    Events,
}

/// Runs a validated `scenario` to its end, writing to `out` as events arrive. Returns how the
/// run ended.
pub async fn run(
    runner: &std::path::Path,
    scenario: Scenario,
    format: Format,
    out: &mut impl Write,
) -> std::io::Result<Outcome> {
    let mut stream = RunStream::new(1);
    let started = stream.started(&scenario);
    let (_handle, mut outputs) = engine::start(runner, &scenario, engine::RunLimits::default())?;
    if format == Format::Events {
        write_json(out, &started)?;
    }
    let mut events = 0u64;
    let mut seen = Seen::default();
    while let Some(output) = outputs.recv().await {
        let msg = stream.message(output);
        if format == Format::Events {
            write_json(out, &msg)?;
        }
        match msg {
            ServerMsg::Event { subject, kind, .. } => {
                events += 1;
                if let (Format::Console, EventKind::Print { text }) = (format, &kind) {
                    writeln!(out, "{text}")?;
                    out.flush()?;
                } else if let EventKind::Created { name, .. } = kind {
                    seen.names.insert(subject, name);
                } else if let EventKind::Suspended { on } = kind {
                    seen.waits.insert(subject, on);
                }
            }
            ServerMsg::RunEnded {
                outcome,
                wall_ns,
                events_lost,
                ..
            } => {
                if let (Format::Console, Outcome::Deadlocked { stuck }) = (format, &outcome) {
                    writeln!(out, "{}", seen.deadlock(&scenario, stuck))?;
                }
                if format == Format::Console {
                    let ideal = plan(&scenario, cores()).map_or(0.0, |p| p.ideal_ms);
                    writeln!(
                        out,
                        "{}: {} in {:.3} s wall (ideal {:.3} s), {events} events, {events_lost} lost",
                        scenario.name,
                        outcome_word(&outcome),
                        wall_ns as f64 / 1e9,
                        ideal / 1e3,
                    )?;
                }
                return Ok(outcome);
            }
            ServerMsg::RunStarted { .. }
            | ServerMsg::RepeatStarted { .. }
            | ServerMsg::Repeated { .. }
            | ServerMsg::Queued { .. }
            | ServerMsg::Rejected { .. }
            | ServerMsg::Parsed { .. } => {}
        }
    }
    // The engine always ends with `End`; without one its thread died.
    Ok(Outcome::Failed {
        reason: "the engine stopped without reporting an end".into(),
    })
}

/// What the run's events said of its subjects, to word a deadlock.
#[derive(Default)]
struct Seen {
    /// Each subject's name, from its `created` event.
    names: HashMap<u32, String>,
    /// What each subject last suspended on.
    waits: HashMap<u32, WaitReason>,
}

impl Seen {
    fn name(&self, subject: u32) -> String {
        let name = self.names.get(&subject).map_or("?", String::as_str);
        format!("`{name}`")
    }

    fn names(&self, subjects: &[u32]) -> String {
        let names: Vec<String> = subjects.iter().map(|s| self.name(*s)).collect();
        names.join(", ")
    }

    /// A deadlock in words: "deadlocked: `a` waits for lock `db` held by `b`; ...".
    fn deadlock(&self, s: &Scenario, stuck: &[Stuck]) -> String {
        let each: Vec<String> = stuck.iter().map(|st| self.stuck(s, st)).collect();
        format!("deadlocked: {}", each.join("; "))
    }

    fn stuck(&self, s: &Scenario, st: &Stuck) -> String {
        let who = self.name(st.subject);
        let Some(r) = st.resource.and_then(|r| s.resources.get(r as usize)) else {
            return format!("{who} waits for {}", self.names(&st.on));
        };
        let name = &r.name;
        let held = match st.on.as_slice() {
            [] => String::new(),
            on => format!(" held by {}", self.names(on)),
        };
        match r.kind {
            ResourceKind::Lock | ResourceKind::ThreadLock => {
                format!("{who} waits for lock `{name}`{held}")
            }
            ResourceKind::Semaphore { .. } => format!("{who} waits for semaphore `{name}`{held}"),
            ResourceKind::Event => format!("{who} waits for event `{name}`, which no one will set"),
            ResourceKind::Queue { .. } => match self.waits.get(&st.subject) {
                Some(WaitReason::QueuePut { .. }) => {
                    format!("{who} waits for room on queue `{name}`, which no one will take from")
                }
                Some(WaitReason::QueueJoin { .. }) => format!(
                    "{who} waits for every item of queue `{name}` to be done, which no one will mark"
                ),
                _ => format!("{who} waits for an item on queue `{name}`, which no one will put"),
            },
        }
    }
}

/// How a run ended, in a few words.
pub fn outcome_word(outcome: &Outcome) -> String {
    match outcome {
        Outcome::Completed => "completed".into(),
        Outcome::Stopped => "stopped".into(),
        Outcome::TimedOut => "timed out".into(),
        Outcome::TooManyEvents => "stopped at the event limit".into(),
        Outcome::Deadlocked { .. } => "deadlocked".into(),
        Outcome::Failed { reason } => format!("failed ({reason})"),
    }
}

fn write_json(out: &mut impl Write, msg: &ServerMsg) -> std::io::Result<()> {
    serde_json::to_writer(&mut *out, msg)?;
    writeln!(out)?;
    out.flush()
}
