//! What the command line reads: a lesson, a scenario file in JSON, or a Python program, and
//! its errors in one clear line each.

use std::path::Path;

use looplab_shared::model::Scenario;
use looplab_shared::presets;
use looplab_shared::python;
use looplab_shared::validate::{parse_scenario, validate};

use crate::engine::cores;

/// Why a command could not get its scenario.
#[derive(Debug, thiserror::Error)]
pub enum SourceError {
    /// No lesson has that id.
    #[error("no preset `{id}`; the presets are: {known}")]
    UnknownPreset {
        /// The id asked for.
        id: String,
        /// The ids there are.
        known: String,
    },
    /// The file could not be read.
    #[error("cannot read {path}: {error}")]
    Unreadable {
        /// The file.
        path: String,
        /// Why.
        error: std::io::Error,
    },
    /// A JSON scenario was refused.
    #[error("{path}: {error}")]
    Json {
        /// The file.
        path: String,
        /// What is wrong, at which field.
        error: looplab_shared::validate::ValidationError,
    },
    /// A Python program was refused: one line a problem, `file:line:column: message`.
    #[error("{}", .diagnostics.iter().map(|d| format!("{path}:{}:{}: {}", d.line, d.column, d.message)).collect::<Vec<_>>().join("\n"))]
    Python {
        /// The file.
        path: String,
        /// Each problem, where it is.
        diagnostics: Vec<python::Diagnostic>,
    },
    /// The scenario, scaled, broke a limit.
    #[error("the scenario is refused: {0}")]
    Refused(looplab_shared::validate::ValidationError),
    /// Neither a preset nor a file was named.
    #[error("name a scenario: --preset ID, a JSON file or a Python file")]
    Missing,
}

/// The scenario a command names: a lesson, or a `.py` or JSON file; scaled by `scale`;
/// validated for this machine.
pub fn scenario(
    preset: Option<&str>,
    file: Option<&Path>,
    scale: Option<f64>,
) -> Result<Scenario, SourceError> {
    let mut scenario = match (preset, file) {
        (Some(id), _) => presets::find(id)
            .map(presets::Preset::scenario)
            .ok_or_else(|| SourceError::UnknownPreset {
                id: id.into(),
                known: presets::all()
                    .iter()
                    .map(|p| p.id)
                    .collect::<Vec<_>>()
                    .join(", "),
            })?,
        (None, Some(path)) => {
            let shown = path.display().to_string();
            let text = std::fs::read_to_string(path).map_err(|error| SourceError::Unreadable {
                path: shown.clone(),
                error,
            })?;
            if path.extension().is_some_and(|e| e == "py") {
                python::parse(&text, cores()).map_err(|diagnostics| SourceError::Python {
                    path: shown,
                    diagnostics,
                })?
            } else {
                parse_scenario(&text, cores())
                    .map_err(|error| SourceError::Json { path: shown, error })?
            }
        }
        (None, None) => return Err(SourceError::Missing),
    };
    if let Some(scale) = scale {
        scenario.time_scale *= scale;
    }
    validate(&scenario, cores()).map_err(SourceError::Refused)?;
    Ok(scenario)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn python_errors_name_the_file_line_and_column() {
        let dir = std::env::temp_dir().join(format!("looplab-cli-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("bad.py");
        std::fs::write(&path, "import asyncio\nimport requests\n").unwrap();
        let e = scenario(None, Some(&path), None).unwrap_err().to_string();
        assert!(e.ends_with("bad.py:2:8: module `requests` is not supported: looplab's Python subset imports `asyncio`, `time`, `math`, `threading`, `multiprocessing`, `concurrent.futures`, `fastapi`, `uvicorn`"), "{e}");
        assert!(!e.contains('\n'), "one line: {e}");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
