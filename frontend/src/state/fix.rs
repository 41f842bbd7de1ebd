//! A finding's one-click fix, and what it changed: once the fixed program has run, the
//! page sets the run before the fix beside the run after it (`3.02 s → 2.02 s`).

use looplab_shared::model::Scenario;
use looplab_shared::protocol::Outcome;

use super::{RunStatus, State};
use crate::timeline::measured_label;

/// A fix the learner applied: the program it made, and the wall time of the run it fixed.
#[derive(Debug, Clone, PartialEq)]
pub struct Fixed {
    /// The program as the fix left it.
    pub scenario: Scenario,
    /// The wall time of the run whose finding it answered, in ns.
    pub before_ns: u64,
}

impl State {
    /// Puts the fixed program on screen, remembering the wall time of the run it fixes.
    pub(super) fn apply_fix(&mut self, scenario: Scenario) {
        let before_ns = self.run.as_ref().map(|r| r.wall_ns());
        // A recorded run's fix leaves the recording: the fixed program is the learner's
        // to run, and the recorded run is not its result.
        if self.recorded.take().is_some() {
            self.run = None;
        }
        self.act(super::Action::Replace(scenario));
        self.fixed = before_ns.map(|before_ns| Fixed {
            scenario: self.scenario.clone(),
            before_ns,
        });
    }

    /// `3.02 s → 2.02 s`: the wall time before the fix and after it, once the program the
    /// fix made has run to its end as it was made.
    pub fn fix_figure(&self) -> Option<String> {
        let fixed = self.fixed.as_ref()?;
        let run = self.run.as_ref()?;
        let RunStatus::Ended {
            outcome: Outcome::Completed,
            wall_ns,
            ..
        } = run.status
        else {
            return None;
        };
        let sent = self.sent.as_ref()?;
        (sent.scenario == fixed.scenario).then(|| {
            format!(
                "{} → {}",
                measured_label(fixed.before_ns),
                measured_label(wall_ns)
            )
        })
    }
}

#[cfg(test)]
mod tests {
    use looplab_shared::model::Step;

    use super::super::tests::{one_task_run, run_with};
    use super::super::{Action, Conn};

    #[test]
    fn a_fix_that_has_run_shows_the_wall_time_before_and_after() {
        let mut state = run_with(one_task_run(1));
        state.apply(Action::Conn(Conn::Open));
        let mut fixed = state.scenario.clone();
        fixed.main.push(Step::BlockingSleep { ms: 1 });
        state.apply(Action::ApplyFix(fixed));
        // Not run yet: nothing to compare.
        assert_eq!(state.fix_figure(), None);
        state.apply(Action::PressRun);
        let mut again = one_task_run(2);
        if let Some(looplab_shared::protocol::ServerMsg::RunEnded { wall_ns, .. }) =
            again.last_mut()
        {
            *wall_ns = 7_000_000;
        }
        state.apply(Action::Received(again));
        assert_eq!(state.fix_figure().as_deref(), Some("13 ns → 7.00 ms"));
    }
}
