//! Exceptions of the subset: the classes a step raises and an `except` names.

use serde::{Deserialize, Serialize};

use super::Step;

/// An exception class. In JSON, snake case: `value_error`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ExcClass {
    /// `Exception`: every class here but `CancelledError`, which is a `BaseException`.
    Exception,
    /// `ValueError`.
    ValueError,
    /// `TimeoutError`, which in 3.11 `asyncio.TimeoutError` is too: what `wait_for` and
    /// `asyncio.timeout` raise.
    TimeoutError,
    /// `asyncio.CancelledError`: raised in a task at its current `await` by `task.cancel()`.
    CancelledError,
    /// `ExceptionGroup`: what a `TaskGroup` raises when children failed.
    ExceptionGroup,
}

impl ExcClass {
    /// Every class, in the order the builder offers them.
    pub const ALL: [ExcClass; 5] = [
        ExcClass::ValueError,
        ExcClass::TimeoutError,
        ExcClass::CancelledError,
        ExcClass::ExceptionGroup,
        ExcClass::Exception,
    ];

    /// Its name in a program: `asyncio.CancelledError`.
    pub fn python(self) -> &'static str {
        match self {
            ExcClass::Exception => "Exception",
            ExcClass::ValueError => "ValueError",
            ExcClass::TimeoutError => "TimeoutError",
            ExcClass::CancelledError => "asyncio.CancelledError",
            ExcClass::ExceptionGroup => "ExceptionGroup",
        }
    }

    /// Its name in a traceback: `CancelledError`.
    pub fn name(self) -> &'static str {
        self.python().trim_start_matches("asyncio.")
    }

    /// Whether `except self` catches an exception of class `raised`.
    pub fn catches(self, raised: ExcClass) -> bool {
        match self {
            ExcClass::Exception => raised != ExcClass::CancelledError,
            ExcClass::ValueError
            | ExcClass::TimeoutError
            | ExcClass::CancelledError
            | ExcClass::ExceptionGroup => self == raised,
        }
    }

    /// Whether a `raise` step may raise it with a message: a group is made by a `TaskGroup`,
    /// a cancellation by `cancel()`.
    pub fn raisable(self) -> bool {
        match self {
            ExcClass::Exception | ExcClass::ValueError | ExcClass::TimeoutError => true,
            ExcClass::CancelledError | ExcClass::ExceptionGroup => false,
        }
    }
}

/// `except class:` and its block, in a [`Step::Try`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Handler {
    /// What it catches.
    pub class: ExcClass,
    /// The block.
    pub body: Vec<Step>,
}
