//! The router: the built UI as static files, and the WebSocket endpoint.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use axum::Router;
use axum::extract::{ConnectInfo, State, WebSocketUpgrade};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use looplab_shared::limits::{IDLE_TIMEOUT_S, MAX_CLIENT_MESSAGE_BYTES, SESSION_TIMEOUT_S};
use looplab_shared::protocol::RunId;
use tokio::sync::watch;
use tower_http::services::{ServeDir, ServeFile};

use crate::admission::{Admission, Capacity};
use crate::engine::RunLimits;
use crate::forwarded::TrustedProxies;

/// How long a connection may last and what each of its runs may have.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Each run's wall time and events.
    pub run: RunLimits,
    /// Without a message from the client and without a run: [`IDLE_TIMEOUT_S`].
    pub idle: Duration,
    /// In all: [`SESSION_TIMEOUT_S`].
    pub session: Duration,
}

impl Default for Limits {
    /// The constants in [`limits`](looplab_shared::limits).
    fn default() -> Self {
        Self {
            run: RunLimits::default(),
            idle: Duration::from_secs(IDLE_TIMEOUT_S),
            session: Duration::from_secs(SESSION_TIMEOUT_S),
        }
    }
}

/// What every connection shares.
#[derive(Debug, Clone)]
pub struct AppState {
    inner: Arc<Inner>,
    proxies: Arc<TrustedProxies>,
}

#[derive(Debug)]
struct Inner {
    dist: PathBuf,
    runner: PathBuf,
    next_run_id: AtomicU64,
    admission: Arc<Admission>,
    limits: Limits,
    shutdown: watch::Sender<bool>,
}

impl AppState {
    /// `dist` is the folder Trunk built the UI into; `runner` is the `looplab` binary, which
    /// runs each scenario in a process of its own.
    /// Runs that compute share the machine's cores, so that measured timings stay
    /// meaningful; runs that only wait share the machine beside them.
    pub fn new(dist: PathBuf, runner: PathBuf) -> Self {
        Self::with_capacity(dist, runner, Capacity::of_cores(crate::engine::cores()))
    }

    /// As [`AppState::new`], admitting runs within `capacity`.
    pub fn with_capacity(dist: PathBuf, runner: PathBuf, capacity: Capacity) -> Self {
        Self::with_limits(dist, runner, capacity, Limits::default())
    }

    /// As [`AppState::with_capacity`], holding connections and runs to `limits` instead of
    /// the [`limits`](looplab_shared::limits) (tests reach the limits faster with smaller
    /// ones).
    pub fn with_limits(dist: PathBuf, runner: PathBuf, capacity: Capacity, limits: Limits) -> Self {
        Self {
            inner: Arc::new(Inner {
                dist,
                runner,
                next_run_id: AtomicU64::new(1),
                admission: Admission::new(capacity),
                limits,
                shutdown: watch::Sender::new(false),
            }),
            proxies: Arc::default(),
        }
    }

    /// As this state, believing the client addresses that `proxies` forward (by default
    /// nobody's: each connection is its TCP peer's).
    pub fn trusting(mut self, proxies: TrustedProxies) -> Self {
        self.proxies = Arc::new(proxies);
        self
    }

    /// What runs may use, the queue and the per-address caps.
    pub fn admission(&self) -> &Arc<Admission> {
        &self.inner.admission
    }

    /// Tells every connection to end its run and close.
    pub fn shut_down(&self) {
        self.inner.shutdown.send_replace(true);
    }

    /// Changes when the server shuts down.
    pub fn shutdown(&self) -> watch::Receiver<bool> {
        self.inner.shutdown.subscribe()
    }

    /// How long connections may last and what each run may have.
    pub fn limits(&self) -> Limits {
        self.inner.limits
    }

    /// The binary that runs scenarios.
    pub fn runner(&self) -> &std::path::Path {
        &self.inner.runner
    }

    /// A run id no other request of this server has had.
    pub fn next_run_id(&self) -> RunId {
        self.inner.next_run_id.fetch_add(1, Ordering::Relaxed)
    }
}

/// The whole HTTP surface: `/ws` for the protocol, everything else from `dist`, with
/// `index.html` for paths that name no file so the UI can own its routes.
pub fn app(state: AppState) -> Router {
    let index = state.inner.dist.join("index.html");
    // scripts/build-ui.sh writes a `.gz` beside each wasm, js and css file: served to browsers
    // that accept gzip, with no compression work per request.
    let files = ServeDir::new(&state.inner.dist)
        .precompressed_gzip()
        .fallback(ServeFile::new(index));
    Router::new()
        .route("/ws", get(ws))
        .fallback_service(files)
        .with_state(state)
}

async fn ws(
    upgrade: WebSocketUpgrade,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    State(state): State<AppState>,
) -> Response {
    // Behind a trusted reverse proxy, the caps are the client's, not the proxy's.
    let client = state.proxies.client(peer.ip(), &headers);
    let connection = match state.admission().connect(client) {
        Ok(connection) => connection,
        // Refused before the upgrade, plainly, so a flood costs one short response each.
        Err(refusal) => {
            return (StatusCode::TOO_MANY_REQUESTS, refusal.to_string()).into_response();
        }
    };
    upgrade
        .max_message_size(MAX_CLIENT_MESSAGE_BYTES)
        .max_frame_size(MAX_CLIENT_MESSAGE_BYTES)
        .on_upgrade(move |socket| crate::session::serve(socket, state, connection))
}
