//! The `looplab` binary itself, as a teacher or a script would call it.

use std::process::{Command, Output};

use looplab_shared::presets;
use looplab_shared::protocol::{Outcome, ServerMsg};

use crate::support::assert_numbered;

fn looplab(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_looplab"))
        .args(args)
        .output()
        .unwrap()
}

fn stdout(out: &Output) -> String {
    String::from_utf8(out.stdout.clone()).unwrap()
}

#[test]
fn run_prints_the_console_then_a_summary() {
    let out = looplab(&["run", "--preset", "gather", "--scale", "0.1"]);
    assert!(out.status.success(), "{out:?}");
    let text = stdout(&out);
    let lines: Vec<_> = text.lines().collect();
    let expected = presets::find("gather").unwrap().expected_output;
    assert_eq!(&lines[..expected.len()], expected);
    assert_eq!(lines.len(), expected.len() + 1, "{text}");
    let summary = lines[expected.len()];
    assert!(summary.starts_with("gather: completed in "), "{summary}");
    assert!(summary.contains("(ideal 0.200 s)"), "{summary}");
}

#[test]
fn run_with_events_prints_the_protocol_as_json_lines() {
    let out = looplab(&["run", "--preset", "gather", "--scale", "0.05", "--events"]);
    assert!(out.status.success(), "{out:?}");
    let msgs: Vec<ServerMsg> = stdout(&out)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_numbered(&msgs);
    assert!(matches!(msgs.first(), Some(ServerMsg::RunStarted { .. })));
    assert!(matches!(
        msgs.last(),
        Some(ServerMsg::RunEnded {
            outcome: Outcome::Completed,
            ..
        })
    ));
}

#[test]
fn a_scenario_file_is_validated_with_the_field_named() {
    let dir = std::env::temp_dir().join(format!("looplab-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("bad.json");
    std::fs::write(
        &file,
        r#"{"name":"s","main":[],"tasks":[{"name":"t","steps":[{"type":"sleep","ms":70000}]}]}"#,
    )
    .unwrap();
    let out = looplab(&["run", file.to_str().unwrap()]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("tasks[0].steps[0].ms") && err.contains("MAX_STEP_MS"),
        "{err}"
    );

    let out = looplab(&["run", "--preset", "no-such-lesson"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("gather"));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn presets_and_help_describe_themselves() {
    let out = looplab(&["presets"]);
    assert!(out.status.success());
    for p in presets::all() {
        assert!(stdout(&out).contains(p.id));
    }
    let help = stdout(&looplab(&["--help"]));
    for word in [
        "--port",
        "LOOPLAB_PORT",
        "--addr",
        "LOOPLAB_ADDR",
        "run",
        "presets",
    ] {
        assert!(help.contains(word), "--help lacks {word}:\n{help}");
    }
}

#[test]
fn run_takes_a_scenario_file() {
    let fixture = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../shared/tests/fixtures/client_run.json"
    );
    let msg: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(fixture).unwrap()).unwrap();
    let file = std::env::temp_dir().join(format!("looplab-cli-ok-{}.json", std::process::id()));
    std::fs::write(&file, msg["scenario"].to_string()).unwrap();
    let out = looplab(&["run", file.to_str().unwrap(), "--scale", "0.05"]);
    std::fs::remove_file(&file).unwrap();
    assert!(out.status.success(), "{out:?}");
    let text = stdout(&out);
    // The started process, the submitted job, the daemon thread and the gathered jobs
    // print; the main coroutine prints what the gather and the task gave it.
    for line in [
        "P started (blocking), {braces}",
        "Thread-1 started (blocking), {braces}",
        "T started (blocking), {braces}",
        "default started (blocking), {braces}",
    ] {
        assert!(text.contains(line), "{line} in {text}");
    }
    assert!(text.contains("{'ok': True}"), "{text}");
    assert!(
        text.lines()
            .last()
            .unwrap()
            .starts_with("every-step: completed in"),
        "{text}"
    );
}

#[test]
fn output_read_only_in_part_ends_quietly() {
    use std::io::{BufRead, BufReader};
    use std::os::unix::process::ExitStatusExt;
    use std::process::Stdio;
    // `looplab python many.json | head -1`: the reader goes after one line of 200 KB.
    let functions: Vec<_> = (0..8)
        .map(|i| serde_json::json!({"name": format!("f{i}"), "steps": vec![serde_json::json!({"type": "print", "text": "x".repeat(250)}); 100]}))
        .collect();
    let many = serde_json::json!({"name": "many", "functions": functions, "main": [{"type": "print", "text": "y"}]});
    let file = std::env::temp_dir().join(format!("looplab-many-{}.json", std::process::id()));
    std::fs::write(&file, many.to_string()).unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_looplab"))
        .arg("python")
        .arg(&file)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    assert!(first.starts_with('#'), "{first}");
    let out = child.wait_with_output().unwrap();
    std::fs::remove_file(&file).unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(
        out.status.success() || out.status.signal() == Some(libc::SIGPIPE),
        "{:?}",
        out.status
    );
}

/// The largest pools a run may have all start their workers: 16 processes, and 4 × 16
/// threads (MAX_THREADS), each worker sleeping a second at once.
#[test]
fn the_largest_pools_start_every_worker() {
    let program = |ctor: &str, pools: usize| {
        let names: Vec<String> = (0..pools).map(|i| format!("p{i}")).collect();
        let made: String = names
            .iter()
            .map(|n| format!("{n} = {ctor}(max_workers=16)\n"))
            .collect();
        let jobs: Vec<String> = names
            .iter()
            .map(|n| format!("*(loop.run_in_executor({n}, job) for _ in range(16))"))
            .collect();
        format!(
            "import asyncio\nimport time\nfrom concurrent.futures import {ctor}\n\n{made}\n\n\
             def job():\n    time.sleep(1)\n\n\nasync def main():\n    \
             loop = asyncio.get_running_loop()\n    await asyncio.gather({})\n\n\n\
             if __name__ == \"__main__\":\n    asyncio.run(main())\n",
            jobs.join(", ")
        )
    };
    for (ctor, pools) in [("ProcessPoolExecutor", 1), ("ThreadPoolExecutor", 4)] {
        let file =
            std::env::temp_dir().join(format!("looplab-pools-{ctor}-{}.py", std::process::id()));
        std::fs::write(&file, program(ctor, pools)).unwrap();
        let out = looplab(&["run", file.to_str().unwrap()]);
        std::fs::remove_file(&file).unwrap();
        let text = stdout(&out);
        let last = text.lines().last().unwrap_or_default().to_owned();
        assert!(
            out.status.success() && last.contains("completed in"),
            "{ctor}: {out:?}"
        );
        let wall: f64 = last
            .split("completed in ")
            .nth(1)
            .and_then(|r| r.split(' ').next())
            .and_then(|w| w.parse().ok())
            .unwrap_or(f64::MAX);
        // Every worker at once: about 1 s; workers that failed to start would queue jobs.
        assert!(
            wall < 1.9,
            "{ctor}: {wall} s, the jobs did not all run at once: {last}"
        );
    }
}
