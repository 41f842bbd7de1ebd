//! The socket's side of a session: reading a client's frame, sending the server's messages,
//! closing with a reason.

use std::time::Duration;

use axum::extract::ws::{CloseFrame, Message, WebSocket};
use looplab_shared::protocol::{ClientMsg, ServerMsg};
use looplab_shared::validate::parse_client_msg;

use super::Closed;
use crate::error::RequestError;

/// How long a closing server waits for the client's close.
const CLOSE_GRACE: Duration = Duration::from_secs(1);

/// Reads a client frame; `Ok(None)` for frames that ask nothing (pings, closes).
pub(super) fn parse(frame: Message) -> Result<Option<ClientMsg>, RequestError> {
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

pub(super) async fn send(socket: &mut WebSocket, msg: &ServerMsg) -> Result<(), Closed> {
    // Serialising the protocol's own types cannot fail: they hold no non-string map keys.
    send_frame(socket, serde_json::to_string(msg).unwrap_or_default()).await
}

pub(super) async fn send_frame(socket: &mut WebSocket, text: String) -> Result<(), Closed> {
    socket
        .send(Message::Text(text.into()))
        .await
        .map_err(|_| Closed)
}

/// Closes the socket saying why (1001: going away), and waits briefly for the client's
/// close in reply: dropping a socket with the reply unread makes the kernel reset it, and a
/// reset throws away what the client had not read yet — the end of its run among it.
pub(super) async fn close(socket: &mut WebSocket, why: impl Into<String>) {
    let why: String = why.into();
    let frame = CloseFrame {
        code: 1001,
        reason: why.into(),
    };
    if socket.send(Message::Close(Some(frame))).await.is_err() {
        return;
    }
    let _ = tokio::time::timeout(CLOSE_GRACE, async {
        while let Some(Ok(frame)) = socket.recv().await {
            if matches!(frame, Message::Close(_)) {
                break;
            }
        }
    })
    .await;
}
