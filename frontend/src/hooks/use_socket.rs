//! The page's one WebSocket: opened once, reopened after a drop, its messages dispatched to
//! the reducer in batches.
//!
//! It is the browser's own socket driven by its callbacks: every byte of the page is
//! downloaded by every learner, and a socket wrapped as an async stream cost several times
//! the code.

use std::cell::{Cell, RefCell};
use std::rc::{Rc, Weak};

use gloo_timers::callback::{Interval, Timeout};
use looplab_shared::protocol::{ClientMsg, ServerMsg, server_messages};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Event, Location, MessageEvent, WebSocket};
use yew::prelude::*;

use crate::state::{Action, Conn, State};

/// How often waiting messages are applied, in ms: about once a frame.
const FLUSH_MS: u32 = 16;
/// Pause before the first reconnection attempt, in ms; doubles up to [`MAX_BACKOFF_MS`].
const FIRST_BACKOFF_MS: u32 = 250;
const MAX_BACKOFF_MS: u32 = 5_000;
/// Room for requests made while the socket is down.
const OUTBOX: usize = 16;

type Handler = Closure<dyn FnMut(Event)>;

/// The socket and what waits around it, shared by its callbacks.
struct Link {
    dispatcher: UseReducerDispatcher<State>,
    socket: RefCell<Option<WebSocket>>,
    /// The open socket's callbacks, kept as long as it may call them.
    handlers: RefCell<Vec<Handler>>,
    /// Messages received and not yet applied.
    inbox: RefCell<Vec<ServerMsg>>,
    /// Requests made while the socket was down, sent once it is open.
    outbox: RefCell<Vec<ClientMsg>>,
    /// The pause before the next attempt, in ms.
    backoff: Cell<u32>,
    /// The next attempt, while one waits.
    retry: RefCell<Option<Timeout>>,
    /// The page still wants the socket.
    alive: Cell<bool>,
}

/// Opens the socket for the page's lifetime. The returned callback sends a message; while the
/// socket is down, messages wait in a small outbox.
#[hook]
pub fn use_socket(dispatcher: UseReducerDispatcher<State>) -> Callback<ClientMsg> {
    let link = use_memo((), |_| {
        Rc::new(Link {
            dispatcher,
            socket: RefCell::default(),
            handlers: RefCell::default(),
            inbox: RefCell::default(),
            outbox: RefCell::default(),
            backoff: Cell::new(FIRST_BACKOFF_MS),
            retry: RefCell::default(),
            alive: Cell::new(true),
        })
    });
    {
        let link = (*link).clone();
        use_effect_with((), move |_| {
            connect(&link, true);
            // The browser hands each message over in a task of its own; one render per
            // message would make a run of fifty thousand events take minutes to show.
            let ticks = {
                let link = link.clone();
                Interval::new(FLUSH_MS, move || flush(&link))
            };
            move || {
                link.alive.set(false);
                drop(ticks);
                if let Some(socket) = link.socket.borrow_mut().take() {
                    let _ = socket.close();
                }
            }
        });
    }
    let link = (*link).clone();
    Callback::from(move |msg: ClientMsg| send(&link, msg))
}

/// The page's socket, beside the page: wherever the page is served (`/`, or under a
/// proxy's prefix such as `/looplab/`), at the same host, over TLS when the page is.
fn socket_url() -> String {
    let location = web_sys::window().map(|w| w.location());
    let part = |get: fn(&Location) -> Result<String, JsValue>| {
        location
            .as_ref()
            .and_then(|l| get(l).ok())
            .unwrap_or_default()
    };
    let (protocol, host) = (part(Location::protocol), part(Location::host));
    beside_the_page(&protocol, &host, &part(Location::pathname))
}

/// `ws` in the folder of the page at `pathname`, as a WebSocket URL: `wss:` for an `https:`
/// page.
pub fn beside_the_page(protocol: &str, host: &str, pathname: &str) -> String {
    let scheme = if protocol == "https:" { "wss" } else { "ws" };
    let folder = &pathname[..pathname.rfind('/').map_or(0, |i| i + 1)];
    let folder = if folder.starts_with('/') { folder } else { "/" };
    format!("{scheme}://{host}{folder}ws")
}

/// A callback of the socket that reaches `link` while the page has it.
fn handler(link: &Rc<Link>, on: fn(&Rc<Link>, Event)) -> Handler {
    let link: Weak<Link> = Rc::downgrade(link);
    Closure::new(move |e| {
        if let Some(link) = link.upgrade() {
            on(&link, e)
        }
    })
}

/// Opens a socket. Only the first attempt says "connecting": while retries fail, the page
/// keeps saying that the server is unreachable, rather than flickering between the two.
fn connect(link: &Rc<Link>, first: bool) {
    if !link.alive.get() {
        return;
    }
    if first {
        link.dispatcher.dispatch(Action::Conn(Conn::Connecting));
    }
    let Ok(socket) = WebSocket::new(&socket_url()) else {
        return retry(link);
    };
    let handlers = vec![
        handler(link, opened),
        handler(link, received),
        handler(link, closed),
    ];
    let function = |i: usize| Some(handlers[i].as_ref().unchecked_ref());
    socket.set_onopen(function(0));
    socket.set_onmessage(function(1));
    socket.set_onclose(function(2));
    *link.socket.borrow_mut() = Some(socket);
    // The last socket's callbacks go: it has closed, and calls none of them again.
    *link.handlers.borrow_mut() = handlers;
}

fn opened(link: &Rc<Link>, _: Event) {
    link.backoff.set(FIRST_BACKOFF_MS);
    link.dispatcher.dispatch(Action::Conn(Conn::Open));
    let waiting = std::mem::take(&mut *link.outbox.borrow_mut());
    for msg in waiting {
        send(link, msg);
    }
}

fn received(link: &Rc<Link>, e: Event) {
    let Some(text) = e.unchecked_into::<MessageEvent>().data().as_string() else {
        return;
    };
    let mut inbox = link.inbox.borrow_mut();
    for msg in server_messages(&text) {
        match msg {
            Ok(msg) => inbox.push(msg),
            Err(e) => web_sys::console::warn_1(&format!("unreadable message: {e}").into()),
        }
    }
}

/// The socket closed, or never opened: what it brought is applied, and a new one is tried
/// after a pause.
fn closed(link: &Rc<Link>, _: Event) {
    flush(link);
    link.socket.borrow_mut().take();
    if link.alive.get() {
        link.dispatcher.dispatch(Action::Conn(Conn::Lost));
        retry(link);
    }
}

fn retry(link: &Rc<Link>) {
    let pause = link.backoff.get();
    link.backoff.set((pause * 2).min(MAX_BACKOFF_MS));
    let again = Rc::downgrade(link);
    *link.retry.borrow_mut() = Some(Timeout::new(pause, move || {
        if let Some(link) = again.upgrade() {
            connect(&link, false)
        }
    }));
}

fn flush(link: &Link) {
    let batch = std::mem::take(&mut *link.inbox.borrow_mut());
    if !batch.is_empty() {
        link.dispatcher.dispatch(Action::Received(batch));
    }
}

fn send(link: &Link, msg: ClientMsg) {
    let socket = link.socket.borrow();
    match socket
        .as_ref()
        .filter(|s| s.ready_state() == WebSocket::OPEN)
    {
        Some(socket) => {
            let text = serde_json::to_string(&msg).unwrap_or_default();
            let _ = socket.send_with_str(&text);
        }
        None => {
            // A full outbox means the learner clicked faster than a dead socket drains.
            let mut outbox = link.outbox.borrow_mut();
            if outbox.len() < OUTBOX {
                outbox.push(msg);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::beside_the_page;

    #[test]
    fn the_socket_is_beside_the_page_over_tls_when_the_page_is() {
        let check = |protocol, host, path, expected: &str| {
            assert_eq!(
                beside_the_page(protocol, host, path),
                expected,
                "{protocol}//{host}{path}"
            );
        };
        check("http:", "127.0.0.1:8080", "/", "ws://127.0.0.1:8080/ws");
        check(
            "http:",
            "127.0.0.1:8080",
            "/index.html",
            "ws://127.0.0.1:8080/ws",
        );
        check("https:", "school.example", "/", "wss://school.example/ws");
        check(
            "https:",
            "school.example",
            "/looplab/",
            "wss://school.example/looplab/ws",
        );
        check(
            "https:",
            "school.example",
            "/looplab/index.html",
            "wss://school.example/looplab/ws",
        );
        check("http:", "[::1]:8080", "/a/b/", "ws://[::1]:8080/a/b/ws");
        check("http:", "127.0.0.1:8080", "", "ws://127.0.0.1:8080/ws");
    }
}
