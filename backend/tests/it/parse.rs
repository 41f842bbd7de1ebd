//! Python read on the server over the socket the page holds: the answer comes back with the
//! request's id, whatever the connection's run is doing.

use std::time::Instant;

use looplab_shared::protocol::{ClientMsg, ServerMsg};

use crate::requests::{run, sleeper};
use crate::support::{Client, spawn_server};

fn notes(name: &str) -> String {
    let path = format!("{}/../tests/python/{name}.py", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(path).unwrap()
}

/// The next `parsed` message, skipping a run's.
async fn parsed(client: &mut Client) -> ServerMsg {
    loop {
        let msg = client.recv().await;
        if matches!(msg, ServerMsg::Parsed { .. }) {
            return msg;
        }
    }
}

#[tokio::test]
async fn a_program_is_read_over_the_socket_even_during_a_run() {
    let mut client = Client::connect(spawn_server().await).await;
    client.send(&run(sleeper(2_000))).await;
    let begun = Instant::now();
    client
        .send(&ClientMsg::Parse {
            id: 41,
            source: notes("notes_gather"),
        })
        .await;
    let ServerMsg::Parsed {
        id,
        scenario,
        diagnostics,
    } = parsed(&mut client).await
    else {
        unreachable!()
    };
    assert_eq!(id, 41);
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    let scenario: looplab_shared::model::Scenario =
        serde_json::from_str(&scenario.unwrap()).unwrap();
    assert_eq!(scenario.tasks.len(), 3);
    // Answered while the run goes on: well before its 2 s are over.
    assert!(begun.elapsed().as_millis() < 1_000, "{:?}", begun.elapsed());
    client
        .send(&ClientMsg::Parse {
            id: 42,
            source: "import asyncio\nasyncio.wait()\n".into(),
        })
        .await;
    let ServerMsg::Parsed {
        id,
        scenario,
        diagnostics,
    } = parsed(&mut client).await
    else {
        unreachable!()
    };
    assert_eq!((id, scenario), (42, None));
    assert_eq!((diagnostics[0].line, diagnostics[0].column), (2, 1));
    // The run goes on to its end.
    let msgs = client.recv_run().await;
    assert!(matches!(msgs.last(), Some(ServerMsg::RunEnded { .. })));
}
