//! Clocks and thread ids, read straight from the OS so that every process of a run agrees.

use std::cell::Cell;

fn clock_ns(clock: libc::clockid_t) -> u64 {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `ts` is a valid timespec to write into; the clocks used here always exist on
    // Linux, so the call cannot fail.
    unsafe { libc::clock_gettime(clock, &mut ts) };
    (ts.tv_sec as u64)
        .saturating_mul(1_000_000_000)
        .saturating_add(ts.tv_nsec as u64)
}

/// CLOCK_MONOTONIC, the same clock in every process of the machine: a run's epoch is read
/// once and handed to its processes, so their timestamps compare.
pub(crate) fn monotonic_ns() -> u64 {
    clock_ns(libc::CLOCK_MONOTONIC)
}

/// CPU time the calling thread has used.
pub(crate) fn thread_cpu_ns() -> u64 {
    clock_ns(libc::CLOCK_THREAD_CPUTIME_ID)
}

thread_local! {
    static TID: Cell<u64> = const { Cell::new(0) };
}

/// The calling thread's OS id, cached per thread.
pub(crate) fn tid() -> u64 {
    TID.with(|cell| {
        if cell.get() == 0 {
            // SAFETY: gettid has no preconditions and cannot fail.
            let tid = unsafe { libc::gettid() };
            cell.set(u64::try_from(tid).unwrap_or_default());
        }
        cell.get()
    })
}
