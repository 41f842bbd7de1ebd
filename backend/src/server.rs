//! The router: the WebSocket endpoint, health and metrics, and the page.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use axum::extract::{ConnectInfo, State, WebSocketUpgrade};
use axum::http::header::CONTENT_TYPE;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Router, middleware};
use looplab_shared::limits::{IDLE_TIMEOUT_S, MAX_CLIENT_MESSAGE_BYTES, SESSION_TIMEOUT_S};
use looplab_shared::protocol::RunId;
use tokio::sync::watch;
use tower::ServiceBuilder;
use tower_http::services::ServeDir;
use tracing::Instrument;

use crate::admission::{Admission, Capacity};
use crate::engine::RunLimits;
use crate::forwarded::TrustedProxies;
use crate::metrics::Metrics;
use crate::page::{self, Page};
use crate::security::{self, Security};

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

/// How a server is set up: the page it serves, what runs may use and how long they may take,
/// who may open the socket, and whether it counts for `/metrics`.
#[derive(Debug, Clone)]
pub struct Options {
    /// The page: the one compiled in, or `--dist`'s.
    pub page: Page,
    /// What runs may use at once.
    pub capacity: Capacity,
    /// How long connections and runs may last.
    pub limits: Limits,
    /// Origins allowed besides the page's own, and who may frame the page.
    pub security: Security,
    /// The reverse proxies whose forwarded client addresses the per-address caps believe.
    pub proxies: TrustedProxies,
    /// Whether `/metrics` is served (`--metrics`).
    pub metrics: bool,
}

impl Options {
    /// The embedded page, the machine's cores, the default limits and security, no metrics.
    pub fn new() -> Self {
        Self {
            page: Page::Embedded,
            capacity: Capacity::of_cores(crate::engine::cores()),
            limits: Limits::default(),
            security: Security::default(),
            proxies: TrustedProxies::default(),
            metrics: false,
        }
    }
}

impl Default for Options {
    fn default() -> Self {
        Self::new()
    }
}

/// What every connection shares.
#[derive(Debug, Clone)]
pub struct AppState {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    page: Page,
    runner: PathBuf,
    next_run_id: AtomicU64,
    admission: Arc<Admission>,
    limits: Limits,
    security: Security,
    proxies: TrustedProxies,
    metrics: Option<Arc<Metrics>>,
    shutdown: watch::Sender<bool>,
}

impl AppState {
    /// Serves `page`; `runner` is the `looplab` binary, which runs each scenario in a process
    /// of its own. Runs that compute share the machine's cores, so that measured timings stay
    /// meaningful; runs that only wait share the machine beside them.
    pub fn new(page: Page, runner: PathBuf) -> Self {
        Self::with_options(
            runner,
            Options {
                page,
                ..Options::new()
            },
        )
    }

    /// As [`AppState::new`], admitting runs within `capacity`.
    pub fn with_capacity(page: Page, runner: PathBuf, capacity: Capacity) -> Self {
        Self::with_limits(page, runner, capacity, Limits::default())
    }

    /// As [`AppState::with_capacity`], holding connections and runs to `limits` instead of
    /// the [`limits`](looplab_shared::limits) (tests reach the limits faster with smaller
    /// ones).
    pub fn with_limits(page: Page, runner: PathBuf, capacity: Capacity, limits: Limits) -> Self {
        let options = Options {
            page,
            capacity,
            limits,
            ..Options::new()
        };
        Self::with_options(runner, options)
    }

    /// A server set up as `options` say.
    pub fn with_options(runner: PathBuf, options: Options) -> Self {
        Self {
            inner: Arc::new(Inner {
                page: options.page,
                runner,
                next_run_id: AtomicU64::new(1),
                admission: Admission::new(options.capacity),
                limits: options.limits,
                security: options.security,
                proxies: options.proxies,
                metrics: options.metrics.then(Metrics::new),
                shutdown: watch::Sender::new(false),
            }),
        }
    }

    /// What runs may use, the queue and the per-address caps.
    pub fn admission(&self) -> &Arc<Admission> {
        &self.inner.admission
    }

    /// The page served.
    pub fn page(&self) -> &Page {
        &self.inner.page
    }

    /// Who may open the socket and frame the page.
    pub fn security(&self) -> &Security {
        &self.inner.security
    }

    /// The metrics, when `/metrics` is on.
    pub fn metrics(&self) -> Option<&Arc<Metrics>> {
        self.inner.metrics.as_ref()
    }

    /// Tells every connection to end its run and close; `/readyz` says so from now on.
    pub fn shut_down(&self) {
        self.inner.shutdown.send_replace(true);
    }

    /// Whether the server is shutting down.
    pub fn shutting_down(&self) -> bool {
        *self.inner.shutdown.borrow()
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
        Page::Embedded => router.fallback(page::embedded),
        // scripts/build-ui.sh writes `.br` and `.gz` copies beside each wasm, js and css
        // file: sent to browsers that accept them, with no compression work per request.
        Page::Folder(dir) => {
            // `/` and `/index.html` are the page's own handler's: the policy it sends names
            // the scripts of the page as it is now.
            let files = ServeDir::new(dir)
                .append_index_html_on_directories(false)
                .precompressed_br()
                .precompressed_gzip()
                .fallback(get(page::folder_index).with_state(state.clone()));
            router
                .route("/index.html", get(page::folder_index))
                .fallback_service(
                    ServiceBuilder::new()
                        .layer(middleware::from_fn(page::folder_cache))
                        .service(files),
                )
        }
    };
    router
        .layer(middleware::from_fn_with_state(
            state.clone(),
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
    let client = state.inner.proxies.client(peer.ip(), &headers);
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
