//! Expressions: the values steps pass, assign, return and print.

use serde::{Deserialize, Serialize};

/// A value, a variable, or a computation whose cost is the CPU time CPython spends on it.
/// In JSON, externally tagged: `{"str": "Thread-1"}`, `{"int": 10000000}`, `{"var": "n"}`,
/// `"none"`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Expr {
    /// `None`.
    None,
    /// `True` or `False`.
    Bool(bool),
    /// An integer literal.
    Int(i64),
    /// A float literal.
    Float(f64),
    /// A string literal. At most [`MAX_TEXT_BYTES`](crate::limits::MAX_TEXT_BYTES).
    Str(String),
    /// An f-string: text with `{name}` and `{name!r}` fields, as a print's
    /// ([`template_parts`](crate::model::template_parts)).
    Fstring(String),
    /// The value of a variable or parameter.
    Var(String),
    /// `sum(<term> for i in range(n))` (or `sum(range(n))`): computed, and costed at
    /// [`Term::ns_per_item`] a number summed.
    Sum {
        /// What is summed for each `i`.
        term: Term,
        /// How many numbers: `range(n)`.
        n: Box<Expr>,
    },
    /// A list display, `[a, b]`.
    List(Vec<Expr>),
    /// A dict display with string keys, `{"result": result}`: what a web handler returns.
    Dict(Vec<DictItem>),
}

/// One `key: value` of an [`Expr::Dict`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DictItem {
    /// The key.
    pub key: String,
    /// The value.
    pub value: Expr,
}

/// What [`Expr::Sum`] adds up for each `i` in `range(n)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Term {
    /// `sum(range(n))`.
    Range,
    /// `sum(i for i in range(n))`.
    Ident,
    /// `sum(i * i for i in range(n))`.
    Square,
    /// `sum(i ** 2 for i in range(n))`.
    Power2,
    /// `sum(math.sqrt(i) for i in range(n))`.
    Sqrt,
}

impl Term {
    /// Every term, in the order the builder offers them.
    pub const ALL: [Term; 5] = [
        Term::Sqrt,
        Term::Square,
        Term::Power2,
        Term::Ident,
        Term::Range,
    ];

    /// CPython 3.11's CPU time for one number of the sum, in nanoseconds: the cost model.
    /// Measured with `time.thread_time()` over three million numbers on a 2-core x86_64
    /// machine (docs/PERFORMANCE.md, "CPython cost model"); the CPython differential suite
    /// checks it against `python3` on the machine that runs the tests.
    pub fn ns_per_item(self) -> f64 {
        match self {
            Term::Range => 17.0,
            Term::Ident => 31.0,
            Term::Square => 55.0,
            Term::Power2 => 70.0,
            Term::Sqrt => 66.0,
        }
    }

    /// The expression, as Python writes it, with `n` for the count.
    pub fn python(self, n: &str) -> String {
        match self {
            Term::Range => format!("sum(range({n}))"),
            Term::Ident => format!("sum(i for i in range({n}))"),
            Term::Square => format!("sum(i * i for i in range({n}))"),
            Term::Power2 => format!("sum(i ** 2 for i in range({n}))"),
            Term::Sqrt => format!("sum(math.sqrt(i) for i in range({n}))"),
        }
    }
}

impl Expr {
    /// A string literal.
    pub fn str(s: &str) -> Self {
        Expr::Str(s.into())
    }

    /// A variable.
    pub fn var(name: &str) -> Self {
        Expr::Var(name.into())
    }

    /// Calls `f` on every variable this expression reads.
    pub fn vars<'a>(&'a self, f: &mut impl FnMut(&'a str)) {
        match self {
            Expr::Var(name) => f(name),
            Expr::Sum { n, .. } => n.vars(f),
            Expr::List(items) => items.iter().for_each(|e| e.vars(f)),
            Expr::Dict(items) => items.iter().for_each(|i| i.value.vars(f)),
            Expr::Fstring(text) => {
                for part in crate::model::template_parts(text) {
                    if let crate::model::TemplatePart::Field { name, .. } = part {
                        f(name);
                    }
                }
            }
            Expr::None | Expr::Bool(_) | Expr::Int(_) | Expr::Float(_) | Expr::Str(_) => {}
        }
    }

    /// Whether evaluating it costs CPU time.
    pub fn computes(&self) -> bool {
        match self {
            Expr::Sum { .. } => true,
            Expr::List(items) => items.iter().any(Expr::computes),
            Expr::Dict(items) => items.iter().any(|i| i.value.computes()),
            Expr::None
            | Expr::Bool(_)
            | Expr::Int(_)
            | Expr::Float(_)
            | Expr::Str(_)
            | Expr::Fstring(_)
            | Expr::Var(_) => false,
        }
    }

    /// How deeply it nests, for the limit on nesting.
    pub fn depth(&self) -> usize {
        1 + match self {
            Expr::Sum { n, .. } => n.depth(),
            Expr::List(items) => items.iter().map(Expr::depth).max().unwrap_or(0),
            Expr::Dict(items) => items.iter().map(|i| i.value.depth()).max().unwrap_or(0),
            Expr::None
            | Expr::Bool(_)
            | Expr::Int(_)
            | Expr::Float(_)
            | Expr::Str(_)
            | Expr::Fstring(_)
            | Expr::Var(_) => 0,
        }
    }
}
