//! Where in a program a field is, in the words a person reads it by: the server and the
//! validation name fields by their JSON path (`tasks[0].steps[1].ms`); the builder and its
//! screen-reader labels say `async def fetch(), step 2, seconds`.

use looplab_shared::model::Scenario;

/// `path` (a field's JSON path, optionally under `scenario.`) in words, using the names in
/// `s`. A part it does not know is kept as written, so nothing is lost.
pub fn place(s: &Scenario, path: &str) -> String {
    let path = path.strip_prefix("scenario.").unwrap_or(path);
    let mut words: Vec<String> = Vec::new();
    for part in path.split('.') {
        let (name, index) = split(part);
        let word = match (name, index) {
            ("tasks", Some(i)) => def(s.tasks.get(i).map(|f| &f.name), "async def", i),
            ("functions", Some(i)) => def(s.functions.get(i).map(|f| &f.name), "def", i),
            ("main", Some(i)) => format!("the module's code, step {}", i + 1),
            ("main", None) => "the module's code".into(),
            ("steps", Some(i)) => format!("step {}", i + 1),
            ("body", Some(i)) => format!("its block's step {}", i + 1),
            ("handlers", Some(i)) => format!("except block {}", i + 1),
            ("finally", Some(i)) => format!("its finally block's step {}", i + 1),
            ("calls", Some(i)) => format!("call {}", i + 1),
            ("args", Some(i)) => format!("argument {}", i + 1),
            ("pools", Some(i)) => named(s.pools.get(i).map(|p| &p.name), "executor", i),
            ("resources", Some(i)) => named(s.resources.get(i).map(|r| &r.name), "resource", i),
            ("server", None) => "the web app".into(),
            ("routes", Some(i)) => s
                .server
                .as_ref()
                .and_then(|srv| srv.routes.get(i))
                .map_or_else(
                    || format!("route {}", i + 1),
                    |r| format!("route {}", r.path),
                ),
            ("traffic", Some(i)) => format!("traffic {}", i + 1),
            (field, None) => label(field).to_owned(),
            (_, Some(_)) => part.to_owned(),
        };
        words.push(word);
    }
    words.join(", ")
}

/// What is left of a field's path below a place already shown (`.calls[1].ms` under its
/// step), in words; empty for the place itself.
pub fn below(rest: &str) -> String {
    let rest = rest.trim_start_matches('.');
    if rest.is_empty() {
        return String::new();
    }
    place(&Scenario::empty(""), rest)
}

/// `name[3]` → (`name`, 3); `name` → (`name`, none).
fn split(part: &str) -> (&str, Option<usize>) {
    match part.split_once('[') {
        Some((name, rest)) => (name, rest.trim_end_matches(']').parse().ok()),
        None => (part, None),
    }
}

fn def(name: Option<&String>, keyword: &str, i: usize) -> String {
    match name {
        Some(name) if !name.is_empty() => format!("{keyword} {name}()"),
        _ => format!("{keyword} number {}", i + 1),
    }
}

fn named(name: Option<&String>, what: &str, i: usize) -> String {
    match name {
        Some(name) if !name.is_empty() => format!("`{name}`"),
        _ => format!("{what} {}", i + 1),
    }
}

/// A field as the builder labels it.
fn label(field: &str) -> &str {
    match field {
        "ms" | "timeout_ms" => "seconds",
        "time_scale" => "time scale",
        "max_workers" => "max workers",
        "into" => "variable",
        "at_ms" => "first arrival",
        "every_ms" => "every",
        "type" => "kind",
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use looplab_shared::presets;

    use super::*;

    #[test]
    fn paths_read_as_places_in_the_program() {
        let s = presets::find("thread-pool").unwrap().scenario();
        let task = &s.tasks[0].name;
        assert_eq!(
            place(&s, "tasks[0].steps[1].ms"),
            format!("async def {task}(), step 2, seconds")
        );
        assert_eq!(
            place(&s, "scenario.tasks[0].steps[0].body[2].calls[1].args[0]"),
            format!("async def {task}(), step 1, its block's step 3, call 2, argument 1")
        );
        assert_eq!(place(&s, "main[0]"), "the module's code, step 1");
        assert_eq!(place(&s, "time_scale"), "time scale");
        let f = &s.functions[0].name;
        assert_eq!(place(&s, "functions[0].steps"), format!("def {f}(), steps"));
    }

    #[test]
    fn what_it_does_not_know_is_kept_as_written() {
        let s = presets::find("gather").unwrap().scenario();
        assert_eq!(
            place(&s, "tasks[9].steps[0]"),
            "async def number 10, step 1"
        );
        assert_eq!(place(&s, "weird[2].x"), "weird[2], x");
        assert_eq!(place(&s, "pools[0]"), "executor 1");
        assert_eq!(below(".calls[1].ms"), "call 2, seconds");
        assert_eq!(below(""), "");
    }
}
