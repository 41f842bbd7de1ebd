//! What each of a run's locks, semaphores, queues and events was doing at each moment,
//! rebuilt from the uses the run recorded: who held a lock or a semaphore's places, how many
//! items a queue held, whether an event was set. Pure, so it is tested natively.

use looplab_shared::model::ResourceKind;

use crate::state::{RunView, UseOp};

/// A stretch of a resource's life in one state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Level {
    /// Start, in ns since the run began.
    pub start: u64,
    /// End; "now" for the last one.
    pub end: u64,
    /// Who held it, in the order they took it (a lock or a semaphore).
    pub holders: Vec<u32>,
    /// How many: holders, items on a queue, 1 for an event set.
    pub n: u32,
}

/// How much of it there is: one for a lock, a semaphore's places, a bounded queue's size;
/// `None` for an unbounded queue and an event.
pub fn capacity(kind: ResourceKind) -> Option<u32> {
    match kind {
        ResourceKind::Lock | ResourceKind::ThreadLock => Some(1),
        ResourceKind::Semaphore { value } => Some(value),
        ResourceKind::Queue { maxsize } => (maxsize > 0).then_some(maxsize),
        ResourceKind::Event => None,
    }
}

/// The resource's state as it changed, walking its uses up to and including time `until`.
struct Walk {
    holders: Vec<u32>,
    size: u32,
    set: bool,
}

impl Walk {
    fn new() -> Self {
        Self {
            holders: Vec::new(),
            size: 0,
            set: false,
        }
    }

    fn step(&mut self, subject: u32, op: UseOp) {
        match op {
            UseOp::Acquired => self.holders.push(subject),
            UseOp::Released => {
                if let Some(i) = self.holders.iter().position(|&h| h == subject) {
                    self.holders.remove(i);
                }
            }
            UseOp::Put(_) => self.size += 1,
            UseOp::Got(_) => self.size = self.size.saturating_sub(1),
            UseOp::Set => self.set = true,
        }
    }

    fn n(&self) -> u32 {
        (self.holders.len() as u32)
            .max(self.size)
            .max(u32::from(self.set))
    }
}

fn walk_to(run: &RunView, resource: u32, t: u64) -> Walk {
    let mut w = Walk::new();
    for u in run.uses.iter().take_while(|u| u.t_ns <= t) {
        if u.resource == resource {
            w.step(u.subject, u.op);
        }
    }
    w
}

/// Who held `resource` (a lock or a semaphore) at `t`, every use at `t` counted.
pub fn holders_at(run: &RunView, resource: u32, t: u64) -> Vec<u32> {
    walk_to(run, resource, t).holders
}

/// How many items queue `resource` held at `t`.
pub fn size_at(run: &RunView, resource: u32, t: u64) -> u32 {
    walk_to(run, resource, t).size
}

/// The resource's busy stretches up to `now`, in time order: a stretch for each change of
/// who holds it or how full it is; idle stretches (no holder, an empty queue, an event not
/// set) are left out.
pub fn levels(run: &RunView, resource: u32, now: u64) -> Vec<Level> {
    let mut w = Walk::new();
    let mut out: Vec<Level> = Vec::new();
    let mut from = 0;
    let uses: Vec<_> = run.uses.iter().filter(|u| u.resource == resource).collect();
    // Several uses at one moment count as one change.
    for moment in uses.chunk_by(|a, b| a.t_ns == b.t_ns) {
        let t = moment[0].t_ns;
        let before = (w.holders.clone(), w.n());
        for u in moment {
            w.step(u.subject, u.op);
        }
        if (w.holders.as_slice(), w.n()) == (before.0.as_slice(), before.1) {
            continue;
        }
        if before.1 > 0 && t > from {
            out.push(Level {
                start: from,
                end: t,
                holders: before.0,
                n: before.1,
            });
        }
        from = t;
    }
    if w.n() > 0 && now > from {
        out.push(Level {
            start: from,
            end: now,
            n: w.n(),
            holders: w.holders,
        });
    }
    out
}

/// A subject's name, quoted: `` `fetch(2)` ``.
pub fn quoted(run: &RunView, subject: u32) -> String {
    let name = run
        .tracks
        .get(subject as usize)
        .map_or("?", |t| t.name.as_str());
    format!("`{name}`")
}

/// Holders' names, the first few: `a, b, c`, `a, b, c, d +2`.
pub fn names(run: &RunView, holders: &[u32]) -> String {
    const SHOWN: usize = 4;
    let mut s = holders
        .iter()
        .take(SHOWN)
        .map(|&h| run.tracks.get(h as usize).map_or("?", |t| t.name.as_str()))
        .collect::<Vec<_>>()
        .join(", ");
    if holders.len() > SHOWN {
        s.push_str(&format!(" +{}", holders.len() - SHOWN));
    }
    s
}

/// What a level says on its bar: the holder of a lock, `2/3: a, b` for a semaphore, `1/2`
/// for a queue (`3 items` unbounded), `set` for an event.
pub fn level_label(run: &RunView, kind: ResourceKind, level: &Level) -> String {
    match kind {
        ResourceKind::Lock | ResourceKind::ThreadLock => names(run, &level.holders),
        ResourceKind::Semaphore { value } => {
            format!("{}/{value}: {}", level.n, names(run, &level.holders))
        }
        ResourceKind::Queue { maxsize: 0 } => match level.n {
            1 => "1 item".into(),
            n => format!("{n} items"),
        },
        ResourceKind::Queue { maxsize } => format!("{}/{maxsize}", level.n),
        ResourceKind::Event => "set".into(),
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use std::rc::Rc;

    use super::*;
    use crate::state::{Track, Use};

    pub(crate) fn run_with(names: &[&str], uses: &[(u64, u32, u32, UseOp)]) -> RunView {
        let tracks = names.iter().map(|n| Track::new((*n).into())).collect();
        RunView {
            uses: Rc::new(
                uses.iter()
                    .map(|&(t_ns, subject, resource, op)| Use {
                        t_ns,
                        subject,
                        resource,
                        op,
                    })
                    .collect(),
            ),
            ..RunView::started(1, "r".into(), 100, tracks)
        }
    }

    #[test]
    fn a_semaphore_s_holders_come_and_go() {
        use UseOp::{Acquired, Released};
        let run = run_with(
            &["main", "a", "b", "c"],
            &[
                (10, 1, 0, Acquired),
                (10, 2, 0, Acquired),
                (50, 1, 0, Released),
                (50, 3, 0, Acquired),
                (80, 2, 0, Released),
                (90, 3, 0, Released),
                (95, 1, 1, Acquired),
            ],
        );
        assert_eq!(holders_at(&run, 0, 9), Vec::<u32>::new());
        assert_eq!(holders_at(&run, 0, 10), vec![1, 2]);
        assert_eq!(holders_at(&run, 0, 60), vec![2, 3]);
        let got: Vec<_> = levels(&run, 0, 100)
            .into_iter()
            .map(|l| (l.start, l.end, l.holders, l.n))
            .collect();
        assert_eq!(
            got,
            vec![
                (10, 50, vec![1, 2], 2),
                (50, 80, vec![2, 3], 2),
                (80, 90, vec![3], 1),
            ],
            "the other resource's use is not this one's; idle time is left out"
        );
        let sem = ResourceKind::Semaphore { value: 2 };
        assert_eq!(
            level_label(&run, sem, &levels(&run, 0, 100)[1]),
            "2/2: b, c"
        );
        // A lock held at the end stays held until now.
        assert_eq!(
            levels(&run, 1, 120)[0],
            Level {
                start: 95,
                end: 120,
                holders: vec![1],
                n: 1
            }
        );
    }

    #[test]
    fn a_queue_s_size_and_an_event_s_setting() {
        use UseOp::{Got, Put, Set};
        let run = run_with(
            &["main", "p", "c"],
            &[
                (10, 1, 0, Put(0)),
                (20, 1, 0, Put(1)),
                (30, 2, 0, Got(0)),
                (40, 2, 0, Got(1)),
                (70, 1, 1, Set),
            ],
        );
        assert_eq!(size_at(&run, 0, 25), 2);
        assert_eq!(size_at(&run, 0, 45), 0);
        let q: Vec<_> = levels(&run, 0, 100)
            .iter()
            .map(|l| (l.start, l.end, l.n))
            .collect();
        assert_eq!(q, vec![(10, 20, 1), (20, 30, 2), (30, 40, 1)]);
        let label = |kind, i| level_label(&run, kind, &levels(&run, 0, 100)[i]);
        assert_eq!(label(ResourceKind::Queue { maxsize: 2 }, 1), "2/2");
        assert_eq!(label(ResourceKind::Queue { maxsize: 0 }, 0), "1 item");
        let e = levels(&run, 1, 100);
        assert_eq!((e[0].start, e[0].end, e[0].n), (70, 100, 1));
        assert_eq!(capacity(ResourceKind::Event), None);
        assert_eq!(capacity(ResourceKind::Queue { maxsize: 0 }), None);
        assert_eq!(capacity(ResourceKind::Semaphore { value: 3 }), Some(3));
    }

    #[test]
    fn many_holders_are_cut_short() {
        let run = run_with(&["a", "b", "c", "d", "e", "f"], &[]);
        assert_eq!(names(&run, &[0, 1, 2, 3, 4, 5]), "a, b, c, d +2");
        assert_eq!(quoted(&run, 1), "`b`");
    }
}
