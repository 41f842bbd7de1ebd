//! Writes the starting corpus for each fuzz target into `DIR/<target>/`: every preset as a
//! scenario, as a `run` message and as a share link, so the fuzzer starts from inputs that
//! reach deep into validation instead of stopping at the first brace.

use std::collections::BTreeSet;
use std::path::Path;

use looplab_shared::presets;
use looplab_shared::protocol::ClientMsg;
use looplab_shared::share::{Shared, encode};

fn main() -> std::io::Result<()> {
    let dir = std::env::args().nth(1).unwrap_or_else(|| "corpus".into());
    let dir = Path::new(&dir);
    let write = |target: &str, name: &str, text: String| -> std::io::Result<()> {
        let at = dir.join(target);
        std::fs::create_dir_all(&at)?;
        std::fs::write(at.join(name), text)
    };
    for p in presets::all() {
        let scenario = p.scenario();
        write("scenario", p.id, serde_json::to_string_pretty(&scenario)?)?;
        let run = ClientMsg::Run {
            scenario: scenario.clone(),
        };
        write("client_msg", p.id, serde_json::to_string(&run)?)?;
        let shared = Shared {
            scenario,
            note: format!("Watch {}.", p.title),
            run_on_open: p.id.len() % 2 == 0,
        };
        write("link", p.id, encode(&shared))?;
    }
    let stop = ClientMsg::Stop { run_id: 7 };
    write("client_msg", "stop", serde_json::to_string(&stop)?)?;
    std::fs::write(dir.join("json.dict"), dictionary())
}

/// A libFuzzer dictionary of every key and tag the presets use, plus JSON's own tokens, so
/// mutations splice in words the parser knows.
fn dictionary() -> String {
    fn walk(v: &serde_json::Value, words: &mut BTreeSet<String>) {
        match v {
            serde_json::Value::Object(map) => {
                for (k, v) in map {
                    words.insert(format!("\"{k}\":"));
                    walk(v, words);
                }
            }
            serde_json::Value::Array(items) => items.iter().for_each(|v| walk(v, words)),
            serde_json::Value::String(s) if s.len() <= 24 && !s.contains(['"', '\\']) => {
                words.insert(format!("\"{s}\""));
            }
            _ => {}
        }
    }
    let mut words: BTreeSet<String> = [
        "{", "}", "[", "]", ",", "null", "true", "false", "-1", "1e308",
    ]
    .map(String::from)
    .into();
    for p in presets::all() {
        walk(
            &serde_json::to_value(p.scenario()).unwrap_or_default(),
            &mut words,
        );
    }
    words
        .iter()
        // libFuzzer's dictionary syntax: one quoted token a line, with `"` and `\` escaped.
        .map(|w| format!("\"{}\"\n", w.replace('\\', "\\\\").replace('"', "\\\"")))
        .collect()
}
