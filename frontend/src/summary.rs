//! A run's figures: wall time, CPU time, achieved parallelism, the loop's largest lag and the
//! requests' latencies.

use looplab_shared::protocol::Outcome;

use crate::state::{RunStatus, RunView, SpanKind};
use crate::timeline::{measured_label, time_label};

/// What the summary table shows.
#[derive(Debug, Clone, PartialEq)]
pub struct Summary {
    /// Measured wall time (so far, while running).
    pub wall_ns: u64,
    /// What an ideal machine would take.
    pub ideal_wall_ns: u64,
    /// Time spent running or burning CPU, all subjects together.
    pub cpu_ns: u64,
    /// `cpu / wall`: how many cores were busy on average.
    pub parallelism: f64,
    /// The loop's largest measured lag.
    pub max_lag_ns: u64,
    /// Requests' latencies, if there were requests.
    pub latency: Option<Latency>,
}

/// Request latency percentiles.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Latency {
    /// How many requests were answered.
    pub count: usize,
    /// Median.
    pub p50_ns: u64,
    /// 99th percentile.
    pub p99_ns: u64,
    /// Slowest.
    pub max_ns: u64,
}

/// The value at quantile `q` of sorted `values` (nearest rank).
fn quantile(sorted: &[u64], q: f64) -> u64 {
    let rank = ((q * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len());
    sorted[rank - 1]
}

/// Summarises `run`.
pub fn summarize(run: &RunView) -> Summary {
    let wall_ns = match run.status {
        RunStatus::Ended { wall_ns, .. } => wall_ns,
        RunStatus::Running => run.last_t_ns,
    };
    let cpu_ns = run
        .tracks
        .iter()
        .flat_map(|t| &t.spans)
        .filter(|s| matches!(s.kind, SpanKind::Running | SpanKind::Cpu))
        .map(|s| s.end.unwrap_or(run.last_t_ns).saturating_sub(s.start))
        .sum();
    let latency = (!run.latencies.is_empty()).then(|| {
        let mut sorted: Vec<u64> = run.latencies.iter().map(|s| s.value_ns).collect();
        sorted.sort_unstable();
        Latency {
            count: sorted.len(),
            p50_ns: quantile(&sorted, 0.5),
            p99_ns: quantile(&sorted, 0.99),
            max_ns: sorted[sorted.len() - 1],
        }
    });
    Summary {
        wall_ns,
        ideal_wall_ns: run.ideal_wall_ns,
        cpu_ns,
        parallelism: if wall_ns == 0 {
            0.0
        } else {
            cpu_ns as f64 / wall_ns as f64
        },
        max_lag_ns: run.lags.iter().map(|s| s.value_ns).max().unwrap_or(0),
        latency,
    }
}

/// Where `run` stands, for machines (`running`, `completed`, `stopped`, `timed-out`,
/// `failed`) and in a sentence: `completed in 2.003 s wall (ideal 2.000 s)`.
pub fn outcome_line(run: &RunView) -> (&'static str, String) {
    let RunStatus::Ended {
        outcome,
        wall_ns,
        events_lost,
    } = &run.status
    else {
        let so_far = run.last_t_ns / 100_000_000 * 100_000_000;
        return ("running", format!("running… {}", time_label(so_far)));
    };
    let took = format!(
        "{} wall (ideal {})",
        measured_label(*wall_ns),
        measured_label(run.ideal_wall_ns)
    );
    let lost = if *events_lost > 0 {
        format!(", {events_lost} events lost")
    } else {
        String::new()
    };
    match outcome {
        Outcome::Completed => ("completed", format!("completed in {took}{lost}")),
        Outcome::Stopped => ("stopped", format!("stopped after {took}{lost}")),
        Outcome::TooManyEvents => (
            "stopped",
            format!("stopped at the event limit after {took}"),
        ),
        Outcome::TimedOut => (
            "timed-out",
            format!("stopped at the time limit after {took}"),
        ),
        Outcome::Failed { reason } => ("failed", format!("failed: {reason}")),
    }
}

#[cfg(test)]
mod tests {

    use super::*;
    use crate::state::{Sample, Span, Track};
    use looplab_shared::protocol::Outcome;

    fn track(spans: &[(u64, u64, SpanKind)]) -> Track {
        Track {
            name: "t".into(),
            spans: spans
                .iter()
                .map(|&(start, end, kind)| Span {
                    start,
                    end: Some(end),
                    kind,
                })
                .collect(),
            prints: vec![],
            end: None,
            home: None,
            kind: None,
        }
    }

    fn samples(pairs: &[(u64, u64)]) -> std::rc::Rc<Vec<Sample>> {
        let to = |&(t_ns, value_ns)| Sample { t_ns, value_ns };
        std::rc::Rc::new(pairs.iter().map(to).collect())
    }

    #[test]
    fn quantiles_are_nearest_rank() {
        let v: Vec<u64> = (1..=100).collect();
        assert_eq!(quantile(&v, 0.5), 50);
        assert_eq!(quantile(&v, 0.99), 99);
        assert_eq!(quantile(&[7], 0.99), 7);
    }

    #[test]
    fn cpu_time_and_parallelism_come_from_the_spans() {
        // Two subjects busy for 100 and 50 ns, plus sleeping and queued time that is not CPU.
        let tracks = vec![
            track(&[(0, 100, SpanKind::Cpu)]),
            track(&[
                (0, 10, SpanKind::Queued),
                (10, 60, SpanKind::Running),
                (60, 100, SpanKind::Suspended),
            ]),
        ];
        let run = RunView {
            status: RunStatus::Ended {
                outcome: Outcome::Completed,
                wall_ns: 100,
                events_lost: 0,
            },
            last_t_ns: 100,
            lags: samples(&[(10, 30), (20, 4)]),
            latencies: samples(&[(10, 5), (20, 1), (30, 9)]),
            ..RunView::started(1, "r".into(), 100, tracks)
        };
        let s = summarize(&run);
        assert_eq!(s.cpu_ns, 150);
        assert_eq!(s.parallelism, 1.5);
        assert_eq!(s.max_lag_ns, 30);
        assert_eq!(
            s.latency,
            Some(Latency {
                count: 3,
                p50_ns: 5,
                p99_ns: 9,
                max_ns: 9
            })
        );
    }
}
