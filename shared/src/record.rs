//! Recorded runs: a finished run saved as a file (or, when small, a link), so a class sees
//! the very same run without running it. The server never sees one: the page writes it
//! from the messages it received and reads it back on its own.
//!
//! # The file format, version 1
//!
//! A recorded run is one JSON object, a [`Recording`]:
//!
//! ```json
//! {
//!   "version": 1,
//!   "recorded_at": "2025-11-24T18:28:00.000Z",
//!   "scenario": { "name": "gather", "...": "..." },
//!   "messages": [
//!     { "type": "run_started", "run_id": 3, "seq": 0, "...": "..." },
//!     { "type": "event", "run_id": 3, "seq": 1, "...": "..." },
//!     { "type": "run_ended", "run_id": 3, "seq": 9, "...": "..." }
//!   ]
//! }
//! ```
//!
//! `messages` are the server's messages ([`ServerMsg`], as `protocol` specifies them) in the
//! order they arrived. A change to the shape of either the scenario or those messages that
//! an older reader would misread is a new `version`; readers refuse versions they do not
//! know rather than guess. The file is at most [`MAX_RECORDING_BYTES`]. As a link, the same
//! JSON is packed as a share link is ([`share::pack`]) behind the prefix [`R1`], at most
//! [`MAX_RECORDING_LINK_CHARS`] long.

use serde::{Deserialize, Serialize};

use crate::limits::{MAX_EVENTS, MAX_RECORDING_BYTES, MAX_RECORDING_LINK_CHARS};
use crate::model::Scenario;
use crate::protocol::ServerMsg;
use crate::share::{self, LinkError};
use crate::validate::{ValidationError, from_json, validate};

/// The version of the format this build writes, and the only one it reads.
pub const VERSION: u32 = 1;

/// The prefix of a recorded run's link (`#r1.…`), beside share links' `v2.`.
pub const R1: &str = "r1.";

/// A finished run, as saved.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Recording {
    /// The format's version: [`VERSION`]. Read before anything else, so a file of another
    /// version is refused as that, not as a shape it does not have.
    pub version: u32,
    /// When the run was recorded, as the recording browser's clock said, in RFC 3339 UTC
    /// (`2025-11-24T18:28:00.000Z`). Shown to whoever opens it; nothing computes with it.
    pub recorded_at: String,
    /// The scenario that ran, exactly as it was sent: "run it yourself" opens it.
    pub scenario: Scenario,
    /// The run's messages in the order they arrived: `run_started` first, then its
    /// `event`s, then `run_ended`, all of one `run_id`, with increasing `seq`. The
    /// machine's cores are `run_started`'s.
    pub messages: Vec<ServerMsg>,
}

/// Why a recorded run cannot be opened. Each names what is wrong and, where one applies,
/// the limit.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum RecordingError {
    /// The file is larger than any recording may be.
    #[error(
        "this file is {0} bytes, more than a recorded run may be ({MAX_RECORDING_BYTES} bytes, MAX_RECORDING_BYTES)"
    )]
    TooLarge(usize),
    /// The link is longer than any recording's link may be.
    #[error(
        "this recorded run's link is {0} characters, more than one may be ({MAX_RECORDING_LINK_CHARS}, MAX_RECORDING_LINK_CHARS)"
    )]
    LinkTooLong(usize),
    /// The link's payload is damaged (as a share link's would be).
    #[error("{0}")]
    Link(LinkError),
    /// The file is not JSON at all.
    #[error(
        "this file is not a recorded run: it is not JSON (line {line}, column {column}: {what})"
    )]
    NotJson {
        /// Where reading stopped.
        line: usize,
        /// Where reading stopped.
        column: usize,
        /// What the JSON reader said.
        what: String,
    },
    /// The JSON stops before its end: a download cut short.
    #[error(
        "this recorded run is cut short: its JSON ends at line {line}, column {column} before it is complete (was the download interrupted?)"
    )]
    Truncated {
        /// Where the text ended.
        line: usize,
        /// Where the text ended.
        column: usize,
    },
    /// JSON, but without a version: some other file.
    #[error(
        "this JSON file is not a looplab recorded run: it has no `version` field (a recorded run has `\"version\": {VERSION}`)"
    )]
    NoVersion,
    /// A version this build does not read.
    #[error(
        "this recorded run is in version {0} of the format; this looplab reads version {VERSION} only"
    )]
    Version(u64),
    /// A field of the wrong shape, or a scenario or message order that is not valid.
    #[error("this recorded run is not valid: {}: {}", .0.field, .0.message)]
    Invalid(ValidationError),
}

impl Recording {
    /// The machine's cores, from `run_started`.
    pub fn cores(&self) -> u32 {
        match self.messages.first() {
            Some(ServerMsg::RunStarted { cores, .. }) => *cores,
            _ => 0,
        }
    }

    /// The file's text.
    pub fn to_json(&self) -> String {
        // Serialising the model and the messages cannot fail: no maps with non-string keys.
        serde_json::to_string(self).unwrap_or_default()
    }

    /// The recording as a link fragment (without `#`), or `None` when it would be longer
    /// than [`MAX_RECORDING_LINK_CHARS`].
    pub fn to_link(&self) -> Option<String> {
        let link = format!("{R1}{}", share::pack(self.to_json().as_bytes()));
        (link.len() <= MAX_RECORDING_LINK_CHARS).then_some(link)
    }
}

/// Whether a fragment (with or without its `#`) is a recorded run's link.
pub fn is_link(fragment: &str) -> bool {
    fragment.trim_start_matches('#').starts_with(R1)
}

/// Reads a recorded run's link (with or without its `#`).
pub fn from_link(fragment: &str) -> Result<Recording, RecordingError> {
    let fragment = fragment.strip_prefix('#').unwrap_or(fragment).trim();
    if fragment.len() > MAX_RECORDING_LINK_CHARS {
        return Err(RecordingError::LinkTooLong(fragment.len()));
    }
    let payload = fragment
        .strip_prefix(R1)
        .ok_or(RecordingError::Link(LinkError::UnknownVersion))?;
    from_file(&share::unpack(payload).map_err(RecordingError::Link)?)
}

/// Reads a recorded run's file, checking, in order: its size, that it is whole JSON, its
/// version, its shape (naming the field), the order of its messages, and its scenario
/// (validated for the machine it ran on).
pub fn from_file(text: &str) -> Result<Recording, RecordingError> {
    if text.len() > MAX_RECORDING_BYTES {
        return Err(RecordingError::TooLarge(text.len()));
    }
    /// Only the version; the rest is skipped (but read, so broken JSON shows here).
    #[derive(Deserialize)]
    struct Head {
        version: Option<serde_json::Number>,
    }
    let head: Head = serde_json::from_str(text).map_err(|e| {
        let (line, column) = (e.line(), e.column());
        match e.classify() {
            serde_json::error::Category::Eof => RecordingError::Truncated { line, column },
            serde_json::error::Category::Data => {
                invalid("version", "a version is a whole number, such as 1".into())
            }
            _ => RecordingError::NotJson {
                line,
                column,
                what: e.to_string(),
            },
        }
    })?;
    match head.version {
        None => return Err(RecordingError::NoVersion),
        Some(v) if v.as_u64() == Some(u64::from(VERSION)) => {}
        Some(v) => {
            return Err(v.as_u64().map_or_else(
                || invalid("version", format!("{v} is not a whole number, such as 1")),
                RecordingError::Version,
            ));
        }
    }
    // The scenario and the messages are read by the very readers the page already has for
    // a scenario's JSON and for the server's messages: a reader of the whole file would be a
    // third copy of the model's in the page's download.
    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Parts<'a> {
        version: u32,
        recorded_at: String,
        #[serde(borrow)]
        scenario: &'a serde_json::value::RawValue,
        #[serde(borrow)]
        messages: Vec<&'a serde_json::value::RawValue>,
    }
    let parts: Parts<'_> = serde_json::from_str(text).map_err(|e| {
        let what = e.to_string();
        let what = what
            .split(" at line ")
            .next()
            .unwrap_or_default()
            .to_owned();
        invalid(&format!("line {}, column {}", e.line(), e.column()), what)
    })?;
    let scenario = from_json(parts.scenario.get(), "scenario").map_err(|e| {
        let field = match e.field.as_str() {
            "scenario" => e.field,
            field => format!("scenario.{field}"),
        };
        RecordingError::Invalid(ValidationError { field, ..e })
    })?;
    let messages = parts
        .messages
        .iter()
        .enumerate()
        .map(|(i, raw)| {
            serde_json::from_str(raw.get())
                .map_err(|e| invalid(&format!("messages[{i}]"), e.to_string()))
        })
        .collect::<Result<_, _>>()?;
    let recording = Recording {
        version: parts.version,
        recorded_at: parts.recorded_at,
        scenario,
        messages,
    };
    check_messages(&recording.messages)?;
    validate(&recording.scenario, recording.cores())
        .map_err(|e| invalid(&format!("scenario.{}", e.field), e.message))?;
    Ok(recording)
}

fn invalid(field: &str, message: String) -> RecordingError {
    RecordingError::Invalid(ValidationError::new(field.to_owned(), message))
}

/// A run as the page received it: `run_started`, events, `run_ended`, one run, in order.
fn check_messages(messages: &[ServerMsg]) -> Result<(), RecordingError> {
    let most = MAX_EVENTS as usize + 2;
    if messages.len() > most {
        return Err(invalid(
            "messages",
            format!(
                "{} messages exceed a run's {most} (MAX_EVENTS, its start and its end)",
                messages.len()
            ),
        ));
    }
    let Some(ServerMsg::RunStarted { run_id, cores, .. }) = messages.first() else {
        return Err(invalid(
            "messages[0]",
            "a recorded run starts with its `run_started` message".into(),
        ));
    };
    if *cores == 0 {
        return Err(invalid(
            "messages[0].cores",
            "a machine has at least one core".into(),
        ));
    }
    if !matches!(messages.last(), Some(ServerMsg::RunEnded { .. })) || messages.len() < 2 {
        return Err(invalid(
            &format!("messages[{}]", messages.len().saturating_sub(1)),
            "a recorded run ends with its `run_ended` message: only a finished run is recorded"
                .into(),
        ));
    }
    let mut last_seq = None;
    for (i, msg) in messages.iter().enumerate() {
        let at = |what: &str| invalid(&format!("messages[{i}]"), what.into());
        let middle = i > 0 && i + 1 < messages.len();
        match msg {
            ServerMsg::Event { .. } if middle => {}
            ServerMsg::RunStarted { .. } if i == 0 => {}
            ServerMsg::RunEnded { .. } if i + 1 == messages.len() => {}
            ServerMsg::Event { .. }
            | ServerMsg::RunStarted { .. }
            | ServerMsg::RunEnded { .. }
            | ServerMsg::Queued { .. }
            | ServerMsg::RepeatStarted { .. }
            | ServerMsg::Repeated { .. }
            | ServerMsg::Parsed { .. }
            | ServerMsg::Rejected { .. } => {
                return Err(at(
                    "out of place: between `run_started` and `run_ended` come only `event`s",
                ));
            }
        }
        if msg.run_id() != Some(*run_id) {
            return Err(at("of another run than `run_started`'s"));
        }
        let seq = msg.seq();
        if seq.is_none() || seq <= last_seq {
            return Err(at("out of order: each message's `seq` follows the last's"));
        }
        last_seq = seq;
    }
    Ok(())
}
