//! Real CPU work, calibrated by the thread's own CPU clock: `burn(1000 ms)` uses one second
//! of CPU time on whatever machine runs it, however busy that machine is.

use std::hint::black_box;

use looplab_shared::limits::GIL_SWITCH_MS;

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

/// Burns `ms` of CPU time on the calling thread, holding `gil` if there is one and handing
/// it over every switch interval while another thread waits.
pub(crate) fn burn(holder: &impl Holder, gil: Option<&Gil>, ms: f64) {
    burn_after(holder, gil, ms, || ());
}

/// Runs `first` and then burns CPU until the two together have used `ms` of CPU time, all
/// under the GIL: a computation whose value is computed natively and whose cost is
/// CPython's.
pub(crate) fn burn_after<T>(
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
            gil.release(holder);
            gil.acquire(holder);
            held_since = thread_cpu_ns();
        }
        black_box(work(black_box(seed)));
        seed += 1;
    }
    if let Some(gil) = gil {
        gil.release(holder);
    }
    value
}
