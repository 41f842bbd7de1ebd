//! Share links: a whole scenario, a teacher's note, a "run on open" flag, goals and a
//! question in a URL fragment.
//!
//! The fragment is `v2.` followed by the JSON of a [`Shared`], deflated and then encoded as
//! unpadded base64url. The version prefix lets later formats arrive while old links keep
//! opening: a new format gets a new prefix, and decoding keeps every old one. `v1.` links,
//! from before scenarios were the model of a Python program, are translated ([`v1`]).

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::{Deserialize, Serialize};

use crate::classroom::{Ask, Goal, validate_ask, validate_goals};
use crate::limits::{MAX_CLIENT_MESSAGE_BYTES, MAX_NOTE_BYTES};
use crate::model::Scenario;
use crate::validate::{ValidationError, from_json, validate};

mod v1;

/// The prefix of links in today's format.
pub const V2: &str = "v2.";

/// The prefix of links in the first format, which still open.
pub const V1: &str = "v1.";

/// What a link carries.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Shared {
    /// The scenario, exactly as it was.
    pub scenario: Scenario,
    /// A teacher's note, shown above the scenario. At most
    /// [`MAX_NOTE_BYTES`](crate::limits::MAX_NOTE_BYTES).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
    /// Start the run as soon as the link opens.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub run_on_open: bool,
    /// Goals each run is checked against: a challenge. At most
    /// [`MAX_GOALS`](crate::limits::MAX_GOALS).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub goals: Vec<Goal>,
    /// A question the learner answers before the first Run.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ask: Option<Ask>,
}

/// Why a link cannot be opened. Each says what a learner can do about it.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum LinkError {
    /// The link has no version prefix this build knows.
    #[error(
        "this link is in a format this version of looplab does not know (it should start with `{V2}`)"
    )]
    UnknownVersion,
    /// The text after the prefix is not base64url: cut or mistyped.
    #[error(
        "this link is damaged: it has characters a looplab link never has (was it cut or retyped?)"
    )]
    NotBase64,
    /// The payload does not inflate: cut short or altered.
    #[error("this link is damaged: its data is incomplete (was it cut short?)")]
    Corrupt,
    /// It inflates to more than a scenario may be.
    #[error(
        "this link holds more than {MAX_CLIENT_MESSAGE_BYTES} bytes, more than any scenario may be"
    )]
    TooLarge,
    /// It holds something that is not a valid scenario.
    #[error("this link's scenario is not valid: {0}")]
    Invalid(ValidationError),
}

/// Encodes `shared` as a fragment (without the `#`).
pub fn encode(shared: &Shared) -> String {
    // Serialising the model cannot fail: it has no maps with non-string keys.
    let json = serde_json::to_vec(shared).unwrap_or_default();
    format!("{V2}{}", pack(&json))
}

/// `json` deflated and encoded as unpadded base64url: a link's payload, after its prefix.
/// Recorded runs' links ([`crate::record`]) are packed the same way.
pub fn pack(json: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(miniz_oxide::deflate::compress_to_vec(json, 9))
}

/// A payload [`pack`] made, back as text: refused if it is not base64url, does not inflate,
/// or inflates to more than [`MAX_CLIENT_MESSAGE_BYTES`].
pub fn unpack(payload: &str) -> Result<String, LinkError> {
    let packed = URL_SAFE_NO_PAD
        .decode(payload)
        .map_err(|_| LinkError::NotBase64)?;
    let json =
        miniz_oxide::inflate::decompress_to_vec_with_limit(&packed, MAX_CLIENT_MESSAGE_BYTES)
            .map_err(|e| match e.status {
                miniz_oxide::inflate::TINFLStatus::HasMoreOutput => LinkError::TooLarge,
                _ => LinkError::Corrupt,
            })?;
    String::from_utf8(json).map_err(|_| LinkError::Corrupt)
}

/// Decodes a fragment (with or without its `#`), validating the scenario and the note for a
/// machine with `cores` cores.
pub fn decode(fragment: &str, cores: u32) -> Result<Shared, LinkError> {
    let fragment = fragment.strip_prefix('#').unwrap_or(fragment).trim();
    let (payload, old) = match (fragment.strip_prefix(V2), fragment.strip_prefix(V1)) {
        (Some(payload), _) => (payload, false),
        (None, Some(payload)) => (payload, true),
        (None, None) => return Err(LinkError::UnknownVersion),
    };
    let mut json = unpack(payload)?;
    if old {
        json = v1::translate(&json).ok_or(LinkError::Corrupt)?;
    }
    let shared: Shared = from_json(&json, "link").map_err(LinkError::Invalid)?;
    if shared.note.len() > MAX_NOTE_BYTES {
        return Err(LinkError::Invalid(ValidationError {
            field: "note".into(),
            message: format!(
                "{} bytes exceed the limit of {MAX_NOTE_BYTES} (MAX_NOTE_BYTES)",
                shared.note.len()
            ),
        }));
    }
    validate(&shared.scenario, cores).map_err(LinkError::Invalid)?;
    validate_goals(&shared.goals).map_err(LinkError::Invalid)?;
    if let Some(ask) = &shared.ask {
        validate_ask(ask).map_err(LinkError::Invalid)?;
    }
    Ok(shared)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::presets;

    fn shared(id: &str) -> Shared {
        Shared {
            scenario: presets::find(id).unwrap().scenario(),
            note: String::new(),
            run_on_open: false,
            goals: Vec::new(),
            ask: None,
        }
    }

    #[test]
    fn every_preset_round_trips_in_a_short_link() {
        for p in presets::all() {
            let mut s = shared(p.id);
            s.note = "Watch the second lane.".into();
            s.run_on_open = true;
            let link = encode(&s);
            assert!(link.len() < 2048, "{}: {} bytes", p.id, link.len());
            assert_eq!(decode(&link, 2), Ok(s.clone()), "{}", p.id);
            assert_eq!(decode(&format!("#{link}"), 2), Ok(s), "{}", p.id);
        }
    }

    #[test]
    fn odd_time_scales_survive_a_link_exactly() {
        // Found by fuzzing: without serde_json's exact float parsing, 1.6666666666666665
        // came back as 1.6666666666666663, so a shared scenario was not the one sent.
        for scale in [1.6666666666666665, 0.1 + 0.2, 1.0 / 3.0, 9.999999999999998] {
            let mut s = shared("gather");
            s.scenario.time_scale = scale;
            let back = decode(&encode(&s), 2).unwrap();
            assert_eq!(
                back.scenario.time_scale.to_bits(),
                scale.to_bits(),
                "{scale}"
            );
        }
    }

    #[test]
    fn damaged_links_say_what_is_wrong() {
        let link = encode(&shared("gather"));
        let check = |text: &str, want: LinkError| assert_eq!(decode(text, 2), Err(want), "{text}");
        check("", LinkError::UnknownVersion);
        check(&link.replacen("v2.", "v9.", 1), LinkError::UnknownVersion);
        check(&format!("{link}%20"), LinkError::NotBase64);
        // Cut at a whole number of base64 quads: it decodes, but does not inflate.
        let cut = V2.len() + (link.len() - V2.len()) / 2 / 4 * 4;
        check(&link[..cut], LinkError::Corrupt);
        // A flipped character still decodes as base64 but no longer inflates or parses.
        let mut tampered: Vec<char> = link.chars().collect();
        let i = tampered.len() / 2;
        tampered[i] = if tampered[i] == 'A' { 'B' } else { 'A' };
        let tampered: String = tampered.into_iter().collect();
        assert!(decode(&tampered, 2).is_err(), "a tampered link opened");
    }

    #[test]
    fn a_link_cannot_smuggle_an_invalid_scenario_or_a_bomb() {
        let mut s = shared("gather");
        s.scenario.time_scale = 1e9;
        assert!(
            matches!(decode(&encode(&s), 2), Err(LinkError::Invalid(e)) if e.field == "time_scale")
        );
        let bomb =
            miniz_oxide::deflate::compress_to_vec(&vec![b' '; MAX_CLIENT_MESSAGE_BYTES + 1], 9);
        let bomb = format!("{V2}{}", URL_SAFE_NO_PAD.encode(bomb));
        assert_eq!(decode(&bomb, 2), Err(LinkError::TooLarge));
        let long_note = Shared {
            note: "x".repeat(MAX_NOTE_BYTES + 1),
            ..shared("gather")
        };
        assert!(
            matches!(decode(&encode(&long_note), 2), Err(LinkError::Invalid(e)) if e.field == "note")
        );
    }
}
