//! A lane for each of the scenario's locks, semaphores, queues and events, below the
//! subjects' rows: who holds a lock over time, how full a semaphore or a queue is, when an
//! event was set.

use looplab_shared::model::ResourceKind;

use super::View;
use crate::resources::{capacity, level_label, levels};
use crate::state::{RunView, UseOp};

/// A stretch of a resource's lane in one state.
#[derive(Debug, Clone, PartialEq)]
pub struct Segment {
    /// Left edge.
    pub x: f64,
    /// Width, at least one pixel.
    pub w: f64,
    /// Its time, in ns since the run began.
    pub start: u64,
    /// Its end; for the last one, "now".
    pub end: u64,
    /// What its bar says: holders, `2/3: a, b`, `1/2`, `set`.
    pub label: String,
    /// How full, from 0 to 1 (1 for a lock held, an event set, an unbounded queue).
    pub level: f64,
    /// Who held it (a lock or a semaphore).
    pub holders: Vec<u32>,
    /// How many held it, or items the queue held.
    pub n: u32,
}

/// A resource's lane.
#[derive(Debug, Clone, PartialEq)]
pub struct ResourceLane {
    /// Its index in the scenario's resources.
    pub index: u32,
    /// What it is.
    pub kind: ResourceKind,
    /// Its busy stretches, left to right, none outside the view.
    pub segments: Vec<Segment>,
    /// Where an event was set, x.
    pub marks: Vec<f64>,
}

/// The place column's words for a resource: `asyncio.Semaphore(2)`, `asyncio.Queue(maxsize=2)`.
pub fn class_label(kind: ResourceKind) -> String {
    looplab_shared::python::render::resource_ctor(kind)
}

/// Resource `index`'s lane as seen through `view` on a canvas `width` wide, at `now`.
pub(super) fn lane(
    run: &RunView,
    index: u32,
    now: u64,
    view: View,
    width: f64,
) -> Option<ResourceLane> {
    let kind = run.resources.get(index as usize)?.kind;
    let (left, right) = (super::label_width(width), width - super::RIGHT_PAD);
    let cap = capacity(kind);
    let segments = levels(run, index, now)
        .into_iter()
        .filter(|l| l.end >= view.start && l.start <= view.end)
        .map(|l| {
            let x = view.x(l.start, width).max(left);
            Segment {
                x,
                w: (view.x(l.end, width).min(right) - x).max(1.0),
                start: l.start,
                end: l.end,
                label: level_label(run, kind, &l),
                level: cap.map_or(1.0, |c| (f64::from(l.n) / f64::from(c.max(1))).min(1.0)),
                holders: l.holders,
                n: l.n,
            }
        })
        .collect();
    let marks = run
        .uses
        .iter()
        .filter(|u| u.resource == index && u.op == UseOp::Set)
        .filter(|u| (view.start..=view.end).contains(&u.t_ns))
        .map(|u| view.x(u.t_ns, width))
        .collect();
    Some(ResourceLane {
        index,
        kind,
        segments,
        marks,
    })
}

#[cfg(test)]
mod tests {
    use std::rc::Rc;

    use looplab_shared::model::Resource;

    use super::*;
    use crate::resources::tests::run_with;

    #[test]
    fn a_semaphore_s_lane_shows_its_holders_and_how_full_it_is() {
        use UseOp::{Acquired, Released};
        let mut run = run_with(
            &["main", "a", "b"],
            &[
                (100, 1, 0, Acquired),
                (200, 2, 0, Acquired),
                (300, 1, 0, Released),
                (400, 2, 0, Released),
            ],
        );
        run.resources = Rc::new(vec![Resource {
            name: "limit".into(),
            kind: ResourceKind::Semaphore { value: 2 },
        }]);
        let view = View {
            start: 0,
            end: 1000,
        };
        let width = super::super::tests::WIDTH;
        let l = lane(&run, 0, 1000, view, width).unwrap();
        let got: Vec<_> = l
            .segments
            .iter()
            .map(|s| {
                (
                    s.x - super::super::LABEL_WIDTH,
                    s.w,
                    s.label.as_str(),
                    s.level,
                )
            })
            .collect();
        assert_eq!(
            got,
            vec![
                (100.0, 100.0, "1/2: a", 0.5),
                (200.0, 100.0, "2/2: a, b", 1.0),
                (300.0, 100.0, "1/2: b", 0.5),
            ]
        );
        assert!(
            lane(&run, 1, 1000, view, width).is_none(),
            "no such resource"
        );
        assert_eq!(class_label(l.kind), "asyncio.Semaphore(2)");
        assert_eq!(
            class_label(ResourceKind::Queue { maxsize: 2 }),
            "asyncio.Queue(maxsize=2)"
        );
    }
}
