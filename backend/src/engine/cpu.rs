//! Real CPU work, calibrated by the thread's own CPU clock: `burn(1000 ms)` uses one second
//! of CPU time on whatever machine runs it, however busy that machine is.

use std::hint::black_box;

use looplab_shared::limits::GIL_SWITCH_MS;

use super::clock::thread_cpu_ns;
use super::sync::Ctx;

/// Square roots per slice between two looks at the clock: a few tens of microseconds.
const SLICE: u32 = 4_000;

fn work(seed: u64) -> f64 {
    let mut sum = 0.0;
    for i in 0..SLICE {
        sum += f64::from(i ^ (seed as u32)).sqrt();
    }
    sum
}

/// Burns `ms` of CPU time on the calling thread, holding the GIL if the context has one and
/// handing it over every switch interval while another thread waits.
pub(crate) fn burn(ctx: &Ctx<'_>, ms: f64) {
    let total = (ms * 1e6) as u64;
    let start = thread_cpu_ns();
    let mut held_since = start;
    if let Some(gil) = ctx.gil {
        gil.acquire(ctx);
    }
    let mut seed = 0u64;
    loop {
        black_box(work(black_box(seed)));
        seed += 1;
        let now = thread_cpu_ns();
        if now.saturating_sub(start) >= total {
            break;
        }
        if let Some(gil) = ctx.gil {
            if now.saturating_sub(held_since) >= GIL_SWITCH_MS * 1_000_000 && gil.contended() {
                gil.release(ctx);
                gil.acquire(ctx);
                held_since = thread_cpu_ns();
            }
        }
    }
    if let Some(gil) = ctx.gil {
        gil.release(ctx);
    }
}
