//! The router: the WebSocket endpoint, health and metrics, and the page.

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, State, WebSocketUpgrade};
use axum::http::header::CONTENT_TYPE;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get};
use axum::{Router, middleware};
use looplab_shared::limits::MAX_CLIENT_MESSAGE_BYTES;
use tower::ServiceBuilder;
use tower_http::services::ServeDir;
use tracing::Instrument;

use crate::page::{self, Folder, Page};
use crate::security;
pub use crate::state::{AppState, Limits, Options};

/// The whole HTTP surface: `/ws` for the protocol, `/healthz`, `/readyz` and `/metrics` for
/// operators, and the page for every other path (`index.html` for paths that name no file, so
/// the UI can own its routes). Every response carries the security headers.
pub fn app(state: AppState) -> Router {
    let router = Router::new()
        .route("/ws", get(ws))
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .route("/metrics", get(metrics));
    let router = match state.page() {
        Page::Embedded => {
            router.fallback_service(any(page::embedded).with_state(state.security().clone()))
        }
        // scripts/build-ui.sh writes `.br` and `.gz` copies beside each wasm, js and css
        // file: sent to browsers that accept them, with no compression work per request.
        Page::Folder(dir) => {
            // `/` and `/index.html` are the page's own handler's: the policy it sends names
            // the scripts of the page as it is now.
            let folder = Folder {
                dir: dir.clone(),
                security: state.security().clone(),
            };
            let files = ServeDir::new(dir)
                .append_index_html_on_directories(false)
                .precompressed_br()
                .precompressed_gzip()
                .fallback(get(page::folder_index).with_state(folder.clone()));
            router
                .route("/index.html", get(page::folder_index).with_state(folder))
                .fallback_service(
                    ServiceBuilder::new()
                        .layer(middleware::from_fn(page::folder_cache))
                        .service(files),
                )
        }
    };
    router
        .layer(middleware::from_fn_with_state(
            state.security().clone(),
            security::headers,
        ))
        .with_state(state)
}

/// Alive: the process answers.
async fn healthz() -> &'static str {
    "ok\n"
}

/// Ready for runs: not shutting down, and the queue has room.
async fn readyz(State(state): State<AppState>) -> (StatusCode, &'static str) {
    if state.shutting_down() {
        (StatusCode::SERVICE_UNAVAILABLE, "shutting down\n")
    } else if state.admission().queue_full() {
        (
            StatusCode::SERVICE_UNAVAILABLE,
            "busy: the run queue is full (MAX_QUEUED_RUNS)\n",
        )
    } else {
        (StatusCode::OK, "ready\n")
    }
}

/// Prometheus's text format, when `--metrics` is on.
async fn metrics(State(state): State<AppState>) -> Response {
    match state.metrics() {
        Some(metrics) => (
            [(CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8")],
            metrics.render(state.admission()),
        )
            .into_response(),
        None => (
            StatusCode::NOT_FOUND,
            "metrics are off: start with --metrics\n",
        )
            .into_response(),
    }
}

async fn ws(
    upgrade: WebSocketUpgrade,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    State(state): State<AppState>,
) -> Response {
    // Before anything is counted: another site's page gets nothing but the refusal.
    if let Err(refusal) = state.security().check_origin(&headers) {
        tracing::warn!(%peer, "refused a WebSocket upgrade: {refusal}");
        return (StatusCode::FORBIDDEN, format!("{refusal}\n")).into_response();
    }
    // Behind a trusted reverse proxy, the caps are the client's, not the proxy's.
    let client = state.proxies().client(peer.ip(), &headers);
    let connection = match state.admission().connect(client) {
        Ok(connection) => connection,
        // Refused before the upgrade, plainly, so a flood costs one short response each.
        Err(refusal) => {
            tracing::info!(%peer, %client, "refused a connection: {refusal}");
            return (StatusCode::TOO_MANY_REQUESTS, refusal.to_string()).into_response();
        }
    };
    let span = tracing::info_span!("connection", %peer, %client);
    upgrade
        .max_message_size(MAX_CLIENT_MESSAGE_BYTES)
        .max_frame_size(MAX_CLIENT_MESSAGE_BYTES)
        .on_upgrade(move |socket| crate::session::serve(socket, state, connection).instrument(span))
}
