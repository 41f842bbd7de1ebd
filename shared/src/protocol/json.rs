//! How the server's messages are written in JSON: each an object with a `type` and the
//! fields of that kind, nested objects likewise. Read through flat shapes, then checked kind
//! by kind: the same JSON a tagged enum reads, with a fraction of the code, which every
//! learner downloads (the page reads these messages; it never writes them).

use serde::{Deserialize, Serialize};

use super::{EventKind, Lane, Outcome, RunId, ServerMsg};
use crate::python::Diagnostic;
use crate::repeat::Digest;

mod event;
mod place;

pub(super) use event::EventJson;
pub(super) use place::{LaneJson, OutcomeJson, WaitJson};

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
