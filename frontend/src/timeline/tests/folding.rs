//! Crowds of alike subjects folded into one lane, so a lesson's point is on the first screen.

use looplab_shared::protocol::{Lane, SubjectKind};

use super::{WIDTH, run, span, track};
use crate::state::{RunView, SpanKind, Track};
use crate::timeline::{Rows, Shape, View, layout, layout_as};

/// A server's run: main computes on a pool while `n` requests come and go on the loop.
fn server(n: u64) -> RunView {
    let mut tracks = vec![track(
        "main",
        Lane::Loop,
        vec![span(0, Some(1000), SpanKind::Suspended)],
    )];
    for i in 0..n {
        let at = i * 100;
        let mut request = track(
            &format!("GET / #{i}"),
            Lane::Loop,
            vec![
                span(at, Some(at + 10), SpanKind::Queued),
                span(at + 10, Some(at + 20), SpanKind::Running),
                span(at + 20, Some(at + 50), SpanKind::Suspended),
            ],
        );
        request.kind = Some(SubjectKind::Request);
        tracks.push(request);
    }
    let compute = track(
        "compute",
        Lane::PoolWorker { pool: 0, worker: 0 },
        vec![span(0, Some(900), SpanKind::Cpu)],
    );
    tracks.push(compute);
    run(1500, tracks)
}

#[test]
fn requests_share_one_lane_so_the_point_of_a_server_lesson_is_in_view() {
    let r = server(15);
    let l = layout(&r, 1000, View::fit(&r, 1000), WIDTH, 0..usize::MAX);
    let names: Vec<_> = l.rows.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(names, ["main", "▸ 15 requests: GET /", "compute"]);
    assert_eq!(l.rows[1].folded, Some(15));
    // Each request's queue, run and await, in time order and not overlapping.
    let first: Vec<_> = l.rows[1].bars[..3]
        .iter()
        .map(|b| (b.start, b.end, b.kind))
        .collect();
    assert_eq!(
        first,
        [
            (0, 10, SpanKind::Queued),
            (10, 20, SpanKind::Running),
            (20, 50, SpanKind::Suspended)
        ]
    );
    assert_eq!(l.rows[1].bars.len(), 45);
    assert!(l.rows[1].bars.windows(2).all(|w| w[0].end <= w[1].start));

    // Expanded: a row each, as before.
    let open = Shape {
        rows: Rows::Subjects,
        expanded: true,

        ..Shape::default()
    };
    let l = layout_as(open, &r, 1000, View::fit(&r, 1000), WIDTH, 0..usize::MAX);
    assert_eq!(l.total_rows, 17);
    assert_eq!(l.rows[1].name, "GET / #0");
}

#[test]
fn a_folded_lane_shows_the_busiest_state_and_how_many_are_in_it() {
    // Three requests wait in the queue together while one runs.
    let mut r = server(0);
    for (i, (start, end)) in [(0, 40), (0, 60), (0, 60)].into_iter().enumerate() {
        let mut t = track(
            &format!("r{i}"),
            Lane::Loop,
            vec![span(start, Some(end), SpanKind::Queued)],
        );
        t.kind = Some(SubjectKind::Request);
        r.tracks.push(std::rc::Rc::new(t));
    }
    let mut running = track(
        "r3",
        Lane::Loop,
        vec![span(20, Some(30), SpanKind::Running)],
    );
    running.kind = Some(SubjectKind::Request);
    r.tracks.push(std::rc::Rc::new(running));
    let l = layout(&r, 1000, View::fit(&r, 1000), WIDTH, 0..usize::MAX);
    let lane: Vec<_> = l.rows[1]
        .bars
        .iter()
        .map(|b| (b.start, b.end, b.kind, b.count))
        .collect();
    assert_eq!(
        lane,
        [
            (0, 20, SpanKind::Queued, 3),
            (20, 30, SpanKind::Running, 1),
            (30, 40, SpanKind::Queued, 3),
            (40, 60, SpanKind::Queued, 2),
        ]
    );
}

/// `n` alike subjects of `kind` named `name(i)`, each busy from `i * 10` for 5 ns.
fn crowd(kind: SubjectKind, name: &str, n: usize, lane: Lane) -> Vec<Track> {
    (0..n as u64)
        .map(|i| {
            let mut t = track(
                &format!("{name}({i})"),
                lane,
                vec![span(i * 10, Some(i * 10 + 5), SpanKind::Running)],
            );
            t.kind = Some(kind);
            t
        })
        .collect()
}

fn names(r: &RunView) -> Vec<String> {
    let l = layout(r, 1000, View::fit(r, 1000), WIDTH, 0..usize::MAX);
    l.rows.into_iter().map(|r| r.name).collect()
}

#[test]
fn alike_jobs_fold_only_when_the_rows_would_not_fit_on_one_screen() {
    let main = || {
        track(
            "main",
            Lane::Loop,
            vec![span(0, Some(100), SpanKind::Suspended)],
        )
    };
    let pool = Lane::PoolWorker { pool: 0, worker: 0 };
    // A scraper: 8 tasks and 8 jobs are 17 rows with main; the jobs, further down, fold.
    let mut tracks = vec![main()];
    tracks.extend(crowd(SubjectKind::Task, "scrape", 8, Lane::Loop));
    tracks.extend(crowd(SubjectKind::Job, "parse_html", 8, pool));
    let scraper = names(&run(100, tracks));
    assert_eq!(scraper.len(), 10, "{scraper:?}");
    assert_eq!(scraper.last().unwrap(), "▸ 8 × parse_html");
    // Six of each fit: nothing folds.
    let mut tracks = vec![main()];
    tracks.extend(crowd(SubjectKind::Task, "scrape", 6, Lane::Loop));
    tracks.extend(crowd(SubjectKind::Job, "parse_html", 6, pool));
    let r = run(100, tracks);
    assert_eq!(names(&r).len(), 13);
    assert!(!layout(&r, 100, View::fit(&r, 100), WIDTH, 0..usize::MAX).foldable);
    // A chat server: 25 requests fold, and so do the 25 jobs they start.
    let mut tracks = vec![main()];
    tracks.extend(crowd(
        SubjectKind::Request,
        "GET /message #",
        25,
        Lane::Loop,
    ));
    tracks.extend(crowd(SubjectKind::Job, "encrypt", 25, pool));
    for t in &mut tracks[1..26] {
        t.name = t.name.replace('(', " ").replace(')', "");
    }
    assert_eq!(
        names(&run(100, tracks)),
        ["main", "▸ 25 requests: GET /message", "▸ 25 × encrypt"]
    );
}
