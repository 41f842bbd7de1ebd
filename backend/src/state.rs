//! What every connection shares: the server's setup, its run admission and its shutdown.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use looplab_shared::limits::{IDLE_TIMEOUT_S, SESSION_TIMEOUT_S};
use looplab_shared::protocol::RunId;
use tokio::sync::watch;

use crate::admission::{Admission, Capacity};
use crate::engine::RunLimits;
use crate::forwarded::TrustedProxies;
use crate::metrics::Metrics;
use crate::page::Page;
use crate::security::Security;

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
    security: Arc<Security>,
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
                security: Arc::new(options.security),
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
    pub fn security(&self) -> &Arc<Security> {
        &self.inner.security
    }

    /// The reverse proxies whose forwarded client addresses are believed.
    pub fn proxies(&self) -> &TrustedProxies {
        &self.inner.proxies
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
