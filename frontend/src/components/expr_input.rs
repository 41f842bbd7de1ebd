//! A value in the builder: its kind and what it holds, as `"text"`, `5`, `n` or
//! `sum(math.sqrt(i) for i in range(n))` would say it in Python.

use looplab_shared::model::{Expr, Term};
use looplab_shared::python::render;
use yew::prelude::*;

use super::inputs::{choice, text};

/// The kinds the builder edits directly; lists and dicts are edited in Python or JSON.
const KINDS: [&str; 8] = [
    "text", "f-string", "int", "float", "bool", "None", "variable", "sum",
];

fn kind_of(e: &Expr) -> &'static str {
    match e {
        Expr::Str(_) => "text",
        Expr::Fstring(_) => "f-string",
        Expr::Int(_) => "int",
        Expr::Float(_) => "float",
        Expr::Bool(_) => "bool",
        Expr::None => "None",
        Expr::Var(_) => "variable",
        Expr::Sum { .. } => "sum",
        Expr::List(_) | Expr::Dict(_) => "",
    }
}

/// `e` turned into a value of `kind`, keeping what can be kept.
pub fn convert(e: &Expr, kind: &str) -> Expr {
    let shown = match e {
        Expr::Str(s) | Expr::Fstring(s) | Expr::Var(s) => s.clone(),
        other => render::expr(other),
    };
    match kind {
        "text" => Expr::Str(shown),
        "f-string" => Expr::Fstring(shown),
        "int" => Expr::Int(shown.replace('_', "").parse().unwrap_or(0)),
        "float" => Expr::Float(shown.parse().unwrap_or(0.0)),
        "bool" => Expr::Bool(shown == "True"),
        "variable" => Expr::Var(if looplab_shared::model::is_identifier(&shown) {
            shown
        } else {
            "x".into()
        }),
        "sum" => Expr::Sum {
            term: Term::Sqrt,
            n: Box::new(Expr::Int(1_000_000)),
        },
        _ => Expr::None,
    }
}

/// Reads what the person typed as a value of `e`'s kind; `None` while it does not read.
pub fn read(e: &Expr, typed: &str) -> Option<Expr> {
    let typed = typed.trim();
    Some(match e {
        Expr::Str(_) => Expr::Str(typed.to_owned()),
        Expr::Fstring(_) => Expr::Fstring(typed.to_owned()),
        Expr::Int(_) => Expr::Int(typed.replace('_', "").parse().ok()?),
        Expr::Float(_) => Expr::Float(typed.parse().ok().filter(|f: &f64| f.is_finite())?),
        Expr::Var(_) => Expr::Var(typed.to_owned()),
        Expr::Bool(_) | Expr::None | Expr::Sum { .. } | Expr::List(_) | Expr::Dict(_) => {
            return None;
        }
    })
}

/// Edits one value, labelled `label`; `set` gets the new one.
pub fn expr_input(label: String, e: &Expr, set: Callback<Expr>) -> Html {
    let kind = kind_of(e);
    if kind.is_empty() {
        return html! {
            <span class="field readonly" title="Lists and dicts are edited in the Python or JSON tab">
                { format!("{label} ") }<code>{ render::expr(e) }</code>
            </span>
        };
    }
    let pick = {
        let (e, set) = (e.clone(), set.clone());
        choice(
            format!("{label} kind"),
            kind,
            KINDS.iter().map(|k| (*k).to_owned()).collect(),
            move |k| set.emit(convert(&e, &k)),
        )
    };
    let value = match e {
        Expr::Bool(b) => {
            let set = set.clone();
            choice(
                label.clone(),
                if *b { "True" } else { "False" },
                vec!["True".into(), "False".into()],
                move |v| set.emit(Expr::Bool(v == "True")),
            )
        }
        Expr::None => html! {},
        Expr::Sum { term, n } => {
            let (n2, set2) = ((**n).clone(), set.clone());
            let terms = Term::ALL.iter().map(|t| t.python("n")).collect();
            let now = term.python("n");
            let pick_term = choice(format!("{label} sum of"), &now, terms, move |chosen| {
                if let Some(t) = Term::ALL.iter().find(|t| t.python("n") == chosen) {
                    set2.emit(Expr::Sum {
                        term: *t,
                        n: Box::new(n2.clone()),
                    });
                }
            });
            let (term, set3) = (*term, set.clone());
            let count = expr_input(
                format!("{label} n"),
                n,
                Callback::from(move |n| {
                    set3.emit(Expr::Sum {
                        term,
                        n: Box::new(n),
                    })
                }),
            );
            html! { <>{ pick_term }{ count }</> }
        }
        shown => {
            let (e2, set) = (shown.clone(), set.clone());
            let now = match shown {
                Expr::Str(s) | Expr::Fstring(s) | Expr::Var(s) => s.clone(),
                other => render::expr(other).replace('_', ""),
            };
            text(label.clone(), &now, move |typed| {
                if let Some(v) = read(&e2, &typed) {
                    set.emit(v);
                }
            })
        }
    };
    html! { <span class="expr">{ pick }{ value }</span> }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_convert_between_kinds_and_read_what_is_typed() {
        assert_eq!(
            convert(&Expr::Int(10_000_000), "text"),
            Expr::str("10_000_000")
        );
        assert_eq!(convert(&Expr::str("42"), "int"), Expr::Int(42));
        assert_eq!(convert(&Expr::str("no name!"), "variable"), Expr::var("x"));
        assert_eq!(read(&Expr::Int(0), "1_000"), Some(Expr::Int(1000)));
        assert_eq!(read(&Expr::Int(0), "1."), None, "still typing");
        assert_eq!(read(&Expr::Float(0.0), "0.5"), Some(Expr::Float(0.5)));
        assert_eq!(read(&Expr::Float(0.0), "inf"), None);
    }
}
