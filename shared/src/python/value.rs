//! Python values as a running scenario holds them, and how CPython prints them: `str()` and
//! `repr()`, floats included (shortest round-trip digits, `1e+16`, `1.5e-05`).

use serde::{Deserialize, Serialize};

use crate::model::{Expr, TemplatePart, Term, template_parts};

/// A value: what a variable holds, a function returns, a gather collects.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Value {
    /// `None`.
    None,
    /// `True` or `False`.
    Bool(bool),
    /// An integer; sums of squares of ten million numbers need more than 64 bits.
    Int(i128),
    /// A float.
    Float(f64),
    /// A string.
    Str(String),
    /// A list.
    List(Vec<Value>),
    /// A dict with string keys, in insertion order.
    Dict(Vec<(String, Value)>),
}

/// Why an expression has no value.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EvalError {
    /// A variable nobody assigned.
    #[error("NameError: name '{0}' is not defined")]
    Unbound(String),
    /// `range()` of something that is not an int.
    #[error("TypeError: '{0}' object cannot be interpreted as an integer")]
    NotAnInt(&'static str),
    /// A result too large for looplab's integers.
    #[error("the sum of {0} numbers is too large for looplab (it keeps integers in 128 bits)")]
    TooLarge(i128),
}

impl Value {
    /// What `str(value)` gives: what `print` and an f-string field show.
    pub fn to_str(&self) -> String {
        match self {
            Value::Str(s) => s.clone(),
            other => other.repr(),
        }
    }

    /// What `repr(value)` gives.
    pub fn repr(&self) -> String {
        match self {
            Value::None => "None".into(),
            Value::Bool(true) => "True".into(),
            Value::Bool(false) => "False".into(),
            Value::Int(i) => i.to_string(),
            Value::Float(f) => float_repr(*f),
            Value::Str(s) => str_repr(s),
            Value::List(items) => {
                let items: Vec<_> = items.iter().map(Value::repr).collect();
                format!("[{}]", items.join(", "))
            }
            Value::Dict(items) => {
                let items: Vec<_> = items
                    .iter()
                    .map(|(k, v)| format!("{}: {}", str_repr(k), v.repr()))
                    .collect();
                format!("{{{}}}", items.join(", "))
            }
        }
    }

    /// Python's name for its type, for error messages.
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::None => "NoneType",
            Value::Bool(_) => "bool",
            Value::Int(_) => "int",
            Value::Float(_) => "float",
            Value::Str(_) => "str",
            Value::List(_) => "list",
            Value::Dict(_) => "dict",
        }
    }
}

/// `repr()` of a float, as CPython writes it: the shortest digits that read back as the same
/// float, in positional notation when the exponent is from -4 to 15 and in scientific
/// notation otherwise.
pub fn float_repr(f: f64) -> String {
    if f.is_nan() {
        return "nan".into();
    }
    if f.is_infinite() {
        return if f > 0.0 { "inf" } else { "-inf" }.into();
    }
    // Rust's `{:e}` gives the same shortest round-trip digits: `-1.2345e-7`.
    let sci = format!("{f:e}");
    let (mantissa, exp) = sci.split_once('e').unwrap_or((&sci, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let (sign, mantissa) = match mantissa.strip_prefix('-') {
        Some(m) => ("-", m),
        None => ("", mantissa),
    };
    let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    if (-4..16).contains(&exp) {
        let point = exp + 1; // digits before the decimal point
        let body = if point <= 0 {
            format!("0.{}{digits}", "0".repeat((-point) as usize))
        } else if point as usize >= digits.len() {
            format!("{digits}{}.0", "0".repeat(point as usize - digits.len()))
        } else {
            let (int, frac) = digits.split_at(point as usize);
            format!("{int}.{frac}")
        };
        format!("{sign}{body}")
    } else {
        let (first, rest) = digits.split_at(1);
        let mantissa = if rest.is_empty() {
            first.to_owned()
        } else {
            format!("{first}.{rest}")
        };
        let exp_sign = if exp < 0 { '-' } else { '+' };
        format!("{sign}{mantissa}e{exp_sign}{:02}", exp.abs())
    }
}

/// `repr()` of a string: single quotes unless the text holds one and no double quote.
pub fn str_repr(s: &str) -> String {
    let quote = if s.contains('\'') && !s.contains('"') {
        '"'
    } else {
        '\''
    };
    let mut out = String::with_capacity(s.len() + 2);
    out.push(quote);
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c == quote => {
                out.push('\\');
                out.push(c);
            }
            c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                out.push_str(&format!("\\x{:02x}", c as u32));
            }
            c if c.is_control() => {
                let n = c as u32;
                if n <= 0xff {
                    out.push_str(&format!("\\x{n:02x}"));
                } else {
                    out.push_str(&format!("\\u{n:04x}"));
                }
            }
            c => out.push(c),
        }
    }
    out.push(quote);
    out
}

/// What a [`Term`] sums to over `range(n)`, exactly as CPython 3.11's `sum()` gives it: the
/// integer terms in closed form, the square roots added one by one in a double, left to
/// right, as 3.11 does (3.12 compensates the rounding; 3.11 does not).
pub fn sum(term: Term, n: i128) -> Result<Value, EvalError> {
    if n <= 0 {
        return Ok(Value::Int(0));
    }
    let too_large = || EvalError::TooLarge(n);
    match term {
        Term::Range | Term::Ident => n
            .checked_mul(n - 1)
            .map(|p| Value::Int(p / 2))
            .ok_or_else(too_large),
        Term::Square | Term::Power2 => (n - 1)
            .checked_mul(n)
            .and_then(|p| p.checked_mul(2 * n - 1))
            .map(|p| Value::Int(p / 6))
            .ok_or_else(too_large),
        Term::Sqrt => {
            let mut acc = 0.0_f64;
            let mut i = 0.0_f64;
            for _ in 0..n {
                acc += i.sqrt();
                i += 1.0;
            }
            Ok(Value::Float(acc))
        }
    }
}

/// Evaluates `e`, reading variables through `lookup`. Computations are computed here; their
/// CPU cost is [`cost_ns`]'s business.
pub fn eval(e: &Expr, lookup: &dyn Fn(&str) -> Option<Value>) -> Result<Value, EvalError> {
    evaluate(e, lookup, true)
}

/// As [`eval`], but a sum of floats, which only a loop over every number can give exactly,
/// is NaN: what a plan needs (integers for `range`, the shape of the rest) at once.
pub fn eval_shape(e: &Expr, lookup: &dyn Fn(&str) -> Option<Value>) -> Result<Value, EvalError> {
    evaluate(e, lookup, false)
}

fn evaluate(
    e: &Expr,
    lookup: &dyn Fn(&str) -> Option<Value>,
    exact: bool,
) -> Result<Value, EvalError> {
    let eval = |e: &Expr, lookup: &dyn Fn(&str) -> Option<Value>| evaluate(e, lookup, exact);
    Ok(match e {
        Expr::None => Value::None,
        Expr::Bool(b) => Value::Bool(*b),
        Expr::Int(i) => Value::Int(i128::from(*i)),
        Expr::Float(f) => Value::Float(*f),
        Expr::Str(s) => Value::Str(s.clone()),
        Expr::Fstring(text) => Value::Str(format(text, lookup)?),
        Expr::Var(name) => lookup(name).ok_or_else(|| EvalError::Unbound(name.clone()))?,
        Expr::Sum { term, n } => match (term, count(n, lookup)?) {
            (Term::Sqrt, n) if !exact && n > 0 => Value::Float(f64::NAN),
            (term, n) => sum(*term, n)?,
        },
        Expr::List(items) => Value::List(
            items
                .iter()
                .map(|e| eval(e, lookup))
                .collect::<Result<_, _>>()?,
        ),
        Expr::Dict(items) => Value::Dict(
            items
                .iter()
                .map(|i| Ok((i.key.clone(), eval(&i.value, lookup)?)))
                .collect::<Result<_, EvalError>>()?,
        ),
    })
}

/// A print's or an f-string's text with each field's value filled in.
pub fn format(text: &str, lookup: &dyn Fn(&str) -> Option<Value>) -> Result<String, EvalError> {
    let mut out = String::new();
    for part in template_parts(text) {
        match part {
            TemplatePart::Text(t) => out.push_str(&t),
            TemplatePart::Field { name, repr } => {
                let v = lookup(name).ok_or_else(|| EvalError::Unbound(name.to_owned()))?;
                out.push_str(&if repr { v.repr() } else { v.to_str() });
            }
        }
    }
    Ok(out)
}

/// The CPU time CPython spends evaluating `e`, in nanoseconds before scaling: the cost model
/// ([`Term::ns_per_item`]).
pub fn cost_ns(e: &Expr, lookup: &dyn Fn(&str) -> Option<Value>) -> Result<f64, EvalError> {
    Ok(match e {
        Expr::Sum { term, n } => {
            count(n, lookup)?.max(0) as f64 * term.ns_per_item() + cost_ns(n, lookup)?
        }
        Expr::List(items) => items
            .iter()
            .map(|e| cost_ns(e, lookup))
            .sum::<Result<f64, _>>()?,
        Expr::Dict(items) => items
            .iter()
            .map(|i| cost_ns(&i.value, lookup))
            .sum::<Result<f64, _>>()?,
        Expr::None
        | Expr::Bool(_)
        | Expr::Int(_)
        | Expr::Float(_)
        | Expr::Str(_)
        | Expr::Fstring(_)
        | Expr::Var(_) => 0.0,
    })
}

/// The `n` of `range(n)`.
fn count(n: &Expr, lookup: &dyn Fn(&str) -> Option<Value>) -> Result<i128, EvalError> {
    match eval(n, lookup)? {
        Value::Int(i) => Ok(i),
        Value::Bool(b) => Ok(i128::from(b)),
        other => Err(EvalError::NotAnInt(other.type_name())),
    }
}

#[cfg(test)]
mod tests;
