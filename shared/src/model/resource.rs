//! Synchronisation objects a program creates at module level: asyncio's locks, semaphores,
//! events and queues, and `threading.Lock`.

use serde::{Deserialize, Serialize};

use super::Expr;

/// A module-level `name = asyncio.Lock()` (or another kind). Since Python 3.10 an asyncio
/// primitive binds to the loop that first uses it, so one made at module level serves the
/// loop `asyncio.run` starts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Resource {
    /// The variable that holds it. At most [`MAX_NAME_BYTES`](crate::limits::MAX_NAME_BYTES).
    pub name: String,
    /// What it is.
    pub kind: ResourceKind,
}

/// What a [`Resource`] is. In JSON, an object with its `type` (`lock`, `semaphore`, `event`,
/// `queue`, `thread_lock`) and its fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "ResourceJson", into = "ResourceJson")]
pub enum ResourceKind {
    /// `asyncio.Lock()`: one task at a time holds it (`async with lock:`); the others wait
    /// their turn, first come first served.
    Lock,
    /// `asyncio.Semaphore(value)`: up to `value` tasks hold it at once.
    Semaphore {
        /// How many may hold it at once, up to
        /// [`MAX_SEMAPHORE_VALUE`](crate::limits::MAX_SEMAPHORE_VALUE). With 0, `async with` it
        /// waits for ever: looplab's programs never `release()` by hand.
        value: u32,
    },
    /// `asyncio.Event()`: tasks `await event.wait()` until one calls `event.set()`.
    Event,
    /// `asyncio.Queue(maxsize)`: `put` waits while it is full, `get` while it is empty;
    /// `join` waits until every item put has been marked `task_done`.
    Queue {
        /// Most items it holds; 0 is unbounded. At most
        /// [`MAX_QUEUE_SIZE`](crate::limits::MAX_QUEUE_SIZE).
        maxsize: u32,
    },
    /// `threading.Lock()`: one thread at a time holds it (`with lock:`); waiting blocks the
    /// thread (in a coroutine, the loop). Each process has its own copy.
    ThreadLock,
}

/// A resource's kind as JSON has it: one flat shape, read kind by kind (cheaper in the page
/// than a tagged enum).
#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct ResourceJson {
    #[serde(rename = "type")]
    ty: ResourceType,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    value: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    maxsize: Option<u32>,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
enum ResourceType {
    Lock,
    Semaphore,
    Event,
    Queue,
    ThreadLock,
}

impl TryFrom<ResourceJson> for ResourceKind {
    type Error = String;

    fn try_from(j: ResourceJson) -> Result<Self, String> {
        let (kind, left) = match j.ty {
            ResourceType::Lock => (ResourceKind::Lock, [j.value, j.maxsize]),
            ResourceType::Semaphore => (
                ResourceKind::Semaphore {
                    value: j
                        .value
                        .ok_or("missing field `value`: a `semaphore` has one")?,
                },
                [None, j.maxsize],
            ),
            ResourceType::Event => (ResourceKind::Event, [j.value, j.maxsize]),
            ResourceType::Queue => (
                ResourceKind::Queue {
                    maxsize: j.maxsize.unwrap_or(0),
                },
                [j.value, None],
            ),
            ResourceType::ThreadLock => (ResourceKind::ThreadLock, [j.value, j.maxsize]),
        };
        let left = [("value", left[0].is_some()), ("maxsize", left[1].is_some())];
        super::json::no_field_left(&left, &format!("{}()", kind.class()))?;
        Ok(kind)
    }
}

impl From<ResourceKind> for ResourceJson {
    fn from(kind: ResourceKind) -> Self {
        let (ty, value, maxsize) = match kind {
            ResourceKind::Lock => (ResourceType::Lock, None, None),
            ResourceKind::Semaphore { value } => (ResourceType::Semaphore, Some(value), None),
            ResourceKind::Event => (ResourceType::Event, None, None),
            ResourceKind::Queue { maxsize } => (ResourceType::Queue, None, Some(maxsize)),
            ResourceKind::ThreadLock => (ResourceType::ThreadLock, None, None),
        };
        ResourceJson { ty, value, maxsize }
    }
}

impl ResourceKind {
    /// Every kind, in the order the builder offers them.
    pub const ALL: [ResourceKind; 5] = [
        ResourceKind::Lock,
        ResourceKind::Semaphore { value: 2 },
        ResourceKind::Event,
        ResourceKind::Queue { maxsize: 0 },
        ResourceKind::ThreadLock,
    ];

    /// The class that makes one: `asyncio.Semaphore`.
    pub fn class(self) -> &'static str {
        match self {
            ResourceKind::Lock => "asyncio.Lock",
            ResourceKind::Semaphore { .. } => "asyncio.Semaphore",
            ResourceKind::Event => "asyncio.Event",
            ResourceKind::Queue { .. } => "asyncio.Queue",
            ResourceKind::ThreadLock => "threading.Lock",
        }
    }

    /// Whether `with` (or `async with`) holds it: locks and semaphores.
    pub fn is_held(self) -> bool {
        match self {
            ResourceKind::Lock | ResourceKind::Semaphore { .. } | ResourceKind::ThreadLock => true,
            ResourceKind::Event | ResourceKind::Queue { .. } => false,
        }
    }

    /// Whether it belongs to asyncio: used only by coroutines, with `await`.
    pub fn is_async(self) -> bool {
        match self {
            ResourceKind::Lock
            | ResourceKind::Semaphore { .. }
            | ResourceKind::Event
            | ResourceKind::Queue { .. } => true,
            ResourceKind::ThreadLock => false,
        }
    }
}

/// What [`Step::Use`](super::Step::Use) does with an event or a queue.
#[derive(Debug, Clone, PartialEq)]
pub enum Op {
    /// `event.set()`: every task waiting on it goes on, and later waits return at once.
    Set,
    /// `await event.wait()`.
    Wait,
    /// `await queue.put(value)`: waits while the queue is full.
    Put {
        /// The item.
        value: Expr,
    },
    /// `[into =] await queue.get()`: waits while the queue is empty; items come out in the
    /// order they were put.
    Get {
        /// The variable that receives the item.
        into: Option<String>,
    },
    /// `queue.task_done()`: one item taken out is dealt with.
    TaskDone,
    /// `await queue.join()`: waits until every item put is marked done.
    Join,
}

/// The name of an [`Op`], its JSON `op`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OpKind {
    /// [`Op::Set`]
    Set,
    /// [`Op::Wait`]
    Wait,
    /// [`Op::Put`]
    Put,
    /// [`Op::Get`]
    Get,
    /// [`Op::TaskDone`]
    TaskDone,
    /// [`Op::Join`]
    Join,
}

impl OpKind {
    /// Every op, in the order the builder offers them.
    pub const ALL: [OpKind; 6] = [
        OpKind::Put,
        OpKind::Get,
        OpKind::TaskDone,
        OpKind::Join,
        OpKind::Set,
        OpKind::Wait,
    ];

    /// Its method's name: `task_done`.
    pub fn method(self) -> &'static str {
        match self {
            OpKind::Set => "set",
            OpKind::Wait => "wait",
            OpKind::Put => "put",
            OpKind::Get => "get",
            OpKind::TaskDone => "task_done",
            OpKind::Join => "join",
        }
    }

    /// Whether the call is awaited (a coroutine method), so it may suspend the task.
    pub fn awaits(self) -> bool {
        match self {
            OpKind::Wait | OpKind::Put | OpKind::Get | OpKind::Join => true,
            OpKind::Set | OpKind::TaskDone => false,
        }
    }

    /// Whether a resource of `kind` has this method.
    pub fn applies_to(self, kind: ResourceKind) -> bool {
        match self {
            OpKind::Set | OpKind::Wait => kind == ResourceKind::Event,
            OpKind::Put | OpKind::Get | OpKind::TaskDone | OpKind::Join => {
                matches!(kind, ResourceKind::Queue { .. })
            }
        }
    }

    /// The op with its fields empty, for the builder.
    pub fn example(self) -> Op {
        match self {
            OpKind::Set => Op::Set,
            OpKind::Wait => Op::Wait,
            OpKind::Put => Op::Put {
                value: Expr::Int(1),
            },
            OpKind::Get => Op::Get {
                into: Some("item".into()),
            },
            OpKind::TaskDone => Op::TaskDone,
            OpKind::Join => Op::Join,
        }
    }
}

impl Op {
    /// Its kind.
    pub fn kind(&self) -> OpKind {
        match self {
            Op::Set => OpKind::Set,
            Op::Wait => OpKind::Wait,
            Op::Put { .. } => OpKind::Put,
            Op::Get { .. } => OpKind::Get,
            Op::TaskDone => OpKind::TaskDone,
            Op::Join => OpKind::Join,
        }
    }
}
