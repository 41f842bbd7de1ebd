//! The arrows of cause and effect placed on the rows in view: each end at its subject's row
//! (or, hidden under a collapsed subject, its nearest shown ancestor's), at its moment.

use super::tree::shown_as;
use super::{AXIS_HEIGHT, Bar, LANE_HEIGHT, View};
use crate::arrows::{Arrow, Cause, End};
use crate::state::RunView;

/// An arrow as drawn.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Link {
    /// Its tail.
    pub from: (f64, f64),
    /// Its head.
    pub to: (f64, f64),
    /// Why it is drawn.
    pub cause: Cause,
    /// The cause's subject and moment.
    pub tail: End,
    /// The effect's subject and moment.
    pub head: End,
}

/// How near a bar's edge an arrow's end may be, in pixels, to count as the bar's: a lock is
/// taken a moment after its waiter resumes.
const SLACK: f64 = 3.0;

impl Link {
    /// Whether either end is on `bar`, or at its very edge: the arrows a hovered or selected
    /// bar highlights.
    pub fn touches(&self, bar: &Bar) -> bool {
        [(self.tail, self.from.0), (self.head, self.to.0)]
            .iter()
            .any(|(e, x)| {
                e.subject == bar.subject && (bar.x - SLACK..=bar.x + bar.w + SLACK).contains(x)
            })
    }
}

/// `arrows` placed on the rows `window` (a range of all rows) shows: `rows` gives each
/// subject's row among all rows; a subject hidden under a collapsed one is shown on its nearest
/// shown ancestor's. An arrow with an end on no row in view, or both ends on one row, is
/// left out.
pub(super) fn place(
    run: &RunView,
    arrows: &[Arrow],
    rows: &[Option<usize>],
    window: std::ops::Range<usize>,
    view: View,
    width: f64,
) -> Vec<Link> {
    let row_of = |s: usize| rows.get(s).copied().flatten();
    let row = |e: End| {
        let s = shown_as(run, e.subject, |s| row_of(s).is_some())?;
        let r = row_of(s)?;
        window.contains(&r).then(|| r - window.start)
    };
    let y = |r: usize| AXIS_HEIGHT + LANE_HEIGHT * r as f64 + LANE_HEIGHT / 2.0;
    let in_view = |e: End| (view.start..=view.end).contains(&e.t);
    arrows
        .iter()
        .filter(|a| in_view(a.from) || in_view(a.to))
        .filter_map(|a| {
            let (r1, r2) = (row(a.from)?, row(a.to)?);
            (r1 != r2).then(|| Link {
                from: (view.x(a.from.t, width), y(r1)),
                to: (view.x(a.to.t, width), y(r2)),
                cause: a.cause,
                tail: a.from,
                head: a.to,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state::SpanKind;

    #[test]
    fn a_bar_owns_the_arrows_that_end_on_it_or_at_its_edge() {
        let end = |subject, t| End { subject, t };
        let link = Link {
            from: (100.0, 0.0),
            to: (302.0, 30.0),
            cause: Cause::Handover,
            tail: end(1, 100),
            head: end(2, 302),
        };
        let bar = |subject, x: f64, w: f64| Bar {
            subject,
            x,
            w,
            kind: SpanKind::Contended,
            start: x as u64,
            end: (x + w) as u64,
            open: false,
            count: 1,
        };
        assert!(link.touches(&bar(1, 50.0, 60.0)), "its tail's bar");
        assert!(
            link.touches(&bar(2, 200.0, 100.0)),
            "a wait that ends as the lock is taken"
        );
        assert!(!link.touches(&bar(2, 310.0, 100.0)), "a later bar");
        assert!(!link.touches(&bar(3, 50.0, 400.0)), "another subject's bar");
    }
}
