//! A connection's run, waiting for its shares or under way, and the frames its output goes
//! out in: where its end is logged and counted.

use futures_util::future::BoxFuture;
use looplab_shared::model::Scenario;
use looplab_shared::protocol::Outcome;
use tokio::sync::mpsc;
use tracing::{Span, info};

use super::repeat::Repeat;
use crate::admission::{Slot, Ticket};
use crate::engine::{RunHandle, RunOutput, RunReport};
use crate::metrics::{RunMeter, outcome_label};
use crate::wire::RunStream;

/// How many bytes of a run's messages one text frame gathers when they are already waiting:
/// large enough that a burst costs few frames, small enough to keep each frame prompt.
const FRAME_BYTES: usize = 64 * 1024;

/// A run that waits for a slot.
pub(super) struct Waiting {
    pub(super) scenario: Scenario,
    pub(super) stream: RunStream,
    pub(super) position: u32,
    /// Its place in the queue; dropping it leaves the queue.
    pub(super) ticket: Ticket,
    pub(super) admit: BoxFuture<'static, Slot>,
    /// Its log lines' span, with its run id.
    pub(super) span: Span,
    /// The repeat it is a run of, if any.
    pub(super) repeat: Option<Box<Repeat>>,
}

/// A run under way; it holds its slot until it ends.
pub(super) struct Running {
    pub(super) handle: RunHandle,
    pub(super) outputs: mpsc::Receiver<RunOutput>,
    pub(super) stream: RunStream,
    pub(super) _slot: Slot,
    /// Its log lines' span, with its run id.
    pub(super) span: Span,
    /// Events sent so far.
    pub(super) events: u64,
    /// Counts its end for `/metrics`, when they are on.
    pub(super) meter: Option<RunMeter>,
    /// The repeat it is a run of, if any: its output goes into the repeat's digest.
    pub(super) repeat: Option<Box<Repeat>>,
}

/// Logs the run's end and counts it.
pub(super) fn note_end(run: &mut Running, report: &RunReport) {
    let reason = match &report.outcome {
        Outcome::Failed { reason } => Some(reason.as_str()),
        _ => None,
    };
    run.span.in_scope(|| {
        info!(
            outcome = outcome_label(&report.outcome),
            reason,
            wall_ms = report.wall_ns / 1_000_000,
            events = run.events,
            events_lost = report.events_lost,
            "run ended"
        );
    });
    if let Some(meter) = &mut run.meter {
        meter.end(&report.outcome, report.wall_ns, report.events_lost);
    }
}

/// One text frame of `first` and whatever else of the run is already waiting, one message a
/// line, up to [`FRAME_BYTES`]; and whether the run's end is in it.
pub(super) fn frame_of(run: &mut Running, first: RunOutput) -> (String, bool) {
    let mut frame = Vec::new();
    let mut next = Some(first);
    let mut ended = false;
    let mut events = 0;
    while let Some(output) = next.take() {
        match &output {
            RunOutput::Record(_) => {
                events += 1;
                run.events += 1;
            }
            RunOutput::End(report) => {
                ended = true;
                note_end(run, report);
            }
        }
        if !frame.is_empty() {
            frame.push(b'\n');
        }
        // Serialising the protocol's own types cannot fail: no non-string map keys.
        let _ = serde_json::to_writer(&mut frame, &run.stream.message(output));
        if !ended && frame.len() < FRAME_BYTES {
            next = run.outputs.try_recv().ok();
        }
    }
    if let Some(meter) = &run.meter {
        meter.carried(events);
    }
    // serde_json writes UTF-8.
    (String::from_utf8(frame).unwrap_or_default(), ended)
}
