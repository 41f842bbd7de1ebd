//! One WebSocket connection: a single `select!` loop over the socket, the current run, the
//! admission queue and the connection's timers.
//!
//! A `parse` request is answered at once, whatever the run is doing. A connection has at
//! most one run. A run request is checked (message, limits, the
//! address's run cap), then waits for what it needs (a share of the machine when it only
//! waits, cores of its own when it computes) — telling the client its place — and runs.
//! A new `run` request ends the old run first and forwards the rest of it, down to its
//! `run_ended`; a closed socket drops the run's handle, which kills its process group. The
//! engine never waits for this loop: its output is queued, and this loop drains it into the
//! socket at whatever pace the client reads.

use std::time::{Duration, Instant};

use axum::extract::ws::{Message, WebSocket};
use looplab_shared::protocol::{ClientMsg, Outcome, ServerMsg};
use looplab_shared::python;
use looplab_shared::validate::validate;
use tracing::info;

use crate::admission::{Connection, Slot};
use crate::engine::{self, RunOutput};
use crate::error::RequestError;
use crate::state::AppState;
use crate::wire::RunStream;

mod admit;
mod repeat;
mod run;
mod socket;

use admit::{Admit, admit, repeat_next, start, withdrawn};
use repeat::Repeat;
use run::{Running, Waiting, frame_of};
use socket::{close, parse, send, send_frame};

/// How often the server pings a client, so that a dead peer is noticed.
const PING_EVERY: Duration = Duration::from_secs(30);

enum Current {
    Idle,
    Waiting(Box<Waiting>),
    Running(Running),
}

/// What woke the loop.
enum Event {
    /// A frame from the client, or `None` when the socket closed.
    Client(Option<Result<Message, axum::Error>>),
    /// Output of the current run, or `None` when its channel closed.
    Run(Option<RunOutput>),
    /// The waiting run got its slot.
    Admitted(Slot),
    /// The queue moved: the waiting run's place may have changed.
    QueueMoved,
    /// Time to ping.
    Ping,
    /// The connection sat idle, or lasted, too long.
    TimedOut(&'static str),
    /// The server is shutting down.
    Shutdown,
}

/// The socket is gone; the session ends.
pub(crate) struct Closed;

/// Serves one connection until the client goes away, it times out, or the server stops.
pub async fn serve(mut socket: WebSocket, state: AppState, connection: Connection) {
    info!("connection opened");
    let mut current = Current::Idle;
    let mut moves = state.admission().watch();
    let mut shutdown = state.shutdown();
    // The first ping after a whole period: a fresh connection is known to be alive.
    let mut ping = tokio::time::interval_at(tokio::time::Instant::now() + PING_EVERY, PING_EVERY);
    let limits = state.limits();
    let session_ends = tokio::time::Instant::now() + limits.session;
    let mut last_heard = tokio::time::Instant::now();
    loop {
        let idle_ends = last_heard + limits.idle;
        let idle = matches!(current, Current::Idle);
        let waiting = matches!(current, Current::Waiting(_));
        let event = tokio::select! {
            frame = socket.recv() => Event::Client(frame),
                        event = progress(&mut current) => event,
            Ok(()) = moves.changed(), if waiting => Event::QueueMoved,
            _ = ping.tick() => Event::Ping,
            () = tokio::time::sleep_until(idle_ends), if idle => Event::TimedOut("the connection was idle too long (IDLE_TIMEOUT_S)"),
            () = tokio::time::sleep_until(session_ends) => Event::TimedOut("the connection lasted too long (SESSION_TIMEOUT_S)"),
            Ok(()) = shutdown.changed() => Event::Shutdown,
        };
        let step = match event {
            Event::Client(None) => Err(Closed),
            // An unreadable frame (too large, not UTF-8) ends the connection: say why.
            Event::Client(Some(Err(e))) => {
                info!("closing the connection: unreadable frame: {e}");
                close(&mut socket, format!("unreadable frame: {e}")).await;
                Err(Closed)
            }
            Event::Client(Some(Ok(frame))) => {
                last_heard = tokio::time::Instant::now();
                on_frame(frame, &mut socket, &mut current, &state, &connection).await
            }
            Event::Run(Some(output)) => match &mut current {
                Current::Running(run) if run.repeat.is_some() => match repeat::take(run, output) {
                    Some(report) => {
                        last_heard = tokio::time::Instant::now();
                        repeat_next(&mut socket, &mut current, &state, report).await
                    }
                    None => Ok(()),
                },
                Current::Running(run) => {
                    let (frame, ended) = frame_of(run, output);
                    if ended {
                        current = Current::Idle;
                        last_heard = tokio::time::Instant::now();
                    }
                    send_frame(&mut socket, frame).await
                }
                _ => Ok(()),
            },
            // The engine always sends an end before closing; a channel closed without one
            // means its supervisor died, and the run is over either way.
            Event::Run(None) => {
                current = Current::Idle;
                Ok(())
            }
            Event::Admitted(slot) => match std::mem::replace(&mut current, Current::Idle) {
                Current::Waiting(w) => {
                    let w = *w;
                    let run = Admit {
                        scenario: w.scenario,
                        stream: w.stream,
                        span: w.span,
                        repeat: w.repeat,
                    };
                    start(&mut socket, &mut current, &state, run, slot).await
                }
                other => {
                    current = other;
                    Ok(())
                }
            },
            Event::QueueMoved => match &mut current {
                Current::Waiting(w) => {
                    let position = w.ticket.position();
                    if position != w.position {
                        w.position = position;
                        let msg = w.stream.queued(position);
                        send(&mut socket, &msg).await
                    } else {
                        Ok(())
                    }
                }
                _ => Ok(()),
            },
            Event::Ping => socket
                .send(Message::Ping(Vec::new().into()))
                .await
                .map_err(|_| Closed),
            Event::TimedOut(why) => {
                info!("closing the connection: {why}");
                finish(std::mem::replace(&mut current, Current::Idle), &mut socket)
                    .await
                    .ok();
                close(&mut socket, why).await;
                Err(Closed)
            }
            Event::Shutdown => {
                info!("closing the connection: the server is shutting down");
                finish(std::mem::replace(&mut current, Current::Idle), &mut socket)
                    .await
                    .ok();
                close(&mut socket, "the server is shutting down").await;
                Err(Closed)
            }
        };
        if step.is_err() {
            info!("connection closed");
            return;
        }
    }
}

async fn on_frame(
    frame: Message,
    socket: &mut WebSocket,
    current: &mut Current,
    state: &AppState,
    connection: &Connection,
) -> Result<(), Closed> {
    let request = match parse(frame) {
        Ok(Some(request)) => request,
        Ok(None) => return Ok(()),
        Err(e) => return send(socket, &e.to_msg(state.next_run_id())).await,
    };
    match request {
        ClientMsg::Parse { id, source } => {
            // Off the session's thread: a large program takes milliseconds to read.
            let cores = engine::cores();
            let parsed = tokio::task::spawn_blocking(move || python::parse(&source, cores)).await;
            let (scenario, diagnostics) = match parsed {
                Ok(Ok(scenario)) => (serde_json::to_string(&scenario).ok(), vec![]),
                Ok(Err(diagnostics)) => (None, diagnostics),
                Err(e) => (
                    None,
                    vec![python::Diagnostic::at(
                        "",
                        0,
                        0,
                        format!("the program could not be read: {e}"),
                    )],
                ),
            };
            send(
                socket,
                &ServerMsg::Parsed {
                    id,
                    scenario,
                    diagnostics,
                },
            )
            .await
        }
        ClientMsg::Stop { run_id } => match current {
            Current::Running(run) if run.stream.run_id() == run_id => {
                if let Some(repeat) = &mut run.repeat {
                    repeat.stopping = true;
                }
                run.handle.stop();
                Ok(())
            }
            Current::Waiting(w) if w.stream.run_id() == run_id => {
                let msg = withdrawn(w);
                *current = Current::Idle;
                send(socket, &msg).await
            }
            _ => Ok(()),
        },
        ClientMsg::Run { scenario } => {
            let run_id = state.next_run_id();
            let span = tracing::info_span!("run", run_id);
            let refuse = |e: RequestError| {
                span.in_scope(|| info!("run refused: {e}"));
                e.to_msg(run_id)
            };
            if let Err(e) = validate(&scenario, crate::engine::cores()) {
                return send(socket, &refuse(e.into())).await;
            }
            if let Err(e) = state.admission().count_run(connection, Instant::now()) {
                return send(socket, &refuse(e.into())).await;
            }
            finish(std::mem::replace(current, Current::Idle), socket).await?;
            let run = Admit {
                scenario,
                stream: RunStream::new(run_id),
                span,
                repeat: None,
            };
            admit(socket, current, state, run).await
        }
        ClientMsg::Repeat { scenario, times } => {
            let run_id = state.next_run_id();
            let span = tracing::info_span!("run", run_id);
            let refuse = |e: RequestError| {
                span.in_scope(|| info!("repeat refused: {e}"));
                e.to_msg(run_id)
            };
            if let Err(e) = validate(&scenario, crate::engine::cores()) {
                return send(socket, &refuse(e.into())).await;
            }
            if let Err(e) = looplab_shared::repeat::check_times(times) {
                return send(socket, &refuse(RequestError::Times(e))).await;
            }
            let admission = state.admission();
            if let Err(e) = admission.count_runs(connection, Instant::now(), times) {
                return send(socket, &refuse(e.into())).await;
            }
            finish(std::mem::replace(current, Current::Idle), socket).await?;
            let mut stream = RunStream::new(run_id);
            span.in_scope(|| info!(times, name = %scenario.name, "repeat accepted"));
            send(socket, &stream.repeat_started(&scenario, times)).await?;
            let run = Admit {
                scenario: scenario.clone(),
                stream,
                span,
                repeat: Some(Repeat::new(scenario, times)),
            };
            admit(socket, current, state, run).await
        }
    }
}

/// Ends what the connection has under way and forwards the rest of it, down to its end.
async fn finish(current: Current, socket: &mut WebSocket) -> Result<(), Closed> {
    match current {
        Current::Idle => Ok(()),
        Current::Waiting(mut w) => send(socket, &withdrawn(&mut w)).await,
        Current::Running(mut run) if run.repeat.is_some() => {
            run.handle.stop();
            while let Some(output) = run.outputs.recv().await {
                if let Some(report) = repeat::take(&mut run, output) {
                    let Some(repeat) = &mut run.repeat else { break };
                    repeat.stopping = true;
                    repeat.ran(&mut run.stream, report);
                    let end = repeat.end(&mut run.stream, Outcome::Stopped);
                    return send(socket, &end).await;
                }
            }
            Ok(())
        }
        Current::Running(mut run) => {
            run.handle.stop();
            while let Some(output) = run.outputs.recv().await {
                let (frame, ended) = frame_of(&mut run, output);
                send_frame(socket, frame).await?;
                if ended {
                    break;
                }
            }
            Ok(())
        }
    }
}

/// What the current run does next: its next output, or its slot; pending forever when the
/// connection has no run.
async fn progress(current: &mut Current) -> Event {
    match current {
        Current::Running(run) => Event::Run(run.outputs.recv().await),
        Current::Waiting(w) => Event::Admitted((&mut w.admit).await),
        Current::Idle => std::future::pending().await,
    }
}
