//! The page's one WebSocket: opened once, reopened after a drop, its messages dispatched to
//! the reducer in batches.

use std::cell::Cell;
use std::rc::Rc;
use std::time::Duration;

use futures::channel::mpsc;
use futures::{SinkExt, StreamExt};
use gloo_net::websocket::futures::WebSocket;
use gloo_net::websocket::{Message, State as WsState};
use looplab_shared::protocol::{ClientMsg, ServerMsg, server_messages};
use yew::prelude::*;

use crate::state::{Action, Conn, State};

/// How many messages already waiting are read at once.
const BATCH: usize = 512;
/// How often waiting messages are applied: about once a frame.
const FLUSH: Duration = Duration::from_millis(16);
/// Pause before the first reconnection attempt; doubles up to [`MAX_BACKOFF`].
const FIRST_BACKOFF: Duration = Duration::from_millis(250);
const MAX_BACKOFF: Duration = Duration::from_secs(5);
/// Room for requests typed while the socket is down.
const OUTBOX: usize = 16;

/// Opens the socket for the page's lifetime. The returned callback sends a message; while the
/// socket is down, messages wait in a small outbox.
#[hook]
pub fn use_socket(dispatcher: UseReducerDispatcher<State>) -> Callback<ClientMsg> {
    let outbox = use_mut_ref(|| None::<mpsc::Sender<ClientMsg>>);
    {
        let outbox = outbox.clone();
        use_effect_with((), move |_| {
            let (tx, rx) = mpsc::channel(OUTBOX);
            *outbox.borrow_mut() = Some(tx);
            let alive = Rc::new(Cell::new(true));
            wasm_bindgen_futures::spawn_local(connect_forever(dispatcher, rx, alive.clone()));
            move || alive.set(false)
        });
    }
    Callback::from(move |msg: ClientMsg| {
        if let Some(tx) = outbox.borrow_mut().as_mut() {
            // A full outbox means the learner clicked faster than a dead socket drains.
            let _ = tx.try_send(msg);
        }
    })
}

fn socket_url() -> String {
    let location = web_sys::window().map(|w| w.location());
    let host = location
        .as_ref()
        .and_then(|l| l.host().ok())
        .unwrap_or_else(|| "127.0.0.1:8080".into());
    let secure = location.and_then(|l| l.protocol().ok()).as_deref() == Some("https:");
    format!("{}://{host}/ws", if secure { "wss" } else { "ws" })
}

async fn connect_forever(
    dispatcher: UseReducerDispatcher<State>,
    mut outbox: mpsc::Receiver<ClientMsg>,
    alive: Rc<Cell<bool>>,
) {
    let mut backoff = FIRST_BACKOFF;
    while alive.get() {
        dispatcher.dispatch(Action::Conn(Conn::Connecting));
        if let Ok(mut ws) = WebSocket::open(&socket_url()) {
            // The sink is ready once the socket has left CONNECTING, open or failed.
            let ready = futures::future::poll_fn(|cx| ws.poll_ready_unpin(cx)).await;
            if ready.is_ok() && matches!(ws.state(), WsState::Open) {
                backoff = FIRST_BACKOFF;
                dispatcher.dispatch(Action::Conn(Conn::Open));
                serve(ws, &dispatcher, &mut outbox, &alive).await;
            }
        }
        if !alive.get() {
            return;
        }
        dispatcher.dispatch(Action::Conn(Conn::Lost));
        gloo_timers::future::sleep(backoff).await;
        backoff = (backoff * 2).min(MAX_BACKOFF);
    }
}

/// Pumps one open socket until it closes. Messages are applied in batches at most every
/// [`FLUSH`]: the browser hands each message over in a task of its own, and one render per
/// message would make a run of fifty thousand events take minutes to show.
async fn serve(
    ws: WebSocket,
    dispatcher: &UseReducerDispatcher<State>,
    outbox: &mut mpsc::Receiver<ClientMsg>,
    alive: &Cell<bool>,
) {
    let (mut sink, stream) = ws.split();
    let mut inbox = stream.ready_chunks(BATCH).fuse();
    let mut ticks = gloo_timers::future::IntervalStream::new(FLUSH.as_millis() as u32).fuse();
    let mut pending: Vec<ServerMsg> = Vec::new();
    let flush = |pending: &mut Vec<ServerMsg>| {
        if !pending.is_empty() {
            dispatcher.dispatch(Action::Received(std::mem::take(pending)));
        }
    };
    while alive.get() {
        futures::select! {
            batch = inbox.next() => {
                let Some(batch) = batch else { return flush(&mut pending) };
                for frame in batch {
                    match frame {
                        Ok(Message::Text(text)) => {
                            for msg in server_messages(&text) {
                                match msg {
                                    Ok(msg) => pending.push(msg),
                                    Err(e) => web_sys::console::warn_1(&format!("unreadable message: {e}").into()),
                                }
                            }
                        }
                        Ok(Message::Bytes(_)) => {}
                        Err(_) => return flush(&mut pending),
                    }
                }
            }
            _ = ticks.next() => flush(&mut pending),
            msg = outbox.next() => {
                let Some(msg) = msg else { return flush(&mut pending) };
                let text = serde_json::to_string(&msg).unwrap_or_default();
                if sink.send(Message::Text(text)).await.is_err() {
                    return flush(&mut pending);
                }
            }
        }
    }
}
