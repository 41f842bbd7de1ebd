//! Real CPU work, calibrated by the thread's own CPU clock: `burn(1000 ms)` uses one second
//! of CPU time on whatever machine runs it, however busy that machine is.

use std::hint::black_box;

use looplab_shared::limits::GIL_SWITCH_MS;
use looplab_shared::protocol::EventKind;

use super::clock::thread_cpu_ns;
use super::gil::{Gil, Holder};

/// Square roots per slice between two looks at the clock: a few tens of microseconds.
const SLICE: u32 = 4_000;

fn work(seed: u64) -> f64 {
    let mut sum = 0.0;
    for i in 0..SLICE {
        sum += f64::from(i ^ (seed as u32)).sqrt();
    }
    sum
}

/// Burns `ms` of CPU time on the calling thread, with no GIL: native code (rayon's chunks).
pub(crate) fn burn(holder: &impl Holder, ms: f64) {
    burn_holding(holder, None, ms, || ());
}

/// A CPU step: runs `first` and then burns CPU until the two together have used `ms` of CPU
/// time, all under the GIL if there is one (a computation whose value is computed natively
/// and whose cost is CPython's). The step's end (`Unblocked`) is recorded while the GIL is
/// still held, so the next holder's work never appears to overlap it.
pub(crate) fn cpu_step<T>(
    holder: &impl Holder,
    gil: Option<&Gil>,
    ms: f64,
    first: impl FnOnce() -> T,
) -> T {
    let value = burn_holding(holder, gil, ms, first);
    holder.record(EventKind::Unblocked);
    if let Some(gil) = gil {
        gil.release(holder);
    }
    value
}

/// Takes `gil`, runs `first` and burns the rest of `ms`, handing the GIL over every switch
/// interval while another thread waits; returns still holding it.
fn burn_holding<T>(
    holder: &impl Holder,
    gil: Option<&Gil>,
    ms: f64,
    first: impl FnOnce() -> T,
) -> T {
    let total = (ms * 1e6) as u64;
    if let Some(gil) = gil {
        gil.acquire(holder);
    }
    let start = thread_cpu_ns();
    let mut held_since = start;
    let value = first();
    let mut seed = 0u64;
    loop {
        let now = thread_cpu_ns();
        if now.saturating_sub(start) >= total {
            break;
        }
        if let Some(gil) = gil
            && now.saturating_sub(held_since) >= GIL_SWITCH_MS * 1_000_000
            && gil.contended()
        {
            gil.hand_over(holder);
            held_since = thread_cpu_ns();
        }
        black_box(work(black_box(seed)));
        seed += 1;
    }
    value
}
