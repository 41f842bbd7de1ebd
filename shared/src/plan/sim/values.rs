//! Variables and values in virtual time: what a name holds, and what a computation costs.

use super::{Frame, Sim, Val};
use crate::limits::GIL_SWITCH_MS;
use crate::model::Expr;
use crate::plan::PlanError;
use crate::python::value::{Value, cost_ns, eval_shape};

impl Sim<'_> {
    pub(crate) fn lookup(&self, frame: &Frame, name: &str) -> Option<Value> {
        let val = frame.vars.get(name).or_else(|| self.globals.get(name))?;
        match val {
            Val::Value(v) | Val::Done(_, Ok(v)) => Some(v.clone()),
            Val::Done(_, Err(_)) => Some(Value::None),
            Val::Thread(_) => None,
        }
    }

    pub(crate) fn bind(&mut self, frame: &mut Frame, name: &str, val: Val) {
        if frame.module {
            self.globals.insert(name.to_owned(), val);
        } else {
            frame.vars.insert(name.to_owned(), val);
        }
    }

    pub(crate) fn eval(
        &self,
        frame: &Frame,
        e: &Expr,
        at: &str,
    ) -> Result<(Value, f64), PlanError> {
        let lookup = |name: &str| self.lookup(frame, name);
        let err = |e: crate::python::value::EvalError| PlanError::Eval {
            at: at.into(),
            message: e.to_string(),
        };
        let value = eval_shape(e, &lookup).map_err(err)?;
        let ms = cost_ns(e, &lookup).map_err(err)? / 1e6;
        Ok((value, ms))
    }

    /// `e`'s value; a computation in it takes CPython's time for it from `now`.
    pub(crate) fn computed(
        &mut self,
        frame: &Frame,
        e: &Expr,
        at: &str,
        now: &mut f64,
    ) -> Result<Value, PlanError> {
        let (v, ms) = self.eval(frame, e, at)?;
        if e.computes() {
            *now += ms;
            let events = self.cpu_events(ms);
            self.count(0, events);
        }
        Ok(v)
    }

    pub(crate) fn cpu_events(&mut self, ms: f64) -> u64 {
        self.computes = true;
        if self.s.options.gil {
            let scaled = (ms * self.s.time_scale) as u64;
            2 + 3 * (scaled / GIL_SWITCH_MS + 1)
        } else {
            2
        }
    }
}
