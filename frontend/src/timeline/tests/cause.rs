//! Resource lanes below the subjects, arrows on the rows in view, and the tree folded.

use looplab_shared::model::ResourceKind;
use looplab_shared::protocol::{EventKind, WaitReason};

use super::*;
use crate::arrows::Cause;
use crate::arrows::tests::{created, replay, suspended};

/// main gathers a and b; a holds the lock b waits for and hands it over.
fn run() -> RunView {
    use EventKind::{Acquired, Finished, Released, Resumed, Started};
    replay(
        &[("db", ResourceKind::Lock)],
        vec![
            (0, 0, Started),
            (10, 1, created("a", 0)),
            (10, 2, created("b", 0)),
            (
                20,
                0,
                suspended(WaitReason::Gather {
                    subjects: vec![1, 2],
                }),
            ),
            (30, 1, Started),
            (30, 1, Acquired { resource: 0 }),
            (40, 2, Started),
            (50, 2, suspended(WaitReason::Lock { resource: 0 })),
            (400, 1, Released { resource: 0 }),
            (410, 1, Finished),
            (420, 2, Resumed),
            (420, 2, Acquired { resource: 0 }),
            (600, 2, Released { resource: 0 }),
            (610, 2, Finished),
            (700, 0, Resumed),
            (800, 0, Finished),
        ],
        None,
    )
}

#[test]
fn resources_get_lanes_below_the_subjects_and_arrows_join_the_rows() {
    let r = run();
    let view = View {
        start: 0,
        end: 1000,
    };
    let l = layout_tree(
        Shape::default(),
        &[],
        &r,
        1000,
        view,
        WIDTH,
        0..VISIBLE_ROWS,
    );
    let names: Vec<_> = l
        .rows
        .iter()
        .map(|r| (r.name.as_str(), r.depth, r.open))
        .collect();
    assert_eq!(
        names,
        vec![
            ("main", 0, Some(true)),
            ("a", 1, None),
            ("b", 1, None),
            ("db", 0, None)
        ]
    );
    let lane = l.rows[3].resource.as_ref().unwrap();
    let held: Vec<_> = lane
        .segments
        .iter()
        .map(|s| (s.start, s.end, s.label.as_str()))
        .collect();
    assert_eq!(held, vec![(30, 400, "a"), (420, 600, "b")]);
    assert_eq!(l.total_rows, 4);
    let causes = |l: &Layout| {
        let mut c: Vec<_> = l
            .links
            .iter()
            .map(|k| (k.cause, k.from.1 as u32, k.to.1 as u32))
            .collect();
        c.sort_by_key(|&(_, a, b)| (a, b));
        c
    };
    // Rows are 30 px from 26: main's middle is at 41, a's at 71, b's at 101.
    let mut want = vec![
        (Cause::Spawn, 41, 71),
        (Cause::Spawn, 41, 101),
        (Cause::Done, 71, 41),
        (Cause::Handover, 71, 101),
        (Cause::Done, 101, 41),
    ];
    want.sort_by_key(|&(_, a, b)| (a, b));
    assert_eq!(causes(&l), want);
    // Scrolled so that main is out of view: a's and b's arrows to it go with it, and none
    // lands on another row instead.
    let scrolled = layout_tree(Shape::default(), &[], &r, 1000, view, WIDTH, 1..3);
    assert_eq!(causes(&scrolled), vec![(Cause::Handover, 41, 71)]);
    // With main collapsed, a and b are shown as main: their arrows would join main to
    // itself, and are left out; the lock's lane moves up.
    let folded = layout_tree(
        Shape::default(),
        &[0],
        &r,
        1000,
        view,
        WIDTH,
        0..VISIBLE_ROWS,
    );
    assert_eq!(folded.rows.len(), 2);
    assert_eq!(folded.rows[0].open, Some(false));
    assert!(folded.links.is_empty());
    // The arrows can be left out altogether.
    let quiet = Shape {
        no_arrows: true,
        ..Shape::default()
    };
    assert!(
        layout_as(quiet, &r, 1000, view, WIDTH, 0..VISIBLE_ROWS)
            .links
            .is_empty()
    );
    // A window that starts in the resources' lanes shows them alone.
    let low = layout_tree(Shape::default(), &[], &r, 1000, view, WIDTH, 3..4);
    assert_eq!(low.rows.len(), 1);
    assert!(low.rows[0].resource.is_some());
    // The lane's stretch under the pointer.
    let y = AXIS_HEIGHT + LANE_HEIGHT * 3.5;
    let (_, s) = l.hit_segment(LABEL_WIDTH + 500.0, y).unwrap();
    assert_eq!(s.label, "b");
    assert!(
        l.hit_segment(LABEL_WIDTH + 410.0, y).is_none(),
        "free between"
    );
}
