//! Sleeps and CPU work: `await asyncio.sleep(s)`, `await asyncio.sleep(0)`, `time.sleep(s)`, `burn_cpu(s)` and rayon's
//! `par_cpu`.

use super::{Exit, Frame, PlanError, Renderer, Scope, Sim, StepJson, Uses, ValidationError};
use crate::limits::MAX_PAR_CHUNKS;
use crate::model::json::need;
use crate::model::{Context, Step};
use crate::plan::sim::EVENTS_PER_INSTANCE;
use crate::protocol::SubjectKind;
use crate::python::render::seconds;
use crate::validate::body::{Checker, Kind as Bound};
use crate::validate::in_range;

/// A kind of this family.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Sleep,
    Yield,
    BlockingSleep,
    Cpu,
    ParCpu,
}

pub(super) fn from_json(k: Kind, j: &mut StepJson, tag: &str) -> Result<Step, String> {
    Ok(match k {
        Kind::Sleep => Step::Sleep {
            ms: need(&mut j.ms, tag, "ms")?,
        },
        Kind::Yield => Step::Yield,
        Kind::BlockingSleep => Step::BlockingSleep {
            ms: need(&mut j.ms, tag, "ms")?,
        },
        Kind::Cpu => Step::Cpu {
            ms: need(&mut j.ms, tag, "ms")?,
        },
        Kind::ParCpu => Step::ParCpu {
            ms: need(&mut j.ms, tag, "ms")?,
            chunks: need(&mut j.chunks, tag, "chunks")?,
        },
    })
}

pub(super) fn to_json(k: Kind, step: Step, j: &mut StepJson) {
    match k {
        Kind::Yield => {}
        Kind::Sleep | Kind::BlockingSleep | Kind::Cpu => {
            fields!(Step::Sleep { ms } | Step::BlockingSleep { ms } | Step::Cpu { ms } = step);
            j.ms = Some(ms);
        }
        Kind::ParCpu => {
            fields!(Step::ParCpu { ms, chunks } = step);
            j.ms = Some(ms);
            j.chunks = Some(chunks);
        }
    }
}

pub(super) fn check(
    _: &mut Checker<'_>,
    k: Kind,
    step: &Step,
    at: &str,
    _: &mut Scope,
    _: usize,
) -> Result<(), ValidationError> {
    match k {
        Kind::Sleep => {
            fields!(Step::Sleep { ms } = step);
            // One step for one thing CPython does: `asyncio.sleep(0)` sets no timer.
            match ms {
                0 => Err(ValidationError::new(
                    format!("{at}.ms"),
                    "a sleep of 0 ms is `await asyncio.sleep(0)`, which sets no timer: use a \
                     `yield` step, or sleep 1 ms or more",
                )),
                _ => Ok(()),
            }
        }
        // Their `ms` is checked for every kind, as the step's own time.
        Kind::Yield | Kind::BlockingSleep | Kind::Cpu => Ok(()),
        Kind::ParCpu => {
            fields!(Step::ParCpu { chunks, .. } = step);
            in_range(
                &format!("{at}.chunks"),
                *chunks,
                1,
                MAX_PAR_CHUNKS,
                "MAX_PAR_CHUNKS",
            )
        }
    }
}

pub(super) fn bound(k: Kind) -> Bound {
    match k {
        Kind::Sleep | Kind::Yield | Kind::BlockingSleep | Kind::Cpu | Kind::ParCpu => Bound::Value,
    }
}

pub(super) fn render(r: &mut Renderer<'_>, k: Kind, step: &Step, indent: usize, _: Context) {
    let text = match k {
        Kind::Sleep => {
            fields!(Step::Sleep { ms } = step);
            format!("await asyncio.sleep({})", seconds(*ms))
        }
        Kind::Yield => "await asyncio.sleep(0)".into(),
        Kind::BlockingSleep => {
            fields!(Step::BlockingSleep { ms } = step);
            format!("time.sleep({})", seconds(*ms))
        }
        Kind::Cpu => {
            fields!(Step::Cpu { ms } = step);
            format!("burn_cpu({})", seconds(*ms))
        }
        Kind::ParCpu => {
            fields!(Step::ParCpu { ms, chunks } = step);
            format!(
                "par_cpu({}, chunks={chunks})  # not Python: rayon",
                seconds(*ms)
            )
        }
    };
    r.line(indent, &text);
}

pub(super) fn uses(k: Kind, _: &Step, u: &mut Uses) {
    match k {
        Kind::Sleep | Kind::Yield => {}
        Kind::BlockingSleep => u.time = true,
        Kind::Cpu => u.cpu = true,
        Kind::ParCpu => u.par_cpu = true,
    }
}

pub(super) fn needs_loop(k: Kind, _: &Step) -> bool {
    match k {
        Kind::Sleep | Kind::Yield | Kind::BlockingSleep | Kind::Cpu | Kind::ParCpu => false,
    }
}

pub(super) fn simulate(
    sim: &mut Sim<'_>,
    k: Kind,
    step: &Step,
    _: &str,
    now: &mut f64,
    _: &mut Frame,
) -> Result<Option<Exit>, PlanError> {
    match k {
        Kind::Sleep | Kind::BlockingSleep => {
            fields!(Step::Sleep { ms } | Step::BlockingSleep { ms } = step);
            *now += *ms as f64;
            sim.count(0, 2);
        }
        // A turn of the loop: in the ideal schedule, no time.
        Kind::Yield => sim.count(0, 2),
        Kind::Cpu => {
            fields!(Step::Cpu { ms } = step);
            *now += *ms as f64;
            let events = sim.cpu_events(*ms as f64);
            sim.count(0, events);
        }
        Kind::ParCpu => {
            fields!(Step::ParCpu { ms, chunks } = step);
            (sim.parallel, sim.computes) = (true, true);
            // rayon's chunks, a core each, in waves when there are more than cores.
            let per = *ms as f64 / f64::from((*chunks).max(1));
            for i in 0..*chunks {
                let start = *now + f64::from(i / sim.cores) * per;
                let chunk = sim.enter(|| format!("chunk {}", i + 1), SubjectKind::Chunk, start);
                sim.leave(chunk, None, start + per);
            }
            *now += *ms as f64 / f64::from((*chunks).clamp(1, sim.cores));
            let chunks = u64::from(*chunks);
            sim.count(chunks, 2 + chunks * EVENTS_PER_INSTANCE);
        }
    }
    Ok(None)
}
