//! `/metrics` for Prometheus (`--metrics`): what an operator watches to tell whether a replica
//! is healthy or full. Counters move where a run starts and ends; the gauges (queue, shares,
//! connections) are read from admission when scraped, so they cost nothing in between.

use std::sync::Arc;
use std::time::Instant;

use looplab_shared::protocol::Outcome;
use prometheus::{
    Encoder, Histogram, HistogramOpts, IntCounter, IntCounterVec, IntGauge, Opts, Registry,
    TextEncoder,
};

use crate::admission::Admission;

/// The run wall time histogram's buckets, in seconds: from a lesson at ×0.01 to the
/// wall-time limit (`MAX_RUN_WALL_MS`, 35 s).
pub const RUN_WALL_BUCKETS_S: [f64; 12] = [
    0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 20.0, 35.0,
];

/// The `outcome` label of a run whose client went away before its end reached it.
const DISCONNECTED: &str = "disconnected";

/// The server's metrics.
#[derive(Debug)]
pub struct Metrics {
    registry: Registry,
    runs_started: IntCounter,
    runs_ended: IntCounterVec,
    runs_running: IntGauge,
    run_wall: Histogram,
    events: IntCounter,
    events_lost: IntCounter,
    queued: IntGauge,
    shares_busy: IntGauge,
    shares: IntGauge,
    connections: IntGauge,
}

impl Metrics {
    /// Every metric at zero, registered.
    pub fn new() -> Arc<Self> {
        let registry = Registry::new_custom(Some("looplab".into()), None)
            .expect("a valid prefix and no labels");
        let counter = |name: &str, help: &str| {
            let c = IntCounter::with_opts(Opts::new(name, help)).expect("valid metric");
            registry.register(Box::new(c.clone())).expect("unique");
            c
        };
        let gauge = |name: &str, help: &str| {
            let g = IntGauge::with_opts(Opts::new(name, help)).expect("valid metric");
            registry.register(Box::new(g.clone())).expect("unique");
            g
        };
        let runs_ended = IntCounterVec::new(
            Opts::new("runs_ended_total", "Runs ended, by outcome (completed, stopped, timed_out, too_many_events, failed, or disconnected: the client went away mid-run)."),
            &["outcome"],
        )
        .expect("valid metric");
        registry
            .register(Box::new(runs_ended.clone()))
            .expect("unique");
        let run_wall = Histogram::with_opts(
            HistogramOpts::new(
                "run_wall_seconds",
                "Runs' wall time, from their start until their processes were gone.",
            )
            .buckets(RUN_WALL_BUCKETS_S.to_vec()),
        )
        .expect("valid metric");
        registry
            .register(Box::new(run_wall.clone()))
            .expect("unique");
        Arc::new(Self {
            runs_started: counter("runs_started_total", "Runs started."),
            runs_running: gauge("runs_running", "Runs under way now."),
            events: counter("events_total", "Events of runs sent to clients."),
            events_lost: counter(
                "events_lost_total",
                "Events runs recorded but could not keep (over their bounded queues).",
            ),
            queued: gauge(
                "run_queue_length",
                "Runs waiting for their shares (at most MAX_QUEUED_RUNS).",
            ),
            shares_busy: gauge(
                "run_shares_busy",
                "Shares of the run slots held by runs (a run that only waits holds one, a run that computes every share of its cores).",
            ),
            shares: gauge(
                "run_shares",
                "Shares of the run slots in all: --run-cores x --light-runs-per-core.",
            ),
            connections: gauge("connections_open", "WebSocket connections open now."),
            runs_ended,
            run_wall,
            registry,
        })
    }

    /// A run started: [`RunMeter::end`] or dropping the meter counts its end.
    pub fn start_run(self: &Arc<Self>) -> RunMeter {
        self.runs_started.inc();
        self.runs_running.inc();
        RunMeter {
            metrics: Arc::clone(self),
            started: Instant::now(),
            ended: false,
        }
    }

    /// The metrics in Prometheus's text format, admission's gauges read now.
    pub fn render(&self, admission: &Admission) -> String {
        let gauge = |g: &IntGauge, n: usize| g.set(i64::try_from(n).unwrap_or(i64::MAX));
        gauge(&self.queued, admission.queue_len());
        let shares = admission.capacity().shares();
        gauge(&self.shares, shares as usize);
        gauge(
            &self.shares_busy,
            shares.saturating_sub(admission.free_shares()) as usize,
        );
        gauge(&self.connections, admission.open_connections());
        let mut text = Vec::new();
        // Writing to a Vec fails only for metrics the registry would have refused.
        let _ = TextEncoder::new().encode(&self.registry.gather(), &mut text);
        String::from_utf8(text).unwrap_or_default()
    }
}

/// A run under way, counted once when it ends.
#[derive(Debug)]
pub struct RunMeter {
    metrics: Arc<Metrics>,
    started: Instant,
    ended: bool,
}

impl RunMeter {
    /// `n` of the run's events were sent to its client.
    pub fn carried(&self, n: u64) {
        if n > 0 {
            self.metrics.events.inc_by(n);
        }
    }

    /// The run ended as its `run_ended` says.
    pub fn end(&mut self, outcome: &Outcome, wall_ns: u64, events_lost: u64) {
        self.count(outcome_label(outcome), wall_ns as f64 / 1e9);
        self.metrics.events_lost.inc_by(events_lost);
    }

    fn count(&mut self, outcome: &str, wall_s: f64) {
        if std::mem::replace(&mut self.ended, true) {
            return;
        }
        let m = &self.metrics;
        m.runs_ended.with_label_values(&[outcome]).inc();
        m.runs_running.dec();
        m.run_wall.observe(wall_s);
    }
}

impl Drop for RunMeter {
    /// A run dropped before its end reached the session: its client went away.
    fn drop(&mut self) {
        let wall = self.started.elapsed().as_secs_f64();
        self.count(DISCONNECTED, wall);
    }
}

/// The `outcome` label of `outcome`, as the protocol spells it.
pub fn outcome_label(outcome: &Outcome) -> &'static str {
    match outcome {
        Outcome::Completed => "completed",
        Outcome::Stopped => "stopped",
        Outcome::TimedOut => "timed_out",
        Outcome::TooManyEvents => "too_many_events",
        Outcome::Deadlocked { .. } => "deadlocked",
        Outcome::Failed { .. } => "failed",
    }
}
