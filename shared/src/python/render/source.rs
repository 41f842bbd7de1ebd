//! Values, calls and literals as Python source, for the program and for one step.

use std::fmt::Write;

use crate::model::{Call, Expr, ResourceKind, Start, StartKind, TemplatePart, template_parts};
use crate::python::value::float_repr;

pub(crate) fn is_executor(call: &Call) -> bool {
    match call {
        Call::Executor { .. } => true,
        Call::Task { .. } | Call::Handle { .. } => false,
    }
}

/// The expression that makes pool `p`: `ThreadPoolExecutor(max_workers=4)`.
pub fn pool_ctor(p: &crate::model::Pool) -> String {
    match p.max_workers {
        Some(n) => format!("{}(max_workers={n})", p.kind.class()),
        None => format!("{}()", p.kind.class()),
    }
}

/// The expression that makes a resource of `kind`: `asyncio.Semaphore(2)`,
/// `asyncio.Queue(maxsize=3)`, `asyncio.Lock()`.
pub fn resource_ctor(kind: ResourceKind) -> String {
    let class = kind.class();
    match kind {
        ResourceKind::Semaphore { value } => format!("{class}({value})"),
        ResourceKind::Queue { maxsize } if maxsize > 0 => format!("{class}(maxsize={maxsize})"),
        ResourceKind::Lock
        | ResourceKind::Event
        | ResourceKind::Queue { .. }
        | ResourceKind::ThreadLock => format!("{class}()"),
    }
}

pub(crate) fn start_ctor(start: &Start) -> String {
    let class = match start.kind {
        StartKind::Thread => "threading.Thread",
        StartKind::Process => "multiprocessing.Process",
    };
    let args = match start.args.as_slice() {
        [] => String::new(),
        [one] => format!(", args=({},)", expr(one)),
        many => format!(", args=({})", exprs(many)),
    };
    let daemon = if start.daemon { "True" } else { "False" };
    format!("{class}(target={}{args}, daemon={daemon})", start.function)
}

pub(crate) fn executor_call(pool: &Option<String>, function: &str, args: &[Expr]) -> String {
    let mut text = format!(
        "loop.run_in_executor({}, {function}",
        pool.as_deref().unwrap_or("None")
    );
    for a in args {
        text.push_str(", ");
        text.push_str(&expr(a));
    }
    text.push(')');
    text
}

pub(crate) fn call(c: &Call) -> String {
    match c {
        Call::Task { task, args, .. } => format!("{task}({})", exprs(args)),
        Call::Executor {
            pool,
            function,
            args,
            ..
        } => executor_call(pool, function, args),
        Call::Handle { name } => name.clone(),
    }
}

pub(crate) fn gather_item(c: &Call) -> String {
    match c.times() {
        1 => call(c),
        n => format!("*({} for _ in range({n}))", call(c)),
    }
}

pub(crate) fn exprs(args: &[Expr]) -> String {
    args.iter().map(expr).collect::<Vec<_>>().join(", ")
}

/// An expression as Python source.
pub fn expr(e: &Expr) -> String {
    match e {
        Expr::None => "None".into(),
        Expr::Bool(b) => if *b { "True" } else { "False" }.into(),
        Expr::Int(i) => int_literal(*i),
        Expr::Float(f) => float_repr(*f),
        Expr::Str(s) => str_literal(s),
        Expr::Fstring(text) => template_literal(text),
        Expr::Var(name) => name.clone(),
        Expr::Sum { term, n } => term.python(&expr(n)),
        Expr::List(items) => format!("[{}]", exprs(items)),
        Expr::Dict(items) => {
            let items: Vec<_> = items
                .iter()
                .map(|i| format!("{}: {}", str_literal(&i.key), expr(&i.value)))
                .collect();
            format!("{{{}}}", items.join(", "))
        }
    }
}

/// An int literal, with `_` between thousands from 10_000 up, as the notes write them.
pub(crate) fn int_literal(i: i64) -> String {
    let digits = i.unsigned_abs().to_string();
    if digits.len() <= 4 {
        return i.to_string();
    }
    let mut out = String::new();
    for (k, c) in digits.chars().enumerate() {
        if k > 0 && (digits.len() - k).is_multiple_of(3) {
            out.push('_');
        }
        out.push(c);
    }
    if i < 0 { format!("-{out}") } else { out }
}

/// A duration in seconds, as short as Python can write it: `2`, `1.5`, `0.002`.
pub fn seconds(ms: u64) -> String {
    if ms.is_multiple_of(1000) {
        (ms / 1000).to_string()
    } else {
        float_repr(ms as f64 / 1000.0)
    }
}

/// A string literal in double quotes.
pub fn str_literal(s: &str) -> String {
    let mut out = String::from("\"");
    escape_into(&mut out, s);
    out.push('"');
    out
}

pub(crate) fn escape_into(out: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
}

/// A print's argument: a plain string, or an f-string when the text shows variables.
pub(crate) fn template_literal(text: &str) -> String {
    let parts = template_parts(text);
    if !parts
        .iter()
        .any(|p| matches!(p, TemplatePart::Field { .. }))
    {
        let plain: String = parts
            .into_iter()
            .map(|p| match p {
                TemplatePart::Text(t) => t,
                TemplatePart::Field { .. } => String::new(),
            })
            .collect();
        return str_literal(&plain);
    }
    let mut out = String::from("f\"");
    for part in parts {
        match part {
            TemplatePart::Text(t) => {
                escape_into(&mut out, &t.replace('{', "{{").replace('}', "}}"))
            }
            TemplatePart::Field { name, repr } => {
                let _ = write!(out, "{{{name}{}}}", if repr { "!r" } else { "" });
            }
        }
    }
    out.push('"');
    out
}
