//! A flag that threads can wait for.

use std::sync::{Condvar, Mutex, MutexGuard, PoisonError};

/// A flag that can be waited for.
#[derive(Debug, Default)]
pub(crate) struct Latch {
    set: Mutex<bool>,
    cv: Condvar,
}

impl Latch {
    fn lock(&self) -> MutexGuard<'_, bool> {
        self.set.lock().unwrap_or_else(PoisonError::into_inner)
    }

    pub(crate) fn set(&self) {
        *self.lock() = true;
        self.cv.notify_all();
    }

    pub(crate) fn is_set(&self) -> bool {
        *self.lock()
    }

    pub(crate) fn wait(&self) {
        let mut set = self.lock();
        while !*set {
            set = self.cv.wait(set).unwrap_or_else(PoisonError::into_inner);
        }
    }
}
