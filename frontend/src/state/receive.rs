//! The server's messages, one by one: parse answers, a run's start, place and end, and its
//! events, which only the current run's reach its view.

use looplab_shared::protocol::ServerMsg;

use super::{Refusal, RunStatus, RunView, State};

impl State {
    /// A comparison's run that ended joins the comparison. A refused or lost one ends it.
    pub(super) fn collect_compared(&mut self) {
        let Some(c) = self.comparison.as_mut().filter(|c| c.waiting) else {
            return;
        };
        if self.refusal.is_some() {
            self.comparison = None;
            return;
        }
        if let Some(run) = self.run.as_ref().filter(|r| r.status != RunStatus::Running) {
            c.runs.push(run.clone());
            c.waiting = false;
        }
    }

    /// Messages from the server, in arrival order; a run of a challenge that ends in them
    /// may solve it.
    pub(super) fn received(&mut self, msgs: Vec<ServerMsg>) {
        let ended = |s: &State| {
            (s.run.as_ref())
                .filter(|r| r.status != RunStatus::Running)
                .map(|r| r.run_id)
        };
        let before = ended(self);
        for msg in msgs {
            self.receive(msg);
        }
        self.collect_compared();
        if ended(self).is_some_and(|id| before != Some(id)) {
            self.note_solved();
        }
    }

    pub(super) fn receive(&mut self, msg: ServerMsg) {
        if msg.run_id().is_some() && self.to_stop == msg.run_id() {
            return;
        }
        let Some(msg) = self.claim_repeat(msg) else {
            return;
        };
        match msg {
            ServerMsg::Parsed {
                id,
                scenario,
                diagnostics,
            } => {
                let Some(draft) = self.python.as_mut().filter(|d| d.asked == id) else {
                    return;
                };
                draft.answered = true;
                draft.diagnostics = diagnostics;
                let read =
                    scenario.map(|json| looplab_shared::validate::from_json(&json, "scenario"));
                match read {
                    // A program read again as it was kept (one opened from the list) is
                    // not a change of it.
                    Some(Ok(scenario)) if scenario == self.scenario => {}
                    Some(Ok(scenario)) => {
                        self.change(scenario);
                        self.remember();
                    }
                    Some(Err(e)) => draft
                        .diagnostics
                        .push(looplab_shared::python::Diagnostic::at(
                            "",
                            0,
                            0,
                            format!("the server's answer could not be read: {e}"),
                        )),
                    None => {}
                }
                // Run pressed while this text was being read runs it now, if it reads.
                if std::mem::take(&mut self.run_when_read) {
                    self.press_run();
                }
            }
            // The server answers requests in order: the first answer is the abandoned one's.
            ServerMsg::RunStarted { run_id, .. } | ServerMsg::Queued { run_id, .. }
                if self.abandoned > 0 =>
            {
                self.abandoned -= 1;
                self.to_stop = Some(run_id);
            }
            ServerMsg::Rejected { .. } if self.abandoned > 0 => self.abandoned -= 1,
            msg @ ServerMsg::RunStarted { .. } if self.awaiting_start => {
                self.awaiting_start = false;
                self.queued = None;
                // A comparison's run is of its variant; any other, of the scenario sent.
                let variant = self.comparison.as_ref().filter(|c| c.waiting);
                let ran = match variant.and_then(|c| c.variants.get(c.runs.len())) {
                    Some((_, scenario)) => Some(scenario.clone()),
                    None => self.sent.as_ref().map(|r| r.scenario.clone()),
                };
                self.run = RunView::opened(msg, ran);
            }
            ServerMsg::Queued {
                run_id, position, ..
            } if self.awaiting_start => self.queued = Some((run_id, position)),
            // A queued run stopped before it started.
            ServerMsg::RunEnded { run_id, .. }
                if self.queued.is_some_and(|(id, _)| id == run_id) =>
            {
                self.queued = None;
                self.awaiting_start = false;
            }
            ServerMsg::Rejected { field, message, .. } if self.awaiting_start => {
                self.awaiting_start = false;
                self.refusal = Some(Refusal { field, message });
            }
            msg => {
                let Some(run) = self.run.as_mut().filter(|r| Some(r.run_id) == msg.run_id()) else {
                    return;
                };
                run.receive(msg);
            }
        }
    }
}
