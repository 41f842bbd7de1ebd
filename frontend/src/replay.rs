//! Replay: a finished run as it stood at any moment, so the timeline, the console and the
//! summary can be scrubbed and played back.

use std::rc::Rc;

use crate::state::{RunStatus, RunView};

/// Speeds the replay offers.
pub const SPEEDS: [f64; 5] = [0.25, 0.5, 1.0, 2.0, 4.0];

/// `run` as it stood `t` ns after it began: later spans, prints, lines, lags and answers are gone,
/// spans under way are open, and the run counts as still going unless `t` is its end.
pub fn cut(run: &RunView, t: u64) -> RunView {
    let mut at = run.clone();
    for track in &mut at.tracks {
        let track = Rc::make_mut(track);
        track.spans.retain(|s| s.start <= t);
        if let Some(last) = track.spans.last_mut()
            && last.end.is_some_and(|end| end > t)
        {
            last.end = None;
        }
        track.prints.retain(|&p| p <= t);
        track.gathers.retain(|&(start, _)| start <= t);
        let ended = track.spans.iter().all(|s| s.end.is_some());
        if !ended || track.spans.is_empty() {
            track.end = None;
        }
    }
    Rc::make_mut(&mut at.console).retain(|l| l.t_ns <= t);
    Rc::make_mut(&mut at.uses).retain(|u| u.t_ns <= t);
    // The loop's lag and the requests' latencies as measured by then, not the run's totals.
    Rc::make_mut(&mut at.lags).retain(|s| s.t_ns <= t);
    Rc::make_mut(&mut at.latencies).retain(|s| s.t_ns <= t);
    at.last_t_ns = t.min(run.last_t_ns);
    let wall = run.wall_ns();
    if t < wall {
        at.status = RunStatus::Running;
    }
    at
}

/// Where a replay playing at `speed` is after `elapsed_ms` of real time from `from`, capped
/// at `end`.
pub fn advance(from: u64, speed: f64, elapsed_ms: f64, end: u64) -> u64 {
    (from as f64 + elapsed_ms * 1e6 * speed)
        .min(end as f64)
        .max(0.0) as u64
}

#[cfg(test)]
mod tests {
    use looplab_shared::protocol::{Outcome, SubjectKind};

    use super::*;
    use crate::state::{Line, Sample, Span, SpanKind, Track, TrackEnd};
    use crate::summary::summarize;

    fn run() -> RunView {
        let track = Track {
            name: "t".into(),
            spans: vec![
                Span {
                    start: 0,
                    end: Some(40),
                    kind: SpanKind::Running,
                    on: None,
                },
                Span {
                    start: 40,
                    end: Some(90),
                    kind: SpanKind::Suspended,
                    on: None,
                },
            ],
            prints: vec![10, 95],
            end: Some(TrackEnd::Finished),
            home: None,
            kind: Some(SubjectKind::Task),
            parent: None,
            gathers: Vec::new(),
        };
        let sample = |t_ns, value_ns| Sample {
            t_ns,
            value_ns,
            subject: 0,
        };
        let line = |t_ns, text: &str| Line {
            t_ns,
            task: 0,
            text: text.into(),
        };
        RunView {
            status: RunStatus::Ended {
                outcome: Outcome::Completed,
                wall_ns: 100,
                events_lost: 0,
            },
            console: vec![line(10, "a"), line(95, "b")].into(),
            last_t_ns: 100,
            next_seq: 9,
            // The loop lagged 30 ns at 20, and 70 ns at 80; requests were answered at 30
            // (in 5 ns) and at 85 (in 60 ns).
            lags: vec![sample(20, 30), sample(80, 70)].into(),
            latencies: vec![sample(30, 5), sample(85, 60)].into(),
            ..RunView::started(1, "r".into(), 100, vec![track])
        }
    }

    #[test]
    fn a_cut_shows_the_run_as_it_stood() {
        let at = cut(&run(), 50);
        let track = &at.tracks[0];
        assert_eq!(
            track.spans[1],
            Span {
                start: 40,
                end: None,
                kind: SpanKind::Suspended,
                on: None,
            }
        );
        assert_eq!(track.prints, vec![10]);
        assert_eq!(track.end, None, "not finished yet at 50");
        assert_eq!(at.console.len(), 1);
        assert_eq!(at.status, RunStatus::Running);
        assert_eq!(at.last_t_ns, 50);
        assert_eq!(cut(&run(), 20).tracks[0].spans.len(), 1);
        // At its end, the cut is the run.
        assert_eq!(cut(&run(), 100), run());
    }

    #[test]
    fn a_cut_summary_shows_what_was_measured_by_then() {
        let at_50 = summarize(&cut(&run(), 50));
        assert_eq!(at_50.max_lag_ns, Some(30), "the 70 ns lag came later");
        let latency = at_50.latency[0].1;
        assert_eq!((latency.count, latency.max_ns), (1, 5));
        assert!(summarize(&cut(&run(), 10)).latency.is_empty());
        assert_eq!(summarize(&cut(&run(), 100)).max_lag_ns, Some(70));
    }

    #[test]
    fn playback_moves_at_its_speed_and_stops_at_the_end() {
        assert_eq!(advance(0, 0.25, 1000.0, u64::MAX), 250_000_000);
        assert_eq!(advance(10, 4.0, 1.0, u64::MAX), 4_000_010);
        assert_eq!(advance(0, 4.0, 1e9, 100), 100);
    }
}
