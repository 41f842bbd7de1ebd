//! The timeline's geometry: which rows there are, where each bar, print marker and tick
//! goes for a view window, and what is under the pointer. Pure, so it is tested natively;
//! the canvas component only paints what this returns.

use looplab_shared::protocol::Lane;

use crate::state::{Home, RunView, SpanKind, TrackEnd};

/// Height of one row, in CSS pixels.
pub const LANE_HEIGHT: f64 = 30.0;
/// Width of the label column on the left.
pub const LABEL_WIDTH: f64 = 230.0;
/// Height of the time axis at the top.
pub const AXIS_HEIGHT: f64 = 26.0;
/// Empty room right of the plot.
pub const RIGHT_PAD: f64 = 32.0;
/// Ticks are at least this far apart.
const MIN_TICK_GAP: f64 = 70.0;
/// The narrowest view window: zooming stops here.
const MIN_VIEW_NS: u64 = 1_000;

/// The stretch of time on screen, in ns since the run began.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct View {
    /// Left edge.
    pub start: u64,
    /// Right edge.
    pub end: u64,
}

impl View {
    /// The whole run: its ideal length, stretched when the run takes longer, so the axis
    /// stays still while bars grow across it.
    pub fn fit(run: &RunView, now_ns: u64) -> Self {
        let end = run.ideal_wall_ns.max(run.last_t_ns).max(now_ns).max(1);
        Self { start: 0, end }
    }

    fn span(&self) -> u64 {
        self.end.saturating_sub(self.start).max(1)
    }

    /// Zooms by `factor` (< 1 zooms in) keeping time `anchor` where it is, within `0..=total`.
    pub fn zoom(self, factor: f64, anchor: u64, total: u64) -> Self {
        let span =
            ((self.span() as f64 * factor) as u64).clamp(MIN_VIEW_NS, total.max(MIN_VIEW_NS));
        let left = (anchor.saturating_sub(self.start)) as f64 / self.span() as f64;
        let start = anchor.saturating_sub((left * span as f64) as u64);
        Self {
            start,
            end: start + span,
        }
        .within(total)
    }

    /// Moves the window by `by` ns (negative: earlier), within `0..=total`.
    pub fn pan(self, by: i64, total: u64) -> Self {
        let start = if by < 0 {
            self.start.saturating_sub(by.unsigned_abs())
        } else {
            self.start.saturating_add(by as u64)
        };
        Self {
            start,
            end: start + self.span(),
        }
        .within(total)
    }

    fn within(self, total: u64) -> Self {
        let span = self.span();
        let total = total.max(span);
        let start = self.start.min(total - span);
        Self {
            start,
            end: start + span,
        }
    }

    /// x of time `t` on a canvas `width` wide.
    pub fn x(&self, t: u64, width: f64) -> f64 {
        let plot = (width - LABEL_WIDTH - RIGHT_PAD).max(1.0);
        LABEL_WIDTH + (t as f64 - self.start as f64) / self.span() as f64 * plot
    }

    /// Time at `x` on a canvas `width` wide.
    pub fn t(&self, x: f64, width: f64) -> u64 {
        let plot = (width - LABEL_WIDTH - RIGHT_PAD).max(1.0);
        let t = self.start as f64 + (x - LABEL_WIDTH) / plot * self.span() as f64;
        t.max(0.0) as u64
    }
}

/// How rows are made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Rows {
    /// A row per task, job, thread and process, grouped by where it ran.
    #[default]
    Subjects,
    /// A lane per OS thread (the loop, each pool worker, each thread, each process): what ran
    /// on it, and when.
    Threads,
}

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
}

impl Layout {
    /// Bars in all rows.
    pub fn bar_count(&self) -> usize {
        self.rows.iter().map(|r| r.bars.len()).sum()
    }

    /// The row and bar under (x, y), found by binary search in the row.
    pub fn hit(&self, x: f64, y: f64) -> Option<(&Row, &Bar)> {
        if y < AXIS_HEIGHT || x < LABEL_WIDTH {
            return None;
        }
        let row = self.rows.get(((y - AXIS_HEIGHT) / LANE_HEIGHT) as usize)?;
        // Bars are in time order and do not overlap: the last one starting at or before x.
        let i = row.bars.partition_point(|b| b.x <= x);
        let bar = row.bars.get(i.checked_sub(1)?)?;
        (x <= bar.x + bar.w).then_some((row, bar))
    }
}

/// Where a subject ran, as a label.
pub fn place(home: Option<Home>) -> String {
    match home {
        None => "not started".into(),
        Some(Home {
            tid,
            lane: Lane::Loop,
            ..
        }) => format!("loop · tid {tid}"),
        Some(Home {
            tid,
            lane: Lane::PoolWorker { pool, worker },
            ..
        }) => {
            format!("pool {pool} · worker {worker} · tid {tid}")
        }
        Some(Home {
            tid,
            lane: Lane::Thread,
            ..
        }) => format!("thread · tid {tid}"),
        Some(Home {
            pid,
            lane: Lane::Process,
            ..
        }) => format!("process · pid {pid}"),
        Some(Home {
            tid,
            lane: Lane::Rayon { worker },
            ..
        }) => format!("rayon {worker} · tid {tid}"),
    }
}

/// Rows are grouped by where they ran: main first, then the loop, pools, threads, processes
/// and rayon, each in order of appearance.
fn order(home: Option<Home>) -> (u8, u32, u32) {
    match home.map(|h| h.lane) {
        Some(Lane::Loop) | None => (0, 0, 0),
        Some(Lane::PoolWorker { pool, worker }) => (1, pool, worker),
        Some(Lane::Thread) => (2, 0, 0),
        Some(Lane::Process) => (3, 0, 0),
        Some(Lane::Rayon { worker }) => (4, worker, 0),
    }
}

/// Lays out rows `rows` (in display order) of `run` as seen at `now_ns`, through `view`, on
/// a canvas `width` pixels wide: a row per subject.
pub fn layout(
    run: &RunView,
    now_ns: u64,
    view: View,
    width: f64,
    rows: std::ops::Range<usize>,
) -> Layout {
    layout_as(Rows::Subjects, run, now_ns, view, width, rows)
}

/// Subjects drawn on one row.
struct Group {
    subject: usize,
    name: String,
    place: String,
    end: Option<TrackEnd>,
    members: Vec<usize>,
    /// Keep only the spans that occupy a thread (a lane shows what its thread did).
    on_thread_only: bool,
}

/// Spans that occupy the thread they are on: a suspended task or a queued job does not.
fn on_thread(kind: SpanKind) -> bool {
    matches!(
        kind,
        SpanKind::Running | SpanKind::Cpu | SpanKind::BlockedSleep | SpanKind::GilWait
    )
}

fn groups(mode: Rows, run: &RunView) -> Vec<Group> {
    let mut subjects: Vec<usize> = (0..run.tracks.len())
        .filter(|&i| !run.tracks[i].spans.is_empty())
        .collect();
    subjects.sort_by_key(|&i| (i != 0, order(run.tracks[i].home), i));
    match mode {
        Rows::Subjects => subjects
            .into_iter()
            .map(|i| {
                let t = &run.tracks[i];
                Group {
                    subject: i,
                    name: t.name.clone(),
                    place: place(t.home),
                    end: t.end,
                    members: vec![i],
                    on_thread_only: false,
                }
            })
            .collect(),
        Rows::Threads => {
            let mut lanes: Vec<(Home, Vec<usize>)> = Vec::new();
            for i in subjects {
                let Some(home) = run.tracks[i].home else {
                    continue;
                };
                // Threads of a process are one lane per thread; the loop and rayon keep
                // theirs by tid.
                match lanes
                    .iter_mut()
                    .find(|(h, _)| (h.pid, h.tid) == (home.pid, home.tid))
                {
                    Some((_, members)) => members.push(i),
                    None => lanes.push((home, vec![i])),
                }
            }
            lanes
                .into_iter()
                .map(|(home, members)| Group {
                    subject: members[0],
                    name: place(Some(home)),
                    place: format!("{} ran here", members.len()),
                    end: None,
                    members,
                    on_thread_only: true,
                })
                .collect()
        }
    }
}

/// Lays out rows made as `mode` says; see [`layout`].
pub fn layout_as(
    mode: Rows,
    run: &RunView,
    now_ns: u64,
    view: View,
    width: f64,
    window: std::ops::Range<usize>,
) -> Layout {
    let now = now_ns.max(run.last_t_ns);
    let groups = groups(mode, run);
    let total_rows = groups.len();
    let rows = groups
        .into_iter()
        .skip(window.start)
        .take(window.end.saturating_sub(window.start))
        .map(|g| {
            let mut bars: Vec<Bar> = g
                .members
                .iter()
                .flat_map(|&i| run.tracks[i].spans.iter().map(move |s| (i, s)))
                .filter(|(_, s)| !g.on_thread_only || on_thread(s.kind))
                .map(|(i, s)| (i, s, s.end.unwrap_or(now)))
                .filter(|(_, s, end)| *end >= view.start && s.start <= view.end)
                .map(|(i, s, end)| {
                    let x = view.x(s.start, width).max(LABEL_WIDTH);
                    let right = view.x(end, width).min(width - RIGHT_PAD);
                    Bar {
                        subject: i,
                        x,
                        w: (right - x).max(1.0),
                        kind: s.kind,
                        start: s.start,
                        end,
                        open: s.end.is_none(),
                    }
                })
                .collect();
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
            }
        })
        .collect::<Vec<_>>();
    Layout {
        width,
        height: AXIS_HEIGHT + LANE_HEIGHT * rows.len() as f64,
        total_rows,
        rows,
        ticks: ticks(view, width),
    }
}

/// Ticks at round times (1, 2 or 5 times a power of ten) at least [`MIN_TICK_GAP`] apart.
pub fn ticks(view: View, width: f64) -> Vec<Tick> {
    let plot = (width - LABEL_WIDTH - RIGHT_PAD).max(1.0);
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
