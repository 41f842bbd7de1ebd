//! The timeline's geometry: where each lane, bar, print marker and tick goes. Pure, so it is
//! tested natively; the canvas component only paints what this returns.

use crate::state::{RunView, SpanKind, TrackEnd};

/// Height of one lane, in CSS pixels.
pub const LANE_HEIGHT: f64 = 30.0;
/// Width of the label column on the left.
pub const LABEL_WIDTH: f64 = 140.0;
/// Height of the time axis at the top.
pub const AXIS_HEIGHT: f64 = 26.0;
/// Empty room right of the plot.
pub const RIGHT_PAD: f64 = 32.0;
/// Ticks are at least this far apart.
const MIN_TICK_GAP: f64 = 70.0;

/// A painted stretch of a lane.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Bar {
    /// Which lane (0 is main).
    pub lane: usize,
    /// Left edge.
    pub x: f64,
    /// Width, at least one pixel so short spans stay visible.
    pub w: f64,
    /// What it means.
    pub kind: SpanKind,
    /// Whether the span is still open (the bar grows).
    pub open: bool,
}

/// A time-axis tick.
#[derive(Debug, Clone, PartialEq)]
pub struct Tick {
    /// Where.
    pub x: f64,
    /// Its label: `0`, `500 ms`, `1.5 s`.
    pub label: String,
}

/// A lane's label.
#[derive(Debug, Clone, PartialEq)]
pub struct LaneLabel {
    /// The task's name.
    pub name: String,
    /// How it ended, if it has.
    pub end: Option<TrackEnd>,
}

/// Everything to paint.
#[derive(Debug, Clone, PartialEq)]
pub struct Layout {
    /// Full width, as given.
    pub width: f64,
    /// Full height: the axis and every lane.
    pub height: f64,
    /// One per lane, top to bottom.
    pub lanes: Vec<LaneLabel>,
    /// Spans as bars.
    pub bars: Vec<Bar>,
    /// Print markers: (lane, x).
    pub prints: Vec<(usize, f64)>,
    /// The axis.
    pub ticks: Vec<Tick>,
}

/// Time shown across the plot: the ideal length of the run, stretched when the run takes
/// longer, so the axis stays still while bars grow across it.
pub fn visible_ns(run: &RunView, now_ns: u64) -> u64 {
    run.ideal_wall_ns.max(run.last_t_ns).max(now_ns).max(1)
}

/// x of time `t` (ns since the run began).
pub fn x_of(t: u64, visible_ns: u64, width: f64) -> f64 {
    let plot = (width - LABEL_WIDTH - RIGHT_PAD).max(1.0);
    LABEL_WIDTH + t as f64 / visible_ns as f64 * plot
}

/// Lays out `run` as seen at `now_ns` on a canvas `width` pixels wide.
pub fn layout(run: &RunView, now_ns: u64, width: f64) -> Layout {
    let visible = visible_ns(run, now_ns);
    let now = now_ns.max(run.last_t_ns);
    let mut bars = Vec::new();
    let mut prints = Vec::new();
    for (lane, track) in run.tracks.iter().enumerate() {
        for span in &track.spans {
            let x = x_of(span.start, visible, width);
            let end = span.end.unwrap_or(now);
            bars.push(Bar {
                lane,
                x,
                w: (x_of(end, visible, width) - x).max(1.0),
                kind: span.kind,
                open: span.end.is_none(),
            });
        }
        prints.extend(
            track
                .prints
                .iter()
                .map(|&t| (lane, x_of(t, visible, width))),
        );
    }
    Layout {
        width,
        height: AXIS_HEIGHT + LANE_HEIGHT * run.tracks.len() as f64,
        lanes: run
            .tracks
            .iter()
            .map(|t| LaneLabel {
                name: t.name.clone(),
                end: t.end,
            })
            .collect(),
        bars,
        prints,
        ticks: ticks(visible, width),
    }
}

/// Ticks at round times (1, 2 or 5 times a power of ten) at least [`MIN_TICK_GAP`] apart.
pub fn ticks(visible_ns: u64, width: f64) -> Vec<Tick> {
    let plot = (width - LABEL_WIDTH - RIGHT_PAD).max(1.0);
    let min_step = visible_ns as f64 * MIN_TICK_GAP / plot;
    let mut step = 1.0;
    'search: loop {
        for m in [1.0, 2.0, 5.0] {
            if step * m >= min_step {
                step *= m;
                break 'search;
            }
        }
        step *= 10.0;
    }
    let count = (visible_ns as f64 / step).floor() as u64;
    (0..=count)
        .map(|i| {
            let t = (i as f64 * step) as u64;
            Tick {
                x: x_of(t, visible_ns, width),
                label: time_label(t),
            }
        })
        .collect()
}

/// `0`, `250 µs`, `500 ms`, `1.5 s`.
pub fn time_label(ns: u64) -> String {
    let ns = ns as f64;
    if ns == 0.0 {
        "0".into()
    } else if ns >= 1e9 {
        format!("{} s", trim(ns / 1e9))
    } else if ns >= 1e6 {
        format!("{} ms", trim(ns / 1e6))
    } else if ns >= 1e3 {
        format!("{} µs", trim(ns / 1e3))
    } else {
        format!("{ns} ns")
    }
}

/// A measured time with its precision kept: `183.96 µs`, `1000.41 ms`, `2.002 s`.
pub fn measured_label(ns: u64) -> String {
    let ns = ns as f64;
    if ns >= 1e9 {
        format!("{:.3} s", ns / 1e9)
    } else if ns >= 1e6 {
        format!("{:.2} ms", ns / 1e6)
    } else if ns >= 1e3 {
        format!("{:.2} µs", ns / 1e3)
    } else {
        format!("{ns} ns")
    }
}

fn trim(v: f64) -> String {
    let s = format!("{v:.2}");
    s.trim_end_matches('0').trim_end_matches('.').to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state::{RunStatus, Span, Track};

    fn run(ideal: u64, spans: Vec<Span>) -> RunView {
        RunView {
            run_id: 1,
            name: "r".into(),
            ideal_wall_ns: ideal,
            status: RunStatus::Running,
            tracks: vec![Track {
                name: "main".into(),
                spans,
                prints: vec![500],
                end: None,
            }],
            console: vec![],
            last_t_ns: 0,
            next_seq: 1,
            max_lag_ns: 0,
            latencies_ns: vec![],
            gaps: 0,
        }
    }

    #[test]
    fn labels() {
        let check = |ns, want: &str| assert_eq!(time_label(ns), want);
        check(0, "0");
        check(999, "999 ns");
        check(250_000, "250 µs");
        check(500_000_000, "500 ms");
        check(1_500_000_000, "1.5 s");
        check(2_000_000_000, "2 s");
    }

    #[test]
    fn measured_labels_keep_their_precision() {
        assert_eq!(measured_label(2_002_345_678), "2.002 s");
        assert_eq!(measured_label(1_000_410_000), "1.000 s");
        assert_eq!(measured_label(999_999_000), "1000.00 ms");
        assert_eq!(measured_label(183_960), "183.96 µs");
        assert_eq!(measured_label(12), "12 ns");
    }

    #[test]
    fn ticks_are_round_and_spread() {
        // 2 s across 1000 - 172 = 828 px: 70 px is ~169 ms, so a tick every 200 ms.
        let ticks = ticks(2_000_000_000, 1000.0);
        let labels: Vec<_> = ticks.iter().map(|t| t.label.as_str()).collect();
        assert_eq!(labels[..3], ["0", "200 ms", "400 ms"]);
        assert_eq!(labels.last(), Some(&"2 s"));
        assert!(ticks.windows(2).all(|w| w[1].x - w[0].x >= MIN_TICK_GAP));
        assert_eq!(ticks[0].x, LABEL_WIDTH);
        assert_eq!(ticks.last().unwrap().x, 1000.0 - RIGHT_PAD);
    }

    #[test]
    fn bars_sit_at_their_times_and_open_ones_grow_to_now() {
        let spans = vec![
            Span {
                start: 0,
                end: Some(250),
                kind: SpanKind::Running,
            },
            Span {
                start: 250,
                end: None,
                kind: SpanKind::Suspended,
            },
        ];
        let width = LABEL_WIDTH + RIGHT_PAD + 1000.0; // 1 px per ns for an ideal of 1000 ns
        let l = layout(&run(1000, spans.clone()), 600, width);
        assert_eq!(
            l.bars[0],
            Bar {
                lane: 0,
                x: LABEL_WIDTH,
                w: 250.0,
                kind: SpanKind::Running,
                open: false
            }
        );
        assert_eq!(
            l.bars[1],
            Bar {
                lane: 0,
                x: LABEL_WIDTH + 250.0,
                w: 350.0,
                kind: SpanKind::Suspended,
                open: true
            }
        );
        assert_eq!(l.prints, vec![(0, LABEL_WIDTH + 500.0)]);
        assert_eq!(l.height, AXIS_HEIGHT + LANE_HEIGHT);

        // Past the ideal length, the axis stretches so the run still fits.
        let l = layout(&run(1000, spans), 2000, width);
        assert_eq!(l.bars[1].x + l.bars[1].w, width - RIGHT_PAD);
    }
}
