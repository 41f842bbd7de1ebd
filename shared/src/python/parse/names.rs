//! What the names of a program stand for: imports give modules and their members qualified
//! names (`ThreadPoolExecutor` → `concurrent.futures.ThreadPoolExecutor`), so the lowering
//! matches on what a call is, however it was imported.

use std::collections::HashMap;

use ruff_python_ast::{Expr, Stmt};
use ruff_text_size::Ranged;

/// The modules a program may import.
pub(super) const MODULES: [&str; 8] = [
    "asyncio",
    "time",
    "math",
    "threading",
    "multiprocessing",
    "concurrent.futures",
    "fastapi",
    "uvicorn",
];

/// What the program's imports bind: a local name → the qualified name it stands for.
#[derive(Debug, Default)]
pub(super) struct Imports(HashMap<String, String>);

impl Imports {
    /// Records an `import` or `from ... import`; `Err` says what is not supported.
    pub(super) fn add(&mut self, stmt: &Stmt) -> Result<(), (ruff_text_size::TextRange, String)> {
        let supported = || {
            format!(
                "looplab's Python subset imports {}",
                MODULES.map(|m| format!("`{m}`")).join(", ")
            )
        };
        match stmt {
            Stmt::Import(import) => {
                for alias in &import.names {
                    let module = alias.name.as_str();
                    let known = MODULES
                        .iter()
                        .any(|m| *m == module || m.starts_with(&format!("{module}.")));
                    if !known {
                        return Err((
                            alias.range(),
                            format!("module `{module}` is not supported: {}", supported()),
                        ));
                    }
                    match &alias.asname {
                        Some(local) => {
                            self.0.insert(local.as_str().into(), module.into());
                        }
                        None => {
                            // `import concurrent.futures` binds `concurrent`.
                            let top = module.split('.').next().unwrap_or(module);
                            self.0.insert(top.into(), top.into());
                        }
                    }
                }
                Ok(())
            }
            Stmt::ImportFrom(from) => {
                let module = from.module.as_ref().map_or("", |m| m.as_str());
                if from.level > 0 || !MODULES.contains(&module) {
                    return Err((
                        from.range(),
                        format!("module `{module}` is not supported: {}", supported()),
                    ));
                }
                for alias in &from.names {
                    let name = alias.name.as_str();
                    if name == "*" {
                        return Err((
                            alias.range(),
                            "`import *` is not supported: import the names you use".into(),
                        ));
                    }
                    let local = alias.asname.as_ref().unwrap_or(&alias.name);
                    self.0
                        .insert(local.as_str().into(), format!("{module}.{name}"));
                }
                Ok(())
            }
            _ => Ok(()),
        }
    }

    /// The qualified name `expr` stands for, if it is a name or attribute chain rooted in an
    /// import; `None` for anything else (a local variable, a call...).
    pub(super) fn qualified(&self, expr: &Expr) -> Option<String> {
        match expr {
            Expr::Name(name) => self.0.get(name.id.as_str()).cloned(),
            Expr::Attribute(attr) => {
                let base = self.qualified(&attr.value)?;
                Some(format!("{base}.{}", attr.attr.as_str()))
            }
            _ => None,
        }
    }

    /// Whether `name` was bound by an import.
    pub(super) fn binds(&self, name: &str) -> bool {
        self.0.contains_key(name)
    }
}

/// The source text of a name or attribute chain, for messages: `asyncio.wait`.
pub(super) fn dotted(expr: &Expr) -> Option<String> {
    match expr {
        Expr::Name(name) => Some(name.id.as_str().to_owned()),
        Expr::Attribute(attr) => Some(format!("{}.{}", dotted(&attr.value)?, attr.attr.as_str())),
        _ => None,
    }
}
