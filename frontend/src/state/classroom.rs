//! What a class brings to the scenario on screen: a challenge's goals (built in, from a
//! link, or the teacher's own) and a question asked before Run.

use looplab_shared::classroom::{Ask, Goal};
use looplab_shared::presets::challenges::{self, Challenge};

use super::State;

/// The goals and the question on screen.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Classroom {
    /// The built-in challenge on screen, if any: its title and story head the page.
    pub challenge: Option<&'static Challenge>,
    /// What each finished run is checked against.
    pub goals: Vec<Goal>,
    /// The question asked before Run, if any.
    pub ask: Option<Ask>,
}

impl Classroom {
    /// A built-in challenge, as it starts.
    pub fn of(challenge: &'static Challenge) -> Self {
        Self {
            challenge: Some(challenge),
            goals: challenge.goals(),
            ask: None,
        }
    }
}

impl State {
    /// Shows built-in challenge `id`: its program, its goals.
    pub(super) fn open_challenge(&mut self, id: &str) {
        if let Some(challenge) = challenges::find(id) {
            self.leave();
            self.show(challenge.start(), None);
            self.class = Classroom::of(challenge);
            self.note = None;
            self.link_error = None;
            self.on_link = false;
        }
    }

    /// The teacher changed the goals; the editor offers no more than
    /// [`MAX_GOALS`](looplab_shared::limits::MAX_GOALS), and a link holds no more either.
    pub(super) fn set_goals(&mut self, mut goals: Vec<Goal>) {
        goals.truncate(looplab_shared::limits::MAX_GOALS);
        self.class.goals = goals;
    }
}
