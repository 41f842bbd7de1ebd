//! `looplab run`: a scenario run without a browser, its console printed as it happens.

use std::io::Write;

use looplab_shared::model::Scenario;
use looplab_shared::plan::plan;

use crate::engine::cores;
use looplab_shared::protocol::{EventKind, Outcome, ServerMsg};

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
    while let Some(output) = outputs.recv().await {
        let msg = stream.message(output);
        if format == Format::Events {
            write_json(out, &msg)?;
        }
        match msg {
            ServerMsg::Event { kind, .. } => {
                events += 1;
                if let (Format::Console, EventKind::Print { text }) = (format, kind) {
                    writeln!(out, "{text}")?;
                    out.flush()?;
                }
            }
            ServerMsg::RunEnded {
                outcome,
                wall_ns,
                events_lost,
                ..
            } => {
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

fn outcome_word(outcome: &Outcome) -> String {
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
