//! Exceptions: what a body raises, and how a block ends.

use looplab_shared::python::value::Value;

/// How a body ended: `Some` when a `return` ran, or the exception it raised.
pub(crate) type Flow = Result<Option<Value>, Exc>;

/// An exception raised in a body, as the learner sees it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Exc {
    /// Its last traceback line: `NameError: name 'x' is not defined`.
    text: String,
}

impl Exc {
    /// An error of the program that no `except` of the subset catches.
    pub(crate) fn error(text: impl Into<String>) -> Self {
        Self { text: text.into() }
    }
}

impl std::fmt::Display for Exc {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text)
    }
}

impl From<String> for Exc {
    fn from(text: String) -> Self {
        Self::error(text)
    }
}
