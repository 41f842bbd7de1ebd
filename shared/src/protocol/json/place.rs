//! Where and why, in JSON: a lane, what a subject waits for, how a run ended.

use serde::{Deserialize, Serialize};

use super::need;
use crate::protocol::{Lane, Outcome, Stuck, WaitReason};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub(in crate::protocol) enum LaneType {
    Loop,
    PoolWorker,
    Thread,
    Process,
    Rayon,
}

/// A lane as JSON has it.
#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
pub(in crate::protocol) struct LaneJson {
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
pub(in crate::protocol) enum WaitType {
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
pub(in crate::protocol) struct WaitJson {
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
pub(in crate::protocol) enum OutcomeType {
    Completed,
    Stopped,
    TimedOut,
    TooManyEvents,
    Deadlocked,
    Failed,
}

/// An outcome as JSON has it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(in crate::protocol) struct OutcomeJson {
    #[serde(rename = "type")]
    ty: OutcomeType,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    reason: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    stuck: Option<Vec<Stuck>>,
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
