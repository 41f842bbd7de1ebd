//! How a step and a call are written in JSON: one object with a `type` and the fields of
//! that kind (`{"type": "sleep", "ms": 1000}`). Read through one flat shape, then checked
//! kind by kind: the same JSON as a tagged enum would read, with a fraction of the code,
//! which the page's download pays for.

use serde::{Deserialize, Serialize};

use super::{
    Call, ExcClass, Expr, Handler, LoopFlavor, Op, OpKind, Start, StartKind, Step, StepKind,
};

/// A step as JSON has it: every field any kind may have.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct StepJson {
    #[serde(rename = "type")]
    ty: Option<StepKind>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    text: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    ms: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    chunks: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    value: Option<Expr>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    kind: Option<StartKind>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    task: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pool: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    function: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    args: Option<Vec<Expr>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    daemon: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    call: Option<Call>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    calls: Option<Vec<Call>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    into: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    var: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    times: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    resource: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    op: Option<OpKind>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    body: Option<Vec<Step>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    timeout_ms: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    group: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    class: Option<ExcClass>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    handlers: Option<Vec<Handler>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    star: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    finally: Option<Vec<Step>>,
}

/// Takes field `name` out of `slot`, or says the kind needs it.
fn need<T>(slot: &mut Option<T>, kind: &str, name: &str) -> Result<T, String> {
    slot.take()
        .ok_or_else(|| format!("missing field `{name}`: a `{kind}` step has one"))
}

/// Arguments: absent is none.
fn args(slot: &mut Option<Vec<Expr>>) -> Vec<Expr> {
    slot.take().unwrap_or_default()
}

impl TryFrom<StepJson> for Step {
    type Error = String;

    fn try_from(mut j: StepJson) -> Result<Self, String> {
        let ty = j.ty.ok_or("missing field `type`")?;
        let tag = ty.tag();
        let kind = tag.as_str();
        let step = match ty {
            StepKind::Print => Step::Print {
                text: need(&mut j.text, kind, "text")?,
            },
            StepKind::Sleep => Step::Sleep {
                ms: need(&mut j.ms, kind, "ms")?,
            },
            StepKind::BlockingSleep => Step::BlockingSleep {
                ms: need(&mut j.ms, kind, "ms")?,
            },
            StepKind::Cpu => Step::Cpu {
                ms: need(&mut j.ms, kind, "ms")?,
            },
            StepKind::ParCpu => Step::ParCpu {
                ms: need(&mut j.ms, kind, "ms")?,
                chunks: need(&mut j.chunks, kind, "chunks")?,
            },
            StepKind::Assign => Step::Assign {
                name: need(&mut j.name, kind, "name")?,
                value: need(&mut j.value, kind, "value")?,
            },
            StepKind::Return => Step::Return {
                value: need(&mut j.value, kind, "value")?,
            },
            StepKind::Spawn => Step::Spawn {
                task: need(&mut j.task, kind, "task")?,
                args: args(&mut j.args),
                into: j.into.take(),
                group: j.group.take(),
            },
            StepKind::Submit => Step::Submit {
                pool: j.pool.take(),
                function: need(&mut j.function, kind, "function")?,
                args: args(&mut j.args),
                into: need(&mut j.into, kind, "into")?,
            },
            StepKind::Await => Step::Await {
                call: need(&mut j.call, kind, "call")?,
                into: j.into.take(),
                timeout_ms: j.timeout_ms.take(),
            },
            StepKind::Gather => Step::Gather {
                calls: need(&mut j.calls, kind, "calls")?,
                into: j.into.take(),
            },
            StepKind::Start => Step::Start(Start {
                kind: need(&mut j.kind, kind, "kind")?,
                function: need(&mut j.function, kind, "function")?,
                args: args(&mut j.args),
                daemon: j.daemon.take().unwrap_or(false),
                into: j.into.take(),
            }),
            StepKind::Join => Step::Join {
                name: need(&mut j.name, kind, "name")?,
            },
            StepKind::With => Step::With {
                pool: need(&mut j.pool, kind, "pool")?,
                body: need(&mut j.body, kind, "body")?,
            },
            StepKind::Run => Step::Run {
                task: need(&mut j.task, kind, "task")?,
                args: args(&mut j.args),
            },
            StepKind::For => Step::For {
                var: need(&mut j.var, kind, "var")?,
                times: need(&mut j.times, kind, "times")?,
                body: need(&mut j.body, kind, "body")?,
            },
            StepKind::Hold => Step::Hold {
                resource: need(&mut j.resource, kind, "resource")?,
                body: need(&mut j.body, kind, "body")?,
            },
            StepKind::Use => Step::Use {
                resource: need(&mut j.resource, kind, "resource")?,
                op: match need(&mut j.op, kind, "op")? {
                    OpKind::Set => Op::Set,
                    OpKind::Wait => Op::Wait,
                    OpKind::Put => Op::Put {
                        value: need(&mut j.value, "use` `put", "value")?,
                    },
                    OpKind::Get => Op::Get {
                        into: j.into.take(),
                    },
                    OpKind::TaskDone => Op::TaskDone,
                    OpKind::Join => Op::Join,
                },
            },
            StepKind::Raise => Step::Raise {
                class: j.class.take(),
                text: j.text.take().unwrap_or_default(),
            },
            StepKind::Try => Step::Try {
                body: need(&mut j.body, kind, "body")?,
                handlers: j.handlers.take().unwrap_or_default(),
                star: j.star.take().unwrap_or(false),
                finally: j.finally.take().unwrap_or_default(),
            },
            StepKind::Cancel => Step::Cancel {
                name: need(&mut j.name, kind, "name")?,
            },
            StepKind::Timeout => Step::Timeout {
                ms: need(&mut j.ms, kind, "ms")?,
                body: need(&mut j.body, kind, "body")?,
            },
            StepKind::TaskGroup => Step::TaskGroup {
                name: need(&mut j.name, kind, "name")?,
                body: need(&mut j.body, kind, "body")?,
            },
        };
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
        let some_args = |a: Vec<Expr>| (!a.is_empty()).then_some(a);
        match step {
            Step::Print { text } => j.text = Some(text),
            Step::Sleep { ms } | Step::BlockingSleep { ms } | Step::Cpu { ms } => j.ms = Some(ms),
            Step::ParCpu { ms, chunks } => {
                j.ms = Some(ms);
                j.chunks = Some(chunks);
            }
            Step::Assign { name, value } => {
                j.name = Some(name);
                j.value = Some(value);
            }
            Step::Return { value } => j.value = Some(value),
            Step::Spawn {
                task,
                args,
                into,
                group,
            } => {
                j.task = Some(task);
                j.args = some_args(args);
                j.into = into;
                j.group = group;
            }
            Step::Submit {
                pool,
                function,
                args,
                into,
            } => {
                j.pool = pool;
                j.function = Some(function);
                j.args = some_args(args);
                j.into = Some(into);
            }
            Step::Await {
                call,
                into,
                timeout_ms,
            } => {
                j.call = Some(call);
                j.into = into;
                j.timeout_ms = timeout_ms;
            }
            Step::Gather { calls, into } => {
                j.calls = Some(calls);
                j.into = into;
            }
            Step::Start(s) => {
                j.kind = Some(s.kind);
                j.function = Some(s.function);
                j.args = some_args(s.args);
                j.daemon = Some(s.daemon);
                j.into = s.into;
            }
            Step::Join { name } => j.name = Some(name),
            Step::With { pool, body } => {
                j.pool = Some(pool);
                j.body = Some(body);
            }
            Step::Run { task, args } => {
                j.task = Some(task);
                j.args = some_args(args);
            }
            Step::For { var, times, body } => {
                j.var = Some(var);
                j.times = Some(times);
                j.body = Some(body);
            }
            Step::Hold { resource, body } => {
                j.resource = Some(resource);
                j.body = Some(body);
            }
            Step::Use { resource, op } => {
                j.resource = Some(resource);
                j.op = Some(op.kind());
                match op {
                    Op::Put { value } => j.value = Some(value),
                    Op::Get { into } => j.into = into,
                    Op::Set | Op::Wait | Op::TaskDone | Op::Join => {}
                }
            }
            Step::Raise { class, text } => {
                j.class = class;
                j.text = (!text.is_empty()).then_some(text);
            }
            Step::Try {
                body,
                handlers,
                star,
                finally,
            } => {
                j.body = Some(body);
                j.handlers = (!handlers.is_empty()).then_some(handlers);
                j.star = star.then_some(true);
                j.finally = (!finally.is_empty()).then_some(finally);
            }
            Step::Cancel { name } => j.name = Some(name),
            Step::Timeout { ms, body } => {
                j.ms = Some(ms);
                j.body = Some(body);
            }
            Step::TaskGroup { name, body } => {
                j.name = Some(name);
                j.body = Some(body);
            }
        }
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
