//! Step kinds by family: one module per family holds, for its kinds, everything the layers do
//! kind by kind — the JSON fields read and written, the validation, the Python written out
//! and the ideal schedule — so that a new kind is its [`Step`] variant, its [`StepKind`] and
//! metadata (`model/kind.rs`), its family's module, its Python read in (`python/parse`), the
//! engine's interpreter and the builder's fields.
//!
//! The layers dispatch here with one exhaustive match over [`Family`]; each family matches
//! its own kind enum exhaustively, so a kind added to a family does not compile until every
//! layer says what it does with it. In each arm, [`fields!`] takes the step apart: the kind
//! was read from the step, so the pattern always matches.

use std::collections::HashMap;

use crate::model::json::StepJson;
use crate::model::{Context, Step, StepKind};
use crate::plan::PlanError;
use crate::plan::sim::{Exit, Frame, Sim};
use crate::python::render::{Renderer, Uses};
use crate::validate::ValidationError;
use crate::validate::body::{Checker, Kind as Bound};

/// Binds a step's fields by its variant's pattern; the variant is the one its kind names.
macro_rules! fields {
    ($pat:pat = $step:expr) => {
        // Parentheses let the pattern be an or-pattern (`A { ms } | B { ms }`).
        #[allow(unused_parens)]
        let ($pat) = $step else {
            unreachable!("a step's kind names its variant")
        };
    };
}

mod errors;
mod sync;
mod tasks;
mod timing;
mod values;
mod workers;

/// A step kind, as its family's own kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Family {
    /// Sleeps and CPU work.
    Timing(timing::Kind),
    /// Prints, values, `return` and `for`.
    Values(values::Kind),
    /// asyncio's tasks: creating, awaiting, gathering, running and cancelling them.
    Tasks(tasks::Kind),
    /// Pools, threads and processes.
    Workers(workers::Kind),
    /// Locks, semaphores, events and queues.
    Sync(sync::Kind),
    /// Exceptions, timeouts and task groups.
    Errors(errors::Kind),
}

pub(crate) use errors::Kind as ErrorsKind;
pub(crate) use sync::Kind as SyncKind;
pub(crate) use tasks::Kind as TasksKind;
pub(crate) use timing::Kind as TimingKind;
pub(crate) use values::Kind as ValuesKind;
pub(crate) use workers::Kind as WorkersKind;

/// The names a body has bound so far, with what they hold.
pub(crate) type Scope = HashMap<String, Bound>;

/// A step of kind `kind` from its JSON fields; `tag` is the kind's `type`.
pub(crate) fn from_json(kind: StepKind, j: &mut StepJson, tag: &str) -> Result<Step, String> {
    match kind.family() {
        Family::Timing(k) => timing::from_json(k, j, tag),
        Family::Values(k) => values::from_json(k, j, tag),
        Family::Tasks(k) => tasks::from_json(k, j, tag),
        Family::Workers(k) => workers::from_json(k, j, tag),
        Family::Sync(k) => sync::from_json(k, j, tag),
        Family::Errors(k) => errors::from_json(k, j, tag),
    }
}

/// Writes `step`'s fields into `j`.
pub(crate) fn to_json(step: Step, j: &mut StepJson) {
    match step.kind().family() {
        Family::Timing(k) => timing::to_json(k, step, j),
        Family::Values(k) => values::to_json(k, step, j),
        Family::Tasks(k) => tasks::to_json(k, step, j),
        Family::Workers(k) => workers::to_json(k, step, j),
        Family::Sync(k) => sync::to_json(k, step, j),
        Family::Errors(k) => errors::to_json(k, step, j),
    }
}

/// Checks `step`, at field path `at`, in a body whose names are `scope`.
pub(crate) fn check(
    c: &mut Checker<'_>,
    step: &Step,
    at: &str,
    scope: &mut Scope,
    depth: usize,
) -> Result<(), ValidationError> {
    match step.kind().family() {
        Family::Timing(k) => timing::check(c, k, step, at, scope, depth),
        Family::Values(k) => values::check(c, k, step, at, scope, depth),
        Family::Tasks(k) => tasks::check(c, k, step, at, scope, depth),
        Family::Workers(k) => workers::check(c, k, step, at, scope, depth),
        Family::Sync(k) => sync::check(c, k, step, at, scope, depth),
        Family::Errors(k) => errors::check(c, k, step, at, scope, depth),
    }
}

/// What the variable a binding step binds holds.
pub(crate) fn bound(kind: StepKind) -> Bound {
    match kind.family() {
        Family::Timing(k) => timing::bound(k),
        Family::Values(k) => values::bound(k),
        Family::Tasks(k) => tasks::bound(k),
        Family::Workers(k) => workers::bound(k),
        Family::Sync(k) => sync::bound(k),
        Family::Errors(k) => errors::bound(k),
    }
}

/// Writes `step` as Python at `indent`, its blocks included.
pub(crate) fn render(r: &mut Renderer<'_>, step: &Step, indent: usize, ctx: Context) {
    match step.kind().family() {
        Family::Timing(k) => timing::render(r, k, step, indent, ctx),
        Family::Values(k) => values::render(r, k, step, indent, ctx),
        Family::Tasks(k) => tasks::render(r, k, step, indent, ctx),
        Family::Workers(k) => workers::render(r, k, step, indent, ctx),
        Family::Sync(k) => sync::render(r, k, step, indent, ctx),
        Family::Errors(k) => errors::render(r, k, step, indent, ctx),
    }
}

/// Notes in `u` the imports and prelude `step` needs (not its blocks').
pub(crate) fn uses(step: &Step, u: &mut Uses) {
    match step.kind().family() {
        Family::Timing(k) => timing::uses(k, step, u),
        Family::Values(k) => values::uses(k, step, u),
        Family::Tasks(k) => tasks::uses(k, step, u),
        Family::Workers(k) => workers::uses(k, step, u),
        Family::Sync(k) => sync::uses(k, step, u),
        Family::Errors(k) => errors::uses(k, step, u),
    }
}

/// Whether `step`'s Python calls `loop.run_in_executor` (not in its blocks).
pub(crate) fn needs_loop(step: &Step) -> bool {
    match step.kind().family() {
        Family::Timing(k) => timing::needs_loop(k, step),
        Family::Values(k) => values::needs_loop(k, step),
        Family::Tasks(k) => tasks::needs_loop(k, step),
        Family::Workers(k) => workers::needs_loop(k, step),
        Family::Sync(k) => sync::needs_loop(k, step),
        Family::Errors(k) => errors::needs_loop(k, step),
    }
}

/// Runs `step` at field path `at` in virtual time from `now`, which it moves on; `Some`
/// when it ends its body (a `return`, an exception not caught in it).
pub(crate) fn simulate<'a>(
    sim: &mut Sim<'a>,
    step: &'a Step,
    at: &str,
    now: &mut f64,
    frame: &mut Frame,
) -> Result<Option<Exit>, PlanError> {
    match step.kind().family() {
        Family::Timing(k) => timing::simulate(sim, k, step, at, now, frame),
        Family::Values(k) => values::simulate(sim, k, step, at, now, frame),
        Family::Tasks(k) => tasks::simulate(sim, k, step, at, now, frame),
        Family::Workers(k) => workers::simulate(sim, k, step, at, now, frame),
        Family::Sync(k) => sync::simulate(sim, k, step, at, now, frame),
        Family::Errors(k) => errors::simulate(sim, k, step, at, now, frame),
    }
}
