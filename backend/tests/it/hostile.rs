//! Hostile frames over a real socket: each gets a clear answer, and nothing breaks.

use std::time::{Duration, Instant};

use looplab_shared::limits::{HANDSHAKE_TIMEOUT_S, MAX_CLIENT_MESSAGE_BYTES};
use looplab_shared::protocol::{Outcome, ServerMsg};

use crate::requests::{run, sleeper};
use looplab_backend::admission::Capacity;
use looplab_backend::server::Limits;

use crate::support::{Client, spawn_server, spawn_server_limited};

fn refusal(msg: &ServerMsg) -> (&str, &str) {
    match msg {
        ServerMsg::Rejected { field, message, .. } => (field, message),
        other => panic!("expected a refusal, got {other:?}"),
    }
}

#[tokio::test]
async fn absurd_messages_are_refused_and_the_connection_goes_on() {
    let mut client = Client::connect(spawn_server().await).await;
    let deep = format!(
        r#"{{"type":"run","scenario":{}{}}}"#,
        "[".repeat(10_000),
        "]".repeat(10_000)
    );
    let cases = [
        (deep.as_str(), "recursion limit"),
        (
            r#"{"type":"run","scenario":{"name":"s","main":[{"type":"sleep","ms":1e30}]}}"#,
            "main[0]",
        ),
        (
            r#"{"type":"run","scenario":{"name":"s","time_scale":-1,"main":[]}}"#,
            "MIN_TIME_SCALE",
        ),
        (r#"{"type":"stop","run_id":-1}"#, "invalid value"),
        ("\u{0}\u{1}", "expected value"),
    ];
    for (text, hint) in cases {
        client.send_text(text).await;
        let msg = client.recv().await;
        let (field, message) = refusal(&msg);
        assert!(
            !field.is_empty(),
            "no field for {}",
            &text[..text.len().min(60)]
        );
        assert!(
            message.contains(hint) || field.contains(hint),
            "for {}: {field}: {message}",
            &text[..text.len().min(60)]
        );
    }
    client.send(&run(sleeper(1))).await;
    let msgs = client.recv_run().await;
    assert!(matches!(
        msgs.last(),
        Some(ServerMsg::RunEnded {
            outcome: Outcome::Completed,
            ..
        })
    ));
}

#[tokio::test]
async fn an_oversized_message_closes_the_connection_naming_the_limit() {
    let mut client = Client::connect(spawn_server().await).await;
    client
        .send_text(&"x".repeat(MAX_CLIENT_MESSAGE_BYTES + 1))
        .await;
    let reason = client.close_reason().await;
    assert!(
        reason.contains(&MAX_CLIENT_MESSAGE_BYTES.to_string()),
        "{reason}"
    );
}

#[tokio::test]
async fn a_frame_that_is_not_utf8_closes_the_connection_saying_so() {
    let mut client = Client::connect(spawn_server().await).await;
    client.send_raw_text_frame(b"{\"type\":\"\xff\xfe\"}").await;
    let reason = client.close_reason().await;
    assert!(reason.to_lowercase().contains("utf-8"), "{reason}");
}

/// Opens a TCP connection, writes `prefix` and waits for the server to close it; returns
/// how long that took.
async fn held_until_closed(addr: std::net::SocketAddr, prefix: &'static [u8]) -> Duration {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut tcp = tokio::net::TcpStream::connect(addr).await.unwrap();
    let opened = Instant::now();
    tcp.write_all(prefix).await.unwrap();
    let limit = Duration::from_secs(HANDSHAKE_TIMEOUT_S * 3);
    let mut buf = [0; 1024];
    loop {
        match tokio::time::timeout(limit, tcp.read(&mut buf)).await {
            Ok(Ok(0) | Err(_)) => return opened.elapsed(),
            // hyper may answer 408 before closing; the close is what counts.
            Ok(Ok(_)) => continue,
            Err(_) => panic!("a connection with {prefix:?} was held past {limit:?}"),
        }
    }
}

#[tokio::test]
async fn connections_that_never_finish_their_request_are_closed_at_the_handshake_timeout() {
    let addr = spawn_server().await;
    let (silent, trickled) = tokio::join!(
        held_until_closed(addr, b""),
        held_until_closed(
            addr,
            b"GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
        ),
    );
    let timeout = Duration::from_secs(HANDSHAKE_TIMEOUT_S);
    for held in [silent, trickled] {
        // Closed by the deadline, not by anything sooner.
        assert!(held >= timeout.mul_f64(0.9), "closed after {held:?}");
    }
    // The server still serves whole requests.
    let mut client = Client::connect(addr).await;
    client.send(&run(sleeper(1))).await;
    assert!(matches!(
        client.recv_run().await.last(),
        Some(ServerMsg::RunEnded {
            outcome: Outcome::Completed,
            ..
        })
    ));
}

#[tokio::test]
async fn idle_and_overlong_connections_are_closed_saying_which_limit() {
    let idle = Limits {
        idle: Duration::from_secs(1),
        ..Limits::default()
    };
    let overlong = Limits {
        session: Duration::from_secs(2),
        ..Limits::default()
    };
    let (idle_server, overlong_server) = tokio::join!(
        spawn_server_limited(Capacity::of_cores(2), idle),
        spawn_server_limited(Capacity::of_cores(2), overlong)
    );
    let mut quiet = Client::connect(idle_server).await;
    let mut busy = Client::connect(overlong_server).await;
    let opened = Instant::now();
    // A run is not idleness: this one outlasts the session limit instead.
    busy.send(&run(sleeper(10_000))).await;
    let (quiet_reason, busy_reason) = tokio::join!(quiet.close_reason(), busy.close_reason());
    assert!(quiet_reason.contains("IDLE_TIMEOUT_S"), "{quiet_reason}");
    assert!(busy_reason.contains("SESSION_TIMEOUT_S"), "{busy_reason}");
    assert!(opened.elapsed() >= Duration::from_secs(2));
}
