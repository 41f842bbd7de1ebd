//! The server's log for collectors: `--log-format json` writes one JSON object a line, and
//! every line about a run carries that run's id.

use looplab_shared::protocol::{ClientMsg, ServerMsg};
use serde_json::Value;
use tokio::io::AsyncReadExt;

use crate::support::{Client, DEADLINE, gather_at, start_binary};

/// The run ids in a log line's spans.
fn run_ids(line: &Value) -> Vec<u64> {
    line["spans"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|span| span["name"] == "run")
        .filter_map(|span| span["run_id"].as_u64())
        .collect()
}

fn message(line: &Value) -> &str {
    line["fields"]["message"].as_str().unwrap_or_default()
}

#[tokio::test]
async fn json_lines_carry_each_runs_id() {
    let dir = std::env::temp_dir();
    let binary = std::path::Path::new(env!("CARGO_BIN_EXE_looplab"));
    let (mut server, addr) = start_binary(binary, &dir, &["--log-format", "json"]).await;

    let mut client = Client::connect(addr).await;
    let mut ids = Vec::new();
    for _ in 0..2 {
        client
            .send(&ClientMsg::Run {
                scenario: gather_at(0.01),
            })
            .await;
        let msgs = client.recv_run().await;
        assert!(matches!(msgs.last(), Some(ServerMsg::RunEnded { .. })));
        ids.push(msgs[0].run_id().unwrap());
    }
    drop(client);
    // Another site's page is refused, and the log says so.
    let mut request =
        tokio_tungstenite::tungstenite::client::IntoClientRequest::into_client_request(format!(
            "ws://{addr}/ws"
        ))
        .unwrap();
    request
        .headers_mut()
        .insert("origin", "https://evil.example".parse().unwrap());
    assert!(tokio_tungstenite::connect_async(request).await.is_err());

    // SIGTERM: the server ends, and its log with it.
    let pid = libc::pid_t::try_from(server.id().unwrap()).unwrap();
    // SAFETY: kill has no memory-safety preconditions; the process is this test's child.
    unsafe { libc::kill(pid, libc::SIGTERM) };
    let mut stderr = server.stderr.take().unwrap();
    let mut log = String::new();
    tokio::time::timeout(DEADLINE, stderr.read_to_string(&mut log))
        .await
        .expect("the server's log did not end")
        .unwrap();
    assert!(server.wait().await.unwrap().success());

    let lines: Vec<Value> = log
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}")))
        .collect();
    for (i, &id) in ids.iter().enumerate() {
        let of_run: Vec<&Value> = lines.iter().filter(|l| run_ids(l) == [id]).collect();
        let said: Vec<&str> = of_run.iter().map(|l| message(l)).collect();
        assert!(said.contains(&"run started"), "run {i}: {said:?}\n{log}");
        let ended = of_run
            .iter()
            .find(|l| message(l) == "run ended")
            .unwrap_or_else(|| panic!("run {i} has no end in\n{log}"));
        assert_eq!(ended["fields"]["outcome"], "completed", "{ended}");
        assert!(ended["fields"]["events"].as_u64().unwrap() > 0, "{ended}");
        // The run's lines sit in its connection's span, which names the peer.
        assert!(
            ended["spans"][0]["peer"]
                .as_str()
                .is_some_and(|p| p.starts_with("127.0.0.1:")),
            "{ended}"
        );
    }
    // Every line about a run is in the span of exactly one run.
    for line in &lines {
        if message(line).starts_with("run ") {
            assert_eq!(run_ids(line).len(), 1, "{line}");
        }
    }
    let refused = lines
        .iter()
        .find(|l| message(l).starts_with("refused a WebSocket upgrade"))
        .unwrap_or_else(|| panic!("no refusal in\n{log}"));
    assert_eq!(refused["level"], "WARN");
    assert!(
        message(refused).contains("https://evil.example"),
        "{refused}"
    );
    assert!(lines.iter().any(|l| message(l) == "stopped"), "{log}");
}
