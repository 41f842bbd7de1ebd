//! Threads and processes a program starts, and the size of its pools.

use ruff_python_ast::{self as ast, Expr};
use ruff_text_size::Ranged;

use super::exprs::{plural, small_int};
use super::lower::{Body, Lower, R};
use crate::model::{Start, StartKind};

impl Lower<'_> {
    /// `threading.Thread(target=f, args=(...), daemon=True)` or `multiprocessing.Process(...)`.
    pub(super) fn start(
        &mut self,
        body: &Body,
        kind: StartKind,
        call: &ast::ExprCall,
        into: Option<String>,
    ) -> R<Start> {
        if !call.arguments.args.is_empty() {
            return Err((
                call.arguments.range(),
                "pass `target=`, `args=` and `daemon=` by keyword".into(),
            ));
        }
        let mut start = Start {
            kind,
            function: String::new(),
            args: vec![],
            daemon: false,
            into,
        };
        for kw in call.arguments.keywords.iter() {
            let key = kw.arg.as_ref().map_or("", |a| a.as_str());
            match key {
                "target" => match &kw.value {
                    Expr::Name(n) if self.defs.get(n.id.as_str()).is_some_and(|d| !d.coroutine) => {
                        start.function = n.id.as_str().into()
                    }
                    other => {
                        return Err((
                            other.range(),
                            "`target=` names a plain `def` of this program".into(),
                        ));
                    }
                },
                "args" => match &kw.value {
                    Expr::Tuple(t) => {
                        start.args = t
                            .elts
                            .iter()
                            .map(|a| self.value(body, a))
                            .collect::<R<_>>()?
                    }
                    Expr::List(l) => {
                        start.args = l
                            .elts
                            .iter()
                            .map(|a| self.value(body, a))
                            .collect::<R<_>>()?
                    }
                    other => {
                        return Err((other.range(), "`args=` is a tuple: `args=(\"a\",)`".into()));
                    }
                },
                "daemon" => match &kw.value {
                    Expr::BooleanLiteral(b) => start.daemon = b.value,
                    Expr::NoneLiteral(_) => start.daemon = false,
                    other => return Err((other.range(), "`daemon=` is True or False".into())),
                },
                other => {
                    return Err((
                        kw.range(),
                        format!("looplab reads `target=`, `args=` and `daemon=`, not `{other}=`"),
                    ));
                }
            }
        }
        if start.function.is_empty() {
            return Err((call.range(), "a thread or process needs `target=`".into()));
        }
        let want = self.defs.get(&start.function).map_or(0, |d| d.params);
        if start.args.len() != want {
            return Err((
                call.range(),
                format!(
                    "`{}` takes {want} argument{}, given {}",
                    start.function,
                    plural(want),
                    start.args.len()
                ),
            ));
        }
        Ok(start)
    }

    /// `max_workers` of an executor's constructor.
    pub(super) fn max_workers(&self, ctor: &ast::ExprCall) -> R<Option<u32>> {
        let a = &ctor.arguments;
        match (a.args.as_ref(), a.keywords.as_ref()) {
            ([], []) => Ok(None),
            ([n], []) => Ok(Some(small_int(n, "max_workers")?)),
            ([], [kw]) if kw.arg.as_ref().is_some_and(|k| k.as_str() == "max_workers") => {
                match &kw.value {
                    Expr::NoneLiteral(_) => Ok(None),
                    n => Ok(Some(small_int(n, "max_workers")?)),
                }
            }
            _ => Err((a.range(), "an executor takes `max_workers=n` only".into())),
        }
    }
}
