//! An event's JSON: its `type` and the fields of that kind, read through one flat shape.

use serde::{Deserialize, Serialize};

use super::need;
use crate::protocol::{BlockReason, EventKind, SubjectKind, WaitReason};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub(in crate::protocol) enum EventType {
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
pub(in crate::protocol) enum On {
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
pub(in crate::protocol) struct EventJson {
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
