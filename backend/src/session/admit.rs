//! Letting a run in: at once when its share of the machine is free, else through the
//! queue; a repeat's runs one after another, each behind whoever already waits.

use axum::extract::ws::WebSocket;
use looplab_shared::model::Scenario;
use looplab_shared::protocol::{Outcome, ServerMsg};
use tracing::{Span, info};

use super::repeat::Repeat;
use super::run::{Running, Waiting};
use super::socket::send;
use super::{Closed, Current};
use crate::admission::{Need, Slot};
use crate::engine::{self, RunReport};
use crate::error::RequestError;
use crate::state::AppState;
use crate::wire::RunStream;

/// A run about to be admitted: on its own, or the next of a repeat.
pub(super) struct Admit {
    pub(super) scenario: Scenario,
    pub(super) stream: RunStream,
    pub(super) span: Span,
    pub(super) repeat: Option<Box<Repeat>>,
}

/// Starts `run` at once if its shares are free and nobody waits; else it joins the queue,
/// and its client is told its place.
pub(super) async fn admit(
    socket: &mut WebSocket,
    current: &mut Current,
    state: &AppState,
    mut run: Admit,
) -> Result<(), Closed> {
    let need = Need::of(&run.scenario, crate::engine::cores());
    if let Some(slot) = state.admission().try_slot(need) {
        return start(socket, current, state, run, slot).await;
    }
    let ticket = match state.admission().enqueue(need) {
        Ok(ticket) => ticket,
        Err(e) => {
            run.span.in_scope(|| info!("run refused: {e}"));
            let msg = match &run.repeat {
                // A repeat already under way ends, saying why.
                Some(repeat) => repeat.end(
                    &mut run.stream,
                    Outcome::Failed {
                        reason: e.to_string(),
                    },
                ),
                None => RequestError::from(e).to_msg(run.stream.run_id()),
            };
            return send(socket, &msg).await;
        }
    };
    let position = ticket.position();
    run.span.in_scope(|| info!(position, ?need, "run queued"));
    let msg = run.stream.queued(position);
    let admit = Box::pin(ticket.slot());
    *current = Current::Waiting(Box::new(Waiting {
        scenario: run.scenario,
        stream: run.stream,
        position,
        ticket,
        admit,
        span: run.span,
        repeat: run.repeat,
    }));
    send(socket, &msg).await
}

/// A repeat's run ended as `report` says: its digest goes out, and the next run is admitted
/// (after everyone already waiting), or the repeat ends.
pub(super) async fn repeat_next(
    socket: &mut WebSocket,
    current: &mut Current,
    state: &AppState,
    report: RunReport,
) -> Result<(), Closed> {
    let Current::Running(run) = std::mem::replace(current, Current::Idle) else {
        return Ok(());
    };
    // Dropping the run lets its shares go before the next run asks for its own.
    let Running {
        mut stream,
        span,
        repeat,
        ..
    } = run;
    let Some(mut repeat) = repeat else {
        return Ok(());
    };
    if let Some(msg) = repeat.ran(&mut stream, report) {
        send(socket, &msg).await?;
    }
    if !repeat.more() {
        let outcome = if repeat.stopping {
            Outcome::Stopped
        } else {
            Outcome::Completed
        };
        return send(socket, &repeat.end(&mut stream, outcome)).await;
    }
    let run = Admit {
        scenario: repeat.scenario.clone(),
        stream,
        span,
        repeat: Some(repeat),
    };
    admit(socket, current, state, run).await
}

/// The last message of a run or repeat stopped while it waited for its turn.
pub(super) fn withdrawn(w: &mut Waiting) -> ServerMsg {
    match &w.repeat {
        Some(repeat) => repeat.end(&mut w.stream, Outcome::Stopped),
        None => w.stream.withdrawn(),
    }
}

/// Starts `run` in its slot.
pub(super) async fn start(
    socket: &mut WebSocket,
    current: &mut Current,
    state: &AppState,
    run: Admit,
    slot: Slot,
) -> Result<(), Closed> {
    let Admit {
        scenario,
        mut stream,
        span,
        repeat,
    } = run;
    // A repeat said it started once, before its first run.
    let started = repeat.is_none().then(|| stream.started(&scenario));
    // In the run's span: the engine's own lines about it carry its id too.
    match span.in_scope(|| engine::start(state.runner(), &scenario, state.limits().run)) {
        Ok((handle, outputs)) => {
            let index = repeat.as_ref().map(|r| r.index);
            span.in_scope(
                || info!(name = %scenario.name, pid = handle.pid(), index, "run started"),
            );
            *current = Current::Running(Running {
                handle,
                outputs,
                stream,
                _slot: slot,
                span,
                events: 0,
                meter: state.metrics().map(|m| m.start_run()),
                repeat,
            });
            match started {
                Some(msg) => send(socket, &msg).await,
                None => Ok(()),
            }
        }
        Err(e) => {
            span.in_scope(|| info!("run failed to start: {e}"));
            let msg = match repeat {
                Some(repeat) => repeat.end(
                    &mut stream,
                    Outcome::Failed {
                        reason: format!("could not start the run: {e}"),
                    },
                ),
                None => RequestError::from(e).to_msg(stream.run_id()),
            };
            send(socket, &msg).await
        }
    }
}
