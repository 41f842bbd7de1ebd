//! `v1.` links, from the first scenario model, translated into today's.
//!
//! That model had `main` as the steps of `async def main()`, one `arg` per call replacing
//! `{arg}` in prints, `sleep` meaning `time.sleep` inside plain functions,
//! `start_thread`/`start_process` steps and a `requests` source running beside `main`. The
//! translation keeps what each meant: `main` becomes a task that `asyncio.run` runs (or, next
//! to a request source, a route requested once at the start, so both still run together),
//! `{arg}` becomes a parameter `arg`, and names that are not Python names are made so.

use serde_json::{Map, Value, json};

/// The JSON of a v1 [`Shared`](super::Shared) in today's shape; `None` if it is not JSON.
pub(super) fn translate(json: &str) -> Option<String> {
    let mut shared: Value = serde_json::from_str(json).ok()?;
    if let Some(s) = shared.get_mut("scenario").and_then(Value::as_object_mut) {
        scenario(s);
    }
    serde_json::to_string(&shared).ok()
}

fn scenario(s: &mut Map<String, Value>) {
    // v1 simulated the GIL only when asked; today it is on unless the scenario is about
    // threads doing CPU work without it.
    let cpu_on_threads = array(s, "functions").iter().any(|f| {
        f["steps"].as_array().is_some_and(|st| {
            st.iter()
                .any(|x| x["type"] == "cpu" || x["type"] == "par_cpu")
        })
    }) && (array(s, "pools").iter().any(|p| p["kind"] == "thread")
        || starts_threads(s));
    if let Some(options) = s.get_mut("options").and_then(Value::as_object_mut)
        && options.get("gil") == Some(&json!(false))
        && !cpu_on_threads
    {
        options.insert("gil".into(), json!(true));
    }
    // Functions whose prints show `{arg}` take it as a parameter.
    let mut takes_arg = Vec::new();
    for f in array(s, "functions") {
        let uses = f["steps"]
            .as_array()
            .is_some_and(|steps| steps.iter().any(|st| text(st).contains("{arg}")));
        if uses {
            takes_arg.push(f["name"].as_str().unwrap_or_default().to_owned());
        }
    }
    let takes = |name: &str| takes_arg.iter().any(|n| n == name);
    for f in array_mut(s, "functions") {
        let arg = takes(f["name"].as_str().unwrap_or_default());
        if arg {
            f["params"] = json!(["arg"]);
        }
        steps(&mut f["steps"], &takes, true);
    }
    for t in array_mut(s, "tasks") {
        steps(&mut t["steps"], &takes, false);
    }
    let mut main = s.remove("main").unwrap_or(json!([]));
    steps(&mut main, &takes, false);
    let name = free_name(s, "main");
    array_push(s, "tasks", json!({"name": name, "steps": main}));
    match s.remove("requests") {
        Some(r) => {
            s.insert("main".into(), json!([]));
            s.insert(
                "server".into(),
                json!({
                    "routes": [{"path": "/", "handler": r["handler"]}, {"path": "/main", "handler": name}],
                    "traffic": [
                        {"path": "/main", "count": 1},
                        {"path": "/", "every_ms": r["every_ms"], "count": r["count"]},
                    ],
                }),
            );
        }
        None => {
            s.insert("main".into(), json!([{"type": "run", "task": name}]));
        }
    }
    rename_all(s);
}

fn text(step: &Value) -> &str {
    step.get("text").and_then(Value::as_str).unwrap_or_default()
}

fn steps(steps: &mut Value, takes: &dyn Fn(&str) -> bool, in_function: bool) {
    let Some(steps) = steps.as_array_mut() else {
        return;
    };
    for step in steps {
        let Some(kind) = step.get("type").and_then(Value::as_str).map(str::to_owned) else {
            continue;
        };
        let args = |step: &Value, function: &str| {
            let arg = step.get("arg").and_then(Value::as_str).unwrap_or_default();
            if takes(function) {
                json!([{"str": arg}])
            } else {
                json!([])
            }
        };
        match kind.as_str() {
            "print" => {
                let old = text(step).replace('{', "{{").replace('}', "}}");
                step["text"] = json!(old.replace("{{arg}}", "{arg}"));
            }
            "sleep" if in_function => step["type"] = json!("blocking_sleep"),
            "start_thread" | "start_process" => {
                let function = step["function"].as_str().unwrap_or_default().to_owned();
                *step = json!({
                    "type": "start",
                    "kind": if kind == "start_thread" { "thread" } else { "process" },
                    "function": function,
                    "args": args(step, &function),
                    "daemon": step.get("daemon").cloned().unwrap_or(json!(false)),
                });
            }
            "gather" => {
                if let Some(calls) = step.get_mut("calls").and_then(Value::as_array_mut) {
                    for call in calls {
                        if call["type"] == "executor" {
                            let function = call["function"].as_str().unwrap_or_default().to_owned();
                            let a = args(call, &function);
                            if let Some(c) = call.as_object_mut() {
                                c.remove("arg");
                                c.insert("args".into(), a);
                            }
                        }
                    }
                }
            }
            _ => {}
        }
    }
}

/// Whether a v1 scenario starts a thread anywhere.
fn starts_threads(s: &Map<String, Value>) -> bool {
    let has = |steps: &Value| {
        steps
            .as_array()
            .is_some_and(|st| st.iter().any(|x| x["type"] == "start_thread"))
    };
    s.get("main").is_some_and(has) || array(s, "tasks").iter().any(|t| has(&t["steps"]))
}

/// Makes every pool, function and task name a Python name, and every reference follow.
fn rename_all(s: &mut Map<String, Value>) {
    let mut renames = Vec::new();
    for key in ["pools", "functions", "tasks"] {
        for def in array(s, key) {
            if let Some(old) = def["name"].as_str()
                && python_name(old) != old
            {
                renames.push((old.to_owned(), python_name(old)));
            }
        }
    }
    if renames.is_empty() {
        return;
    }
    // Names stand as whole strings wherever they are used: in definitions, calls, pools
    // and handlers.
    fn walk(v: &mut Value, renames: &[(String, String)]) {
        match v {
            Value::String(text) => {
                if let Some((_, new)) = renames.iter().find(|(old, _)| old == text) {
                    *text = new.clone();
                }
            }
            Value::Array(items) => items.iter_mut().for_each(|i| walk(i, renames)),
            Value::Object(map) => {
                for (key, value) in map.iter_mut() {
                    // What a print says is not a name.
                    if key != "text" {
                        walk(value, renames);
                    }
                }
            }
            Value::Null | Value::Bool(_) | Value::Number(_) => {}
        }
    }
    for (_, value) in s.iter_mut() {
        walk(value, &renames);
    }
}

fn python_name(name: &str) -> String {
    let mut out: String = name
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    if out.is_empty() || out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert(0, '_');
    }
    out
}

fn free_name(s: &Map<String, Value>, want: &str) -> String {
    let taken = |n: &str| {
        ["pools", "functions", "tasks"]
            .iter()
            .any(|k| array(s, k).iter().any(|d| d["name"] == n))
    };
    let mut name = want.to_owned();
    let mut k = 2;
    while taken(&name) {
        name = format!("{want}{k}");
        k += 1;
    }
    name
}

fn array<'a>(s: &'a Map<String, Value>, key: &str) -> Vec<&'a Value> {
    s.get(key)
        .and_then(Value::as_array)
        .map_or_else(Vec::new, |a| a.iter().collect())
}

fn array_mut<'a>(s: &'a mut Map<String, Value>, key: &str) -> Vec<&'a mut Value> {
    s.get_mut(key)
        .and_then(Value::as_array_mut)
        .map_or_else(Vec::new, |a| a.iter_mut().collect())
}

fn array_push(s: &mut Map<String, Value>, key: &str, value: Value) {
    match s.get_mut(key).and_then(Value::as_array_mut) {
        Some(a) => a.push(value),
        None => {
            s.insert(key.into(), json!([value]));
        }
    }
}

#[cfg(test)]
mod tests;
