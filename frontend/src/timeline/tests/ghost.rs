//! The ideal schedule under the bars, and alone before the first run.

use looplab_shared::presets;
use looplab_shared::protocol::{Lane, SubjectKind};

use super::{WIDTH, run, span, track};
use crate::state::SpanKind;
use crate::timeline::{Schedule, View, layout, matched, overlay};

fn named(name: &str, what: SubjectKind) -> crate::state::Track {
    crate::state::Track {
        kind: Some(what),
        ..track(
            name,
            Lane::Loop,
            vec![span(0, Some(400), SpanKind::Running)],
        )
    }
}

#[test]
fn each_subject_finds_the_ghost_of_its_name_and_kind_in_turn() {
    let gather = Schedule::of(&presets::find("gather").unwrap().scenario(), 2).unwrap();
    let g = &gather.ghosts;
    let tasks: Vec<usize> = (0..g.len())
        .filter(|&i| g[i].what == SubjectKind::Task && g[i].name != "main")
        .collect();
    let name = g[tasks[0]].name.clone();
    let alike = tasks.iter().filter(|&&i| g[i].name == name).count();
    // `<module>`, main, then the gathered tasks as the run would create them; one with a
    // name the schedule does not know; one job named like a task.
    let mut tracks = vec![
        named("<module>", SubjectKind::Main),
        named("main", SubjectKind::Task),
    ];
    tracks.extend((0..alike).map(|_| named(&name, SubjectKind::Task)));
    tracks.push(named("surprise", SubjectKind::Task));
    tracks.push(named(&name, SubjectKind::Job));
    let of = matched(&run(1_000, tracks), g);
    assert_eq!(of[0], Some(0));
    assert_eq!(of[1].map(|i| g[i].name.as_str()), Some("main"));
    let same: Vec<usize> = of[2..2 + alike].iter().map(|i| i.unwrap()).collect();
    let mut distinct = same.clone();
    distinct.dedup();
    assert_eq!(distinct.len(), alike, "each gets its own ghost: {same:?}");
    assert_eq!(
        of[2 + alike],
        None,
        "no ghost for a name the schedule lacks"
    );
    assert_eq!(of[3 + alike], None, "nor for another kind of subject");
}

#[test]
fn a_rows_ghost_sits_where_the_schedule_has_it_and_is_clipped_to_the_view() {
    let gather = Schedule::of(&presets::find("gather").unwrap().scenario(), 2).unwrap();
    let ideal_ns = (gather.ideal_ms * 1e6) as u64;
    let r = run(ideal_ns, vec![named("<module>", SubjectKind::Main)]);
    let whole = View {
        start: 0,
        end: ideal_ns,
    };
    let mut l = layout(&r, ideal_ns, whole, WIDTH, 0..10);
    overlay(&mut l, &r, &gather.ghosts, whole);
    let g = l.rows[0].ghost.expect("main has its ghost");
    let (x, w) = (g.x, g.w);
    assert!((x - whole.x(0, WIDTH)).abs() < 1e-6, "{x}");
    assert!((x + w - whole.x(ideal_ns, WIDTH)).abs() < 1e-6, "{w}");
    // Zoomed into the first half: the ghost stops at the view's edge.
    let half = View {
        start: 0,
        end: ideal_ns / 2,
    };
    let mut l = layout(&r, ideal_ns, half, WIDTH, 0..10);
    overlay(&mut l, &r, &gather.ghosts, half);
    let g = l.rows[0].ghost.unwrap();
    let (x, w) = (g.x, g.w);
    assert!((x + w - half.x(half.end, WIDTH)).abs() < 1e-6, "{x} {w}");
}

#[test]
fn before_a_run_the_schedule_is_a_timeline_of_ghosts_without_bars() {
    let pool = Schedule::of(&presets::find("thread-pool").unwrap().scenario(), 2).unwrap();
    let r = pool.as_run();
    let ns = (pool.ideal_ms * 1e6) as u64;
    let view = View::fit(&r, 0);
    assert_eq!(view.end, ns, "the axis is the schedule's length");
    let mut l = layout(&r, 0, view, WIDTH, 0..10);
    overlay(&mut l, &r, &pool.ghosts, view);
    assert_eq!(l.rows.len(), pool.ghosts.len());
    assert_eq!(l.bar_count(), 0, "nothing was measured");
    assert!(l.rows.iter().all(|row| row.ghost.is_some()), "{:?}", l.rows);
    // Jobs under main, under `<module>`: the tree the run will have.
    let names: Vec<(&str, usize)> = l.rows.iter().map(|r| (r.name.as_str(), r.depth)).collect();
    assert_eq!(names[0], ("<module>", 0));
    assert!(
        names
            .iter()
            .any(|(n, d)| n.starts_with("blocking_task") && *d == 2),
        "{names:?}"
    );
}

fn words(id: &str) -> String {
    let (line, rest) = Schedule::of(&presets::find(id).unwrap().scenario(), 2)
        .unwrap()
        .words();
    line + &rest
}

#[test]
fn the_words_say_where_the_lesson_and_the_ideal_part() {
    let gather = words("gather");
    assert!(gather.starts_with("2.000 s in all"), "{gather}");
    assert!(!gather.contains("lesson predicts"), "{gather}");
    // Under the GIL the lesson's two seconds are what the ideal (one) leaves out.
    let gil = words("gil");
    assert!(gil.contains("The lesson predicts 2.000 s"), "{gil}");
    let deadlock = words("lock-order-deadlock");
    assert!(deadlock.contains("if nothing deadlocked"), "{deadlock}");
    assert!(!deadlock.contains("lesson predicts"), "{deadlock}");
}

#[test]
fn a_folded_lane_has_the_ghost_of_all_it_holds() {
    let rayon = Schedule::of(&presets::find("rayon").unwrap().scenario(), 2).unwrap();
    let r = rayon.as_run();
    let view = View::fit(&r, 0);
    let mut l = layout(&r, 0, view, WIDTH, 0..20);
    overlay(&mut l, &r, &rayon.ghosts, view);
    let folded = l
        .rows
        .iter()
        .find(|row| row.folded.is_some())
        .expect("the chunks fold into one lane");
    let g = folded.ghost.expect("the folded lane has a ghost");
    let chunks = rayon.ghosts.iter().filter(|g| g.what == SubjectKind::Chunk);
    let first = chunks.clone().map(|c| c.start_ms).fold(f64::MAX, f64::min);
    let last = chunks.map(|c| c.end_ms).fold(0.0, f64::max);
    assert_eq!(g.start, (first * 1e6) as u64);
    assert_eq!(g.end, (last * 1e6) as u64);
}

#[test]
fn every_chunk_of_a_split_has_the_whole_splits_ghost() {
    let rayon = Schedule::of(&presets::find("rayon").unwrap().scenario(), 2).unwrap();
    let r = rayon.as_run();
    let view = View::fit(&r, 0);
    let expanded = crate::timeline::Shape {
        expanded: true,
        ..Default::default()
    };
    let mut l = crate::timeline::layout_as(expanded, &r, 0, view, WIDTH, 0..40);
    overlay(&mut l, &r, &rayon.ghosts, view);
    let chunks: Vec<_> = l
        .rows
        .iter()
        .filter(|row| row.name.starts_with("chunk "))
        .map(|row| row.ghost.expect("each chunk has a ghost"))
        .collect();
    assert!(chunks.len() > 2, "{:?}", l.rows.len());
    assert!(
        chunks
            .windows(2)
            .all(|w| (w[0].start, w[0].end) == (w[1].start, w[1].end)),
        "{chunks:?}"
    );
}
