//! How events change a run's view: spans opened and closed on each subject's track.

use std::rc::Rc;

use looplab_shared::protocol::{BlockReason, EventKind, Outcome, RunId, ServerMsg, WaitReason};

use super::{
    Home, Line, RunStatus, RunView, Sample, Span, SpanKind, Track, TrackEnd, Use, UseOp, WaitOn,
};

impl Track {
    /// A track named `name` with nothing on it yet.
    pub fn new(name: String) -> Self {
        Self {
            name,
            spans: Vec::new(),
            prints: Vec::new(),
            end: None,
            home: None,
            kind: None,
            parent: None,
            gathers: Vec::new(),
        }
    }

    /// Closes the open span, if any, at `t`.
    fn close(&mut self, t: u64) {
        if let Some(span) = self.spans.last_mut().filter(|s| s.end.is_none()) {
            span.end = Some(t);
        }
    }

    fn open(&mut self, t: u64, kind: SpanKind) {
        self.open_on(t, kind, None);
    }

    fn open_on(&mut self, t: u64, kind: SpanKind, on: Option<WaitOn>) {
        // Still in that state (the GIL handed back and forth in CPU work): one span.
        if self
            .spans
            .last()
            .is_some_and(|s| s.end.is_none() && s.kind == kind && s.on == on)
        {
            return;
        }
        self.close(t);
        self.spans.push(Span {
            start: t,
            end: None,
            kind,
            on,
        });
    }
}

impl RunView {
    /// Where the module's code ran: the run's own process and its main thread.
    pub fn main_home(&self) -> Option<Home> {
        self.tracks.first().and_then(|t| t.home)
    }

    /// A run as its `run_started` leaves it: running, with `tracks` (just `main` for a real
    /// run) and nothing else yet. Message `seq` 0 was the start.
    pub fn started(run_id: RunId, name: String, ideal_wall_ns: u64, tracks: Vec<Track>) -> Self {
        RunView {
            run_id,
            name,
            resources: Rc::default(),
            uses: Rc::default(),
            ideal_wall_ns,
            predicted_wall_ns: None,
            cores: 2,
            status: RunStatus::Running,
            tracks: tracks.into_iter().map(Rc::new).collect(),
            console: Rc::default(),
            last_t_ns: 0,
            next_seq: 1,
            lags: Rc::default(),
            latencies: Rc::default(),
            gaps: 0,
            log: Default::default(),
        }
    }

    /// Takes one message of this run: its events, its end.
    pub fn receive(&mut self, msg: ServerMsg) {
        let Some(seq) = msg.seq() else {
            return;
        };
        self.log.push(msg.clone());
        if seq != self.next_seq {
            self.gaps += 1;
        }
        self.next_seq = seq + 1;
        match msg {
            ServerMsg::Event {
                t_ns,
                subject,
                kind,
                pid,
                tid,
                lane,
                ..
            } => {
                let started = kind == EventKind::Started;
                self.apply_event(t_ns, subject, kind);
                if let Some(track) = self.tracks.get_mut(subject as usize).filter(|_| started) {
                    Rc::make_mut(track)
                        .home
                        .get_or_insert(Home { pid, tid, lane });
                }
            }
            ServerMsg::RunEnded {
                outcome,
                wall_ns,
                events_lost,
                ..
            } => {
                if let Outcome::Deadlocked { stuck } = &outcome {
                    for s in stuck {
                        if let Some(track) = self.tracks.get_mut(s.subject as usize) {
                            Rc::make_mut(track).end = Some(TrackEnd::Stuck);
                        }
                    }
                }
                self.status = RunStatus::Ended {
                    outcome,
                    wall_ns,
                    events_lost,
                };
                self.last_t_ns = self.last_t_ns.max(wall_ns);
            }
            ServerMsg::RunStarted { .. }
            | ServerMsg::Queued { .. }
            | ServerMsg::RepeatStarted { .. }
            | ServerMsg::Repeated { .. }
            | ServerMsg::Rejected { .. }
            | ServerMsg::Parsed { .. } => {}
        }
    }

    /// Records a use of a resource, in time order: a worker's event may arrive a moment
    /// after a later one.
    fn used(&mut self, t_ns: u64, subject: u32, resource: u32, op: UseOp) {
        let uses = Rc::make_mut(&mut self.uses);
        let at = uses.partition_point(|u| u.t_ns <= t_ns);
        uses.insert(
            at,
            Use {
                t_ns,
                subject,
                resource,
                op,
            },
        );
    }

    fn apply_event(&mut self, t: u64, subject: u32, kind: EventKind) {
        self.last_t_ns = self.last_t_ns.max(t);
        let sample = |value_ns| Sample {
            t_ns: t,
            value_ns,
            subject,
        };
        match kind {
            EventKind::LoopLag { lag_ns } => {
                Rc::make_mut(&mut self.lags).push(sample(lag_ns));
                return;
            }
            EventKind::Responded { latency_ns } => {
                Rc::make_mut(&mut self.latencies).push(sample(latency_ns))
            }
            EventKind::Acquired { resource } => self.used(t, subject, resource, UseOp::Acquired),
            EventKind::Released { resource } => self.used(t, subject, resource, UseOp::Released),
            EventKind::Put { resource, item } => self.used(t, subject, resource, UseOp::Put(item)),
            EventKind::Got { resource, item } => self.used(t, subject, resource, UseOp::Got(item)),
            EventKind::Set { resource } => self.used(t, subject, resource, UseOp::Set),
            _ => {}
        }
        let index = subject as usize;
        if index >= self.tracks.len() {
            self.tracks
                .resize_with(index + 1, || Rc::new(Track::new(String::new())));
        }
        // Tracks are shared with the states before this one: only the one that changes is
        // copied, so a batch of events costs what it changes, not the size of the run.
        let track = Rc::make_mut(&mut self.tracks[index]);
        let end = |track: &mut Track, how| {
            track.close(t);
            track.end = Some(how);
        };
        match kind {
            EventKind::Created { name, what, parent } => {
                track.name = name;
                track.kind = Some(what);
                track.parent = (index != 0).then_some(parent);
                track.open(t, SpanKind::Queued);
            }
            EventKind::Queued => track.open(t, SpanKind::Queued),
            EventKind::Started | EventKind::Resumed | EventKind::Unblocked => {
                track.open(t, SpanKind::Running)
            }
            // The GIL back, it goes on with what it was doing: CPU work stays CPU work.
            EventKind::GilAcquire => {
                let mut before = track.spans.iter().rev().map(|s| s.kind);
                let cpu = before.find(|k| *k != SpanKind::GilWait) == Some(SpanKind::Cpu);
                track.open(
                    t,
                    if cpu {
                        SpanKind::Cpu
                    } else {
                        SpanKind::Running
                    },
                )
            }
            EventKind::Suspended { on } => {
                let wait = WaitOn::of(&on);
                if let WaitReason::Gather { subjects } = on {
                    track.gathers.push((t, subjects));
                }
                track.open_on(t, WaitOn::suspended(wait), wait)
            }
            EventKind::Blocked { on, resource, .. } => {
                let kind = match on {
                    BlockReason::Sleep => SpanKind::BlockedSleep,
                    BlockReason::Cpu => SpanKind::Cpu,
                    BlockReason::ParCpu
                    | BlockReason::Join
                    | BlockReason::Lock
                    | BlockReason::Loop => SpanKind::Waiting,
                };
                let lock = (on == BlockReason::Lock).then_some(WaitOn::ThreadLock(resource));
                track.open_on(t, kind, lock)
            }
            EventKind::GilWait => track.open(t, SpanKind::GilWait),
            // Released between slices or at the end of a CPU step: what follows says which.
            EventKind::GilRelease | EventKind::Responded { .. } | EventKind::LoopLag { .. } => {}
            EventKind::Acquired { .. }
            | EventKind::Released { .. }
            | EventKind::Put { .. }
            | EventKind::Got { .. }
            | EventKind::Set { .. } => {}
            EventKind::Print { text } => {
                track.prints.push(t);
                // In the order the lines were printed: a worker process's line can reach the
                // page a moment after a later one of the runner's.
                let console = Rc::make_mut(&mut self.console);
                let at = console.partition_point(|line| line.t_ns <= t);
                console.insert(
                    at,
                    Line {
                        t_ns: t,
                        task: subject,
                        text,
                    },
                );
            }
            EventKind::Finished => end(track, TrackEnd::Finished),
            EventKind::Cancelled => end(track, TrackEnd::Cancelled),
            EventKind::Killed => end(track, TrackEnd::Killed),
            EventKind::Failed { .. } => end(track, TrackEnd::Failed),
        }
    }
}
