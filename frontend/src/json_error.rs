//! The JSON view's errors in words: where (line and column) and what is wrong, as a person
//! editing the text would say it, not as the parser's internals name it.

use std::fmt;

use looplab_shared::model::Scenario;
use looplab_shared::validate::json_path;
use serde::Deserialize;
use serde_json::error::Category;

/// Why the text is not a scenario.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JsonError {
    /// 1-based line of the text where reading stopped.
    pub line: usize,
    /// 1-based column on that line.
    pub column: usize,
    /// The field it is about (`tasks[0].steps[1].ms`), when the text is JSON but not a
    /// scenario; `None` when the text is not JSON at all.
    pub field: Option<String>,
    /// What is wrong, in words.
    pub message: String,
}

impl fmt::Display for JsonError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}, column {}", self.line, self.column)?;
        if let Some(field) = &self.field {
            write!(f, " ({field})")?;
        }
        write!(f, ": {}", self.message)
    }
}

/// Reads `text` as a scenario, or says in words what stops it from being one.
pub fn parse(text: &str) -> Result<Scenario, JsonError> {
    let mut de = serde_json::Deserializer::from_str(text);
    let scenario = Scenario::deserialize(&mut de).map_err(|e| {
        let field = json_path(text, &e);
        explain(text, &e, Some(field))
    })?;
    de.end().map_err(|e| explain(text, &e, None))?;
    Ok(scenario)
}

fn explain(text: &str, e: &serde_json::Error, field: Option<String>) -> JsonError {
    // A syntax error has no field: the path would only say where the parser had got to.
    let field = field.filter(|f| {
        e.classify() == Category::Data && !f.is_empty() && f != "." && !f.contains('?')
    });
    let raw = e.to_string();
    let bare = raw
        .strip_suffix(&format!(" at line {} column {}", e.line(), e.column()))
        .unwrap_or(&raw);
    let (line, column, key) = found_at(text, bare, e.line(), e.column()).unwrap_or((
        e.line().max(1),
        e.column().max(1),
        None,
    ));
    // The path stops at the step; the value's key says which of its fields it is.
    let field = match (field, key) {
        (Some(f), Some(k)) if !f.ends_with(&format!(".{k}")) => Some(format!("{f}.{k}")),
        (f, _) => f,
    };
    JsonError {
        line,
        column,
        field,
        message: words(bare),
    }
}

/// Where the value a data error complains of was written, and the key it was written
/// under. serde reads a step whole before it looks inside, so it reports the step's end;
/// the value itself is the last time it appears before there.
fn found_at(
    text: &str,
    message: &str,
    line: usize,
    column: usize,
) -> Option<(usize, usize, Option<String>)> {
    let rest = message
        .strip_prefix("invalid type: ")
        .or_else(|| message.strip_prefix("invalid value: "))?;
    let (found, _) = rest.split_once(", expected ")?;
    let literal = found
        .strip_prefix("string ")
        .map(str::to_owned)
        .or_else(|| {
            ["floating point ", "integer "]
                .iter()
                .find_map(|p| found.strip_prefix(p))
                .map(|v| v.trim_matches('`').to_owned())
        })?;
    // serde's line and column, as a byte offset.
    let start_of_line: usize = text
        .split_inclusive('\n')
        .take(line - 1)
        .map(str::len)
        .sum();
    let end = (start_of_line + column).min(text.len());
    let at = text.get(..end)?.rfind(&literal)?;
    let line = text[..at].matches('\n').count() + 1;
    let column = at - text[..at].rfind('\n').map_or(0, |n| n + 1) + 1;
    let key = text[..at]
        .trim_end()
        .strip_suffix(':')
        .map(str::trim_end)
        .and_then(|k| k.strip_suffix('"'))
        .and_then(|k| k.rfind('"').map(|q| k[q + 1..].to_owned()));
    Some((line, column, key))
}

/// serde_json's message, in words.
pub fn words(message: &str) -> String {
    let fixed = match message {
        "key must be a string" => "a key must be text in double quotes, like \"name\"",
        "trailing comma" => "a comma before a closing bracket: remove the comma",
        "expected `,` or `}`" => "expected a comma or a closing } here: is a comma missing?",
        "expected `,` or `]`" => "expected a comma or a closing ] here: is a comma missing?",
        "expected `:`" => "expected a colon after the key",
        "expected value" => {
            "expected a value here: a number, text in double quotes, true, false, a [list] or an {object}"
        }
        "expected ident" => "expected true, false or null",
        "EOF while parsing an object" => "the text ends before this object's closing }",
        "EOF while parsing a list" => "the text ends before this list's closing ]",
        "EOF while parsing a string" => "the text ends before this text's closing quote",
        "EOF while parsing a value" => "the text ends where a value should be",
        "trailing characters" => "there is more text after the scenario's closing }",
        "invalid number" => "this is not a number",
        "number out of range" => "this number is too large",
        "invalid escape" => "a backslash starts an escape JSON does not know: write \\\\ for one",
        "control character (\\u0000-\\u001F) found while parsing a string" => {
            "text in quotes cannot run over a line: close the quote first"
        }
        _ => return data_words(message).unwrap_or_else(|| message.to_owned()),
    };
    fixed.to_owned()
}

/// The messages serde gives when the JSON is well formed but not a scenario.
fn data_words(message: &str) -> Option<String> {
    if let Some(rest) = message.strip_prefix("invalid type: ") {
        let (found, expected) = rest.split_once(", expected ")?;
        return Some(format!(
            "expected {}, found {}",
            kind(expected),
            value(found)
        ));
    }
    if let Some(rest) = message.strip_prefix("invalid value: ") {
        let (found, expected) = rest.split_once(", expected ")?;
        return Some(format!(
            "expected {}, found {}",
            kind(expected),
            value(found)
        ));
    }
    if let Some(name) = message.strip_prefix("missing field ") {
        return Some(format!("{} is missing here", quoted(name)));
    }
    if let Some(name) = message.strip_prefix("duplicate field ") {
        return Some(format!("{} appears twice", quoted(name)));
    }
    if let Some(rest) = message.strip_prefix("unknown field ") {
        let (name, known) = rest.split_once(", ").unwrap_or((rest, ""));
        return Some(format!(
            "{} is not a field here; {}",
            quoted(name),
            choices(known, "the fields are")
        ));
    }
    if let Some(rest) = message.strip_prefix("unknown variant ") {
        let (name, known) = rest.split_once(", ").unwrap_or((rest, ""));
        return Some(format!(
            "{} is not a type looplab knows; {}",
            quoted(name),
            choices(known, "use one of")
        ));
    }
    None
}

/// `` `name` `` → `"name"`.
fn quoted(name: &str) -> String {
    format!("\"{}\"", name.trim_matches('`'))
}

/// "expected one of `a`, `b`" → "{lead} a, b".
fn choices(known: &str, lead: &str) -> String {
    let list = known
        .trim_start_matches("expected one of ")
        .trim_start_matches("expected ")
        .replace('`', "");
    if list.is_empty() || list == "there are no fields" || list == "there are no variants" {
        "there are none here".to_owned()
    } else {
        format!("{lead} {list}")
    }
}

/// What serde expected, in words.
fn kind(expected: &str) -> String {
    match expected {
        "u8" | "u16" | "u32" | "u64" | "usize" => "a whole number (0 or more)".into(),
        "i8" | "i16" | "i32" | "i64" | "isize" => "a whole number".into(),
        "f32" | "f64" => "a number".into(),
        "a string" => "text in double quotes".into(),
        "a boolean" => "true or false".into(),
        "a sequence" => "a list [ … ]".into(),
        "a map" => "an object { … }".into(),
        e if e.starts_with("struct ") || e.starts_with("internally tagged enum") => {
            "an object { … }".into()
        }
        e => e.to_owned(),
    }
}

/// What serde found, in words.
fn value(found: &str) -> String {
    if let Some(text) = found.strip_prefix("string ") {
        return format!("the text {text}");
    }
    for prefix in ["floating point ", "integer ", "boolean "] {
        if let Some(v) = found.strip_prefix(prefix) {
            return v.trim_matches('`').to_owned();
        }
    }
    match found {
        "unit value" | "null" => "null".into(),
        "sequence" => "a list".into(),
        "map" => "an object".into(),
        f => f.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `text` fails to parse at (line, column) with `field` and a message containing `says`.
    fn check(text: &str, line: usize, column: usize, field: Option<&str>, says: &str) {
        let e = parse(text).expect_err(text);
        assert_eq!((e.line, e.column), (line, column), "{e}");
        assert_eq!(e.field.as_deref(), field, "{e}");
        assert!(e.message.contains(says), "{e:?} does not say {says:?}");
        // No parser internals leak into the words.
        for internal in ["u64", "EOF", "`", ".?", "ident", "sequence", "map"] {
            assert!(!e.message.contains(internal), "{e:?} says {internal}");
        }
    }

    #[test]
    fn broken_json_is_told_in_words_at_its_place() {
        check(
            "{ broken",
            1,
            3,
            None,
            "a key must be text in double quotes",
        );
        check(
            "{\"name\": \"x\",\n \"main\": [],\n}",
            3,
            1,
            None,
            "remove the comma",
        );
        check(
            "{\"name\": \"x\" \"main\": []}",
            1,
            14,
            None,
            "is a comma missing",
        );
        check(
            "{\"name\": \"x\",\n \"main\": [",
            2,
            10,
            None,
            "the text ends",
        );
        check(
            "{\"name\": \"x\", \"main\": []} x",
            1,
            27,
            None,
            "more text after",
        );
        check(
            "{\"name\": \"x\", \"main\": [tru]}",
            1,
            27,
            None,
            "true, false or null",
        );
        check(
            "{\"name\": \"x\nmain\"}",
            2,
            1,
            None,
            "cannot run over a line",
        );
    }

    #[test]
    fn json_that_is_no_scenario_names_the_field_in_words() {
        let steps = |step: &str| {
            format!("{{\"name\": \"x\",\n \"main\": [\n  {{\"type\": \"sleep\", {step}}}\n ]}}")
        };
        check(
            &steps("\"ms\": -5"),
            3,
            27,
            Some("main[0].ms"),
            "expected a whole number (0 or more), found -5",
        );
        check(
            &steps("\"ms\": 1.5"),
            3,
            27,
            Some("main[0].ms"),
            "found 1.5",
        );
        check(
            &steps("\"ms\": \"ten\""),
            3,
            27,
            Some("main[0].ms"),
            "found the text \"ten\"",
        );
        check(
            "{\"name\": \"x\", \"main\": [{\"type\": \"slep\", \"ms\": 1}]}",
            1,
            38,
            Some("main[0].type"),
            "\"slep\" is not a type looplab knows; use one of print, sleep",
        );
        check(
            "{\"name\": \"x\", \"main\": [], \"colour\": 1}",
            1,
            34,
            Some("colour"),
            "\"colour\" is not a field here; the fields are name, time_scale",
        );
        check("{\"name\": \"x\"}", 1, 13, None, "\"main\" is missing here");
    }

    #[test]
    fn a_scenario_parses() {
        let json = serde_json::to_string(&looplab_shared::presets::all()[0].scenario()).unwrap();
        assert_eq!(
            parse(&json).unwrap(),
            looplab_shared::presets::all()[0].scenario()
        );
    }
}
