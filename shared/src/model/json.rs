//! How a step and a call are written in JSON: one object with a `type` and the fields of
//! that kind (`{"type": "sleep", "ms": 1000}`). Read through one flat shape, then checked
//! kind by kind: the same JSON as a tagged enum would read, with a fraction of the code,
//! which the page's download pays for.

use serde::{Deserialize, Serialize};

use super::{Call, ExcClass, Expr, Handler, LoopFlavor, OpKind, StartKind, Step, StepKind};

/// A step as JSON has it: every field any kind may have.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct StepJson {
    #[serde(rename = "type")]
    pub(crate) ty: Option<StepKind>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) text: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) ms: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) chunks: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) value: Option<Expr>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) kind: Option<StartKind>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) task: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) pool: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) function: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) args: Option<Vec<Expr>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) daemon: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) call: Option<Call>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) calls: Option<Vec<Call>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) into: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) var: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) times: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) resource: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) op: Option<OpKind>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) body: Option<Vec<Step>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) timeout_ms: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) group: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) class: Option<ExcClass>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) handlers: Option<Vec<Handler>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) star: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) finally: Option<Vec<Step>>,
}

/// Takes field `name` out of `slot`, or says the kind needs it.
pub(crate) fn need<T>(slot: &mut Option<T>, kind: &str, name: &str) -> Result<T, String> {
    slot.take()
        .ok_or_else(|| format!("missing field `{name}`: a `{kind}` step has one"))
}

/// Arguments: absent is none.
pub(crate) fn args(slot: &mut Option<Vec<Expr>>) -> Vec<Expr> {
    slot.take().unwrap_or_default()
}

impl TryFrom<StepJson> for Step {
    type Error = String;

    fn try_from(mut j: StepJson) -> Result<Self, String> {
        let ty = j.ty.ok_or("missing field `type`")?;
        let tag = ty.tag();
        let kind = tag.as_str();
        let step = crate::kinds::from_json(ty, &mut j, kind)?;
        // What the kind did not take is a field it does not have.
        let left = [
            ("text", j.text.is_some()),
            ("ms", j.ms.is_some()),
            ("chunks", j.chunks.is_some()),
            ("name", j.name.is_some()),
            ("value", j.value.is_some()),
            ("kind", j.kind.is_some()),
            ("task", j.task.is_some()),
            ("pool", j.pool.is_some()),
            ("function", j.function.is_some()),
            ("args", j.args.is_some()),
            ("daemon", j.daemon.is_some()),
            ("call", j.call.is_some()),
            ("calls", j.calls.is_some()),
            ("into", j.into.is_some()),
            ("var", j.var.is_some()),
            ("times", j.times.is_some()),
            ("resource", j.resource.is_some()),
            ("op", j.op.is_some()),
            ("body", j.body.is_some()),
            ("timeout_ms", j.timeout_ms.is_some()),
            ("group", j.group.is_some()),
            ("class", j.class.is_some()),
            ("handlers", j.handlers.is_some()),
            ("star", j.star.is_some()),
            ("finally", j.finally.is_some()),
        ];
        no_field_left(&left, &format!("a `{kind}` step"))?;
        Ok(step)
    }
}

impl From<Step> for StepJson {
    fn from(step: Step) -> Self {
        let mut j = StepJson {
            ty: Some(step.kind()),
            ..StepJson::default()
        };
        crate::kinds::to_json(step, &mut j);
        j
    }
}

/// What a call is, as its `type` says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub(super) enum CallKind {
    Task,
    Executor,
    Handle,
}

/// A call as JSON has it: every field any kind may have.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct CallJson {
    #[serde(rename = "type")]
    ty: Option<CallKind>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    task: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pool: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    function: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    args: Option<Vec<Expr>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    times: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    name: Option<String>,
}

impl TryFrom<CallJson> for Call {
    type Error = String;

    fn try_from(mut j: CallJson) -> Result<Self, String> {
        let call = match j.ty.ok_or("missing field `type`")? {
            CallKind::Task => Call::Task {
                task: need(&mut j.task, "task", "task")?,
                args: args(&mut j.args),
                times: j.times.take().unwrap_or(1),
            },
            CallKind::Executor => Call::Executor {
                pool: j.pool.take(),
                function: need(&mut j.function, "executor", "function")?,
                args: args(&mut j.args),
                times: j.times.take().unwrap_or(1),
            },
            CallKind::Handle => Call::Handle {
                name: need(&mut j.name, "handle", "name")?,
            },
        };
        let left = [
            ("task", j.task.is_some()),
            ("pool", j.pool.is_some()),
            ("function", j.function.is_some()),
            ("args", j.args.is_some()),
            ("times", j.times.is_some()),
            ("name", j.name.is_some()),
        ];
        no_field_left(&left, "this call")?;
        Ok(call)
    }
}

impl From<Call> for CallJson {
    fn from(call: Call) -> Self {
        let some_args = |a: Vec<Expr>| (!a.is_empty()).then_some(a);
        let times = |n: u32| (n != 1).then_some(n);
        match call {
            Call::Task {
                task,
                args,
                times: n,
            } => CallJson {
                ty: Some(CallKind::Task),
                task: Some(task),
                args: some_args(args),
                times: times(n),
                ..CallJson::default()
            },
            Call::Executor {
                pool,
                function,
                args,
                times: n,
            } => CallJson {
                ty: Some(CallKind::Executor),
                pool,
                function: Some(function),
                args: some_args(args),
                times: times(n),
                ..CallJson::default()
            },
            Call::Handle { name } => CallJson {
                ty: Some(CallKind::Handle),
                name: Some(name),
                ..CallJson::default()
            },
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub(super) enum LoopType {
    SingleThread,
    MultiThread,
}

/// A loop flavour as JSON has it.
#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct LoopJson {
    #[serde(rename = "type")]
    ty: LoopType,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    workers: Option<u32>,
}

impl TryFrom<LoopJson> for LoopFlavor {
    type Error = String;

    fn try_from(j: LoopJson) -> Result<Self, String> {
        match (j.ty, j.workers) {
            (LoopType::SingleThread, None) => Ok(LoopFlavor::SingleThread),
            (LoopType::SingleThread, Some(_)) => {
                Err("unknown field `workers`: a single-threaded loop has one thread".into())
            }
            (LoopType::MultiThread, Some(workers)) => Ok(LoopFlavor::MultiThread { workers }),
            (LoopType::MultiThread, None) => {
                Err("missing field `workers`: a `multi_thread` loop has one".into())
            }
        }
    }
}

impl From<LoopFlavor> for LoopJson {
    fn from(f: LoopFlavor) -> Self {
        match f {
            LoopFlavor::SingleThread => LoopJson {
                ty: LoopType::SingleThread,
                workers: None,
            },
            LoopFlavor::MultiThread { workers } => LoopJson {
                ty: LoopType::MultiThread,
                workers: Some(workers),
            },
        }
    }
}

/// Refuses a field the shape read but the kind does not have: `left` pairs each field with
/// whether it is still there once the kind took its own.
pub(super) fn no_field_left(left: &[(&str, bool)], what: &str) -> Result<(), String> {
    match left.iter().find(|(_, present)| *present) {
        Some((field, _)) => Err(format!("unknown field `{field}`: {what} has no such field")),
        None => Ok(()),
    }
}
