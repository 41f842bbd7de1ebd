//! Exceptions, cancellation and timeouts: `raise`, `try`/`except`/`finally`, `t.cancel()`,
//! `await asyncio.wait_for(...)`, `async with asyncio.timeout(...)` and
//! `async with asyncio.TaskGroup() as tg:` with its `tg.create_task(...)`.

use ruff_python_ast::{self as ast, Expr};
use ruff_text_size::Ranged;

use super::exprs::{Negative, Var, duration};
use super::lower::{Body, Lower, R};
use crate::model::{Call, Context, ExcClass, Handler, Step, StepKind};

/// The classes `except` names, and what looplab reads for each.
const CLASSES: &str = "ValueError, TimeoutError (or asyncio.TimeoutError), \
                       asyncio.CancelledError, ExceptionGroup and Exception";

impl Lower<'_> {
    /// The class `e` names: `ValueError`, `asyncio.CancelledError`.
    fn class(&self, e: &Expr) -> R<ExcClass> {
        let name = match self.imports.qualified(e) {
            Some(q) => q,
            None => match e {
                Expr::Name(n) if !self.imports.binds(n.id.as_str()) => n.id.as_str().to_owned(),
                _ => String::new(),
            },
        };
        Ok(match name.as_str() {
            "Exception" => ExcClass::Exception,
            "ValueError" => ExcClass::ValueError,
            "TimeoutError" | "asyncio.TimeoutError" => ExcClass::TimeoutError,
            "asyncio.CancelledError" => ExcClass::CancelledError,
            "ExceptionGroup" => ExcClass::ExceptionGroup,
            _ => return Err((e.range(), format!("looplab catches and raises {CLASSES}"))),
        })
    }

    /// `raise`, or `raise ValueError("text")`.
    pub(super) fn raise(&mut self, body: &mut Body, raise: &ast::StmtRaise) -> R<()> {
        if let (Some(exc), Some(cause)) = (raise.exc.as_deref(), raise.cause.as_deref()) {
            return Err((
                cause.range(),
                format!(
                    "looplab reads `raise` without `from`: write `raise {}`",
                    &self.src[exc.range()]
                ),
            ));
        }
        let step = match raise.exc.as_deref() {
            None => Step::Raise {
                class: None,
                text: String::new(),
            },
            Some(Expr::Call(call)) => {
                let class = self.class(&call.func)?;
                let text = match (
                    call.arguments.args.as_ref(),
                    call.arguments.keywords.is_empty(),
                ) {
                    ([], true) => String::new(),
                    ([Expr::StringLiteral(s)], true) => s.value.to_str().to_owned(),
                    _ => {
                        return Err((
                            call.arguments.range(),
                            "looplab raises an exception with one string: `raise ValueError(\"...\")`".into(),
                        ));
                    }
                };
                Step::Raise {
                    class: Some(class),
                    text,
                }
            }
            Some(e) => Step::Raise {
                class: Some(self.class(e)?),
                text: String::new(),
            },
        };
        body.steps.push(step);
        Ok(())
    }

    /// `try:` with `except` (or `except*`) blocks and a `finally:`.
    pub(super) fn try_stmt(&mut self, body: &mut Body, t: &ast::StmtTry) -> R<()> {
        if let Some(first) = t.orelse.first() {
            return Err((
                first.range(),
                "looplab reads `try` without `else:`: put the `else:` block's steps at the end \
                 of the `try:` block"
                    .into(),
            ));
        }
        let tried = self.block_in(body, "body", &t.body, |_| {});
        let mut handlers = Vec::new();
        for (k, h) in t.handlers.iter().enumerate() {
            let ast::ExceptHandler::ExceptHandler(h) = h;
            let Some(class) = h.type_.as_deref() else {
                return Err((h.range(), format!("name what `except` catches: {CLASSES}")));
            };
            let class_expr = class;
            let class = self.class(class_expr)?;
            if let Some(name) = &h.name {
                return Err((
                    name.range(),
                    format!(
                        "looplab keeps no `as` name for an exception: write `except {}:`",
                        &self.src[class_expr.range()]
                    ),
                ));
            }
            let steps = self.block_in(body, &format!("handlers[{k}].body"), &h.body, |_| {});
            handlers.push(Handler { class, body: steps });
        }
        let finally = self.block_in(body, "finally", &t.finalbody, |_| {});
        body.steps.push(Step::Try {
            body: tried,
            handlers,
            star: t.is_star,
            finally,
        });
        Ok(())
    }

    /// `async with asyncio.timeout(s):` or `async with asyncio.TaskGroup() as tg:`, if
    /// `with` is one of them.
    pub(super) fn async_block(&mut self, body: &mut Body, with: &ast::StmtWith) -> Option<R<()>> {
        let [item] = with.items.as_slice() else {
            return None;
        };
        let (what, call) = match self.imports.qualified(match &item.context_expr {
            Expr::Call(call) => &call.func,
            _ => return None,
        }) {
            Some(q) if q == "asyncio.timeout" || q == "asyncio.TaskGroup" => {
                let Expr::Call(call) = &item.context_expr else {
                    return None;
                };
                (q, call)
            }
            _ => return None,
        };
        Some(self.async_block_of(body, with, item, &what, call))
    }

    fn async_block_of(
        &mut self,
        body: &mut Body,
        with: &ast::StmtWith,
        item: &ast::WithItem,
        what: &str,
        call: &ast::ExprCall,
    ) -> R<()> {
        if !with.is_async || body.ctx != Context::Coroutine {
            return Err((
                with.range(),
                format!("`async with {what}(...)` in an async def"),
            ));
        }
        let step = if what == "asyncio.timeout" {
            if item.optional_vars.is_some() {
                return Err((
                    item.range(),
                    "looplab keeps no `as` name for a timeout".into(),
                ));
            }
            let ms = match (
                call.arguments.args.as_ref(),
                call.arguments.keywords.is_empty(),
            ) {
                ([seconds], true) => duration(seconds, Negative::Nothing)?,
                _ => {
                    return Err((
                        call.arguments.range(),
                        "asyncio.timeout takes one duration in seconds".into(),
                    ));
                }
            };
            let steps = self.block(body, &with.body, |_| {});
            Step::Timeout { ms, body: steps }
        } else {
            let Some(Expr::Name(name)) = item.optional_vars.as_deref() else {
                return Err((
                    item.range(),
                    "name the group: `async with asyncio.TaskGroup() as tg:`".into(),
                ));
            };
            if !call.arguments.is_empty() {
                return Err((
                    call.arguments.range(),
                    "asyncio.TaskGroup() takes no arguments".into(),
                ));
            }
            let name = name.id.as_str().to_owned();
            let steps = self.block(body, &with.body, |inner| {
                inner.locals.insert(name.clone(), Var::Group);
            });
            Step::TaskGroup { name, body: steps }
        };
        body.steps.push(step);
        Ok(())
    }

    /// `t.cancel()` on a task, or `[into =] tg.create_task(coro())` on a task group, if
    /// `call` is one of them.
    pub(super) fn task_method(
        &mut self,
        body: &Body,
        call: &ast::ExprCall,
        into: Option<String>,
    ) -> Option<R<Step>> {
        let Expr::Attribute(attr) = call.func.as_ref() else {
            return None;
        };
        let Expr::Name(var) = attr.value.as_ref() else {
            return None;
        };
        let name = var.id.as_str().to_owned();
        match (self.var(body, &name), attr.attr.as_str()) {
            (Some(Var::Task), "cancel") if into.is_none() => Some(if call.arguments.is_empty() {
                self.in_ctx(body, StepKind::Cancel, call.range())
                    .map(|()| Step::Cancel { name })
            } else {
                Err((
                    call.arguments.range(),
                    "looplab's cancel() takes no arguments".into(),
                ))
            }),
            (Some(Var::Group), "create_task") => {
                Some(self.spawn(body, call, into).map(|step| match step {
                    Step::Spawn {
                        task, args, into, ..
                    } => Step::Spawn {
                        task,
                        args,
                        into,
                        group: Some(name),
                    },
                    other => other,
                }))
            }
            _ => None,
        }
    }

    /// `await asyncio.wait_for(aw, timeout=s)`: what is awaited and the timeout in ms.
    pub(super) fn wait_for(&mut self, body: &Body, call: &ast::ExprCall) -> R<(Call, u64)> {
        let shape = "looplab reads `asyncio.wait_for(coroutine(...), timeout=seconds)`";
        let ([aw], [kw]) = (
            call.arguments.args.as_ref(),
            call.arguments.keywords.as_ref(),
        ) else {
            return Err((call.arguments.range(), shape.into()));
        };
        if kw.arg.as_ref().is_none_or(|a| a.as_str() != "timeout") {
            return Err((kw.range(), shape.into()));
        }
        let ms = duration(&kw.value, Negative::Nothing)?;
        let awaited = match aw {
            Expr::Name(n) => match self.var(body, n.id.as_str()) {
                Some(Var::Task | Var::Future) => Call::Handle {
                    name: n.id.as_str().into(),
                },
                _ => {
                    return Err((
                        aw.range(),
                        format!("`{}` is no task or future", n.id.as_str()),
                    ));
                }
            },
            other => self.one_call(body, other, 1)?,
        };
        Ok((awaited, ms))
    }
}
