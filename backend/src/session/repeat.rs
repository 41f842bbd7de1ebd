//! A repeat: one scenario run `times` times, one run after another, each admitted as any run
//! is (so a class pressing *Run ×50* together takes its turns with everyone else's runs), and
//! each run's events folded into its digest instead of being sent.

use std::time::Instant;

use looplab_shared::model::Scenario;
use looplab_shared::protocol::{Outcome, ServerMsg};
use looplab_shared::repeat::Digester;

use super::run::{Running, note_end};
use crate::engine::{RunOutput, RunReport};
use crate::wire::RunStream;

/// A repeat under way: what it runs, and how far it got.
pub(super) struct Repeat {
    pub(super) scenario: Scenario,
    pub(super) times: u32,
    /// The run under way or waiting for its turn, from 0.
    pub(super) index: u32,
    /// The digest of the run under way.
    pub(super) digester: Digester,
    began: Instant,
    events_lost: u64,
    /// Its client stopped it: the run under way ends and sends no digest, no other starts.
    pub(super) stopping: bool,
}

impl Repeat {
    pub(super) fn new(scenario: Scenario, times: u32) -> Box<Self> {
        Box::new(Self {
            scenario,
            times,
            index: 0,
            digester: Digester::default(),
            began: Instant::now(),
            events_lost: 0,
            stopping: false,
        })
    }

    /// The repeat's last message: `outcome` is completed once every run ended, else stopped
    /// (or why the next run could not start).
    pub(super) fn end(&self, stream: &mut RunStream, outcome: Outcome) -> ServerMsg {
        let wall_ns = u64::try_from(self.began.elapsed().as_nanos()).unwrap_or(u64::MAX);
        stream.ended(outcome, wall_ns, self.events_lost)
    }

    /// The run under way ended as `report` says: its digest's message, unless the repeat
    /// was stopped; and the repeat moves on to its next run.
    pub(super) fn ran(&mut self, stream: &mut RunStream, report: RunReport) -> Option<ServerMsg> {
        self.events_lost += report.events_lost;
        let digest = std::mem::take(&mut self.digester).finish(report.outcome, report.wall_ns);
        let index = self.index;
        self.index += 1;
        (!self.stopping).then(|| stream.repeated(index, digest))
    }

    /// Whether another run is to come.
    pub(super) fn more(&self) -> bool {
        !self.stopping && self.index < self.times
    }
}

/// Takes one output of a repeat's run into its digest; the run's report once it ended.
pub(super) fn take(run: &mut Running, output: RunOutput) -> Option<RunReport> {
    match output {
        RunOutput::Record(r) => {
            run.events += 1;
            if let Some(repeat) = run.repeat.as_mut() {
                repeat.digester.event(r.t_ns, r.subject, &r.kind);
            }
            None
        }
        RunOutput::End(report) => {
            note_end(run, &report);
            Some(report)
        }
    }
}
