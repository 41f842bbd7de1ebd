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
    /// Suspended on a lock, a semaphore, an event or a queue: it gives the loop back, and
    /// waits for another task to let it go on.
    Contended,
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
    pub const ALL: [SpanKind; 8] = [
        SpanKind::Running,
        SpanKind::Suspended,
        SpanKind::Contended,
        SpanKind::Cpu,
        SpanKind::BlockedSleep,
        SpanKind::Waiting,
        SpanKind::GilWait,
        SpanKind::Queued,
    ];

    /// Every kind by [`SpanKind::weight`]: `BY_WEIGHT[k.weight()] == k`.
    pub const BY_WEIGHT: [SpanKind; 8] = [
        SpanKind::Queued,
        SpanKind::Suspended,
        SpanKind::Contended,
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
            SpanKind::Contended => "#f783ac",
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
            SpanKind::Contended => "waiting for a lock, semaphore, event or queue",
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
            SpanKind::Queued | SpanKind::Suspended | SpanKind::Contended => false,
        }
    }

    /// Whether it keeps a core busy: what the summary counts as CPU time.
    pub fn uses_core(self) -> bool {
        match self {
            SpanKind::Running | SpanKind::Cpu => true,
            SpanKind::Queued
            | SpanKind::Suspended
            | SpanKind::Contended
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
            SpanKind::Contended => 2,
            SpanKind::GilWait => 3,
            SpanKind::Waiting => 4,
            SpanKind::BlockedSleep => 5,
            SpanKind::Running => 6,
            SpanKind::Cpu => 7,
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

/// What a suspended task waits on, beyond what its span's kind says: a resource (the index
/// of the scenario's lock, semaphore, event or queue), a task it awaits, a gather.
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
    /// `with lock:` on a `threading.Lock` another thread holds: the thread blocks. Which
    /// lock, where the engine said.
    ThreadLock(Option<u32>),
    /// `await` of one task or job: the subject.
    Await(u32),
    /// `await asyncio.gather(...)` of this many subjects (the track's `gathers` names them).
    Gather(u32),
}

impl WaitOn {
    /// The waits of `on` worth more words than the span's kind; `None` for a sleep, a join
    /// and a coroutine awaited directly.
    pub fn of(on: &looplab_shared::protocol::WaitReason) -> Option<Self> {
        use looplab_shared::protocol::WaitReason as W;
        match *on {
            W::Lock { resource } => Some(WaitOn::Lock(resource)),
            W::Event { resource } => Some(WaitOn::Event(resource)),
            W::QueuePut { resource } => Some(WaitOn::Put(resource)),
            W::QueueGet { resource } => Some(WaitOn::Get(resource)),
            W::QueueJoin { resource } => Some(WaitOn::Join(resource)),
            W::Await { subject } => subject.map(WaitOn::Await),
            W::Gather { ref subjects } => Some(WaitOn::Gather(subjects.len() as u32)),
            W::Sleep { .. } | W::Join => None,
        }
    }

    /// The resource it waits on, if it is one.
    pub fn resource(self) -> Option<u32> {
        match self {
            WaitOn::Lock(r)
            | WaitOn::Event(r)
            | WaitOn::Put(r)
            | WaitOn::Get(r)
            | WaitOn::Join(r) => Some(r),
            WaitOn::ThreadLock(r) => r,
            WaitOn::Await(_) | WaitOn::Gather(_) => None,
        }
    }

    /// The span kind a suspension on it is: a resource's wait has a colour of its own.
    pub fn suspended(on: Option<Self>) -> SpanKind {
        match on.map(Self::resource) {
            Some(Some(_)) => SpanKind::Contended,
            Some(None) | None => SpanKind::Suspended,
        }
    }
}
