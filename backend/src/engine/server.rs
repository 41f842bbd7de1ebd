//! The web app of a scenario, served as uvicorn would serve it: requests arrive on schedule
//! whether or not the loop is free, each is answered by its route's handler in a task of its
//! own, and its latency runs from its arrival to its answer.

use std::sync::Arc;
use std::time::Duration;

use futures_util::future::join_all;
use looplab_shared::model::Server;

use super::agents::Wait;
use super::interp::Interp;

/// Sends every request of `server`'s traffic and waits for every answer.
pub(crate) async fn serve(run: Arc<Interp>, server: Server) {
    let scale = run.env.scale;
    let mut arrivals = Vec::new();
    for t in &server.traffic {
        for k in 0..t.count {
            let ms = t.at_ms as f64 + t.every_ms as f64 * f64::from(k);
            arrivals.push((Duration::from_secs_f64(ms * scale / 1000.0), &t.path, k + 1));
        }
    }
    arrivals.sort_by_key(|(at, _, _)| *at);
    let start = tokio::time::Instant::now();
    let start_ns = run.env.rec.now_ns();
    let mut answers = Vec::with_capacity(arrivals.len());
    for (offset, path, n) in arrivals {
        tokio::time::sleep_until(start + offset).await;
        // The request reached the socket at its scheduled time, even if the loop notices it
        // only now: its latency counts from then.
        let arrival = start_ns + offset.as_nanos() as u64;
        let Some(route) = server.routes.iter().find(|r| &r.path == path) else {
            continue;
        };
        let name = format!("GET {path} #{n}");
        answers.push(run.spawn_task(&route.handler, vec![], 0, Some((name, arrival))));
    }
    // Every request has arrived: the app waits for their answers.
    let requests = answers.iter().map(|a| a.subject).collect();
    run.env.agents.wait(0, Wait::Subjects(requests));
    join_all(answers).await;
}
