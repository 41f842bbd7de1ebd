//! The measuring commands: `looplab load`, a class of 200 sessions on loopback against a
//! server it starts, and `looplab bench`.

use crate::lessons::ONE_AT_A_TIME;

/// Generous: a tenth of the memory a leak per session or per run would quickly pass.
const SERVER_PEAK_MIB: f64 = 256.0;

#[tokio::test]
async fn a_class_of_200_sessions_is_held_with_every_run_completed_and_no_event_lost() {
    // The load needs both cores; timing tests must not run beside it.
    let _turn = ONE_AT_A_TIME.lock().await;
    let out = tokio::process::Command::new(env!("CARGO_BIN_EXE_looplab"))
        .args(["load", "--sessions", "200", "--runs", "1", "--json"])
        .args(["--deadline-s", "120"])
        .output()
        .await
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["sessions_held"], 200, "{report}");
    assert_eq!(report["runs_completed"], 200, "{report}");
    assert_eq!(report["events_lost"], 0, "{report}");
    assert_eq!(report["failures"], serde_json::json!([]), "{report}");
    // Every run of the gather lesson has its tasks' events, at least.
    assert!(report["events"].as_u64().unwrap() >= 200 * 12, "{report}");
    let peak = report["server_peak_mib"].as_f64().unwrap();
    assert!(peak > 0.0 && peak < SERVER_PEAK_MIB, "{report}");
}

#[tokio::test]
async fn load_refuses_a_server_that_is_not_on_loopback() {
    let out = tokio::process::Command::new(env!("CARGO_BIN_EXE_looplab"))
        .args(["load", "--server", "192.0.2.1:8080", "--sessions", "1"])
        .output()
        .await
        .unwrap();
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("loopback"), "{stderr}");
}

#[tokio::test]
async fn the_overhead_benchmark_runs_beside_cpython() {
    // A benchmark is not a timed test: this only keeps the command and its scenarios and
    // scripts working. Its figures live in docs/PERFORMANCE.md.
    let _turn = ONE_AT_A_TIME.lock().await;
    let out = tokio::process::Command::new(env!("CARGO_BIN_EXE_looplab"))
        .args(["bench", "overhead", "--runs", "1"])
        .output()
        .await
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let table = String::from_utf8(out.stdout).unwrap();
    for scenario in [
        "gather of 10,000 tasks",
        "1,000 thread-pool jobs",
        "100 process-pool CPU jobs",
    ] {
        let row = table
            .lines()
            .find(|l| l.starts_with(&format!("| {scenario}")))
            .unwrap_or_else(|| panic!("no row for {scenario} in\n{table}"));
        // Six times (the ideal, looplab's and CPython's time and overhead, looplab's whole
        // run) and the ratio.
        assert_eq!(row.matches(" ms |").count(), 6, "{row}");
        assert!(row.contains("× |"), "{row}");
    }
}
