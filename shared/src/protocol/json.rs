//! How the server's messages are written in JSON: each an object with a `type` and the
//! fields of that kind, nested objects likewise. Read through flat shapes, then checked kind
//! by kind: the same JSON a tagged enum reads, with a fraction of the code, which every
//! learner downloads (the page reads these messages; it never writes them).

use serde::{Deserialize, Serialize};

use super::{BlockReason, EventKind, Lane, Outcome, RunId, ServerMsg, SubjectKind, WaitReason};
use crate::python::Diagnostic;
use crate::repeat::Digest;

/// Takes field `name` out of `slot`, or says that `kind` needs it.
fn need<T>(slot: Option<T>, kind: &str, name: &str) -> Result<T, String> {
    slot.ok_or_else(|| format!("missing field `{name}`: a `{kind}` has one"))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub(super) enum MsgType {
    Queued,
    RunStarted,
    RepeatStarted,
    Repeated,
    Event,
    RunEnded,
    Parsed,
    Rejected,
}

/// A server message as JSON has it.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub(super) struct MsgJson {
    #[serde(rename = "type")]
    ty: Option<MsgType>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    run_id: Option<RunId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    seq: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    position: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    ideal_wall_ns: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    predicted_wall_ns: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    cores: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    times: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    index: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    digest: Option<Digest>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    t_ns: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    subject: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pid: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    tid: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    lane: Option<Lane>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    kind: Option<EventKind>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    outcome: Option<Outcome>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    wall_ns: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    events_lost: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    id: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    scenario: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    diagnostics: Option<Vec<Diagnostic>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    field: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    message: Option<String>,
}

impl TryFrom<MsgJson> for ServerMsg {
    type Error = String;

    fn try_from(j: MsgJson) -> Result<Self, String> {
        let ty = j.ty.ok_or("missing field `type`")?;
        let run = |k| Ok::<_, String>((need(j.run_id, k, "run_id")?, need(j.seq, k, "seq")?));
        Ok(match ty {
            MsgType::Queued => {
                let (run_id, seq) = run("queued")?;
                ServerMsg::Queued {
                    run_id,
                    seq,
                    position: need(j.position, "queued", "position")?,
                }
            }
            MsgType::RunStarted => {
                let (run_id, seq) = run("run_started")?;
                ServerMsg::RunStarted {
                    run_id,
                    seq,
                    name: need(j.name, "run_started", "name")?,
                    ideal_wall_ns: need(j.ideal_wall_ns, "run_started", "ideal_wall_ns")?,
                    predicted_wall_ns: j.predicted_wall_ns,
                    cores: need(j.cores, "run_started", "cores")?,
                }
            }
            MsgType::RepeatStarted => {
                let (run_id, seq) = run("repeat_started")?;
                ServerMsg::RepeatStarted {
                    run_id,
                    seq,
                    name: need(j.name, "repeat_started", "name")?,
                    times: need(j.times, "repeat_started", "times")?,
                    cores: need(j.cores, "repeat_started", "cores")?,
                }
            }
            MsgType::Repeated => {
                let (run_id, seq) = run("repeated")?;
                ServerMsg::Repeated {
                    run_id,
                    seq,
                    index: need(j.index, "repeated", "index")?,
                    digest: need(j.digest, "repeated", "digest")?,
                }
            }
            MsgType::Event => {
                let (run_id, seq) = run("event")?;
                ServerMsg::Event {
                    run_id,
                    seq,
                    t_ns: need(j.t_ns, "event", "t_ns")?,
                    subject: need(j.subject, "event", "subject")?,
                    pid: need(j.pid, "event", "pid")?,
                    tid: need(j.tid, "event", "tid")?,
                    lane: need(j.lane, "event", "lane")?,
                    kind: need(j.kind, "event", "kind")?,
                }
            }
            MsgType::RunEnded => {
                let (run_id, seq) = run("run_ended")?;
                ServerMsg::RunEnded {
                    run_id,
                    seq,
                    outcome: need(j.outcome, "run_ended", "outcome")?,
                    wall_ns: need(j.wall_ns, "run_ended", "wall_ns")?,
                    events_lost: need(j.events_lost, "run_ended", "events_lost")?,
                }
            }
            MsgType::Parsed => ServerMsg::Parsed {
                id: need(j.id, "parsed", "id")?,
                scenario: j.scenario,
                diagnostics: j.diagnostics.unwrap_or_default(),
            },
            MsgType::Rejected => {
                let (run_id, seq) = run("rejected")?;
                ServerMsg::Rejected {
                    run_id,
                    seq,
                    field: need(j.field, "rejected", "field")?,
                    message: need(j.message, "rejected", "message")?,
                }
            }
        })
    }
}

impl From<ServerMsg> for MsgJson {
    fn from(msg: ServerMsg) -> Self {
        let run = |ty, run_id, seq| MsgJson {
            ty: Some(ty),
            run_id: Some(run_id),
            seq: Some(seq),
            ..MsgJson::default()
        };
        match msg {
            ServerMsg::Queued {
                run_id,
                seq,
                position,
            } => MsgJson {
                position: Some(position),
                ..run(MsgType::Queued, run_id, seq)
            },
            ServerMsg::RunStarted {
                run_id,
                seq,
                name,
                ideal_wall_ns,
                predicted_wall_ns,
                cores,
            } => MsgJson {
                name: Some(name),
                ideal_wall_ns: Some(ideal_wall_ns),
                predicted_wall_ns,
                cores: Some(cores),
                ..run(MsgType::RunStarted, run_id, seq)
            },
            ServerMsg::RepeatStarted {
                run_id,
                seq,
                name,
                times,
                cores,
            } => MsgJson {
                name: Some(name),
                times: Some(times),
                cores: Some(cores),
                ..run(MsgType::RepeatStarted, run_id, seq)
            },
            ServerMsg::Repeated {
                run_id,
                seq,
                index,
                digest,
            } => MsgJson {
                index: Some(index),
                digest: Some(digest),
                ..run(MsgType::Repeated, run_id, seq)
            },
            ServerMsg::Event {
                run_id,
                seq,
                t_ns,
                subject,
                pid,
                tid,
                lane,
                kind,
            } => MsgJson {
                t_ns: Some(t_ns),
                subject: Some(subject),
                pid: Some(pid),
                tid: Some(tid),
                lane: Some(lane),
                kind: Some(kind),
                ..run(MsgType::Event, run_id, seq)
            },
            ServerMsg::RunEnded {
                run_id,
                seq,
                outcome,
                wall_ns,
                events_lost,
            } => MsgJson {
                outcome: Some(outcome),
                wall_ns: Some(wall_ns),
                events_lost: Some(events_lost),
                ..run(MsgType::RunEnded, run_id, seq)
            },
            ServerMsg::Parsed {
                id,
                scenario,
                diagnostics,
            } => MsgJson {
                ty: Some(MsgType::Parsed),
                id: Some(id),
                scenario,
                diagnostics: (!diagnostics.is_empty()).then_some(diagnostics),
                ..MsgJson::default()
            },
            ServerMsg::Rejected {
                run_id,
                seq,
                field,
                message,
            } => MsgJson {
                field: Some(field),
                message: Some(message),
                ..run(MsgType::Rejected, run_id, seq)
            },
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub(super) enum EventType {
    Created,
    Queued,
    Started,
    Print,
    Suspended,
    Resumed,
    Blocked,
    Unblocked,
    GilWait,
    GilAcquire,
    GilRelease,
    Finished,
    Cancelled,
    Killed,
    Failed,
    Responded,
    LoopLag,
    Acquired,
    Released,
    Put,
    Got,
    Set,
}

/// What an event's `on` holds: why a task waits (an object) or why a subject blocks (a
/// string).
#[derive(Debug, Clone, PartialEq)]
pub(super) enum On {
    Wait(WaitReason),
    Block(BlockReason),
}

impl Serialize for On {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            On::Wait(w) => w.serialize(s),
            On::Block(b) => b.serialize(s),
        }
    }
}

impl<'de> Deserialize<'de> for On {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = On;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a block reason or a wait reason")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<On, E> {
                BlockReason::deserialize(serde::de::value::StrDeserializer::new(v)).map(On::Block)
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, map: A) -> Result<On, A::Error> {
                WaitReason::deserialize(serde::de::value::MapAccessDeserializer::new(map))
                    .map(On::Wait)
            }
        }
        d.deserialize_any(Visitor)
    }
}

/// An event's kind as JSON has it.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub(super) struct EventJson {
    #[serde(rename = "type")]
    ty: Option<EventType>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    what: Option<SubjectKind>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    parent: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    text: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    on: Option<On>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    ms: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    reason: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    latency_ns: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    lag_ns: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    resource: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    item: Option<u64>,
}

impl TryFrom<EventJson> for EventKind {
    type Error = String;

    fn try_from(j: EventJson) -> Result<Self, String> {
        use EventType as T;
        Ok(match j.ty.ok_or("missing field `type`")? {
            T::Created => EventKind::Created {
                name: need(j.name, "created", "name")?,
                what: need(j.what, "created", "what")?,
                parent: need(j.parent, "created", "parent")?,
            },
            T::Queued => EventKind::Queued,
            T::Started => EventKind::Started,
            T::Print => EventKind::Print {
                text: need(j.text, "print", "text")?,
            },
            T::Suspended => match need(j.on, "suspended", "on")? {
                On::Wait(on) => EventKind::Suspended { on },
                On::Block(_) => return Err("`on` of a suspension is a wait reason".into()),
            },
            T::Resumed => EventKind::Resumed,
            T::Blocked => match need(j.on, "blocked", "on")? {
                On::Block(on) => EventKind::Blocked {
                    on,
                    ms: need(j.ms, "blocked", "ms")?,
                    resource: j.resource,
                },
                On::Wait(_) => return Err("`on` of a block is a block reason".into()),
            },
            T::Unblocked => EventKind::Unblocked,
            T::GilWait => EventKind::GilWait,
            T::GilAcquire => EventKind::GilAcquire,
            T::GilRelease => EventKind::GilRelease,
            T::Finished => EventKind::Finished,
            T::Cancelled => EventKind::Cancelled,
            T::Killed => EventKind::Killed,
            T::Failed => EventKind::Failed {
                reason: need(j.reason, "failed", "reason")?,
            },
            T::Responded => EventKind::Responded {
                latency_ns: need(j.latency_ns, "responded", "latency_ns")?,
            },
            T::LoopLag => EventKind::LoopLag {
                lag_ns: need(j.lag_ns, "loop_lag", "lag_ns")?,
            },
            T::Acquired => EventKind::Acquired {
                resource: need(j.resource, "acquired", "resource")?,
            },
            T::Released => EventKind::Released {
                resource: need(j.resource, "released", "resource")?,
            },
            T::Put => EventKind::Put {
                resource: need(j.resource, "put", "resource")?,
                item: need(j.item, "put", "item")?,
            },
            T::Got => EventKind::Got {
                resource: need(j.resource, "got", "resource")?,
                item: need(j.item, "got", "item")?,
            },
            T::Set => EventKind::Set {
                resource: need(j.resource, "set", "resource")?,
            },
        })
    }
}

impl From<EventKind> for EventJson {
    fn from(kind: EventKind) -> Self {
        use EventType as T;
        let bare = |ty| EventJson {
            ty: Some(ty),
            ..EventJson::default()
        };
        match kind {
            EventKind::Created { name, what, parent } => EventJson {
                name: Some(name),
                what: Some(what),
                parent: Some(parent),
                ..bare(T::Created)
            },
            EventKind::Queued => bare(T::Queued),
            EventKind::Started => bare(T::Started),
            EventKind::Print { text } => EventJson {
                text: Some(text),
                ..bare(T::Print)
            },
            EventKind::Suspended { on } => EventJson {
                on: Some(On::Wait(on)),
                ..bare(T::Suspended)
            },
            EventKind::Resumed => bare(T::Resumed),
            EventKind::Blocked { on, ms, resource } => EventJson {
                on: Some(On::Block(on)),
                ms: Some(ms),
                resource,
                ..bare(T::Blocked)
            },
            EventKind::Unblocked => bare(T::Unblocked),
            EventKind::GilWait => bare(T::GilWait),
            EventKind::GilAcquire => bare(T::GilAcquire),
            EventKind::GilRelease => bare(T::GilRelease),
            EventKind::Finished => bare(T::Finished),
            EventKind::Cancelled => bare(T::Cancelled),
            EventKind::Killed => bare(T::Killed),
            EventKind::Failed { reason } => EventJson {
                reason: Some(reason),
                ..bare(T::Failed)
            },
            EventKind::Responded { latency_ns } => EventJson {
                latency_ns: Some(latency_ns),
                ..bare(T::Responded)
            },
            EventKind::LoopLag { lag_ns } => EventJson {
                lag_ns: Some(lag_ns),
                ..bare(T::LoopLag)
            },
            EventKind::Acquired { resource } => EventJson {
                resource: Some(resource),
                ..bare(T::Acquired)
            },
            EventKind::Released { resource } => EventJson {
                resource: Some(resource),
                ..bare(T::Released)
            },
            EventKind::Put { resource, item } => EventJson {
                resource: Some(resource),
                item: Some(item),
                ..bare(T::Put)
            },
            EventKind::Got { resource, item } => EventJson {
                resource: Some(resource),
                item: Some(item),
                ..bare(T::Got)
            },
            EventKind::Set { resource } => EventJson {
                resource: Some(resource),
                ..bare(T::Set)
            },
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub(super) enum LaneType {
    Loop,
    PoolWorker,
    Thread,
    Process,
    Rayon,
}

/// A lane as JSON has it.
#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
pub(super) struct LaneJson {
    #[serde(rename = "type")]
    ty: LaneType,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pool: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    worker: Option<u32>,
}

impl TryFrom<LaneJson> for Lane {
    type Error = String;

    fn try_from(j: LaneJson) -> Result<Self, String> {
        Ok(match j.ty {
            LaneType::Loop => Lane::Loop,
            LaneType::PoolWorker => Lane::PoolWorker {
                pool: need(j.pool, "pool_worker", "pool")?,
                worker: need(j.worker, "pool_worker", "worker")?,
            },
            LaneType::Thread => Lane::Thread,
            LaneType::Process => Lane::Process,
            LaneType::Rayon => Lane::Rayon {
                worker: need(j.worker, "rayon", "worker")?,
            },
        })
    }
}

impl From<Lane> for LaneJson {
    fn from(lane: Lane) -> Self {
        let (ty, pool, worker) = match lane {
            Lane::Loop => (LaneType::Loop, None, None),
            Lane::PoolWorker { pool, worker } => (LaneType::PoolWorker, Some(pool), Some(worker)),
            Lane::Thread => (LaneType::Thread, None, None),
            Lane::Process => (LaneType::Process, None, None),
            Lane::Rayon { worker } => (LaneType::Rayon, None, Some(worker)),
        };
        LaneJson { ty, pool, worker }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub(super) enum WaitType {
    Sleep,
    Gather,
    Await,
    Join,
    Lock,
    Event,
    QueuePut,
    QueueGet,
    QueueJoin,
}

/// A wait reason as JSON has it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(super) struct WaitJson {
    #[serde(rename = "type")]
    ty: WaitType,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    ms: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    resource: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    subject: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    subjects: Option<Vec<u32>>,
}

impl TryFrom<WaitJson> for WaitReason {
    type Error = String;

    fn try_from(j: WaitJson) -> Result<Self, String> {
        Ok(match j.ty {
            WaitType::Sleep => WaitReason::Sleep {
                ms: need(j.ms, "sleep", "ms")?,
            },
            WaitType::Gather => WaitReason::Gather {
                subjects: need(j.subjects, "gather", "subjects")?,
            },
            WaitType::Await => WaitReason::Await { subject: j.subject },
            WaitType::Join => WaitReason::Join,
            WaitType::Lock => WaitReason::Lock {
                resource: need(j.resource, "lock", "resource")?,
            },
            WaitType::Event => WaitReason::Event {
                resource: need(j.resource, "event", "resource")?,
            },
            WaitType::QueuePut => WaitReason::QueuePut {
                resource: need(j.resource, "queue_put", "resource")?,
            },
            WaitType::QueueGet => WaitReason::QueueGet {
                resource: need(j.resource, "queue_get", "resource")?,
            },
            WaitType::QueueJoin => WaitReason::QueueJoin {
                resource: need(j.resource, "queue_join", "resource")?,
            },
        })
    }
}

impl From<WaitReason> for WaitJson {
    fn from(w: WaitReason) -> Self {
        let bare = |ty| WaitJson {
            ty,
            ms: None,
            resource: None,
            subject: None,
            subjects: None,
        };
        let on = |ty, resource| WaitJson {
            resource: Some(resource),
            ..bare(ty)
        };
        match w {
            WaitReason::Sleep { ms } => WaitJson {
                ms: Some(ms),
                ..bare(WaitType::Sleep)
            },
            WaitReason::Gather { subjects } => WaitJson {
                subjects: Some(subjects),
                ..bare(WaitType::Gather)
            },
            WaitReason::Await { subject } => WaitJson {
                subject,
                ..bare(WaitType::Await)
            },
            WaitReason::Join => bare(WaitType::Join),
            WaitReason::Lock { resource } => on(WaitType::Lock, resource),
            WaitReason::Event { resource } => on(WaitType::Event, resource),
            WaitReason::QueuePut { resource } => on(WaitType::QueuePut, resource),
            WaitReason::QueueGet { resource } => on(WaitType::QueueGet, resource),
            WaitReason::QueueJoin { resource } => on(WaitType::QueueJoin, resource),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub(super) enum OutcomeType {
    Completed,
    Stopped,
    TimedOut,
    TooManyEvents,
    Deadlocked,
    Failed,
}

/// An outcome as JSON has it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(super) struct OutcomeJson {
    #[serde(rename = "type")]
    ty: OutcomeType,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    reason: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    stuck: Option<Vec<super::Stuck>>,
}

impl TryFrom<OutcomeJson> for Outcome {
    type Error = String;

    fn try_from(j: OutcomeJson) -> Result<Self, String> {
        Ok(match j.ty {
            OutcomeType::Completed => Outcome::Completed,
            OutcomeType::Stopped => Outcome::Stopped,
            OutcomeType::TimedOut => Outcome::TimedOut,
            OutcomeType::TooManyEvents => Outcome::TooManyEvents,
            OutcomeType::Deadlocked => Outcome::Deadlocked {
                stuck: need(j.stuck, "deadlocked", "stuck")?,
            },
            OutcomeType::Failed => Outcome::Failed {
                reason: need(j.reason, "failed", "reason")?,
            },
        })
    }
}

impl From<Outcome> for OutcomeJson {
    fn from(o: Outcome) -> Self {
        let (ty, reason, stuck) = match o {
            Outcome::Completed => (OutcomeType::Completed, None, None),
            Outcome::Stopped => (OutcomeType::Stopped, None, None),
            Outcome::TimedOut => (OutcomeType::TimedOut, None, None),
            Outcome::TooManyEvents => (OutcomeType::TooManyEvents, None, None),
            Outcome::Deadlocked { stuck } => (OutcomeType::Deadlocked, None, Some(stuck)),
            Outcome::Failed { reason } => (OutcomeType::Failed, Some(reason), None),
        };
        OutcomeJson { ty, reason, stuck }
    }
}
