//! A run's messages as they arrived, kept so that the finished run can be saved as a
//! recorded run ([`looplab_shared::record`]) and shown again exactly as it was.

use std::cell::RefCell;
use std::rc::Rc;

use looplab_shared::model::Scenario;
use looplab_shared::protocol::ServerMsg;
use looplab_shared::record::{Recording, VERSION};

use super::{RunStatus, RunView, Track};

/// The scenario a run ran and its messages. Every copy of the run's view (the timeline's,
/// a replay's cut) shares one log: a run's messages would otherwise be copied whole at
/// each batch that arrives while a copy is on screen.
#[derive(Debug, Clone, Default)]
pub struct MessageLog(Rc<RefCell<Logged>>);

#[derive(Debug, Default, PartialEq)]
struct Logged {
    scenario: Option<Scenario>,
    messages: Vec<ServerMsg>,
}

impl PartialEq for MessageLog {
    /// One run's log, grown or not (what differs between two views of it is in their other
    /// fields), or two logs that hold the same: the contents are compared only between logs
    /// of different runs, whose lengths mostly tell them apart at once.
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0) || *self.0.borrow() == *other.0.borrow()
    }
}

impl MessageLog {
    /// A log of a run of `scenario`, when the page knows which one ran.
    pub fn new(scenario: Option<Scenario>) -> Self {
        Self(Rc::new(RefCell::new(Logged {
            scenario,
            messages: Vec::new(),
        })))
    }

    pub(super) fn push(&self, msg: ServerMsg) {
        self.0.borrow_mut().messages.push(msg);
    }
}

impl RunView {
    /// The view a `run_started` opens, of a run of `scenario`; `None` for any other message.
    pub fn opened(msg: ServerMsg, scenario: Option<Scenario>) -> Option<Self> {
        let ServerMsg::RunStarted {
            run_id,
            seq,
            ref name,
            ideal_wall_ns,
            predicted_wall_ns,
            cores,
        } = msg
        else {
            return None;
        };
        let resources = scenario.iter().flat_map(|s| &s.resources).cloned();
        let run = RunView {
            next_seq: seq + 1,
            predicted_wall_ns,
            cores,
            resources: Rc::new(resources.collect()),
            log: MessageLog::new(scenario),
            ..RunView::started(
                run_id,
                name.clone(),
                ideal_wall_ns,
                vec![Track::new("main".into())],
            )
        };
        run.log.push(msg);
        Some(run)
    }

    /// A recorded run, rebuilt from its messages as it was when they arrived.
    pub fn replayed(recording: &Recording) -> Option<Self> {
        let (first, rest) = recording.messages.split_first()?;
        let mut run = Self::opened(first.clone(), Some(recording.scenario.clone()))?;
        for msg in rest {
            run.receive(msg.clone());
        }
        Some(run)
    }

    /// The finished run as a recorded run, stamped `recorded_at` (RFC 3339); `None` while it
    /// runs, or when the page does not know which scenario ran.
    pub fn recording(&self, recorded_at: String) -> Option<Recording> {
        if self.status == RunStatus::Running {
            return None;
        }
        let logged = self.log.0.borrow();
        Some(Recording {
            version: VERSION,
            recorded_at,
            scenario: logged.scenario.clone()?,
            messages: logged.messages.clone(),
        })
    }
}

/// `recorded_at` (RFC 3339, as the page writes it) as a reader sees it:
/// `2025-11-24 18:28 UTC`; anything else as it is.
pub fn recorded_when(recorded_at: &str) -> String {
    match (recorded_at.get(..10), recorded_at.get(11..16)) {
        (Some(day), Some(time)) if recorded_at.ends_with('Z') => format!("{day} {time} UTC"),
        _ => recorded_at.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::recorded_when;

    #[test]
    fn a_recording_time_reads_as_a_date_and_a_time() {
        assert_eq!(
            recorded_when("2025-11-24T18:28:05.123Z"),
            "2025-11-24 18:28 UTC"
        );
        assert_eq!(recorded_when("yesterday"), "yesterday");
    }
}
