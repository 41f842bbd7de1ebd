//! Checks the steps of one body: each is allowed where it runs, within its limits, and every
//! name it uses is bound there to the right kind of thing, as the Python it stands for would
//! need.

use std::collections::HashMap;

use super::{ValidationError, check_identifier, check_text, over};
use crate::limits::*;
use crate::model::{
    Call, Context, Expr, ResourceKind, Scenario, Step, TemplatePart, is_identifier, stray_brace,
    template_parts,
};

/// What a name holds where a step uses it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Value,
    Task,
    Future,
    Thread,
    Pool,
    Resource,
    Group,
}

impl Kind {
    pub(crate) fn describe(self) -> &'static str {
        match self {
            Kind::Value => "a value",
            Kind::Task => "a task",
            Kind::Future => "a future",
            Kind::Thread => "a thread or process",
            Kind::Pool => "a pool",
            Kind::Resource => "a lock, semaphore, event or queue",
            Kind::Group => "a task group",
        }
    }
}

/// The module's names, which every function and task sees.
#[derive(Debug)]
pub(crate) struct Globals(pub(crate) HashMap<String, Kind>);

impl Globals {
    pub(crate) fn of(s: &Scenario) -> Self {
        let mut names = HashMap::new();
        for p in &s.pools {
            if !s.opened_by_with(&p.name) {
                names.insert(p.name.clone(), Kind::Pool);
            }
        }
        for r in &s.resources {
            names.insert(r.name.clone(), Kind::Resource);
        }
        for step in &s.main {
            if let Some(name) = step.binds() {
                names.insert(name.to_owned(), crate::kinds::bound(step.kind()));
            }
        }
        Self(names)
    }
}

pub(crate) struct Checker<'a> {
    pub(crate) s: &'a Scenario,
    pub(crate) globals: &'a Globals,
    pub(crate) ctx: Context,
    pub(crate) steps: usize,
    /// How many `except` blocks the step being checked is in: a bare `raise` needs one.
    pub(crate) handling: usize,
}

/// Checks `steps` at `path`, a body that runs in `ctx` with `params`; returns how many steps
/// it holds, nested ones included.
pub(crate) fn check(
    s: &Scenario,
    globals: &Globals,
    path: &str,
    steps: &[Step],
    ctx: Context,
    params: &[String],
) -> Result<usize, ValidationError> {
    let mut scope: HashMap<String, Kind> = match ctx {
        // Module-level names are bound as its steps run; module pools and resources exist
        // from the start.
        Context::Module => globals
            .0
            .iter()
            .filter(|(_, k)| matches!(k, Kind::Pool | Kind::Resource))
            .map(|(n, k)| (n.clone(), *k))
            .collect(),
        Context::Coroutine | Context::Function => globals.0.clone(),
    };
    for p in params {
        scope.insert(p.clone(), Kind::Value);
    }
    let mut c = Checker {
        s,
        globals,
        ctx,
        steps: 0,
        handling: 0,
    };
    c.body(path, steps, &mut scope, 0)?;
    Ok(c.steps)
}

impl Checker<'_> {
    pub(crate) fn body(
        &mut self,
        path: &str,
        steps: &[Step],
        scope: &mut HashMap<String, Kind>,
        depth: usize,
    ) -> Result<(), ValidationError> {
        if steps.len() > MAX_STEPS_PER_TASK {
            return Err(over(
                path,
                steps.len(),
                MAX_STEPS_PER_TASK,
                "MAX_STEPS_PER_TASK",
                "steps",
            ));
        }
        self.steps += steps.len();
        for (j, step) in steps.iter().enumerate() {
            let at = format!("{path}[{j}]");
            let kind = step.kind();
            if !kind.allowed_in(self.ctx) {
                return Err(ValidationError::new(
                    format!("{at}.type"),
                    format!(
                        "`{}` may appear only in {}, not in {}",
                        kind.label(),
                        kind.where_allowed(),
                        self.ctx.describe()
                    ),
                ));
            }
            let ms = step.own_ms();
            if ms > MAX_STEP_MS {
                return Err(ValidationError::new(
                    format!("{at}.ms"),
                    format!("{ms} ms exceeds the limit of {MAX_STEP_MS} ms (MAX_STEP_MS)"),
                ));
            }
            self.step(&at, step, scope, depth)?;
            if let Some(name) = step.binds() {
                let field = match step {
                    Step::Assign { .. } => format!("{at}.name"),
                    _ => format!("{at}.into"),
                };
                check_identifier(&field, name)?;
                scope.insert(name.to_owned(), crate::kinds::bound(step.kind()));
            }
        }
        Ok(())
    }

    pub(crate) fn step(
        &mut self,
        at: &str,
        step: &Step,
        scope: &mut HashMap<String, Kind>,
        depth: usize,
    ) -> Result<(), ValidationError> {
        crate::kinds::check(self, step, at, scope, depth)
    }

    /// The kind of resource `name`, which must be one.
    pub(crate) fn resource(
        &self,
        field: &str,
        name: &str,
        scope: &HashMap<String, Kind>,
    ) -> Result<ResourceKind, ValidationError> {
        expect(field, name, scope, &[Kind::Resource])?;
        self.s
            .resource(name)
            .map(|r| r.kind)
            .ok_or_else(|| ValidationError::new(field, format!("no resource is named `{name}`")))
    }

    pub(crate) fn call(
        &self,
        at: &str,
        call: &Call,
        scope: &HashMap<String, Kind>,
    ) -> Result<(), ValidationError> {
        if call.times() == 0 {
            return Err(ValidationError::new(
                format!("{at}.times"),
                "must be at least 1",
            ));
        }
        match call {
            Call::Task { task, args, .. } => self.task_call(at, task, args, scope),
            Call::Executor {
                pool,
                function,
                args,
                ..
            } => self.job(at, pool, function, args, scope),
            Call::Handle { name } => expect(
                &format!("{at}.name"),
                name,
                scope,
                &[Kind::Task, Kind::Future],
            ),
        }
    }

    pub(crate) fn task_call(
        &self,
        at: &str,
        task: &str,
        call_args: &[Expr],
        scope: &HashMap<String, Kind>,
    ) -> Result<(), ValidationError> {
        let Some(t) = self.s.task(task) else {
            return Err(ValidationError::new(
                format!("{at}.task"),
                format!("no task is named `{task}`"),
            ));
        };
        arity(at, task, t.params.len(), call_args)?;
        args(at, call_args, scope)
    }

    pub(crate) fn job(
        &self,
        at: &str,
        pool: &Option<String>,
        function: &str,
        call_args: &[Expr],
        scope: &HashMap<String, Kind>,
    ) -> Result<(), ValidationError> {
        if let Some(pool) = pool {
            if self.s.pool(pool).is_none() {
                return Err(ValidationError::new(
                    format!("{at}.pool"),
                    format!("no pool is named `{pool}`"),
                ));
            }
            expect(&format!("{at}.pool"), pool, scope, &[Kind::Pool]).map_err(|_| {
                ValidationError::new(
                    format!("{at}.pool"),
                    format!("pool `{pool}` is open only inside its `with` block"),
                )
            })?;
        }
        let Some(f) = self.s.function(function) else {
            return Err(ValidationError::new(
                format!("{at}.function"),
                format!("no function is named `{function}`"),
            ));
        };
        arity(at, function, f.params.len(), call_args)?;
        args(at, call_args, scope)
    }
}

/// A duration of at most `MAX_STEP_MS`.
pub(crate) fn step_ms(field: &str, ms: u64) -> Result<(), ValidationError> {
    if ms > MAX_STEP_MS {
        return Err(ValidationError::new(
            field,
            format!("{ms} ms exceeds the limit of {MAX_STEP_MS} ms (MAX_STEP_MS)"),
        ));
    }
    Ok(())
}

/// A block at `depth` may open another.
pub(crate) fn block_depth(at: &str, depth: usize) -> Result<(), ValidationError> {
    if depth + 1 > MAX_BLOCK_DEPTH {
        return Err(ValidationError::new(
            format!("{at}.body"),
            format!("blocks nest deeper than {MAX_BLOCK_DEPTH} (MAX_BLOCK_DEPTH)"),
        ));
    }
    Ok(())
}

pub(crate) fn arity(
    at: &str,
    name: &str,
    want: usize,
    args: &[Expr],
) -> Result<(), ValidationError> {
    if args.len() == want {
        return Ok(());
    }
    Err(ValidationError::new(
        format!("{at}.args"),
        format!(
            "`{name}` takes {want} argument{}, given {}",
            if want == 1 { "" } else { "s" },
            args.len()
        ),
    ))
}

pub(crate) fn args(
    at: &str,
    args: &[Expr],
    scope: &HashMap<String, Kind>,
) -> Result<(), ValidationError> {
    for (k, a) in args.iter().enumerate() {
        expr(&format!("{at}.args[{k}]"), a, scope, 0)?;
    }
    Ok(())
}

/// `name` is bound in `scope` to one of `kinds`.
pub(crate) fn expect(
    field: &str,
    name: &str,
    scope: &HashMap<String, Kind>,
    kinds: &[Kind],
) -> Result<(), ValidationError> {
    match scope.get(name) {
        Some(k) if kinds.contains(k) => Ok(()),
        Some(k) => Err(ValidationError::new(
            field,
            format!(
                "`{name}` holds {}, not {}",
                k.describe(),
                kinds
                    .iter()
                    .map(|k| k.describe())
                    .collect::<Vec<_>>()
                    .join(" or ")
            ),
        )),
        None => Err(ValidationError::new(
            field,
            format!("`{name}` is not defined here"),
        )),
    }
}

pub(crate) fn expr(
    field: &str,
    e: &Expr,
    scope: &HashMap<String, Kind>,
    depth: usize,
) -> Result<(), ValidationError> {
    if depth >= MAX_EXPR_DEPTH {
        return Err(ValidationError::new(
            field,
            format!("nests deeper than {MAX_EXPR_DEPTH} (MAX_EXPR_DEPTH)"),
        ));
    }
    match e {
        Expr::None | Expr::Bool(_) | Expr::Int(_) => Ok(()),
        Expr::Float(f) if f.is_finite() => Ok(()),
        Expr::Float(_) => Err(ValidationError::new(field, "must be a finite number")),
        Expr::Str(text) => check_text(field.to_owned(), text),
        Expr::Fstring(text) => {
            check_text(field.to_owned(), text)?;
            check_template(field, text, scope)
        }
        Expr::Var(name) => {
            if !is_identifier(name) {
                return Err(ValidationError::new(
                    field,
                    format!("`{name}` is not a Python name"),
                ));
            }
            expect(field, name, scope, &[Kind::Value])
        }
        Expr::Sum { n, .. } => expr(&format!("{field}.n"), n, scope, depth + 1),
        Expr::List(items) => {
            for (k, item) in items.iter().enumerate() {
                expr(&format!("{field}[{k}]"), item, scope, depth + 1)?;
            }
            Ok(())
        }
        Expr::Dict(items) => {
            for (k, item) in items.iter().enumerate() {
                check_text(format!("{field}[{k}].key"), &item.key)?;
                expr(
                    &format!("{field}[{k}].value"),
                    &item.value,
                    scope,
                    depth + 1,
                )?;
            }
            Ok(())
        }
    }
}

/// A print's text reads as an f-string: every brace is doubled or opens a field that names a
/// value in scope.
pub(crate) fn check_template(
    field: &str,
    text: &str,
    scope: &HashMap<String, Kind>,
) -> Result<(), ValidationError> {
    if let Some(at) = stray_brace(text) {
        return Err(ValidationError::new(
            field,
            format!(
                "the brace at character {} opens no field: a field is `{{name}}` or \
                 `{{name!r}}` and shows a variable; write `{{{{` and `}}}}` for braces themselves",
                text[..at].chars().count() + 1
            ),
        ));
    }
    for part in template_parts(text) {
        match part {
            TemplatePart::Text(_) => {}
            TemplatePart::Field { name, .. } => expect(field, name, scope, &[Kind::Value])?,
        }
    }
    Ok(())
}
