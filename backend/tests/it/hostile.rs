//! Hostile frames over a real socket: each gets a clear answer, and nothing breaks.

use looplab_shared::limits::MAX_CLIENT_MESSAGE_BYTES;
use looplab_shared::protocol::{Outcome, ServerMsg};

use crate::requests::{run, sleeper};
use crate::support::{Client, spawn_server};

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
