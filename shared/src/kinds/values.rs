//! Prints, values and control: `print(...)`, `name = value`, `return value` and
//! `for var in range(times):`.

use super::{Exit, Frame, PlanError, Renderer, Scope, Sim, StepJson, Uses, ValidationError};
use crate::limits::MAX_FOR_TIMES;
use crate::model::json::need;
use crate::model::{Context, Step};
use crate::plan::sim::Val;
use crate::python::render::{expr, template_literal, uses_sqrt};
use crate::python::value::Value;
use crate::validate::body::{
    Checker, Kind as Bound, block_depth, check_template, expr as check_expr,
};
use crate::validate::{check_identifier, check_text, in_range};

/// A kind of this family.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Print,
    Assign,
    Return,
    For,
}

pub(super) fn from_json(k: Kind, j: &mut StepJson, tag: &str) -> Result<Step, String> {
    Ok(match k {
        Kind::Print => Step::Print {
            text: need(&mut j.text, tag, "text")?,
        },
        Kind::Assign => Step::Assign {
            name: need(&mut j.name, tag, "name")?,
            value: need(&mut j.value, tag, "value")?,
        },
        Kind::Return => Step::Return {
            value: need(&mut j.value, tag, "value")?,
        },
        Kind::For => Step::For {
            var: need(&mut j.var, tag, "var")?,
            times: need(&mut j.times, tag, "times")?,
            body: need(&mut j.body, tag, "body")?,
        },
    })
}

pub(super) fn to_json(k: Kind, step: Step, j: &mut StepJson) {
    match k {
        Kind::Print => {
            fields!(Step::Print { text } = step);
            j.text = Some(text);
        }
        Kind::Assign => {
            fields!(Step::Assign { name, value } = step);
            j.name = Some(name);
            j.value = Some(value);
        }
        Kind::Return => {
            fields!(Step::Return { value } = step);
            j.value = Some(value);
        }
        Kind::For => {
            fields!(Step::For { var, times, body } = step);
            j.var = Some(var);
            j.times = Some(times);
            j.body = Some(body);
        }
    }
}

pub(super) fn check(
    c: &mut Checker<'_>,
    k: Kind,
    step: &Step,
    at: &str,
    scope: &mut Scope,
    depth: usize,
) -> Result<(), ValidationError> {
    match k {
        Kind::Print => {
            fields!(Step::Print { text } = step);
            check_text(format!("{at}.text"), text)?;
            check_template(&format!("{at}.text"), text, scope)
        }
        Kind::Assign | Kind::Return => {
            fields!(Step::Assign { value, .. } | Step::Return { value } = step);
            check_expr(&format!("{at}.value"), value, scope, 0)
        }
        Kind::For => {
            fields!(Step::For { var, times, body } = step);
            check_identifier(&format!("{at}.var"), var)?;
            in_range(
                &format!("{at}.times"),
                *times,
                0,
                MAX_FOR_TIMES,
                "MAX_FOR_TIMES",
            )?;
            block_depth(at, depth)?;
            // Python's loop variable, and what the block binds, stay bound after it.
            scope.insert(var.clone(), Bound::Value);
            c.body(&format!("{at}.body"), body, scope, depth + 1)
        }
    }
}

pub(super) fn bound(k: Kind) -> Bound {
    match k {
        Kind::Print | Kind::Assign | Kind::Return | Kind::For => Bound::Value,
    }
}

pub(super) fn render(r: &mut Renderer<'_>, k: Kind, step: &Step, indent: usize, ctx: Context) {
    let text = match k {
        Kind::Print => {
            fields!(Step::Print { text } = step);
            format!("print({})", template_literal(text))
        }
        Kind::Assign => {
            fields!(Step::Assign { name, value } = step);
            format!("{name} = {}", expr(value))
        }
        Kind::Return => {
            fields!(Step::Return { value } = step);
            format!("return {}", expr(value))
        }
        Kind::For => {
            fields!(Step::For { var, times, body } = step);
            r.line(indent, &format!("for {var} in range({times}):"));
            r.body(body, indent + 1, ctx);
            return;
        }
    };
    r.line(indent, &text);
}

pub(super) fn uses(k: Kind, step: &Step, u: &mut Uses) {
    match k {
        Kind::Assign | Kind::Return => {
            fields!(Step::Assign { value, .. } | Step::Return { value } = step);
            u.math |= uses_sqrt(value);
        }
        Kind::Print | Kind::For => {}
    }
}

pub(super) fn needs_loop(k: Kind, _: &Step) -> bool {
    match k {
        Kind::Print | Kind::Assign | Kind::Return | Kind::For => false,
    }
}

pub(super) fn simulate<'a>(
    sim: &mut Sim<'a>,
    k: Kind,
    step: &'a Step,
    at: &str,
    now: &mut f64,
    frame: &mut Frame,
) -> Result<Option<Exit>, PlanError> {
    match k {
        Kind::Print => sim.count(0, 1),
        Kind::Assign => {
            fields!(Step::Assign { name, value } = step);
            let v = sim.computed(frame, value, at, now)?;
            sim.bind(frame, name, Val::Value(v));
        }
        Kind::Return => {
            fields!(Step::Return { value } = step);
            let v = sim.computed(frame, value, at, now)?;
            return Ok(Some(Exit::Return(v)));
        }
        Kind::For => {
            fields!(Step::For { var, times, body } = step);
            let body_path = format!("{at}.body");
            for k in 0..*times {
                sim.bind(frame, var, Val::Value(Value::Int(i128::from(k))));
                let (end, returned) = sim.body(body, &body_path, *now, frame)?;
                *now = end;
                if returned.is_some() {
                    return Ok(returned);
                }
            }
        }
    }
    Ok(None)
}
