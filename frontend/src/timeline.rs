//! The timeline's geometry: which rows there are, where each bar, print marker and tick
//! goes for a view window, and what is under the pointer. Pure, so it is tested natively;
//! the canvas component only paints what this returns.

mod fit;
mod ghost;
mod keys;
mod lanes;
mod links;
mod rows;
mod tip;
mod tree;
mod view;

pub use fit::{fit, fit_first};
pub use ghost::{PREDICTED_RUN, Schedule, ideal_rows, matched, overlay, predicted};
pub use keys::{Command, Cursor, Stretch, command, nearest, step};
pub use lanes::{ResourceLane, Segment, class_label};
pub use links::Link;
pub use rows::{Rows, Shape, place};
pub use tip::{TIP_SIZE, tip_position};
pub use view::{
    LABEL_WIDTH, MIN_LABEL_WIDTH, MIN_VIEW_NS, RIGHT_PAD, View, label_width, plot_width,
};

use rows::{Paint, fold, groups};

use crate::state::{RunView, SpanKind, TrackEnd};

/// Height of one row, in CSS pixels.
pub const LANE_HEIGHT: f64 = 30.0;
/// Height of the time axis at the top.
pub const AXIS_HEIGHT: f64 = 26.0;
/// Rows the timeline shows at once; a run's rows are folded to fit in them.
pub const VISIBLE_ROWS: usize = 16;
/// Ticks are at least this far apart.
const MIN_TICK_GAP: f64 = 70.0;

/// A painted stretch of a row.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Bar {
    /// The subject it belongs to (its index in the run's tracks).
    pub subject: usize,
    /// Left edge.
    pub x: f64,
    /// Width, at least one pixel so short spans stay visible.
    pub w: f64,
    /// What it means.
    pub kind: SpanKind,
    /// Its time, in ns since the run began.
    pub start: u64,
    /// Its end; for an open span, "now".
    pub end: u64,
    /// Whether the span is still open (the bar grows).
    pub open: bool,
    /// How many subjects were in this state at once: 1, except on a folded lane.
    pub count: u32,
}

/// A row: one subject, labelled with where it ran.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// The subject's id (its index in the run's tracks).
    pub subject: usize,
    /// Its name.
    pub name: String,
    /// Where it ran: `loop · tid 12`, `pool 0 · worker 1 · tid 14`, `process · pid 99`.
    pub place: String,
    /// How it ended, if it has.
    pub end: Option<TrackEnd>,
    /// Its bars, left to right, none outside the view.
    pub bars: Vec<Bar>,
    /// Its print markers' x.
    pub prints: Vec<f64>,
    /// How many subjects share the row when it is a folded lane (many requests as one).
    pub folded: Option<usize>,
    /// It is a folded lane, or one of the rows a folded lane opens into.
    pub foldable: bool,
    /// How deep in the tree of who created whom: its label is indented so much.
    pub depth: usize,
    /// Whether the subjects it created show under it; `None` when it created none.
    pub open: Option<bool>,
    /// How many subjects its collapse hides: the label says so.
    pub hidden: usize,
    /// For a resource's lane (below the subjects' rows): its stretches.
    pub resource: Option<ResourceLane>,
    /// Where the ideal schedule has its subject (a folded lane: its subjects), drawn under
    /// its bars.
    pub ghost: Option<GhostBar>,
    /// A folded lane's subjects; empty for any other row.
    pub members: Vec<usize>,
}

/// A row's stretch of the ideal schedule.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GhostBar {
    /// Left edge, within the view.
    pub x: f64,
    /// Width, at least two pixels.
    pub w: f64,
    /// When it begins and ends in the schedule, in ns.
    pub start: u64,
    pub end: u64,
}

/// What a row's label adds for how its subject ended: ` (cancelled)`, ` (stuck)` for one
/// a deadlock held when the run was stopped; nothing for one that returned or runs on.
pub fn end_mark(end: Option<TrackEnd>) -> &'static str {
    match end {
        Some(TrackEnd::Cancelled) => " (cancelled)",
        Some(TrackEnd::Killed) => " ✕ killed",
        Some(TrackEnd::Failed) => " ✕ failed",
        Some(TrackEnd::Stuck) => " (stuck)",
        Some(TrackEnd::Finished) | None => "",
    }
}

/// A time-axis tick.
#[derive(Debug, Clone, PartialEq)]
pub struct Tick {
    /// Where.
    pub x: f64,
    /// Its label: `0`, `500 ms`, `1.5 s`.
    pub label: String,
}

/// Everything to paint: the rows in view, not the thousands above and below them.
#[derive(Debug, Clone, PartialEq)]
pub struct Layout {
    /// Full width, as given.
    pub width: f64,
    /// Height of what is painted: the axis and the rows in view.
    pub height: f64,
    /// How many rows the run has in all (the scroll area is this tall).
    pub total_rows: usize,
    /// The rows in view, top to bottom.
    pub rows: Vec<Row>,
    /// The axis.
    pub ticks: Vec<Tick>,
    /// Some rows fold alike subjects into one lane (open or not).
    pub foldable: bool,
    /// The arrows of cause and effect between the rows in view.
    pub links: Vec<Link>,
}

impl Layout {
    /// Bars in all rows.
    pub fn bar_count(&self) -> usize {
        self.rows.iter().map(|r| r.bars.len()).sum()
    }

    /// The row at height `y`, if any.
    pub fn row_at(&self, y: f64) -> Option<&Row> {
        self.rows.get(self.row_index_at(y)?)
    }

    /// Which of the rows in view is at height `y`, if any.
    pub fn row_index_at(&self, y: f64) -> Option<usize> {
        let i = ((y - AXIS_HEIGHT) / LANE_HEIGHT) as usize;
        (y >= AXIS_HEIGHT && i < self.rows.len()).then_some(i)
    }

    /// The row and bar under (x, y), found by binary search in the row.
    pub fn hit(&self, x: f64, y: f64) -> Option<(&Row, &Bar)> {
        if x < label_width(self.width) {
            return None;
        }
        let row = self.row_at(y)?;
        // Bars are in time order and do not overlap: the last one starting at or before x.
        let i = row.bars.partition_point(|b| b.x <= x);
        let bar = row.bars.get(i.checked_sub(1)?)?;
        (x <= bar.x + bar.w).then_some((row, bar))
    }

    /// The resource lane and its stretch under (x, y).
    pub fn hit_segment(&self, x: f64, y: f64) -> Option<(&Row, &Segment)> {
        if x < label_width(self.width) {
            return None;
        }
        let row = self.row_at(y)?;
        let segments = &row.resource.as_ref()?.segments;
        let i = segments.partition_point(|s| s.x <= x);
        let s = segments.get(i.checked_sub(1)?)?;
        (x <= s.x + s.w).then_some((row, s))
    }
}

/// Lays out rows `rows` (in display order) of `run` as seen at `now_ns`, through `view`, on
/// a canvas `width` pixels wide: a row per subject, requests folded into one lane.
pub fn layout(
    run: &RunView,
    now_ns: u64,
    view: View,
    width: f64,
    rows: std::ops::Range<usize>,
) -> Layout {
    layout_as(Shape::default(), run, now_ns, view, width, rows)
}

/// Lays out rows made as `shape` says; see [`layout`].
pub fn layout_as(
    shape: Shape,
    run: &RunView,
    now_ns: u64,
    view: View,
    width: f64,
    window: std::ops::Range<usize>,
) -> Layout {
    layout_tree(shape, &[], run, now_ns, view, width, window)
}

/// Lays out rows made as `shape` says, without the subjects under those of `collapsed`
/// (sorted); see [`layout`]. The resources' lanes follow the subjects' rows.
pub fn layout_tree(
    shape: Shape,
    collapsed: &[usize],
    run: &RunView,
    now_ns: u64,
    view: View,
    width: f64,
    window: std::ops::Range<usize>,
) -> Layout {
    let now = now_ns.max(run.last_t_ns);
    let (groups, foldable) = groups(shape, run, collapsed);
    let subject_rows = groups.len();
    let total_rows = subject_rows + run.resources.len();
    // Every subject's row among all rows (a folded lane's members share one), for the arrows.
    let mut row_of = vec![links::Place::Hidden; run.tracks.len()];
    for (r, g) in groups.iter().enumerate() {
        let place = match g.paint {
            Paint::Folded => links::Place::Crowd,
            Paint::Own | Paint::OnThread => links::Place::Row(r),
        };
        for &m in &g.members {
            row_of[m] = place;
        }
    }
    let (left, right) = (label_width(width), width - RIGHT_PAD);
    let bar = |subject, start: u64, end: u64, kind, open, count| {
        let x = view.x(start, width).max(left);
        Bar {
            subject,
            x,
            w: (view.x(end, width).min(right) - x).max(1.0),
            kind,
            start,
            end,
            open,
            count,
        }
    };
    let in_view = |start: u64, end: u64| end >= view.start && start <= view.end;
    let mut rows = groups
        .into_iter()
        .skip(window.start)
        .take(window.end.saturating_sub(window.start))
        .map(|g| {
            let spans = g
                .members
                .iter()
                .flat_map(|&i| run.tracks[i].spans.iter().map(move |s| (i, *s)));
            let mut bars: Vec<Bar> = match g.paint {
                Paint::Folded => fold(&spans.collect::<Vec<_>>(), now)
                    .into_iter()
                    .filter(|s| in_view(s.start, s.end))
                    .map(|s| bar(s.subject, s.start, s.end, s.kind, s.end >= now, s.count))
                    .collect(),
                Paint::Own | Paint::OnThread => spans
                    .filter(|(_, s)| g.paint == Paint::Own || s.kind.holds_thread())
                    .map(|(i, s)| (i, s, s.end.unwrap_or(now)))
                    .filter(|(_, s, end)| in_view(s.start, *end))
                    .map(|(i, s, end)| bar(i, s.start, end, s.kind, s.end.is_none(), 1))
                    .collect(),
            };
            // Hit testing searches bars by x: keep them in time order.
            bars.sort_by(|a, b| a.x.total_cmp(&b.x));
            let prints = g
                .members
                .iter()
                .flat_map(|&i| run.tracks[i].prints.iter())
                .filter(|&&t| (view.start..=view.end).contains(&t))
                .map(|&t| view.x(t, width))
                .collect();
            Row {
                subject: g.subject,
                name: g.name,
                place: g.place,
                end: g.end,
                bars,
                prints,
                folded: (g.paint == Paint::Folded).then_some(g.members.len()),
                foldable: g.foldable,
                depth: g.depth,
                open: g.open,
                hidden: g.hidden,
                resource: None,
                ghost: None,
                members: match g.paint {
                    Paint::Folded => g.members.clone(),
                    Paint::Own | Paint::OnThread => Vec::new(),
                },
            }
        })
        .collect::<Vec<_>>();
    let first = window.start.max(subject_rows) - subject_rows;
    let lanes = (first..run.resources.len()).take(
        window
            .end
            .saturating_sub(window.start)
            .saturating_sub(rows.len()),
    );
    rows.extend(lanes.filter_map(|i| {
        let lane = lanes::lane(run, i as u32, now, view, width)?;
        Some(Row {
            subject: 0,
            name: run.resources[i].name.clone(),
            place: class_label(lane.kind),
            end: None,
            bars: Vec::new(),
            prints: Vec::new(),
            folded: None,
            foldable: false,
            depth: 0,
            open: None,
            hidden: 0,
            resource: Some(lane),
            ghost: None,
            members: Vec::new(),
        })
    }));
    let links = if shape.no_arrows {
        Vec::new()
    } else {
        let rows = window.start..window.end.min(subject_rows);
        links::place(run, &crate::arrows::arrows(run), &row_of, rows, view, width)
    };
    Layout {
        width,
        height: AXIS_HEIGHT + LANE_HEIGHT * rows.len() as f64,
        total_rows,
        rows,
        ticks: ticks(view, width),
        foldable,
        links,
    }
}

/// Ticks at round times (1, 2 or 5 times a power of ten) at least [`MIN_TICK_GAP`] apart.
pub fn ticks(view: View, width: f64) -> Vec<Tick> {
    let plot = plot_width(width);
    let min_step = view.span() as f64 * MIN_TICK_GAP / plot;
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
    let first = (view.start as f64 / step).ceil() as u64;
    let last = (view.end as f64 / step).floor() as u64;
    (first..=last)
        .map(|i| {
            let t = (i as f64 * step) as u64;
            Tick {
                x: view.x(t, width),
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
mod tests;
