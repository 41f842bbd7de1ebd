//! What a span of a subject's track means, and everything the page derives from that:
//! colour, words, whether it holds a thread or a core, and which state wins when lanes fold.

/// What a span of a task's track means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SpanKind {
    /// Created, waiting for the loop to run it for the first time.
    Queued,
    /// Running on the loop.
    Running,
    /// Suspended at an `await`: it gives the loop back to other tasks.
    Suspended,
    /// Blocking its thread in a sleep (on the loop: the loop is stuck).
    BlockedSleep,
    /// Burning CPU (on the loop: the loop is stuck too), with or without the GIL.
    Cpu,
    /// Waiting for its process's GIL.
    GilWait,
    /// Blocking its thread until others finish: `join()`, the end of a `with` block, a
    /// rayon split's chunks. The thread is held; no core is.
    Waiting,
}

impl SpanKind {
    /// Every kind, in the order the legend lists them.
    pub const ALL: [SpanKind; 7] = [
        SpanKind::Running,
        SpanKind::Suspended,
        SpanKind::Cpu,
        SpanKind::BlockedSleep,
        SpanKind::Waiting,
        SpanKind::GilWait,
        SpanKind::Queued,
    ];

    /// Every kind by [`SpanKind::weight`]: `BY_WEIGHT[k.weight()] == k`.
    pub const BY_WEIGHT: [SpanKind; 7] = [
        SpanKind::Queued,
        SpanKind::Suspended,
        SpanKind::GilWait,
        SpanKind::Waiting,
        SpanKind::BlockedSleep,
        SpanKind::Running,
        SpanKind::Cpu,
    ];

    /// Its colour, on the timeline and in the legend. CPU work is one colour whether or not
    /// a GIL is in play: the GIL shows as the waits between.
    pub fn colour(self) -> &'static str {
        match self {
            SpanKind::Running => "#2b8a3e",
            SpanKind::Suspended => "#a5d8ff",
            SpanKind::Queued => "#dee2e6",
            SpanKind::BlockedSleep => "#e03131",
            SpanKind::Cpu => "#7048e8",
            SpanKind::GilWait => "#ffd43b",
            SpanKind::Waiting => "#868e96",
        }
    }

    /// What it means, in words.
    pub fn meaning(self) -> &'static str {
        match self {
            SpanKind::Running => "running",
            SpanKind::Suspended => "suspended at await (gives the loop back)",
            SpanKind::Queued => "created or queued, waiting to start",
            SpanKind::BlockedSleep => "blocking sleep (holds its thread)",
            SpanKind::Cpu => "CPU work (holds its thread)",
            SpanKind::GilWait => "waiting for the GIL",
            SpanKind::Waiting => "waiting for others to finish (holds its thread)",
        }
    }

    /// Whether it occupies the thread it is on (a suspended task or a queued job does not).
    pub fn holds_thread(self) -> bool {
        match self {
            SpanKind::Running
            | SpanKind::Cpu
            | SpanKind::BlockedSleep
            | SpanKind::GilWait
            | SpanKind::Waiting => true,
            SpanKind::Queued | SpanKind::Suspended => false,
        }
    }

    /// Whether it keeps a core busy: what the summary counts as CPU time.
    pub fn uses_core(self) -> bool {
        match self {
            SpanKind::Running | SpanKind::Cpu => true,
            SpanKind::Queued
            | SpanKind::Suspended
            | SpanKind::BlockedSleep
            | SpanKind::GilWait
            | SpanKind::Waiting => false,
        }
    }

    /// Which state a folded lane shows when its subjects are in several at once: the one
    /// that holds a thread over the one that waits, work over waiting.
    pub fn weight(self) -> usize {
        match self {
            SpanKind::Queued => 0,
            SpanKind::Suspended => 1,
            SpanKind::GilWait => 2,
            SpanKind::Waiting => 3,
            SpanKind::BlockedSleep => 4,
            SpanKind::Running => 5,
            SpanKind::Cpu => 6,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::SpanKind;

    #[test]
    fn the_tables_list_every_kind_once() {
        for (i, k) in SpanKind::BY_WEIGHT.iter().enumerate() {
            assert_eq!(k.weight(), i);
            assert!(SpanKind::ALL.contains(k));
        }
        let mut colours: Vec<_> = SpanKind::ALL.iter().map(|k| k.colour()).collect();
        colours.sort_unstable();
        colours.dedup();
        assert_eq!(
            colours.len(),
            SpanKind::ALL.len(),
            "two kinds share a colour"
        );
    }
}

/// What a suspended task waits on, where it is a lock, a semaphore, an event or a queue:
/// the index of the scenario's resource.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WaitOn {
    /// `async with` a lock or semaphore others hold.
    Lock(u32),
    /// `await event.wait()` before `set()`.
    Event(u32),
    /// `await queue.put()` on a full queue.
    Put(u32),
    /// `await queue.get()` on an empty queue.
    Get(u32),
    /// `await queue.join()` with items not done.
    Join(u32),
    /// `with lock:` on a `threading.Lock` another thread holds: the thread blocks.
    ThreadLock,
}

impl WaitOn {
    /// The resource waits of `on`; `None` for the others (a sleep, a gather...), which the
    /// span's kind says enough about.
    pub fn of(on: looplab_shared::protocol::WaitReason) -> Option<Self> {
        use looplab_shared::protocol::WaitReason as W;
        match on {
            W::Lock { resource } => Some(WaitOn::Lock(resource)),
            W::Event { resource } => Some(WaitOn::Event(resource)),
            W::QueuePut { resource } => Some(WaitOn::Put(resource)),
            W::QueueGet { resource } => Some(WaitOn::Get(resource)),
            W::QueueJoin { resource } => Some(WaitOn::Join(resource)),
            W::Sleep { .. } | W::Gather { .. } | W::Await { .. } | W::Join => None,
        }
    }

    /// In words, naming the resource from `names` (the scenario's resources).
    pub fn words(self, names: &[String]) -> String {
        let name = |i: u32| {
            names
                .get(i as usize)
                .map_or_else(|| "?".to_owned(), Clone::clone)
        };
        match self {
            WaitOn::Lock(i) => format!("waiting to hold {}: others hold it", name(i)),
            WaitOn::Event(i) => format!("waiting for {}.set()", name(i)),
            WaitOn::Put(i) => format!("{} is full: put() waits for a free place", name(i)),
            WaitOn::Get(i) => format!("{} is empty: get() waits for an item", name(i)),
            WaitOn::Join(i) => format!("waiting until every item of {} is done", name(i)),
            WaitOn::ThreadLock => "waiting for a threading.Lock another thread holds".into(),
        }
    }
}
