//! Python in: a program of the subset (see [the module](super)) read into a scenario with a
//! real Python parser (ruff's, as forked for RustPython), or the reasons it cannot be, each
//! at its line and column.

mod awaits;
mod calls;
mod directives;
mod errors;
mod exprs;
mod guard;
mod lower;
mod names;
mod started;
mod sync;

use ruff_python_ast::PythonVersion;
use ruff_python_parser::{Mode, ParseOptions};
use ruff_text_size::{Ranged, TextRange};

use super::Diagnostic;
use crate::limits::MAX_PYTHON_BYTES;
use crate::model::Scenario;

/// Reads `source` into a scenario and validates it (as [`validate`](crate::validate::validate)
/// does JSON, on a machine with `cores` cores). On failure, every problem found, in source
/// order: syntax errors all at once; past them, the first problems of each statement.
pub fn parse(source: &str, cores: u32) -> Result<Scenario, Vec<Diagnostic>> {
    if source.len() > MAX_PYTHON_BYTES {
        return Err(vec![Diagnostic::at(
            source,
            0,
            0,
            format!(
                "the program is {} bytes, over the limit of {MAX_PYTHON_BYTES} bytes \
                 (MAX_PYTHON_BYTES)",
                source.len()
            ),
        )]);
    }
    guard::nesting(source)?;
    let options = ParseOptions::from(Mode::Module).with_target_version(PythonVersion::PY311);
    let parsed = ruff_python_parser::parse_unchecked(source, options);
    let mut diags: Vec<Diagnostic> = parsed
        .errors()
        .iter()
        .map(|e| at(source, e.range(), e.error.to_string()))
        .collect();
    diags.extend(parsed.unsupported_syntax_errors().iter().map(|e| {
        at(
            source,
            e.range(),
            format!("{e}: looplab reads Python 3.11, the version its lessons are checked against"),
        )
    }));
    let first_error = parsed
        .errors()
        .iter()
        .map(|e| usize::from(e.range().start()))
        .min();
    if let Some(error) = first_error
        && let Some(unclosed) = guard::unclosed(source, parsed.tokens(), error)
    {
        return Err(vec![unclosed]);
    }
    if !diags.is_empty() {
        return Err(sorted(diags));
    }
    let Some(module) = parsed.try_into_module() else {
        return Err(vec![Diagnostic::at(source, 0, 0, "not a module")]);
    };
    let (scenario, spans) = lower::lower(source, module.syntax())?;
    crate::validate::validate(&scenario, cores).map_err(|e| {
        let range = spans.find(&e.field);
        vec![at(source, range, e.message)]
    })?;
    Ok(scenario)
}

fn sorted(mut diags: Vec<Diagnostic>) -> Vec<Diagnostic> {
    diags.sort_by_key(|d| (d.line, d.column));
    diags.dedup();
    diags
}

/// A diagnostic for `range` of `source`.
fn at(source: &str, range: TextRange, message: impl Into<String>) -> Diagnostic {
    Diagnostic::at(
        source,
        range.start().to_usize(),
        range.end().to_usize(),
        message,
    )
}

/// Where each part of the scenario came from: its JSON path and its source range, so that a
/// validation error (which names a path) can point at the line that caused it.
#[derive(Debug, Default)]
struct Spans(Vec<(String, TextRange)>);

impl Spans {
    fn add(&mut self, path: String, range: TextRange) {
        self.0.push((path, range));
    }

    /// The range of the longest recorded path that `field` starts with.
    fn find(&self, field: &str) -> TextRange {
        self.0
            .iter()
            .filter(|(path, _)| {
                field == path
                    || field
                        .strip_prefix(path.as_str())
                        .is_some_and(|rest| rest.starts_with(['.', '[']))
            })
            .max_by_key(|(path, _)| path.len())
            .map_or_else(TextRange::default, |(_, range)| *range)
    }
}

#[cfg(test)]
mod exc_tests;
#[cfg(test)]
mod tests;
