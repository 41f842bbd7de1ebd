//! `# looplab: ...` directive comments: what the model says that Python cannot. Each is a
//! Python call, read by the same parser: `scenario(name="gather", time_scale=0.1)`,
//! `traffic("/compute", count=10, every=0.1, at=0)`.

use ruff_python_ast::{self as ast, Expr};
use ruff_text_size::{Ranged, TextRange, TextSize};

use super::lower::{Lower, R};
use crate::model::{LoopFlavor, Server, Traffic};
use crate::python::DIRECTIVE;

impl Lower<'_> {
    /// Reads every directive line of the source.
    pub(super) fn directives(&mut self) {
        let mut offset = 0usize;
        for line in self.src.split_inclusive('\n') {
            let start = offset;
            offset += line.len();
            let Some(payload) = line.trim_end().strip_prefix(DIRECTIVE) else {
                continue;
            };
            let at = start + DIRECTIVE.len();
            if let Err((range, message)) = self.directive(payload, at) {
                let shift = TextSize::try_from(at).unwrap_or_default();
                self.diags.push(super::at(
                    self.src,
                    range + shift,
                    format!("{message} (in a `{}` directive)", DIRECTIVE.trim_end()),
                ));
            }
        }
    }

    /// One directive; ranges in errors are relative to `payload`.
    fn directive(&mut self, payload: &str, at: usize) -> R<()> {
        let whole = TextRange::up_to(TextSize::try_from(payload.len()).unwrap_or_default());
        let usage = "a directive is `scenario(name=..., time_scale=..., gil=..., loop_workers=...)` or `traffic(\"/path\", count=..., every=..., at=...)`";
        let parsed =
            ruff_python_parser::parse_expression(payload).map_err(|_| (whole, usage.to_owned()))?;
        let Expr::Call(call) = parsed.expr() else {
            return Err((whole, usage.into()));
        };
        let Expr::Name(name) = call.func.as_ref() else {
            return Err((whole, usage.into()));
        };
        match name.id.as_str() {
            "scenario" => self.scenario_directive(call),
            "traffic" => self.traffic_directive(call, at, payload.len()),
            _ => Err((name.range(), usage.into())),
        }
    }

    fn scenario_directive(&mut self, call: &ast::ExprCall) -> R<()> {
        if !call.arguments.args.is_empty() {
            return Err((
                call.arguments.range(),
                "`scenario(...)` takes keywords".into(),
            ));
        }
        for kw in call.arguments.keywords.iter() {
            let key = kw.arg.as_ref().map_or("", |k| k.as_str());
            let v = &kw.value;
            match key {
                "name" => self.s.name = string(v)?,
                "time_scale" => self.s.time_scale = float(v)?,
                "gil" => match v {
                    Expr::BooleanLiteral(b) => self.s.options.gil = b.value,
                    other => return Err((other.range(), "`gil=` is True or False".into())),
                },
                "loop_workers" => {
                    let workers = u32::try_from(int(v)?)
                        .map_err(|_| (v.range(), "`loop_workers=` is a small number".to_owned()))?;
                    self.s.options.loop_flavor = LoopFlavor::MultiThread { workers };
                }
                other => {
                    return Err((
                        kw.range(),
                        format!(
                            "`scenario(...)` takes name=, time_scale=, gil= and loop_workers=, not `{other}=`"
                        ),
                    ));
                }
            }
        }
        Ok(())
    }

    fn traffic_directive(&mut self, call: &ast::ExprCall, at: usize, len: usize) -> R<()> {
        let [path] = call.arguments.args.as_ref() else {
            return Err((
                call.arguments.range(),
                "`traffic(...)` takes the path first: `traffic(\"/compute\", count=10, every=0.1)`"
                    .into(),
            ));
        };
        let mut t = Traffic {
            path: string(path)?,
            at_ms: 0,
            every_ms: 0,
            count: 1,
        };
        for kw in call.arguments.keywords.iter() {
            let key = kw.arg.as_ref().map_or("", |k| k.as_str());
            let v = &kw.value;
            match key {
                "count" => {
                    t.count = u32::try_from(int(v)?)
                        .map_err(|_| (v.range(), "`count=` is a whole number".to_owned()))?
                }
                "every" => t.every_ms = ms(v)?,
                "at" => t.at_ms = ms(v)?,
                other => {
                    return Err((
                        kw.range(),
                        format!("`traffic(...)` takes count=, every= and at=, not `{other}=`"),
                    ));
                }
            }
        }
        let server = self.s.server.get_or_insert_with(|| Server {
            routes: vec![],
            traffic: vec![],
        });
        let range = TextRange::at(
            TextSize::try_from(at).unwrap_or_default(),
            TextSize::try_from(len).unwrap_or_default(),
        );
        self.spans
            .add(format!("server.traffic[{}]", server.traffic.len()), range);
        server.traffic.push(t);
        Ok(())
    }
}

fn string(e: &Expr) -> R<String> {
    match e {
        Expr::StringLiteral(s) => Ok(s.value.to_str().to_owned()),
        other => Err((other.range(), "expected a string".into())),
    }
}

fn int(e: &Expr) -> R<i64> {
    match e {
        Expr::NumberLiteral(ast::ExprNumberLiteral {
            value: ast::Number::Int(i),
            ..
        }) => i
            .as_i64()
            .ok_or_else(|| (e.range(), "too large".to_owned())),
        other => Err((other.range(), "expected a whole number".into())),
    }
}

fn float(e: &Expr) -> R<f64> {
    match e {
        Expr::NumberLiteral(ast::ExprNumberLiteral {
            value: ast::Number::Float(f),
            ..
        }) => Ok(*f),
        Expr::NumberLiteral(ast::ExprNumberLiteral {
            value: ast::Number::Int(_),
            ..
        }) => Ok(int(e)? as f64),
        other => Err((other.range(), "expected a number".into())),
    }
}

fn ms(e: &Expr) -> R<u64> {
    let seconds = float(e)?;
    if !(0.0..=1e9).contains(&seconds) {
        return Err((e.range(), "expected a number of seconds, 0 or more".into()));
    }
    Ok((seconds * 1000.0).round() as u64)
}
