//! What an operator reads: `/healthz`, `/readyz` and `/metrics`, after real runs.

use axum::body::Body;
use axum::http::{Request, StatusCode};
use looplab_backend::admission::Capacity;
use looplab_backend::server::{AppState, Options, app};
use looplab_shared::protocol::{ClientMsg, ServerMsg};
use tower::ServiceExt;

use crate::http::{get, sample};
use crate::support::{Client, DEADLINE, gather_at, spawn_server_options};

async fn status(state: &AppState, path: &str) -> (StatusCode, String) {
    let response = app(state.clone())
        .oneshot(Request::get(path).body(Body::empty()).unwrap())
        .await
        .unwrap();
    let status = response.status();
    let body = axum::body::to_bytes(response.into_body(), 1 << 16)
        .await
        .unwrap();
    (status, String::from_utf8(body.to_vec()).unwrap())
}

#[tokio::test]
async fn alive_always_and_ready_until_shutting_down() {
    let state = AppState::with_options(env!("CARGO_BIN_EXE_looplab").into(), Options::new());
    assert_eq!(status(&state, "/healthz").await.0, StatusCode::OK);
    assert_eq!(status(&state, "/readyz").await.0, StatusCode::OK);
    // Off unless asked for.
    assert_eq!(status(&state, "/metrics").await.0, StatusCode::NOT_FOUND);
    state.shut_down();
    assert_eq!(
        status(&state, "/readyz").await,
        (StatusCode::SERVICE_UNAVAILABLE, "shutting down\n".into())
    );
    assert_eq!(status(&state, "/healthz").await.0, StatusCode::OK);
}

async fn metrics(addr: std::net::SocketAddr) -> String {
    let reply = get(addr, "/metrics", &[]).await;
    assert_eq!(reply.status, 200);
    assert!(
        reply
            .header("content-type")
            .unwrap()
            .starts_with("text/plain")
    );
    reply.text()
}

/// Runs the gather lesson × `scale` and returns how many events came.
async fn events_of_a_run(client: &mut Client, scale: f64) -> u64 {
    client
        .send(&ClientMsg::Run {
            scenario: gather_at(scale),
        })
        .await;
    let msgs = client.recv_run().await;
    msgs.iter()
        .filter(|m| matches!(m, ServerMsg::Event { .. }))
        .count() as u64
}

/// Waits for `run_started` and returns the run's id.
async fn started(client: &mut Client) -> u64 {
    loop {
        if let ServerMsg::RunStarted { run_id, .. } = client.recv().await {
            return run_id;
        }
    }
}

#[tokio::test]
async fn metrics_count_runs_by_outcome_events_queue_and_connections() {
    // One core of one share: a second run waits in the queue.
    let addr = spawn_server_options(Options {
        capacity: Capacity {
            cores: 1,
            light_per_core: 1,
            ..Capacity::of_cores(1)
        },
        metrics: true,
        ..Options::new()
    })
    .await;
    let m = metrics(addr).await;
    assert_eq!(sample(&m, "looplab_runs_started_total"), 0.0);
    assert_eq!(sample(&m, "looplab_run_shares"), 1.0);

    // Two runs that complete.
    let mut a = Client::connect(addr).await;
    let mut events = events_of_a_run(&mut a, 0.01).await;
    events += events_of_a_run(&mut a, 0.01).await;

    // One under way, one waiting behind it: both seen as they are.
    let mut b = Client::connect(addr).await;
    b.send(&ClientMsg::Run {
        scenario: gather_at(1.0),
    })
    .await;
    let run_id = started(&mut b).await;
    let mut c = Client::connect(addr).await;
    c.send(&ClientMsg::Run {
        scenario: gather_at(0.01),
    })
    .await;
    let queued = loop {
        if let ServerMsg::Queued { run_id, .. } = c.recv().await {
            break run_id;
        }
    };
    let m = metrics(addr).await;
    assert_eq!(sample(&m, "looplab_runs_running"), 1.0, "{m}");
    assert_eq!(sample(&m, "looplab_run_shares_busy"), 1.0, "{m}");
    assert_eq!(sample(&m, "looplab_run_queue_length"), 1.0, "{m}");
    assert_eq!(sample(&m, "looplab_connections_open"), 3.0, "{m}");
    // The waiting run withdrawn (it never started), the running one stopped.
    c.send(&ClientMsg::Stop { run_id: queued }).await;
    c.recv_run().await;
    b.send(&ClientMsg::Stop { run_id }).await;
    events += b
        .recv_run()
        .await
        .iter()
        .filter(|m| matches!(m, ServerMsg::Event { .. }))
        .count() as u64;

    let m = metrics(addr).await;
    assert_eq!(sample(&m, "looplab_runs_started_total"), 3.0, "{m}");
    let ended = |outcome: &str| {
        sample(
            &m,
            &format!("looplab_runs_ended_total{{outcome=\"{outcome}\"}}"),
        )
    };
    assert_eq!(ended("completed"), 2.0, "{m}");
    assert_eq!(ended("stopped"), 1.0, "{m}");
    assert_eq!(sample(&m, "looplab_events_total"), events as f64, "{m}");
    assert!(events > 0);
    assert_eq!(sample(&m, "looplab_events_lost_total"), 0.0, "{m}");
    assert_eq!(sample(&m, "looplab_run_wall_seconds_count"), 3.0, "{m}");
    // Two runs of 20 ms and one stopped soon after it started: all three well within a
    // quarter of a second, under the wall-time limit's bucket.
    assert_eq!(
        sample(&m, "looplab_run_wall_seconds_bucket{le=\"0.25\"}"),
        3.0,
        "{m}"
    );
    assert_eq!(sample(&m, "looplab_runs_running"), 0.0, "{m}");
    assert_eq!(sample(&m, "looplab_run_queue_length"), 0.0, "{m}");

    // A client gone mid-run: its run is counted as ended, disconnected.
    let mut d = Client::connect(addr).await;
    d.send(&ClientMsg::Run {
        scenario: gather_at(1.0),
    })
    .await;
    started(&mut d).await;
    drop((a, b, c, d));
    let deadline = std::time::Instant::now() + DEADLINE;
    let m = loop {
        let m = metrics(addr).await;
        if sample(&m, "looplab_connections_open") == 0.0
            && sample(&m, "looplab_runs_running") == 0.0
        {
            break m;
        }
        assert!(std::time::Instant::now() < deadline, "{m}");
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    };
    assert_eq!(sample(&m, "looplab_runs_started_total"), 4.0, "{m}");
    assert_eq!(
        sample(&m, "looplab_runs_ended_total{outcome=\"disconnected\"}"),
        1.0,
        "{m}"
    );
    assert_eq!(sample(&m, "looplab_run_wall_seconds_count"), 4.0, "{m}");
    assert_eq!(sample(&m, "looplab_run_shares_busy"), 0.0, "{m}");
}
