//! What the learner is typing that is not (yet) the scenario: the JSON view's text, and the
//! share link's note and switch.

use looplab_shared::limits::MAX_NOTE_BYTES;

use looplab_shared::python::Diagnostic;

use crate::json_error::JsonError;

/// The JSON view's text as typed, and why it is not a scenario, if it is not. While it has
/// an error, Run waits: the page never runs something other than what it shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JsonDraft {
    /// The whole text.
    pub text: String,
    /// What is wrong with it.
    pub error: Option<JsonError>,
}

/// The Python view's text as typed, while it is not the scenario's own Python. The server
/// reads it (the page has no Python parser); until it answers that the text is a scenario,
/// Run waits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PythonDraft {
    /// The whole text.
    pub text: String,
    /// The id of the parse asked for this text; an answer to an older one is ignored.
    pub asked: u64,
    /// The server has answered for this text.
    pub answered: bool,
    /// Why it is not a scenario, in source order; empty when it is (or before the answer).
    pub diagnostics: Vec<Diagnostic>,
}

impl PythonDraft {
    /// Whether Run must wait for it: not read yet, or not a scenario.
    pub fn holds_run(&self) -> bool {
        !self.answered || !self.diagnostics.is_empty()
    }
}

/// What the share link carries besides the scenario. Another lesson or link starts afresh:
/// a note written for one lesson does not belong on the next.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ShareDraft {
    /// The teacher's note, at most [`MAX_NOTE_BYTES`].
    pub note: String,
    /// Run as soon as the link opens.
    pub run_on_open: bool,
    /// The last text typed was longer than a note may be, and its end was left out.
    pub clipped: bool,
}

/// `text` cut to the longest start of it that fits in [`MAX_NOTE_BYTES`], and whether it
/// had to be cut. The limit is in bytes, as the link checks it; a character is never split.
pub fn clip_note(text: &str) -> (String, bool) {
    clip(text, MAX_NOTE_BYTES)
}

/// `text` cut to at most `bytes`, on a character's boundary, and whether it was cut.
pub(super) fn clip(text: &str, bytes: usize) -> (String, bool) {
    if text.len() <= bytes {
        return (text.to_owned(), false);
    }
    let end = (0..=bytes)
        .rev()
        .find(|&i| text.is_char_boundary(i))
        .unwrap_or(0);
    (text[..end].to_owned(), true)
}

/// What the note's counter says: the characters typed, against the limit the README
/// documents. The limit is in bytes, which a letter such as é or an emoji uses more than
/// one of; once the two counts differ, the counter says both.
pub fn note_room(note: &str) -> String {
    let limit = match MAX_NOTE_BYTES {
        n @ 1_000.. => format!("{},{:03}", n / 1_000, n % 1_000),
        n => n.to_string(),
    };
    let (chars, bytes) = (note.chars().count(), note.len());
    if chars == bytes {
        format!("{chars} of {limit} characters")
    } else {
        format!("{chars} characters: {bytes} of {limit} bytes, as é or an emoji takes 2 to 4")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_counter_counts_characters_against_the_documented_limit() {
        assert_eq!(note_room(""), "0 of 1,000 characters");
        assert_eq!(note_room(&"a".repeat(900)), "900 of 1,000 characters");
        assert_eq!(
            note_room("café"),
            "4 characters: 5 of 1,000 bytes, as é or an emoji takes 2 to 4"
        );
    }

    #[test]
    fn a_note_keeps_everything_up_to_its_limit_in_bytes() {
        let long = "a".repeat(900);
        assert_eq!(clip_note(&long), (long.clone(), false));
        let exact = "a".repeat(MAX_NOTE_BYTES);
        assert_eq!(clip_note(&exact), (exact.clone(), false));
        let (cut, clipped) = clip_note(&"a".repeat(MAX_NOTE_BYTES + 5));
        assert_eq!((cut.len(), clipped), (MAX_NOTE_BYTES, true));
        // Two-byte letters are never split: 1,001 bytes of "é" keep 500 of them.
        let (cut, clipped) = clip_note(&"é".repeat(501));
        assert_eq!((cut.chars().count(), clipped), (500, true));
    }
}
