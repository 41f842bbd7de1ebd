use looplab_shared::protocol::Lane;

use super::*;
use crate::state::{Home, Span, Track};

pub(super) fn run(ideal: u64, tracks: Vec<Track>) -> RunView {
    RunView::started(1, "r".into(), ideal, tracks)
}

pub(super) fn track(name: &str, lane: Lane, spans: Vec<Span>) -> Track {
    Track {
        name: name.into(),
        spans,
        prints: vec![500],
        end: None,
        home: Some(Home {
            pid: 7,
            tid: 8,
            lane,
        }),
        kind: None,
        parent: None,
        gathers: Vec::new(),
    }
}

pub(super) fn span(start: u64, end: Option<u64>, kind: SpanKind) -> Span {
    Span {
        start,
        end,
        kind,
        on: None,
    }
}

/// 1 px per ns for a view of 1000 ns.
pub(super) const WIDTH: f64 = LABEL_WIDTH + RIGHT_PAD + 1000.0;

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
    assert_eq!(measured_label(999_999_000), "1000.00 ms");
    assert_eq!(measured_label(183_960), "183.96 µs");
    assert_eq!(measured_label(12), "12 ns");
}

#[test]
fn ticks_are_round_and_spread() {
    let view = View {
        start: 0,
        end: 2_000_000_000,
    };
    let ticks = ticks(view, 1000.0 + LABEL_WIDTH + RIGHT_PAD);
    let labels: Vec<_> = ticks.iter().map(|t| t.label.as_str()).collect();
    assert_eq!(labels[..3], ["0", "200 ms", "400 ms"]);
    assert_eq!(labels.last(), Some(&"2 s"));
    assert!(ticks.windows(2).all(|w| w[1].x - w[0].x >= MIN_TICK_GAP));
    // A zoomed view starts at its first round time, not at 0.
    let zoomed = super::ticks(
        View {
            start: 250,
            end: 1250,
        },
        WIDTH,
    );
    assert_eq!(zoomed[0].label, "300 ns");
}

#[test]
fn bars_sit_at_their_times_and_open_ones_grow_to_now() {
    let spans = vec![
        span(0, Some(250), SpanKind::Running),
        span(250, None, SpanKind::Suspended),
    ];
    let r = run(1000, vec![track("main", Lane::Loop, spans.clone())]);
    let l = layout(&r, 600, View::fit(&r, 600), WIDTH, 0..usize::MAX);
    let bars = &l.rows[0].bars;
    assert_eq!((bars[0].x, bars[0].w), (LABEL_WIDTH, 250.0));
    assert_eq!(
        (bars[1].x, bars[1].w, bars[1].open),
        (LABEL_WIDTH + 250.0, 350.0, true)
    );
    assert_eq!(l.rows[0].prints, vec![LABEL_WIDTH + 500.0]);
    assert_eq!(l.height, AXIS_HEIGHT + LANE_HEIGHT);
    // Past the ideal length, the fitted axis stretches so the run still fits.
    let l = layout(&r, 2000, View::fit(&r, 2000), WIDTH, 0..usize::MAX);
    assert_eq!(l.rows[0].bars[1].x + l.rows[0].bars[1].w, WIDTH - RIGHT_PAD);
}

#[test]
fn rows_are_grouped_by_where_they_ran_and_labelled() {
    let s = || vec![span(0, Some(10), SpanKind::Running)];
    let r = run(
        100,
        vec![
            track("main", Lane::Loop, s()),
            track("proc", Lane::Process, s()),
            track("job", Lane::PoolWorker { pool: 0, worker: 1 }, s()),
            track("task", Lane::Loop, s()),
        ],
    );
    let l = layout(&r, 100, View::fit(&r, 100), WIDTH, 0..usize::MAX);
    let names: Vec<_> = l.rows.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(names, ["main", "task", "job", "proc"]);
    let places: Vec<_> = l.rows.iter().map(|r| r.place.as_str()).collect();
    assert_eq!(
        places,
        [
            "main thread · tid 8",
            "main thread · tid 8",
            "pool 0 · worker 1 · tid 8",
            "process · pid 7"
        ]
    );
}

#[test]
fn zoom_keeps_the_anchor_and_pan_stays_inside() {
    const MS: u64 = 1_000_000;
    let view = View {
        start: 0,
        end: 1000 * MS,
    };
    let zoomed = view.zoom(0.5, 500 * MS, 1000 * MS);
    assert_eq!(
        zoomed,
        View {
            start: 250 * MS,
            end: 750 * MS
        }
    );
    // The anchor stays put: the time under the pointer before is under it after.
    let off_centre = view.zoom(0.5, 200 * MS, 1000 * MS);
    assert_eq!(
        off_centre,
        View {
            start: 100 * MS,
            end: 600 * MS
        }
    );
    assert_eq!(
        zoomed.pan(-1000 * MS as i64, 1000 * MS),
        View {
            start: 0,
            end: 500 * MS
        }
    );
    assert_eq!(
        zoomed.pan(1000 * MS as i64, 1000 * MS),
        View {
            start: 500 * MS,
            end: 1000 * MS
        }
    );
    assert_eq!(
        view.zoom(4.0, 0, 1000 * MS),
        view,
        "never wider than the run"
    );
    let deepest = view.zoom(1e-12, 300 * MS, 1000 * MS);
    assert_eq!(
        deepest.end - deepest.start,
        MIN_VIEW_NS,
        "never narrower than a microsecond"
    );
    assert_eq!(view.t(view.x(400 * MS, WIDTH), WIDTH), 400 * MS);
}

#[test]
fn bars_outside_the_view_are_left_out_and_hits_find_the_bar() {
    let spans = vec![
        span(0, Some(100), SpanKind::Queued),
        span(100, Some(400), SpanKind::Running),
        span(400, Some(900), SpanKind::Suspended),
    ];
    let r = run(1000, vec![track("main", Lane::Loop, spans)]);
    let l = layout(
        &r,
        1000,
        View {
            start: 500,
            end: 1000,
        },
        WIDTH,
        0..usize::MAX,
    );
    assert_eq!(l.bar_count(), 1, "only the suspended span reaches past 500");
    let l = layout(&r, 1000, View::fit(&r, 1000), WIDTH, 0..usize::MAX);
    let y = AXIS_HEIGHT + LANE_HEIGHT / 2.0;
    let (row, bar) = l.hit(LABEL_WIDTH + 250.0, y).unwrap();
    assert_eq!((row.name.as_str(), bar.kind), ("main", SpanKind::Running));
    assert_eq!(
        l.hit(LABEL_WIDTH + 950.0, y),
        None,
        "nothing after the last span"
    );
    assert_eq!(
        l.hit(LABEL_WIDTH + 250.0, AXIS_HEIGHT + LANE_HEIGHT * 1.5),
        None,
        "no second row"
    );
}

#[test]
fn only_the_rows_in_view_are_laid_out() {
    let s = || vec![span(0, Some(10), SpanKind::Running)];
    let tracks = (0..10_000)
        .map(|i| track(&format!("t{i}"), Lane::Loop, s()))
        .collect();
    let r = run(100, tracks);
    let l = layout(&r, 100, View::fit(&r, 100), WIDTH, 5_000..5_020);
    assert_eq!(l.total_rows, 10_000);
    assert_eq!(l.rows.len(), 20);
    assert_eq!(l.rows[0].name, "t5000");
    assert_eq!(l.height, AXIS_HEIGHT + 20.0 * LANE_HEIGHT);
}

#[test]
fn thread_lanes_show_what_each_thread_ran() {
    let home = |tid, lane| Some(Home { pid: 7, tid, lane });
    let mut a = track(
        "job(A)",
        Lane::PoolWorker { pool: 0, worker: 0 },
        vec![
            span(0, Some(10), SpanKind::Queued),
            span(10, Some(40), SpanKind::Cpu),
        ],
    );
    a.home = home(21, Lane::PoolWorker { pool: 0, worker: 0 });
    let mut b = track(
        "job(B)",
        Lane::PoolWorker { pool: 0, worker: 0 },
        vec![span(40, Some(90), SpanKind::Cpu)],
    );
    b.home = home(21, Lane::PoolWorker { pool: 0, worker: 0 });
    let mut main = track(
        "main",
        Lane::Loop,
        vec![span(0, Some(100), SpanKind::Suspended)],
    );
    main.home = home(20, Lane::Loop);
    let r = run(100, vec![main, a, b]);
    let threads = Shape {
        rows: Rows::Threads,
        expanded: false,

        ..Shape::default()
    };
    let l = layout_as(threads, &r, 100, View::fit(&r, 100), WIDTH, 0..usize::MAX);
    let names: Vec<_> = l.rows.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(
        names,
        ["main thread · tid 20", "pool 0 · worker 0 · tid 21"]
    );
    // The loop only waited: nothing occupied its thread. The worker ran A, then B.
    assert!(l.rows[0].bars.is_empty());
    let worker: Vec<_> = l.rows[1]
        .bars
        .iter()
        .map(|b| (b.subject, b.start))
        .collect();
    assert_eq!(worker, [(1, 10), (2, 40)]);
    assert_eq!(l.rows[1].place, "2 ran here");
}

#[test]
fn a_phone_keeps_most_of_its_width_for_the_plot() {
    assert_eq!(label_width(1200.0), LABEL_WIDTH);
    assert_eq!(label_width(340.0), MIN_LABEL_WIDTH);
    let view = View { start: 0, end: 100 };
    assert_eq!(view.x(0, 340.0), MIN_LABEL_WIDTH);
    assert_eq!(view.x(100, 340.0), 340.0 - RIGHT_PAD);
    // A drag moves the view by what the pointer moved over the plot.
    let plot = plot_width(340.0);
    let dragged = View { start: 0, end: 50 }.drag(-plot / 5.0, 340.0, 100);
    assert_eq!(dragged, View { start: 10, end: 60 });
}

mod cause;
mod folding;
mod ghost;

#[test]
fn a_loop_thread_other_than_the_main_one_is_a_loop_worker() {
    let at = |tid, lane| Some(Home { pid: 7, tid, lane });
    let main = at(8, Lane::Loop);
    assert_eq!(place(main, main), "main thread · tid 8");
    assert_eq!(place(at(9, Lane::Loop), main), "loop worker · tid 9");
    assert_eq!(place(at(9, Lane::Thread), main), "thread · tid 9");
    let elsewhere = Some(Home {
        pid: 12,
        tid: 12,
        lane: Lane::PoolWorker { pool: 0, worker: 1 },
    });
    assert_eq!(place(elsewhere, main), "process pool 0 · worker 1 · pid 12");
    assert_eq!(place(None, main), "not started");
}
