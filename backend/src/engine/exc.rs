//! Exceptions: what a body raises, how a block ends, and a task's cancellation.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use looplab_shared::model::ExcClass;
use looplab_shared::python::value::Value;
use tokio::sync::Notify;

/// How a body ended: `Some` when a `return` ran, or the exception it raised.
pub(crate) type Flow = Result<Option<Value>, Exc>;

/// An exception raised in a body, as the learner sees it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Exc {
    /// Its class; `None` for an error of the program no `except` of the subset catches
    /// (a name that is not defined).
    class: Option<ExcClass>,
    /// Its message; for an error, the whole last line of its traceback.
    text: String,
    /// An exception group's exceptions.
    group: Vec<Exc>,
}

impl Exc {
    /// An error of the program that no `except` of the subset catches.
    pub(crate) fn error(text: impl Into<String>) -> Self {
        Self {
            class: None,
            text: text.into(),
            group: vec![],
        }
    }

    /// `raise class(text)`.
    pub(crate) fn raised(class: ExcClass, text: &str) -> Self {
        Self {
            class: Some(class),
            text: text.to_owned(),
            group: vec![],
        }
    }

    /// What `task.cancel()` raises in the task.
    pub(crate) fn cancelled() -> Self {
        Self::raised(ExcClass::CancelledError, "")
    }

    /// What `wait_for` and `asyncio.timeout` raise when the time has passed.
    pub(crate) fn timeout() -> Self {
        Self::raised(ExcClass::TimeoutError, "")
    }

    /// What a task group raises when children failed.
    pub(crate) fn group(errors: Vec<Exc>) -> Self {
        Self {
            class: Some(ExcClass::ExceptionGroup),
            text: "unhandled errors in a TaskGroup".into(),
            group: errors,
        }
    }

    /// Whether it is a `CancelledError`.
    pub(crate) fn is_cancelled(&self) -> bool {
        self.class == Some(ExcClass::CancelledError)
    }

    /// Whether `except class:` catches it.
    pub(crate) fn caught_by(&self, class: ExcClass) -> bool {
        self.class.is_some_and(|c| class.catches(c))
    }

    /// An exception group's exceptions; any other exception alone, as `except*` sees it.
    pub(crate) fn parts(self) -> Vec<Exc> {
        match self.class {
            Some(ExcClass::ExceptionGroup) => self.group,
            _ => vec![self],
        }
    }
}

impl std::fmt::Display for Exc {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.class {
            None => f.write_str(&self.text),
            Some(ExcClass::ExceptionGroup) => {
                let n = self.group.len();
                let s = if n == 1 { "" } else { "s" };
                write!(f, "ExceptionGroup: {} ({n} sub-exception{s})", self.text)
            }
            Some(class) if self.text.is_empty() => f.write_str(class.name()),
            Some(class) => write!(f, "{}: {}", class.name(), self.text),
        }
    }
}

impl From<String> for Exc {
    /// A job's or a thread's failure, by its traceback's last line: a class of the subset
    /// is caught as such.
    fn from(text: String) -> Self {
        let class = looplab_shared::model::ExcClass::ALL.into_iter().find(|c| {
            text.strip_prefix(c.name())
                .is_some_and(|rest| rest.is_empty() || rest.starts_with(": "))
        });
        match class {
            Some(class) => {
                let message = text[class.name().len()..].trim_start_matches(": ");
                Self::raised(class, message)
            }
            None => Self::error(text),
        }
    }
}

/// A task's pending cancellation: `cancel()` asks, and the task's next `await` (or the one
/// it is suspended at) raises `CancelledError`.
#[derive(Debug, Default)]
pub(crate) struct Cancel {
    requested: AtomicBool,
    wake: Notify,
}

tokio::task_local! {
    /// The running task's cancellation.
    static CURRENT: Arc<Cancel>;
}

impl Cancel {
    /// `task.cancel()`.
    pub(crate) fn request(&self) {
        self.requested.store(true, Ordering::Release);
        self.wake.notify_one();
    }

    /// Takes a pending request: whether there was one.
    pub(crate) fn take(&self) -> bool {
        self.requested.swap(false, Ordering::AcqRel)
    }

    /// Ends when a cancellation is asked for, taking it.
    pub(crate) async fn requested(&self) {
        loop {
            if self.take() {
                return;
            }
            self.wake.notified().await;
        }
    }

    /// Runs `task` as the task that `this` cancels.
    pub(crate) async fn scope<F: std::future::Future>(this: Arc<Cancel>, task: F) -> F::Output {
        CURRENT.scope(this, task).await
    }

    /// The running task's cancellation, on the loop.
    pub(crate) fn current() -> Option<Arc<Cancel>> {
        CURRENT.try_with(Arc::clone).ok()
    }
}
