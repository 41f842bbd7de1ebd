//! Which rows a run gets: a row per subject, grouped by where it ran, with a request
//! source's many short requests (and any other crowd of alike subjects that would push the
//! rest off the first screen) folded into one lane; or a lane per OS thread.

use std::collections::HashMap;

use looplab_shared::protocol::{Lane, SubjectKind};

use super::VISIBLE_ROWS;
use super::tree::{Node, tree};
use crate::state::{Home, RunView, Span, SpanKind, Track, TrackEnd};

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

/// How the rows are shown: which rows, and whether folded lanes are opened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Shape {
    /// A row per subject, or a lane per thread.
    pub rows: Rows,
    /// Show every subject on a row of its own, folding none.
    pub expanded: bool,
    /// Leave the arrows of cause and effect out.
    pub no_arrows: bool,
    /// Leave the ideal schedule out from under the bars.
    pub no_ideal: bool,
}

impl Shape {
    /// The same rows with the folded lanes opened, or the open ones folded.
    pub fn toggled(self) -> Self {
        Self {
            expanded: !self.expanded,
            ..self
        }
    }
}

/// Where a subject ran, as a label. `main` is where the module's code ran: a pool worker in
/// another process is a process pool's, and shows its pid; a loop's thread other than the
/// main one is a worker of a multi-threaded loop.
pub fn place(home: Option<Home>, main: Option<Home>) -> String {
    let Some(Home { pid, tid, lane }) = home else {
        return "not started".into();
    };
    let (run_pid, main_tid) = main.map_or((pid, tid), |m| (m.pid, m.tid));
    match lane {
        Lane::Loop if tid != main_tid => format!("loop worker · tid {tid}"),
        Lane::Loop => format!("main thread · tid {tid}"),
        Lane::PoolWorker { pool, worker } if pid != run_pid => {
            format!("process pool {pool} · worker {worker} · pid {pid}")
        }
        Lane::PoolWorker { pool, worker } => format!("pool {pool} · worker {worker} · tid {tid}"),
        Lane::Thread => format!("thread · tid {tid}"),
        Lane::Process => format!("process · pid {pid}"),
        Lane::Rayon { worker } => format!("rayon {worker} · tid {tid}"),
    }
}

/// Where a subject of `run` ran, or that it is the schedule's.
fn place_in(run: &RunView, home: Option<Home>) -> String {
    if run.is_predicted() {
        return "ideal schedule".into();
    }
    place(home, run.main_home())
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

/// Subjects drawn on one row.
#[derive(Debug)]
pub(super) struct Group {
    pub(super) subject: usize,
    pub(super) name: String,
    pub(super) place: String,
    pub(super) end: Option<TrackEnd>,
    pub(super) members: Vec<usize>,
    pub(super) paint: Paint,
    /// It is, or is one of, alike subjects that fold into one lane.
    pub(super) foldable: bool,
    /// How deep in the tree of who created whom.
    pub(super) depth: usize,
    /// Whether subjects it created show under it (`None`: it created none).
    pub(super) open: Option<bool>,
    /// How many subjects its collapse hides.
    pub(super) hidden: usize,
}

/// How a row's spans become bars.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Paint {
    /// One subject: every span as it is.
    Own,
    /// A thread's lane: only the spans that occupy the thread (a suspended task or a queued
    /// job does not).
    OnThread,
    /// Many subjects folded into one lane: at each moment, the busiest state any of them is
    /// in, and how many are in it.
    Folded,
}

/// What makes subjects alike: their kind, and their name without its argument or number
/// (`parse_html(page 3)`, `chunk 12`, `request 7`).
type Likeness<'a> = (Option<SubjectKind>, &'a str);

fn likeness(track: &Track) -> Likeness<'_> {
    // A request is named by its path and number: `GET /compute #3`.
    if let Some((path, _)) = track.name.split_once(" #") {
        return (track.kind, path);
    }
    let name = track.name.split('(').next().unwrap_or_default();
    let stem = name.trim_end_matches(|c: char| c.is_ascii_digit() || c == ' ');
    (track.kind, stem)
}

/// Which alike subjects share one lane: a request source's requests always (they come in
/// numbers and are the background of a server lesson); other alike groups of three or more,
/// largest first, while the rows would not fit on the first screen.
fn fold_plan<'a>(run: &'a RunView, subjects: &[usize]) -> Vec<Likeness<'a>> {
    // Each alike group: its likeness, its size, and where it first shows.
    let mut alike: Vec<(Likeness<'a>, usize, usize)> = Vec::new();
    // By kind (as its number) and stem: a thousand requests cost a thousand look-ups.
    let mut index: HashMap<(Option<u8>, &'a str), usize> = HashMap::new();
    for (place, &i) in subjects.iter().enumerate() {
        let like = likeness(&run.tracks[i]);
        let key = (like.0.map(|k| k as u8), like.1);
        match index.get(&key) {
            Some(&g) => alike[g].1 += 1,
            None => {
                index.insert(key, alike.len());
                alike.push((like, 1, place));
            }
        }
    }
    let mut folded: Vec<Likeness<'a>> = Vec::new();
    let mut rows = subjects.len();
    let mut fold = |like: Likeness<'a>, n: usize, rows: &mut usize| {
        folded.push(like);
        *rows -= n - 1;
    };
    for &(like, n, _) in &alike {
        if like.0 == Some(SubjectKind::Request) && n > 1 {
            fold(like, n, &mut rows);
        }
    }
    // Largest first; of two alike in size, the one further down folds first.
    alike.sort_by_key(|&(_, n, first)| std::cmp::Reverse((n, first)));
    for (like, n, _) in alike {
        // Subjects whose creation was not seen have no kind, and nothing to say they are alike.
        let eligible = n >= 3
            && !matches!(
                like.0,
                None | Some(SubjectKind::Request | SubjectKind::Main)
            );
        if rows <= VISIBLE_ROWS {
            break;
        }
        if eligible {
            fold(like, n, &mut rows);
        }
    }
    folded
}

/// A folded lane's label: `▸ 18 requests: GET /`, `▸ 16 chunks`, `▸ 8 × parse_html`.
fn folded_name(like: Likeness<'_>, n: usize) -> String {
    match like.0 {
        Some(SubjectKind::Request) => format!("▸ {n} requests: {}", like.1),
        Some(SubjectKind::Chunk) => format!("▸ {n} {}s", like.1),
        _ => format!("▸ {n} × {}", like.1),
    }
}

/// The rows, and whether any of them folds alike subjects (so that opening them means
/// something).
pub(super) fn groups(shape: Shape, run: &RunView, collapsed: &[usize]) -> (Vec<Group>, bool) {
    let mut subjects: Vec<usize> = (0..run.tracks.len())
        // A subject shows once it has done something; in the schedule, from the start.
        .filter(|&i| !run.tracks[i].spans.is_empty() || run.is_predicted())
        .collect();
    subjects.sort_by_key(|&i| (i != 0, order(run.tracks[i].home), i));
    match shape.rows {
        Rows::Subjects => {
            let nodes = tree(run, &subjects, collapsed);
            let subjects: Vec<usize> = nodes.iter().map(|n| n.subject).collect();
            let plan = fold_plan(run, &subjects);
            let mut groups: Vec<Group> = Vec::new();
            // Each folded lane sits where its first member would have been.
            let mut lanes: Vec<(Likeness<'_>, usize)> = Vec::new();
            for Node {
                subject: i,
                depth,
                open,
                hidden,
            } in nodes
            {
                let t = &run.tracks[i];
                let like = likeness(t);
                let foldable = plan.contains(&like);
                if foldable && !shape.expanded {
                    match lanes.iter().find(|(l, _)| *l == like) {
                        Some(&(_, g)) => groups[g].members.push(i),
                        None => {
                            lanes.push((like, groups.len()));
                            groups.push(Group {
                                subject: i,
                                name: String::new(),
                                place: place_in(run, t.home),
                                end: None,
                                members: vec![i],
                                paint: Paint::Folded,
                                foldable,
                                depth,
                                open: None,
                                hidden: 0,
                            });
                        }
                    }
                    continue;
                }
                groups.push(Group {
                    subject: i,
                    name: t.name.clone(),
                    place: place_in(run, t.home),
                    end: t.end,
                    members: vec![i],
                    paint: Paint::Own,
                    foldable,
                    depth,
                    open,
                    hidden,
                });
            }
            for (like, g) in lanes {
                groups[g].name = folded_name(like, groups[g].members.len());
            }
            (groups, !plan.is_empty())
        }
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
            let lanes = lanes
                .into_iter()
                .map(|(home, members)| Group {
                    subject: members[0],
                    name: place(Some(home), run.main_home()),
                    place: format!("{} ran here", members.len()),
                    end: None,
                    members,
                    paint: Paint::OnThread,
                    foldable: false,
                    depth: 0,
                    open: None,
                    hidden: 0,
                })
                .collect();
            (lanes, false)
        }
    }
}

/// A stretch of a folded lane: from `start` to `end`, `count` subjects were in `kind` (the
/// busiest state of any), and `subject` was one of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Stretch {
    pub(super) subject: usize,
    pub(super) start: u64,
    pub(super) end: u64,
    pub(super) kind: SpanKind,
    pub(super) count: u32,
}

/// Folds overlapping spans of many subjects into stretches that do not overlap, in time
/// order. A sweep over the spans' edges, so a thousand requests cost what their spans do.
pub(super) fn fold(spans: &[(usize, Span)], now: u64) -> Vec<Stretch> {
    // (time, +1 opens / -1 closes, kind, subject)
    let mut edges: Vec<(u64, i8, SpanKind, usize)> = Vec::with_capacity(spans.len() * 2);
    for &(i, s) in spans {
        let end = s.end.unwrap_or(now);
        if end > s.start {
            edges.push((s.start, 1, s.kind, i));
            edges.push((end, -1, s.kind, i));
        }
    }
    edges.sort_by_key(|&(t, delta, _, _)| (t, delta));
    const N: usize = SpanKind::BY_WEIGHT.len();
    let mut count = [0u32; N];
    let mut last = [0usize; N];
    let mut out: Vec<Stretch> = Vec::new();
    let mut from = 0;
    let mut i = 0;
    while i < edges.len() {
        let t = edges[i].0;
        let busiest = (0..N).rev().find(|&k| count[k] > 0);
        if let Some(k) = busiest.filter(|_| t > from) {
            let kind = SpanKind::BY_WEIGHT[k];
            match out.last_mut() {
                Some(s) if s.end == from && s.kind == kind && s.count == count[k] => s.end = t,
                _ => out.push(Stretch {
                    subject: last[k],
                    start: from,
                    end: t,
                    kind,
                    count: count[k],
                }),
            }
        }
        while i < edges.len() && edges[i].0 == t {
            let (_, delta, kind, subject) = edges[i];
            let k = kind.weight();
            if delta > 0 {
                count[k] += 1;
                last[k] = subject;
            } else {
                count[k] = count[k].saturating_sub(1);
            }
            i += 1;
        }
        from = t;
    }
    out
}
