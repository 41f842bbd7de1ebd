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
            goals: Vec::new(),
            ask: None,
        };
        write("link", p.id, encode(&shared))?;
    }
    let stop = ClientMsg::Stop { run_id: 7 };
    write("client_msg", "stop", serde_json::to_string(&stop)?)?;
    // Python: every preset's program and every program of the differential corpus.
    for p in presets::all() {
        write(
            "python",
            p.id,
            looplab_shared::python::render(&p.scenario()),
        )?;
    }
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/python");
    for entry in std::fs::read_dir(corpus)? {
        let path = entry?.path();
        if path.extension().is_some_and(|e| e == "py") {
            let name = path
                .file_stem()
                .unwrap_or_default()
                .to_string_lossy()
                .into_owned();
            write(
                "python",
                &format!("corpus-{name}"),
                std::fs::read_to_string(&path)?,
            )?;
        }
    }
    std::fs::write(dir.join("python.dict"), python_dictionary())?;
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
    words.iter().map(|w| dictionary_line(w)).collect()
}

/// A token as a line of a libFuzzer dictionary: quoted, with `"`, `\` and control
/// characters escaped.
fn dictionary_line(word: &str) -> String {
    let mut line = String::from("\"");
    for c in word.chars() {
        match c {
            '"' | '\\' => {
                line.push('\\');
                line.push(c);
            }
            c if c.is_ascii_control() => line.push_str(&format!("\\x{:02X}", c as u32)),
            c => line.push(c),
        }
    }
    line.push_str("\"\n");
    line
}

/// A libFuzzer dictionary of the words looplab's Python subset is made of.
fn python_dictionary() -> String {
    [
        "import asyncio",
        "import time",
        "import math",
        "import threading",
        "import multiprocessing",
        "from concurrent.futures import ThreadPoolExecutor",
        "from concurrent.futures import ProcessPoolExecutor",
        "from fastapi import FastAPI",
        "async def ",
        "def ",
        "await ",
        "asyncio.sleep(",
        "asyncio.gather(",
        "asyncio.run(",
        "asyncio.create_task(",
        "asyncio.get_running_loop()",
        ".run_in_executor(",
        "with ",
        " as ",
        "time.sleep(",
        "burn_cpu(",
        "print(",
        "f\"{",
        "}\"",
        "return ",
        "sum(",
        "math.sqrt(i)",
        " for i in range(",
        "threading.Thread(",
        "multiprocessing.Process(",
        "target=",
        "args=(",
        "daemon=True",
        ".start()",
        ".join()",
        "max_workers=",
        "if __name__ == \"__main__\":",
        "@app.get(\"/\")",
        "app = FastAPI()",
        "# looplab: scenario(",
        "# looplab: traffic(",
        "None",
        "True",
        "False",
        "\n    ",
        "*(",
        " for _ in range(",
        "10_000_000",
        "0.5",
    ]
    .iter()
    .map(|w| dictionary_line(w))
    .collect()
}
