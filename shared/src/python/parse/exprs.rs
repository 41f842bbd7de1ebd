//! Values, durations and prints: literals, variables, lists, dicts, computations and
//! f-strings, lowered into the model's expressions.

use ruff_python_ast::{self as ast, Expr, Number};
use ruff_text_size::Ranged;

use super::lower::{Body, Lower, R};
use crate::model::{self, DictItem, ResourceKind, StartKind, Term};

/// What a variable holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Var {
    /// A value: a number, a string, a list...
    Value,
    /// A task from `asyncio.create_task`.
    Task,
    /// A future from `loop.run_in_executor`.
    Future,
    /// A thread or a process object.
    Thread(StartKind),
    /// The running loop.
    Loop,
    /// An executor.
    Pool,
    /// The FastAPI app.
    App,
    /// A lock, semaphore, event or queue.
    Resource(ResourceKind),
    /// An `asyncio.TaskGroup`, inside its block.
    Group,
}

impl Var {
    pub(super) fn describe(self) -> &'static str {
        match self {
            Var::Value => "a value",
            Var::Task => "a task",
            Var::Future => "a future",
            Var::Thread(StartKind::Thread) => "a thread",
            Var::Thread(StartKind::Process) => "a process",
            Var::Loop => "the event loop",
            Var::Pool => "an executor",
            Var::App => "the web app",
            Var::Group => "a task group",
            Var::Resource(kind) => match kind {
                ResourceKind::Lock => "an asyncio.Lock",
                ResourceKind::Semaphore { .. } => "an asyncio.Semaphore",
                ResourceKind::Event => "an asyncio.Event",
                ResourceKind::Queue { .. } => "an asyncio.Queue",
                ResourceKind::ThreadLock => "a threading.Lock",
            },
        }
    }
}

impl Lower<'_> {
    /// The variable `name` of the body, or of the module.
    pub(super) fn var(&self, body: &Body, name: &str) -> Option<Var> {
        body.locals
            .get(name)
            .or_else(|| self.globals.get(name))
            .copied()
    }

    pub(super) fn is_builtin(&self, func: &Expr, name: &str) -> bool {
        matches!(func, Expr::Name(n) if n.id.as_str() == name && !self.imports.binds(name) && !self.defs.contains_key(name))
    }

    pub(super) fn one_duration(&self, call: &ast::ExprCall, negative: Negative) -> R<u64> {
        match (
            call.arguments.args.as_ref(),
            call.arguments.keywords.is_empty(),
        ) {
            ([seconds], true) => duration(seconds, negative),
            _ => Err((
                call.arguments.range(),
                "takes one duration in seconds".into(),
            )),
        }
    }

    /// A value: a literal, a variable, a list, a dict or a computation.
    pub(super) fn value(&self, body: &Body, e: &Expr) -> R<model::Expr> {
        Ok(match e {
            Expr::NoneLiteral(_) => model::Expr::None,
            Expr::BooleanLiteral(b) => model::Expr::Bool(b.value),
            Expr::StringLiteral(s) => model::Expr::Str(s.value.to_str().to_owned()),
            Expr::FString(f) => model::Expr::Fstring(self.fstring(body, f)?),
            Expr::NumberLiteral(_) | Expr::UnaryOp(_) => number(e)?,
            Expr::Name(n) => match self.var(body, n.id.as_str()) {
                Some(Var::Value) => model::Expr::Var(n.id.as_str().into()),
                Some(other) => return Err((e.range(), format!("`{}` is {}, not a value looplab can pass or print", n.id.as_str(), other.describe()))),
                None => return Err((e.range(), format!("name `{}` is not defined", n.id.as_str()))),
            },
            Expr::List(l) => model::Expr::List(l.elts.iter().map(|x| self.value(body, x)).collect::<R<_>>()?),
            Expr::Dict(d) => model::Expr::Dict(
                d.items
                    .iter()
                    .map(|item| match &item.key {
                        Some(Expr::StringLiteral(k)) => Ok(DictItem { key: k.value.to_str().into(), value: self.value(body, &item.value)? }),
                        _ => Err((item.value.range(), "looplab's dicts have string keys".to_owned())),
                    })
                    .collect::<R<_>>()?,
            ),
            Expr::Call(call) if self.is_builtin(&call.func, "sum") => self.sum(body, call)?,
            other => return Err((other.range(), "looplab's values are None, True, False, numbers, strings, variables, lists, dicts with string keys, and sums such as `sum(math.sqrt(i) for i in range(n))`".into())),
        })
    }

    /// `sum(range(n))` or `sum(<term> for i in range(n))`.
    pub(super) fn sum(&self, body: &Body, call: &ast::ExprCall) -> R<model::Expr> {
        let unsupported = || {
            (call.range(), "looplab computes `sum(range(n))` and `sum(x for i in range(n))` where x is `i`, `i * i`, `i ** 2` or `math.sqrt(i)`".to_owned())
        };
        let [arg] = call.arguments.args.as_ref() else {
            return Err(unsupported());
        };
        if !call.arguments.keywords.is_empty() {
            return Err(unsupported());
        }
        let range_n = |e: &Expr| -> R<model::Expr> {
            match e {
                Expr::Call(r)
                    if self.is_builtin(&r.func, "range") && r.arguments.keywords.is_empty() =>
                {
                    match r.arguments.args.as_ref() {
                        [n] => self.value(body, n),
                        _ => Err(unsupported()),
                    }
                }
                _ => Err(unsupported()),
            }
        };
        if let Ok(n) = range_n(arg) {
            return Ok(model::Expr::Sum {
                term: Term::Range,
                n: Box::new(n),
            });
        }
        let Expr::Generator(g) = arg else {
            return Err(unsupported());
        };
        let [gen_] = g.generators.as_slice() else {
            return Err(unsupported());
        };
        let Expr::Name(i) = &gen_.target else {
            return Err(unsupported());
        };
        if !gen_.ifs.is_empty() || gen_.is_async {
            return Err(unsupported());
        }
        let n = range_n(&gen_.iter)?;
        let is_i = |e: &Expr| matches!(e, Expr::Name(x) if x.id == i.id);
        let term = match g.elt.as_ref() {
            e if is_i(e) => Term::Ident,
            Expr::BinOp(b) if b.op == ast::Operator::Mult && is_i(&b.left) && is_i(&b.right) => {
                Term::Square
            }
            Expr::BinOp(b)
                if b.op == ast::Operator::Pow
                    && is_i(&b.left)
                    && matches!(number(&b.right), Ok(model::Expr::Int(2))) =>
            {
                Term::Power2
            }
            Expr::Call(c)
                if self.imports.qualified(&c.func).as_deref() == Some("math.sqrt")
                    && matches!(c.arguments.args.as_ref(), [x] if is_i(x)) =>
            {
                Term::Sqrt
            }
            _ => return Err(unsupported()),
        };
        Ok(model::Expr::Sum {
            term,
            n: Box::new(n),
        })
    }

    /// A print's arguments as the text of a [`Step::Print`].
    pub(super) fn print_text(&self, body: &Body, call: &ast::ExprCall) -> R<String> {
        for kw in call.arguments.keywords.iter() {
            if kw.arg.as_ref().is_none_or(|k| k.as_str() != "flush") {
                return Err((
                    kw.range(),
                    "looplab prints with the default `sep` and `end`; only `flush=` may be given"
                        .into(),
                ));
            }
        }
        let mut pieces = Vec::new();
        for arg in call.arguments.args.iter() {
            pieces.push(match arg {
                Expr::StringLiteral(s) => escape(s.value.to_str()),
                Expr::FString(f) => self.fstring(body, f)?,
                Expr::Name(n) => {
                    self.value(body, arg)?;
                    format!("{{{}}}", n.id.as_str())
                }
                Expr::BooleanLiteral(b) => if b.value { "True" } else { "False" }.into(),
                Expr::NoneLiteral(_) => "None".into(),
                other => {
                    match number(other) {
                        // As `str()` shows it: `1e+16`, `10000000`.
                        Ok(n) => escape(&shown(&n)),
                        Err(_) => return Err((
                            other.range(),
                            "looplab prints strings, numbers, True, False, None, variables and \
                             f-strings of variables"
                                .into(),
                        )),
                    }
                }
            });
        }
        Ok(pieces.join(" "))
    }

    pub(super) fn fstring(&self, body: &Body, f: &ast::ExprFString) -> R<String> {
        let mut text = String::new();
        for part in f.value.iter() {
            match part {
                ast::FStringPart::Literal(s) => text.push_str(&escape(&s.value)),
                ast::FStringPart::FString(fs) => {
                    for element in &fs.elements {
                        match element {
                            ast::InterpolatedStringElement::Literal(l) => {
                                text.push_str(&escape(&l.value))
                            }
                            ast::InterpolatedStringElement::Interpolation(i) => {
                                let repr = match i.conversion {
                                    ast::ConversionFlag::None | ast::ConversionFlag::Str => false,
                                    ast::ConversionFlag::Repr => true,
                                    ast::ConversionFlag::Ascii => {
                                        return Err((
                                            i.range(),
                                            "looplab's f-string fields are `{name}` or `{name!r}`"
                                                .into(),
                                        ));
                                    }
                                };
                                let Expr::Name(n) = i.expression.as_ref() else {
                                    return Err((i.expression.range(), "looplab's f-string fields show a variable: `{name}` or `{name!r}`".into()));
                                };
                                if i.format_spec.is_some() || i.debug_text.is_some() {
                                    return Err((i.range(), "looplab's f-string fields are `{name}` or `{name!r}`, without a format spec or `=`".into()));
                                }
                                self.value(body, i.expression.as_ref())?;
                                text.push_str(&format!(
                                    "{{{}{}}}",
                                    n.id.as_str(),
                                    if repr { "!r" } else { "" }
                                ));
                            }
                        }
                    }
                }
            }
        }
        Ok(text)
    }
}

pub(super) fn no_arguments(call: &ast::ExprCall) -> R<()> {
    if call.arguments.args.is_empty() && call.arguments.keywords.is_empty() {
        Ok(())
    } else {
        Err((call.arguments.range(), "takes no arguments".into()))
    }
}

pub(super) fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// Literal text of a print, with braces doubled as [`template_parts`](crate::model::template_parts) reads them.
pub(super) fn escape(text: &str) -> String {
    text.replace('{', "{{").replace('}', "}}")
}

/// A literal as `str()` shows it.
pub(super) fn shown(n: &model::Expr) -> String {
    crate::python::value::eval(n, &|_| None).map_or_else(|_| String::new(), |v| v.to_str())
}

/// A number literal, possibly negated.
pub(super) fn number(e: &Expr) -> R<model::Expr> {
    match e {
        Expr::NumberLiteral(n) => match &n.value {
            Number::Int(i) => i.as_i64().map(model::Expr::Int).ok_or_else(|| {
                (
                    e.range(),
                    "this integer is larger than looplab keeps in a literal (64 bits)".into(),
                )
            }),
            Number::Float(f) if f.is_finite() => Ok(model::Expr::Float(*f)),
            Number::Float(_) => Err((e.range(), "this float is too large".into())),
            Number::Complex { .. } => Err((e.range(), "looplab has no complex numbers".into())),
        },
        Expr::UnaryOp(u) if u.op == ast::UnaryOp::USub => match number(&u.operand)? {
            model::Expr::Int(i) => Ok(model::Expr::Int(
                i.checked_neg()
                    .ok_or_else(|| (e.range(), "too large".to_owned()))?,
            )),
            model::Expr::Float(f) => Ok(model::Expr::Float(-f)),
            _ => Err((e.range(), "expected a number".into())),
        },
        _ => Err((e.range(), "expected a number".into())),
    }
}

/// What a negative duration does in CPython.
#[derive(Debug, Clone, Copy)]
pub(super) enum Negative {
    /// `time.sleep(-1)` raises.
    Raises,
    /// `asyncio.sleep(-1)` returns at once, as do the prelude's `burn_cpu` and `par_cpu`.
    Nothing,
}

/// A duration in seconds, as whole milliseconds.
pub(super) fn duration(e: &Expr, negative: Negative) -> R<u64> {
    let seconds = match number(e) {
        Ok(model::Expr::Int(i)) => i as f64,
        Ok(model::Expr::Float(f)) => f,
        _ => {
            return Err((
                e.range(),
                "a duration is a number of seconds written in the program: `2`, `0.5`".into(),
            ));
        }
    };
    if seconds < 0.0 {
        return match negative {
            Negative::Nothing => Ok(0),
            Negative::Raises => Err((
                e.range(),
                "ValueError: sleep length must be non-negative".into(),
            )),
        };
    }
    let exact = seconds * 1000.0;
    let ms = exact.round();
    if ms > u64::MAX as f64 / 2.0 {
        return Err((e.range(), "this duration is too long".into()));
    }
    // A float's last bit (0.1 * 1000 = 100.00000000000001) is not a fraction of a ms.
    if (exact - ms).abs() > 1e-6 {
        return Err((
            e.range(),
            format!(
                "{seconds} s is {exact} ms: looplab's durations are whole milliseconds \
                 (write {} or {})",
                exact.floor() / 1000.0,
                exact.ceil() / 1000.0
            ),
        ));
    }
    Ok(ms as u64)
}

/// A non-negative int literal that fits a count.
pub(super) fn small_int(e: &Expr, what: &str) -> R<u32> {
    match number(e) {
        Ok(model::Expr::Int(i)) if i >= 0 => {
            u32::try_from(i).map_err(|_| (e.range(), format!("`{what}` is too large")))
        }
        _ => Err((
            e.range(),
            format!("`{what}` is a whole number written in the program"),
        )),
    }
}
