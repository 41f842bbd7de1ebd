//! Why a client's request was refused, and the one place that turns it into a message.

use looplab_shared::protocol::{RunId, ServerMsg};
use looplab_shared::validate::ValidationError;

/// A request the server could not honour.
#[derive(Debug, thiserror::Error)]
pub enum RequestError {
    /// The frame was not a client message; `field` is where parsing stopped.
    #[error("not a valid message: {message}")]
    Unreadable {
        /// Path into the message where parsing stopped.
        field: String,
        /// What serde said.
        message: String,
    },
    /// The client sent a binary frame; the protocol is JSON text.
    #[error("binary frames are not accepted: send JSON text")]
    Binary,
    /// The scenario broke a limit.
    #[error(transparent)]
    Invalid(#[from] ValidationError),
    /// A repeat's `times` broke its limit.
    #[error("{}", .0.message)]
    Times(ValidationError),
    /// An admission cap was reached.
    #[error(transparent)]
    Refused(#[from] crate::admission::Refusal),
    /// The engine could not start a run.
    #[error("could not start the run: {0}")]
    Engine(#[from] std::io::Error),
}

impl RequestError {
    /// Path of the offending field within the client's message.
    pub fn field(&self) -> String {
        match self {
            Self::Unreadable { field, .. } => field.clone(),
            Self::Binary | Self::Engine(_) | Self::Refused(_) => "message".into(),
            Self::Invalid(e) => format!("scenario.{}", e.field),
            Self::Times(e) => e.field.clone(),
        }
    }

    /// The refusal sent to the client, as the only message of the run `run_id`.
    pub fn to_msg(&self, run_id: RunId) -> ServerMsg {
        let message = match self {
            Self::Invalid(e) | Self::Times(e) => e.message.clone(),
            other => other.to_string(),
        };
        ServerMsg::Rejected {
            run_id,
            seq: 0,
            field: self.field(),
            message,
        }
    }
}
