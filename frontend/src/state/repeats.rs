//! A repeat (*Run ×N*): the same scenario run N times on the server, one run after another,
//! each coming back as a digest. Its messages carry its own run id, which the timeline's run
//! never has, so a repeat and a run never mix.

use std::rc::Rc;

use looplab_shared::model::Scenario;
use looplab_shared::protocol::{Outcome, RunId, ServerMsg};
use looplab_shared::repeat::Digest;

use super::{Refusal, State};

/// The page's repeats: the one asked for, under way or finished.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Repeats {
    /// A repeat was asked for and the server has not answered yet: of this scenario.
    pub awaiting: Option<Scenario>,
    /// Repeats asked for whose scenario left the screen before their id arrived: each is
    /// stopped as soon as the server names it.
    pub abandoned: u32,
    /// The last repeat started.
    pub batch: Option<Batch>,
    /// Why the last one asked for was refused.
    pub refusal: Option<Refusal>,
}

/// One repeat and the runs it has made so far.
#[derive(Debug, Clone, PartialEq)]
pub struct Batch {
    pub run_id: RunId,
    /// The runs it makes.
    pub times: u32,
    /// The cores of the machine that runs them.
    pub cores: u32,
    /// What it runs.
    pub scenario: Scenario,
    /// The digests of the runs that ended, in order; shared, as every action copies the
    /// state.
    pub runs: Rc<Vec<Digest>>,
    /// Its next run waits in the server's queue at this place.
    pub queued: Option<u32>,
    /// How the repeat ended, once it has.
    pub ended: Option<Outcome>,
    /// The learner pressed ▶ Run while it went: the server stopped it for that run.
    pub displaced: bool,
}

impl Batch {
    /// Whether runs are still to come.
    pub fn going(&self) -> bool {
        self.ended.is_none()
    }
}

impl Repeats {
    /// A repeat is asked for or under way.
    pub fn busy(&self) -> bool {
        self.awaiting.is_some() || self.batch.as_ref().is_some_and(Batch::going)
    }
}

impl State {
    /// The learner asked for runs of the scenario on screen (how many, the request says).
    pub(super) fn request_repeat(&mut self) {
        self.repeats.awaiting = Some(self.scenario.clone());
        self.repeats.batch = None;
        self.repeats.refusal = None;
    }

    /// A single run was asked for: the server stops the repeat under way to make it.
    pub(super) fn displace_repeat(&mut self) {
        if let Some(batch) = self.repeats.batch.as_mut().filter(|b| b.going()) {
            batch.displaced = true;
        }
    }

    /// Another scenario takes the screen: its repeat, under way or about to be, is stopped
    /// and forgotten.
    pub(super) fn leave_repeat(&mut self) {
        if self.repeats.awaiting.take().is_some() {
            self.repeats.abandoned += 1;
        }
        if let Some(batch) = self.repeats.batch.take().filter(Batch::going) {
            self.to_stop = Some(batch.run_id);
        }
        self.repeats.refusal = None;
    }

    /// The socket closed: a repeat sends nothing more.
    pub(super) fn lose_repeat(&mut self) {
        self.repeats.awaiting = None;
        self.repeats.abandoned = 0;
        if let Some(batch) = self.repeats.batch.as_mut().filter(|b| b.going()) {
            batch.queued = None;
            batch.ended = Some(Outcome::Failed {
                reason: "the connection to the server was lost".into(),
            });
        }
    }

    /// Takes `msg` when it is a repeat's; gives it back otherwise.
    pub(super) fn claim_repeat(&mut self, msg: ServerMsg) -> Option<ServerMsg> {
        let repeats = &mut self.repeats;
        // A parse's answer has no run id, and neither has the page without a repeat.
        let ours = (repeats.batch.as_ref()).is_some_and(|b| Some(b.run_id) == msg.run_id());
        match msg {
            ServerMsg::RepeatStarted { run_id, .. } if repeats.abandoned > 0 => {
                repeats.abandoned -= 1;
                self.to_stop = Some(run_id);
            }
            ServerMsg::RepeatStarted {
                run_id,
                times,
                cores,
                ..
            } => {
                if let Some(scenario) = repeats.awaiting.take() {
                    repeats.batch = Some(Batch {
                        run_id,
                        times,
                        cores,
                        scenario,
                        runs: Rc::default(),
                        queued: None,
                        ended: None,
                        displaced: false,
                    });
                }
            }
            // Run ×N waits for any run asked for before it, so a refusal while it waits for
            // its answer is its own, unless a run left behind is still to be answered.
            ServerMsg::Rejected { field, message, .. }
                if repeats.awaiting.is_some() && self.abandoned == 0 =>
            {
                repeats.awaiting = None;
                repeats.refusal = Some(Refusal { field, message });
            }
            msg if !ours => return Some(msg),
            ServerMsg::Queued { position, .. } => {
                if let Some(batch) = repeats.batch.as_mut() {
                    batch.queued = Some(position);
                }
            }
            ServerMsg::Repeated { digest, .. } => {
                if let Some(batch) = repeats.batch.as_mut() {
                    batch.queued = None;
                    Rc::make_mut(&mut batch.runs).push(digest);
                }
            }
            ServerMsg::RunEnded { outcome, .. } => {
                if let Some(batch) = repeats.batch.as_mut() {
                    batch.queued = None;
                    batch.ended = Some(outcome);
                }
            }
            // A repeat sends no other message.
            ServerMsg::RunStarted { .. }
            | ServerMsg::Event { .. }
            | ServerMsg::Parsed { .. }
            | ServerMsg::Rejected { .. } => {}
        }
        None
    }
}

#[cfg(test)]
mod tests;
