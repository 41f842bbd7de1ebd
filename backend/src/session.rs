//! One WebSocket connection: a single `select!` loop over the socket and the current run.
//!
//! The loop owns the connection's only run. A new `run` request stops the old run and
//! forwards the rest of it, down to its `run_ended`, before the new one starts; a closed
//! socket drops the run's handle, which stops it. The engine never waits for this loop: it
//! writes into a channel sized for the whole run, and this loop drains it into the socket at
//! whatever pace the client reads.

use axum::extract::ws::{Message, WebSocket};
use looplab_shared::model::Scenario;
use looplab_shared::protocol::{ClientMsg, ServerMsg};
use looplab_shared::validate::{parse_client_msg, validate};
use tokio::sync::mpsc;

use crate::engine::{self, RunHandle, RunOutput};
use crate::error::RequestError;
use crate::server::AppState;
use crate::wire::RunStream;

/// The run a connection is streaming.
struct Current {
    handle: RunHandle,
    outputs: mpsc::Receiver<RunOutput>,
    stream: RunStream,
}

/// What woke the loop.
enum Event {
    /// A frame from the client, or `None` when the socket closed.
    Client(Option<Result<Message, axum::Error>>),
    /// Output of the current run, or `None` when its channel closed.
    Run(Option<RunOutput>),
}

/// The socket is gone; the session ends.
struct Closed;

/// Serves one connection until the client goes away.
pub async fn serve(mut socket: WebSocket, state: AppState) {
    let mut current: Option<Current> = None;
    loop {
        let event = tokio::select! {
            frame = socket.recv() => Event::Client(frame),
            output = next_output(&mut current) => Event::Run(output),
        };
        let step = match event {
            Event::Client(None | Some(Err(_))) => Err(Closed),
            Event::Client(Some(Ok(frame))) => {
                on_frame(frame, &mut socket, &mut current, &state).await
            }
            Event::Run(Some(output)) => match current.as_mut() {
                Some(run) => {
                    let is_end = matches!(output, RunOutput::End(_));
                    let msg = run.stream.message(output);
                    if is_end {
                        current = None;
                    }
                    send(&mut socket, &msg).await
                }
                None => Ok(()),
            },
            // The engine always sends an end before closing; a channel closed without one
            // means its thread died, and the run is over either way.
            Event::Run(None) => {
                current = None;
                Ok(())
            }
        };
        if step.is_err() {
            return;
        }
    }
}

async fn on_frame(
    frame: Message,
    socket: &mut WebSocket,
    current: &mut Option<Current>,
    state: &AppState,
) -> Result<(), Closed> {
    let request = match parse(frame) {
        Ok(Some(request)) => request,
        Ok(None) => return Ok(()),
        Err(e) => return send(socket, &e.to_msg(state.next_run_id())).await,
    };
    match request {
        ClientMsg::Stop { run_id } => {
            if let Some(run) = current.as_mut().filter(|run| run.stream.run_id() == run_id) {
                run.handle.stop();
            }
            Ok(())
        }
        ClientMsg::Run { scenario } => {
            let run_id = state.next_run_id();
            if let Err(e) = validate(&scenario) {
                return send(socket, &RequestError::from(e).to_msg(run_id)).await;
            }
            if let Some(old) = current.take() {
                finish(old, socket).await?;
            }
            match start(state, scenario, RunStream::new(run_id)) {
                Ok((run, started)) => {
                    *current = Some(run);
                    send(socket, &started).await
                }
                Err(e) => send(socket, &e.to_msg(run_id)).await,
            }
        }
    }
}

/// Reads a client frame; `Ok(None)` for frames that ask nothing (pings, closes).
fn parse(frame: Message) -> Result<Option<ClientMsg>, RequestError> {
    match frame {
        Message::Text(text) => {
            parse_client_msg(text.as_str())
                .map(Some)
                .map_err(|e| RequestError::Unreadable {
                    field: e.field,
                    message: e.message,
                })
        }
        Message::Binary(_) => Err(RequestError::Binary),
        // axum answers pings itself; a close arrives again as the end of the stream.
        Message::Ping(_) | Message::Pong(_) | Message::Close(_) => Ok(None),
    }
}

fn start(
    state: &AppState,
    scenario: Scenario,
    mut stream: RunStream,
) -> Result<(Current, ServerMsg), RequestError> {
    let started = stream.started(&scenario);
    let (handle, outputs) = engine::start(state.runner(), &scenario)?;
    let run = Current {
        handle,
        outputs,
        stream,
    };
    Ok((run, started))
}

/// Stops `run` and forwards what is left of it, down to its end.
async fn finish(mut run: Current, socket: &mut WebSocket) -> Result<(), Closed> {
    run.handle.stop();
    while let Some(output) = run.outputs.recv().await {
        let is_end = matches!(output, RunOutput::End(_));
        send(socket, &run.stream.message(output)).await?;
        if is_end {
            break;
        }
    }
    Ok(())
}

/// The current run's next output; pending forever when there is no run.
async fn next_output(current: &mut Option<Current>) -> Option<RunOutput> {
    match current {
        Some(run) => run.outputs.recv().await,
        None => std::future::pending().await,
    }
}

async fn send(socket: &mut WebSocket, msg: &ServerMsg) -> Result<(), Closed> {
    // Serialising the protocol's own types cannot fail: they hold no non-string map keys.
    let text = serde_json::to_string(msg).unwrap_or_default();
    socket
        .send(Message::Text(text.into()))
        .await
        .map_err(|_| Closed)
}
