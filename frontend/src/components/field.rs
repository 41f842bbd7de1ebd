//! One field of a step or a call, as data — a label, a value, and a plain function that
//! puts a new value into its target — and the one renderer that draws them all: the page
//! carries one piece of code for every text field, not one for each.

use looplab_shared::model::{Expr, Scenario};
use yew::prelude::*;

use super::expr_input::expr_input;
use super::inputs::{check, choice, number, seconds, text};

/// `None` in a pool choice: the loop's default executor.
pub const DEFAULT_EXECUTOR: &str = "None (the loop's default)";

/// One field of a `T` (a step or a call).
pub(super) enum Field<T> {
    Text(&'static str, String, fn(&mut T, String)),
    Number(&'static str, u64, fn(&mut T, u64)),
    /// A duration in whole milliseconds, shown and typed in seconds.
    Seconds(&'static str, u64, fn(&mut T, u64)),
    Choice(&'static str, String, Vec<String>, fn(&mut T, String)),
    Check(&'static str, bool, fn(&mut T, bool)),
    /// An optional name: empty means none.
    Into(&'static str, Option<String>, fn(&mut T, Option<String>)),
    /// Argument `k` of the call, for parameter `label`.
    Arg(String, usize, Expr, fn(&mut T, usize, Expr)),
    /// A value that is not an argument.
    Value(Expr, fn(&mut T, Expr)),
    /// An executor: a pool's variable, or `None` for the loop's default.
    Pool(Option<String>, Vec<String>, fn(&mut T, Option<String>)),
    /// A choice that replaces the whole `T` with the value it names.
    Replace(&'static str, String, Vec<(String, T)>),
}

pub(super) fn names<X>(items: &[X], name: impl Fn(&X) -> &str) -> Vec<String> {
    items.iter().map(|i| name(i).to_owned()).collect()
}

/// The parameters of task (`task`) or function `name`.
pub fn params_of(s: &Scenario, name: &str, task: bool) -> Vec<String> {
    let def = if task { s.task(name) } else { s.function(name) };
    def.map_or_else(Vec::new, |d| d.params.clone())
}

/// Draws `fields` of `target`; a change puts the new `T` out through `emit`.
pub(super) fn render<T: Clone + 'static>(
    fields: Vec<Field<T>>,
    target: &T,
    emit: &Callback<T>,
) -> Html {
    let html = fields.into_iter().map(|field| match field {
        Field::Text(label, value, set) => {
            let (target, emit) = (target.clone(), emit.clone());
            text(label, &value, move |v| {
                let mut t = target.clone();
                set(&mut t, v);
                emit.emit(t)
            })
        }
        Field::Number(label, value, set) => {
            let (target, emit) = (target.clone(), emit.clone());
            number(label, value, move |v| {
                let mut t = target.clone();
                set(&mut t, v);
                emit.emit(t)
            })
        }
        Field::Seconds(label, ms, set) => {
            let (target, emit) = (target.clone(), emit.clone());
            seconds(label, ms, move |v| {
                let mut t = target.clone();
                set(&mut t, v);
                emit.emit(t)
            })
        }
        Field::Choice(label, value, options, set) => {
            let (target, emit) = (target.clone(), emit.clone());
            choice(label, &value, options, move |v| {
                let mut t = target.clone();
                set(&mut t, v);
                emit.emit(t)
            })
        }
        Field::Check(label, value, set) => {
            let (target, emit) = (target.clone(), emit.clone());
            check(label, value, move |v| {
                let mut t = target.clone();
                set(&mut t, v);
                emit.emit(t)
            })
        }
        Field::Into(label, value, set) => {
            let (target, emit) = (target.clone(), emit.clone());
            text(label, value.as_deref().unwrap_or(""), move |v| {
                let v = v.trim().to_owned();
                let mut t = target.clone();
                set(&mut t, (!v.is_empty()).then_some(v));
                emit.emit(t)
            })
        }
        Field::Arg(label, k, value, set) => {
            let (target, emit) = (target.clone(), emit.clone());
            expr_input(
                label,
                &value,
                Callback::from(move |v| {
                    let mut t = target.clone();
                    set(&mut t, k, v);
                    emit.emit(t)
                }),
            )
        }
        Field::Pool(value, pools, set) => {
            let (target, emit) = (target.clone(), emit.clone());
            let mut options = vec![DEFAULT_EXECUTOR.to_owned()];
            options.extend(pools);
            choice(
                "pool",
                value.as_deref().unwrap_or(DEFAULT_EXECUTOR),
                options,
                move |v| {
                    let mut t = target.clone();
                    set(&mut t, (v != DEFAULT_EXECUTOR).then_some(v));
                    emit.emit(t)
                },
            )
        }
        Field::Replace(label, value, options) => {
            let emit = emit.clone();
            let names = options.iter().map(|(name, _)| name.clone()).collect();
            choice(label, &value, names, move |v| {
                if let Some((_, t)) = options.iter().find(|(name, _)| *name == v) {
                    emit.emit(t.clone())
                }
            })
        }
        Field::Value(value, set) => {
            let (target, emit) = (target.clone(), emit.clone());
            expr_input(
                "value".into(),
                &value,
                Callback::from(move |v| {
                    let mut t = target.clone();
                    set(&mut t, v);
                    emit.emit(t)
                }),
            )
        }
    });
    html! { <>{ for html }</> }
}

/// A field for each of `params`: the call's arguments, which `set` puts in place.
pub(super) fn args<T>(
    params: &[String],
    now: &[Expr],
    set: fn(&mut T, usize, Expr),
) -> Vec<Field<T>> {
    params
        .iter()
        .enumerate()
        .map(|(k, p)| Field::Arg(p.clone(), k, now.get(k).cloned().unwrap_or(Expr::None), set))
        .collect()
}

/// Puts `v` at `k` in `args`, growing it if it is short.
pub(super) fn put(args: &mut Vec<Expr>, k: usize, v: Expr) {
    if args.len() <= k {
        args.resize(k + 1, Expr::None);
    }
    args[k] = v;
}
