//! From the syntax tree to the scenario: `for` loops over `range`, and asyncio's and
//! threading's synchronisation objects — made at module level, held with `with`, and their
//! methods called.

use ruff_python_ast::{self as ast, Expr, Stmt};
use ruff_text_size::{Ranged, TextRange};

use super::calls::Callee;
use super::exprs::Var;
use super::lower::{Body, Lower, R};
use crate::model::{Context, Op, Resource, ResourceKind, Step};

impl Lower<'_> {
    /// The kind of resource `name = ctor` makes, reading its arguments.
    pub(super) fn resource_kind(
        &self,
        kind: ResourceKind,
        ctor: &ast::ExprCall,
    ) -> R<ResourceKind> {
        let args = &ctor.arguments;
        let one = |keyword: &str| -> R<Option<&Expr>> {
            match (args.args.as_ref(), args.keywords.as_ref()) {
                ([], []) => Ok(None),
                ([value], []) => Ok(Some(value)),
                ([], [k]) if k.arg.as_ref().is_some_and(|a| a.as_str() == keyword) => {
                    Ok(Some(&k.value))
                }
                _ => Err((
                    args.range(),
                    format!("`{}` takes `{keyword}` only", kind.class()),
                )),
            }
        };
        Ok(match kind {
            ResourceKind::Semaphore { .. } => ResourceKind::Semaphore {
                value: match one("value")? {
                    Some(v) => super::exprs::small_int(v, "value")?,
                    None => 1,
                },
            },
            ResourceKind::Queue { .. } => ResourceKind::Queue {
                maxsize: match one("maxsize")? {
                    Some(v) => super::exprs::small_int(v, "maxsize")?,
                    None => 0,
                },
            },
            ResourceKind::Lock | ResourceKind::Event | ResourceKind::ThreadLock => {
                super::exprs::no_arguments(ctor)?;
                kind
            }
        })
    }

    /// `name = asyncio.Queue(...)` at module level.
    pub(super) fn resource(
        &mut self,
        name: &str,
        kind: ResourceKind,
        ctor: &ast::ExprCall,
        range: TextRange,
    ) -> R<()> {
        if self.s.resource(name).is_some() {
            return Err((
                range,
                format!("`{name}` is made twice: looplab keeps one lock, event or queue a name"),
            ));
        }
        let kind = self.resource_kind(kind, ctor)?;
        self.spans
            .add(format!("resources[{}]", self.s.resources.len()), range);
        self.s.resources.push(Resource {
            name: name.into(),
            kind,
        });
        Ok(())
    }

    /// `for var in range(n):`.
    pub(super) fn for_loop(&mut self, body: &mut Body, f: &ast::StmtFor) -> R<()> {
        let usage = "looplab's `for` loops count: `for i in range(n):` with n written in the \
                     program";
        if f.is_async || !f.orelse.is_empty() {
            return Err((f.range(), format!("{usage}, without `async for` or `else`")));
        }
        let Expr::Name(var) = f.target.as_ref() else {
            return Err((f.target.range(), format!("{usage}, one name before `in`")));
        };
        let times = match self.callee(&f.iter) {
            Some((Callee::Other(Some(name)), call))
                if name == "range" && !self.imports.binds("range") =>
            {
                match (
                    call.arguments.args.as_ref(),
                    call.arguments.keywords.is_empty(),
                ) {
                    ([n], true) => super::exprs::small_int(n, "n")?,
                    _ => return Err((call.arguments.range(), usage.into())),
                }
            }
            _ => return Err((f.iter.range(), usage.into())),
        };
        let var = var.id.as_str().to_owned();
        body.locals.insert(var.clone(), Var::Value);
        let steps = self.block(body, &f.body, |_| {});
        body.steps.push(Step::For {
            var,
            times,
            body: steps,
        });
        Ok(())
    }

    /// `async with lock:` or `with lock:` on a resource, if `with` is one.
    pub(super) fn hold(&mut self, body: &mut Body, with: &ast::StmtWith) -> Option<R<()>> {
        let [item] = with.items.as_slice() else {
            return None;
        };
        let Expr::Name(name) = &item.context_expr else {
            return None;
        };
        let Some(Var::Resource(kind)) = self.var(body, name.id.as_str()) else {
            return None;
        };
        let resource = name.id.as_str().to_owned();
        let class = kind.class();
        let fail = |message: String| Some(Err((with.range(), message)));
        if !kind.is_held() {
            return fail(format!(
                "`{resource}` is made by {class}(): only a lock or a semaphore is held with `with`"
            ));
        }
        if item.optional_vars.is_some() {
            return fail(format!(
                "write `with {resource}:` — looplab keeps no `as` name for a lock"
            ));
        }
        match (kind.is_async(), with.is_async, body.ctx) {
            (true, true, Context::Coroutine) | (false, false, _) => {}
            (true, false, Context::Coroutine) => {
                return fail(format!(
                    "`{resource}` is made by {class}(): hold it with `async with {resource}:`"
                ));
            }
            (true, _, Context::Module | Context::Function) => {
                return fail(format!(
                    "`{resource}` is made by {class}(): only an async def can hold it (`async \
                     with {resource}:`); a plain def or the module holds a threading.Lock"
                ));
            }
            (false, true, _) => {
                return fail(format!(
                    "`{resource}` is a threading.Lock: hold it with `with {resource}:` (in a \
                     coroutine that blocks the loop while it waits)"
                ));
            }
        }
        let steps = self.block(body, &with.body, |_| {});
        body.steps.push(Step::Hold {
            resource,
            body: steps,
        });
        Some(Ok(()))
    }

    /// The steps of a block of `body`, which sees its names; what the block binds stays
    /// bound after it, as in Python.
    pub(super) fn block(
        &mut self,
        body: &mut Body,
        stmts: &[Stmt],
        prepare: impl FnOnce(&mut Body),
    ) -> Vec<Step> {
        self.block_in(body, "body", stmts, prepare)
    }

    /// The steps of the block at `field` of the next step of `body` (`body`, `finally`).
    pub(super) fn block_in(
        &mut self,
        body: &mut Body,
        field: &str,
        stmts: &[Stmt],
        prepare: impl FnOnce(&mut Body),
    ) -> Vec<Step> {
        let j = body.steps.len();
        let mut inner = Body::new(body.ctx, format!("{}[{j}].{field}", body.path));
        inner.locals = body.locals.clone();
        inner.pending = std::mem::take(&mut body.pending);
        prepare(&mut inner);
        for stmt in stmts {
            if let Err(e) = self.stmt(&mut inner, stmt) {
                self.error(e);
            }
        }
        for (k, v) in inner.locals {
            body.locals.entry(k).or_insert(v);
        }
        body.pending = inner.pending;
        inner.steps
    }

    /// A method of a resource called as a statement or awaited (`awaited`), if `e` is one:
    /// its step, with the result going `into` a variable.
    pub(super) fn resource_method(
        &self,
        body: &Body,
        e: &Expr,
        awaited: bool,
        into: Option<String>,
    ) -> Option<R<Step>> {
        let Expr::Call(call) = e else {
            return None;
        };
        let Expr::Attribute(attr) = call.func.as_ref() else {
            return None;
        };
        let Expr::Name(var) = attr.value.as_ref() else {
            return None;
        };
        let Some(Var::Resource(kind)) = self.var(body, var.id.as_str()) else {
            return None;
        };
        let target = Method {
            call,
            method: &attr.attr,
            resource: var.id.as_str(),
            kind,
        };
        Some(self.method(body, target, awaited, into))
    }

    fn method(
        &self,
        body: &Body,
        target: Method<'_>,
        awaited: bool,
        into: Option<String>,
    ) -> R<Step> {
        let Method {
            call,
            method,
            resource,
            kind,
        } = target;
        let class = kind.class();
        let has = match kind {
            ResourceKind::Event => "set() and `await ….wait()`",
            ResourceKind::Queue { .. } => {
                "`await ….put(x)`, `await ….get()`, task_done() and `await ….join()`"
            }
            ResourceKind::Lock | ResourceKind::Semaphore { .. } | ResourceKind::ThreadLock => {
                "no method in looplab's subset: hold it with `async with` (asyncio) or `with` \
                 (threading)"
            }
        };
        let op = match (kind, method.as_str()) {
            (ResourceKind::Event, "set") => Op::Set,
            (ResourceKind::Event, "wait") => Op::Wait,
            (ResourceKind::Queue { .. }, "put") => {
                let [value] = call.arguments.args.as_ref() else {
                    return Err((call.arguments.range(), "`put` takes one item".into()));
                };
                Op::Put {
                    value: self.value(body, value)?,
                }
            }
            (ResourceKind::Queue { .. }, "get") => Op::Get { into: into.clone() },
            (ResourceKind::Queue { .. }, "task_done") => Op::TaskDone,
            (ResourceKind::Queue { .. }, "join") => Op::Join,
            (_, other) => {
                return Err((
                    method.range(),
                    format!("`{resource}` is made by {class}() and has {has}, not `{other}()`"),
                ));
            }
        };
        if !matches!(op, Op::Put { .. }) {
            super::exprs::no_arguments(call)?;
        }
        let op_kind = op.kind();
        if body.ctx != Context::Coroutine {
            return Err((
                call.range(),
                format!(
                    "`{resource}.{}()` works only inside an async def",
                    op_kind.method()
                ),
            ));
        }
        if op_kind.awaits() != awaited {
            let how = if op_kind.awaits() {
                format!(
                    "write `await {resource}.{}(...)`: it is a coroutine",
                    op_kind.method()
                )
            } else {
                format!(
                    "`{resource}.{}()` is a plain call: no `await`",
                    op_kind.method()
                )
            };
            return Err((call.range(), how));
        }
        if into.is_some() && !matches!(op, Op::Get { .. }) {
            return Err((
                call.range(),
                format!(
                    "`{resource}.{}()` gives nothing looplab keeps",
                    op_kind.method()
                ),
            ));
        }
        Ok(Step::Use {
            resource: resource.to_owned(),
            op,
        })
    }
}

/// A method called on a resource: `queue.put(x)`.
struct Method<'e> {
    call: &'e ast::ExprCall,
    method: &'e ast::Identifier,
    resource: &'e str,
    kind: ResourceKind,
}
