//! The router: the built UI as static files, and the WebSocket endpoint.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use axum::Router;
use axum::extract::{State, WebSocketUpgrade};
use axum::response::Response;
use axum::routing::get;
use looplab_shared::limits::MAX_CLIENT_MESSAGE_BYTES;
use looplab_shared::protocol::RunId;
use tower_http::services::{ServeDir, ServeFile};

/// What every connection shares.
#[derive(Debug, Clone)]
pub struct AppState {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    dist: PathBuf,
    runner: PathBuf,
    next_run_id: AtomicU64,
}

impl AppState {
    /// `dist` is the folder Trunk built the UI into; `runner` is the `looplab` binary, which
    /// runs each scenario in a process of its own.
    pub fn new(dist: PathBuf, runner: PathBuf) -> Self {
        Self {
            inner: Arc::new(Inner {
                dist,
                runner,
                next_run_id: AtomicU64::new(1),
            }),
        }
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
    let files = ServeDir::new(&state.inner.dist).fallback(ServeFile::new(index));
    Router::new()
        .route("/ws", get(ws))
        .fallback_service(files)
        .with_state(state)
}

async fn ws(upgrade: WebSocketUpgrade, State(state): State<AppState>) -> Response {
    upgrade
        .max_message_size(MAX_CLIENT_MESSAGE_BYTES)
        .max_frame_size(MAX_CLIENT_MESSAGE_BYTES)
        .on_upgrade(move |socket| crate::session::serve(socket, state))
}
