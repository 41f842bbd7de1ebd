//! A run's figures: wall time, CPU time, achieved parallelism, the loop's largest lag and the
//! requests' latencies.

use looplab_shared::protocol::{Outcome, SubjectKind};

use crate::state::{RunStatus, RunView, Span};
use crate::timeline::{measured_label, time_label};

/// What the summary table shows.
#[derive(Debug, Clone, PartialEq)]
pub struct Summary {
    /// Measured wall time (so far, while running).
    pub wall_ns: u64,
    /// What the run is measured against: the length its lesson states, or else the ideal
    /// schedule's.
    pub expected: Expected,
    /// Time spent running or burning CPU, all subjects together, counting no more than the
    /// machine's cores at any moment (more runnable threads than cores share them).
    pub cpu_ns: u64,
    /// `cpu / wall`: how many cores were busy on average, at most the machine's.
    pub parallelism: f64,
    /// The loop's largest measured lag; `None` when the run has no event loop.
    pub max_lag_ns: Option<u64>,
    /// Requests' latencies by route (`GET /compute`), in the routes' order of first answer.
    pub latency: Vec<(String, Latency)>,
}

/// What a run's wall time is compared with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expected {
    /// The ideal schedule: sleeps overlap, pools run as many jobs as they have workers, no
    /// contention.
    Ideal(u64),
    /// The length the lesson states, where contention (the GIL, a blocked loop) is the point.
    Predicted(u64),
    /// Nothing: the run deadlocked, and a deadlock has no end to expect. Its wall time is
    /// when looplab saw that nothing could move and stopped it.
    Never,
}

impl Expected {
    /// What `run` is compared with.
    pub fn of(run: &RunView) -> Self {
        if let RunStatus::Ended {
            outcome: Outcome::Deadlocked { .. },
            ..
        } = run.status
        {
            return Expected::Never;
        }
        run.predicted_wall_ns
            .map_or(Expected::Ideal(run.ideal_wall_ns), Expected::Predicted)
    }

    /// In words, to follow a measured time: `ideal 1.000 s`, `predicted 2.000 s`.
    pub fn label(self) -> String {
        match self {
            Expected::Ideal(ns) => format!("ideal {}", measured_label(ns)),
            Expected::Predicted(ns) => format!("predicted {}", measured_label(ns)),
            Expected::Never => "stopped: a deadlock never ends".into(),
        }
    }

    /// What the figure is, for a tooltip.
    pub fn meaning(self) -> &'static str {
        match self {
            Expected::Ideal(_) => {
                "ideal: the schedule with no contention — sleeps overlap, a gather takes its \
                 longest call, a pool runs as many jobs at once as it has workers"
            }
            Expected::Predicted(_) => {
                "predicted: the length the lesson states, contention (the GIL, a blocked \
                 loop) included"
            }
            Expected::Never => {
                "a deadlocked run has no end: its tasks wait on each other forever, so looplab \
                 stopped it once nothing could move"
            }
        }
    }
}

/// Where spans that use a core begin (+1) and end (-1), up to `now`, in time order.
fn core_edges<'a>(spans: impl Iterator<Item = &'a Span>, now: u64) -> Vec<(u64, i32)> {
    let mut edges: Vec<(u64, i32)> = Vec::new();
    for s in spans.filter(|s| s.kind.uses_core()) {
        let end = s.end.unwrap_or(now).min(now);
        if end > s.start {
            edges.push((s.start, 1));
            edges.push((end, -1));
        }
    }
    // An end sorts before a start at the same moment: a hand-over is not two at once.
    edges.sort_unstable();
    edges
}

/// Core time used up to `now`: the integral over time of how many subjects were on a core,
/// at most `cores` at once. A sweep over the spans' edges.
fn core_ns<'a>(spans: impl Iterator<Item = &'a Span>, now: u64, cores: u32) -> u64 {
    let (mut busy, mut from, mut total) = (0i32, 0u64, 0u64);
    for (t, delta) in core_edges(spans, now) {
        total += (t - from) * busy.clamp(0, cores.max(1) as i32) as u64;
        busy += delta;
        from = t;
    }
    total
}

/// How long a number of cores must stay busy together to count as that many at once: under
/// the GIL, two threads overlap for a moment as one hands over to the other (every
/// `GIL_SWITCH_MS`), which is not two cores working.
pub const PEAK_MIN_NS: u64 = 2 * looplab_shared::limits::GIL_SWITCH_MS * 1_000_000;

/// The most cores `run` kept busy at once for at least [`PEAK_MIN_NS`], at most the
/// machine's.
pub fn peak_cores(run: &RunView) -> u32 {
    let spans = run.tracks.iter().flat_map(|t| &t.spans);
    let (mut busy, mut from, mut peak) = (0i32, 0u64, 0i32);
    for (t, delta) in core_edges(spans, run.last_t_ns) {
        if t - from >= PEAK_MIN_NS {
            peak = peak.max(busy);
        }
        busy += delta;
        from = t;
    }
    (peak.max(0) as u32).min(run.cores.max(1))
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
    let wall_ns = run.wall_ns();
    let spans = run.tracks.iter().flat_map(|t| &t.spans);
    let cpu_ns = core_ns(spans, run.last_t_ns, run.cores);
    // A request is named by its route and number: `GET /compute #3`.
    let mut routes: Vec<(String, Vec<u64>)> = Vec::new();
    for sample in run.latencies.iter() {
        let name = run
            .tracks
            .get(sample.subject as usize)
            .map_or("", |t| t.name.as_str());
        let route = name.split_once(" #").map_or(name, |(route, _)| route);
        match routes.iter_mut().find(|(r, _)| r == route) {
            Some((_, values)) => values.push(sample.value_ns),
            None => routes.push((route.to_owned(), vec![sample.value_ns])),
        }
    }
    let latency = routes
        .into_iter()
        .map(|(route, mut sorted)| {
            sorted.sort_unstable();
            let latency = Latency {
                count: sorted.len(),
                p50_ns: quantile(&sorted, 0.5),
                p99_ns: quantile(&sorted, 0.99),
                max_ns: sorted[sorted.len() - 1],
            };
            (route, latency)
        })
        .collect();
    // Tasks and requests live on a loop; a run without them has no loop to lag.
    let has_loop = run
        .tracks
        .iter()
        .any(|t| matches!(t.kind, Some(SubjectKind::Task | SubjectKind::Request)));
    Summary {
        wall_ns,
        expected: Expected::of(run),
        cpu_ns,
        parallelism: if wall_ns == 0 {
            0.0
        } else {
            cpu_ns as f64 / wall_ns as f64
        },
        max_lag_ns: has_loop.then(|| run.lags.iter().map(|s| s.value_ns).max().unwrap_or(0)),
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
    let wall = measured_label(*wall_ns);
    let took = format!("{wall} wall ({})", Expected::of(run).label());
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
        Outcome::Deadlocked { stuck } => (
            "failed",
            format!(
                "deadlocked: stopped after {wall}, when nothing could move any more: {}",
                crate::deadlock::deadlock_words(run, stuck)
            ),
        ),
        Outcome::Failed { reason } => ("failed", format!("failed: {reason}")),
    }
}

#[cfg(test)]
mod tests {

    use super::*;
    use crate::state::{Sample, SpanKind, Track};
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
                    on: None,
                })
                .collect(),
            prints: vec![],
            end: None,
            home: None,
            kind: None,
            parent: None,
            gathers: Vec::new(),
        }
    }

    fn samples(pairs: &[(u64, u64)]) -> std::rc::Rc<Vec<Sample>> {
        let to = |&(t_ns, value_ns)| Sample {
            t_ns,
            value_ns,
            subject: 0,
        };
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
        assert_eq!(s.expected, Expected::Ideal(100));
        // No task ran: there was no loop to lag.
        assert_eq!(s.max_lag_ns, None);
        assert_eq!(
            s.latency,
            vec![(
                "t".to_owned(),
                Latency {
                    count: 3,
                    p50_ns: 5,
                    p99_ns: 9,
                    max_ns: 9
                }
            )]
        );
    }

    fn ended(wall_ns: u64, tracks: Vec<Track>) -> RunView {
        RunView {
            status: RunStatus::Ended {
                outcome: Outcome::Completed,
                wall_ns,
                events_lost: 0,
            },
            last_t_ns: wall_ns,
            ..RunView::started(1, "r".into(), wall_ns, tracks)
        }
    }

    #[test]
    fn no_more_cores_are_busy_than_the_machine_has() {
        // Four threads computing at once on two cores: they share them, two busy at a time.
        let four = (0..4).map(|_| track(&[(0, 100, SpanKind::Cpu)])).collect();
        let s = summarize(&RunView {
            cores: 2,
            ..ended(100, four)
        });
        assert_eq!((s.cpu_ns, s.parallelism), (200, 2.0));
        // Stretches over two cores count in full, the overlap only up to the cores.
        let staggered = vec![
            track(&[(0, 60, SpanKind::Cpu)]),
            track(&[(20, 80, SpanKind::Running)]),
            track(&[(40, 100, SpanKind::Cpu)]),
        ];
        assert_eq!(summarize(&ended(100, staggered)).cpu_ns, 20 + 2 * 60 + 20);
    }

    #[test]
    fn waiting_for_others_is_not_cpu() {
        // A thread that waits for rayon's chunks or joins others holds no core while it does.
        let tracks = vec![
            track(&[(0, 10, SpanKind::Running), (10, 100, SpanKind::Waiting)]),
            track(&[(10, 100, SpanKind::Cpu)]),
            track(&[(10, 100, SpanKind::Cpu)]),
        ];
        let s = summarize(&ended(100, tracks));
        assert_eq!(s.cpu_ns, 10 + 2 * 90);
        assert!(s.parallelism <= 2.0);
    }

    #[test]
    fn a_lesson_that_states_its_length_is_measured_against_it() {
        let run = RunView {
            predicted_wall_ns: Some(2_000),
            ..ended(2_100, vec![])
        };
        assert_eq!(summarize(&run).expected, Expected::Predicted(2_000));
        assert!(
            outcome_line(&run).1.contains("predicted"),
            "{:?}",
            outcome_line(&run)
        );
    }

    #[test]
    fn latency_is_per_route_and_a_loop_can_lag_only_if_there_is_one() {
        let request = |name: &str| Track {
            name: name.into(),
            kind: Some(SubjectKind::Request),
            ..track(&[])
        };
        let tracks = vec![
            track(&[]),
            request("GET / #1"),
            request("GET /compute #1"),
            request("GET / #2"),
        ];
        let answered = |subject, value_ns| Sample {
            t_ns: 50,
            value_ns,
            subject,
        };
        let run = RunView {
            latencies: vec![answered(1, 2), answered(2, 1500), answered(3, 4)].into(),
            ..ended(100, tracks)
        };
        let s = summarize(&run);
        let routes: Vec<_> = s
            .latency
            .iter()
            .map(|(r, l)| (r.as_str(), l.count, l.max_ns))
            .collect();
        assert_eq!(routes, [("GET /", 2, 4), ("GET /compute", 1, 1500)]);
        assert_eq!(s.max_lag_ns, Some(0), "a server's loop that never lagged");
    }
}
