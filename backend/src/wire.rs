//! The edge between the engine and the protocol: numbers a run's messages and converts the
//! engine's records into [`ServerMsg`]s. The WebSocket session and the command line both
//! speak through it, so they send the same stream.

use looplab_shared::model::Scenario;
use looplab_shared::plan::plan;
use looplab_shared::presets;

use crate::engine::cores;
use looplab_shared::protocol::{Outcome, RunId, ServerMsg};
use looplab_shared::repeat::Digest;

use crate::engine::RunOutput;

/// Numbers the messages of one run: `seq` 0 is the start, then one more per message.
#[derive(Debug)]
pub struct RunStream {
    run_id: RunId,
    next_seq: u64,
}

impl RunStream {
    /// A stream for the run `run_id`, before its first message.
    pub fn new(run_id: RunId) -> Self {
        Self {
            run_id,
            next_seq: 0,
        }
    }

    /// The run's id.
    pub fn run_id(&self) -> RunId {
        self.run_id
    }

    fn seq(&mut self) -> u64 {
        let seq = self.next_seq;
        self.next_seq += 1;
        seq
    }

    /// The run waits in the queue at `position`.
    pub fn queued(&mut self, position: u32) -> ServerMsg {
        ServerMsg::Queued {
            run_id: self.run_id,
            seq: self.seq(),
            position,
        }
    }

    /// The run ended before it started: stopped while it waited.
    pub fn withdrawn(&mut self) -> ServerMsg {
        self.ended(Outcome::Stopped, 0, 0)
    }

    /// A repeat's acceptance: its first message.
    pub fn repeat_started(&mut self, scenario: &Scenario, times: u32) -> ServerMsg {
        ServerMsg::RepeatStarted {
            run_id: self.run_id,
            seq: self.seq(),
            name: scenario.name.clone(),
            times,
            cores: cores(),
        }
    }

    /// One run of a repeat ended: the `index`-th, which did what `digest` says.
    pub fn repeated(&mut self, index: u32, digest: Digest) -> ServerMsg {
        ServerMsg::Repeated {
            run_id: self.run_id,
            seq: self.seq(),
            index,
            digest,
        }
    }

    /// The end of a repeat: its last message.
    pub fn ended(&mut self, outcome: Outcome, wall_ns: u64, events_lost: u64) -> ServerMsg {
        ServerMsg::RunEnded {
            run_id: self.run_id,
            seq: self.seq(),
            outcome,
            wall_ns,
            events_lost,
        }
    }

    /// The run's start: its first message, or the first after its `queued` ones.
    pub fn started(&mut self, scenario: &Scenario) -> ServerMsg {
        ServerMsg::RunStarted {
            run_id: self.run_id,
            seq: self.seq(),
            name: scenario.name.clone(),
            // Saturates far beyond any valid scenario's length.
            ideal_wall_ns: plan(scenario, cores()).map_or(0, |p| (p.ideal_ms * 1e6) as u64),
            predicted_wall_ns: presets::lesson_of(scenario)
                .and_then(|p| p.stated_ms(scenario.time_scale))
                .map(|ms| (ms * 1e6) as u64),
            cores: cores(),
        }
    }

    /// The message for one thing the engine produced.
    pub fn message(&mut self, output: RunOutput) -> ServerMsg {
        let (run_id, seq) = (self.run_id, self.seq());
        match output {
            RunOutput::Record(r) => ServerMsg::Event {
                run_id,
                seq,
                t_ns: r.t_ns,
                subject: r.subject,
                pid: r.pid,
                tid: r.tid,
                lane: r.lane,
                kind: r.kind,
            },
            RunOutput::End(report) => ServerMsg::RunEnded {
                run_id,
                seq,
                outcome: report.outcome,
                wall_ns: report.wall_ns,
                events_lost: report.events_lost,
            },
        }
    }
}
