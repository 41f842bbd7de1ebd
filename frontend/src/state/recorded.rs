//! A recorded run opened in the page: shown read-only, exactly as it was recorded, until
//! the learner runs its scenario themselves.

use looplab_shared::presets;
use looplab_shared::record::Recording;

use super::{RunView, State};

/// Where a recorded run on screen came from.
#[derive(Debug, Clone, PartialEq)]
pub struct Recorded {
    /// When it was recorded, as its file says (RFC 3339).
    pub at: String,
    /// The cores of the machine it ran on.
    pub cores: u32,
}

impl State {
    /// Shows `recording`'s scenario and its run, read-only, in place of whatever was there.
    pub(super) fn open_recording(&mut self, recording: Recording, by_link: bool) {
        let Some(run) = RunView::replayed(&recording) else {
            // `record::from_file` refuses a recording without a start; nothing to show.
            self.recording_error = Some("this recorded run holds no run".into());
            return;
        };
        self.leave();
        let from = presets::lesson_of(&recording.scenario)
            .or_else(|| presets::find(&recording.scenario.name));
        self.recorded = Some(Recorded {
            at: recording.recorded_at.clone(),
            cores: recording.cores(),
        });
        self.show(recording.scenario, from);
        // A recording carries no goals: a challenge's program is judged by its own.
        self.as_challenge(None);
        self.note = None;
        self.link_error = None;
        self.on_link = by_link;
        // The run on screen is not one this page asked for: nothing is stale, nothing sent.
        self.sent = None;
        self.run = Some(run);
    }
}

#[cfg(test)]
mod tests {
    use looplab_shared::record;

    use super::super::tests::one_task_run;
    use super::super::{Action, Conn, RunStatus};
    use super::*;

    /// The page after running the first lesson with `one_task_run`'s messages.
    fn ran() -> State {
        let mut state = State::default();
        state.apply(Action::Conn(Conn::Open));
        state.apply(Action::PressRun);
        state.apply(Action::Received(one_task_run(4)));
        state
    }

    fn open(text: &str) -> State {
        let mut state = State::default();
        state.apply(Action::OpenRecording {
            recording: record::from_file(text)
                .map(Box::new)
                .map_err(|e| e.to_string()),
            by_link: false,
        });
        state
    }

    #[test]
    fn a_saved_run_opens_in_a_fresh_page_exactly_as_it_was() {
        let state = ran();
        let run = state.run.clone().unwrap();
        assert!(matches!(run.status, RunStatus::Ended { .. }));
        let recording = run.recording("2025-11-24T18:28:00.000Z".into()).unwrap();
        assert_eq!(recording.scenario, state.scenario);
        assert_eq!(recording.messages, one_task_run(4));

        let mut opened = open(&recording.to_json());
        assert_eq!(opened.recording_error, None);
        let shown = opened.run.clone().unwrap();
        assert_eq!(
            (&shown.tracks, &shown.console, &shown.status, shown.cores),
            (&run.tracks, &run.console, &run.status, run.cores)
        );
        assert_eq!(shown.wall_ns(), run.wall_ns());
        assert_eq!(
            opened.recorded,
            Some(Recorded {
                at: "2025-11-24T18:28:00.000Z".into(),
                cores: run.cores
            })
        );
        assert!(!opened.stale(), "a recorded run is the program on screen");
        // Its findings and goals read it, as they read a run of the page's own.
        let (judged, of) = opened.ran().expect("the recorded run is judged");
        assert_eq!((judged, of), (&shown, &state.scenario));
        // Saved again, it is the same file.
        assert_eq!(
            shown.recording(recording.recorded_at.clone()),
            Some(recording)
        );

        // It is shown, not run; "run it yourself" leaves it for its scenario.
        opened.apply(Action::Conn(Conn::Open));
        opened.apply(Action::PressRun);
        assert_eq!(opened.sent, None);
        opened.apply(Action::RunYourself);
        assert_eq!((opened.recorded.clone(), opened.run.clone()), (None, None));
        assert_eq!(opened.scenario, state.scenario);
        opened.apply(Action::PressRun);
        assert!(opened.sent.is_some());
    }

    #[test]
    fn a_recorded_run_of_a_challenges_program_opens_as_that_challenge() {
        let challenge = &presets::challenges::all()[0];
        let mut state = State::default();
        state.apply(Action::Conn(Conn::Open));
        state.apply(Action::OpenChallenge(challenge.id));
        state.apply(Action::PressRun);
        state.apply(Action::Received(one_task_run(1)));
        let recording = state
            .run
            .clone()
            .unwrap()
            .recording("2025-11-24T18:28:00.000Z".into());
        let opened = open(&recording.unwrap().to_json());
        assert_eq!(opened.class.challenge, Some(challenge));
        assert_eq!(opened.class.goals, challenge.goals());
    }

    #[test]
    fn a_bad_file_leaves_the_page_as_it_was_and_says_why() {
        let mut state = ran();
        let before = state.run.clone();
        state.apply(Action::OpenRecording {
            recording: record::from_file("{\"version\": 2}")
                .map(Box::new)
                .map_err(|e| e.to_string()),
            by_link: false,
        });
        assert!(
            state
                .recording_error
                .as_deref()
                .unwrap()
                .contains("version 2")
        );
        assert_eq!(state.run, before);
        assert_eq!(state.recorded, None);
        // Another lesson clears what was said.
        state.apply(Action::SelectPreset("gil"));
        assert_eq!(state.recording_error, None);
    }

    #[test]
    fn a_run_under_way_is_not_a_recording_yet() {
        let mut state = State::default();
        state.apply(Action::Conn(Conn::Open));
        state.apply(Action::PressRun);
        state.apply(Action::Received(one_task_run(4)[..5].to_vec()));
        assert_eq!(state.run.unwrap().recording("now".into()), None);
    }
}
