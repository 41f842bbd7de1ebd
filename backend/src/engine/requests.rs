//! The request source of the responsive-server lessons: requests arrive on schedule whether
//! or not the loop is free, and each one's latency runs from its arrival to its answer.

use std::sync::Arc;
use std::time::Duration;

use futures_util::future::join_all;
use looplab_shared::model::Requests;
use looplab_shared::protocol::{EventKind, Lane, SubjectKind};

use super::runner::Run;

/// Sends `spec.count` requests, `spec.every_ms` apart, and waits for every answer.
pub(super) async fn serve(run: Arc<Run>, spec: Requests) {
    let start = tokio::time::Instant::now();
    let start_ns = run.env.rec.now_ns();
    let every = Duration::from_secs_f64(spec.every_ms as f64 * run.env.scale / 1000.0);
    let steps = run
        .scenario
        .task(&spec.handler)
        .map(|t| Arc::new(t.steps.clone()))
        .unwrap_or_default();
    let mut answers = Vec::with_capacity(spec.count as usize);
    for n in 0..spec.count {
        let offset = every * n;
        tokio::time::sleep_until(start + offset).await;
        // The request reached the socket at its scheduled time, even if the loop notices it
        // only now: its latency counts from then.
        let arrival = start_ns + offset.as_nanos() as u64;
        let id = run.env.next_id();
        let name = format!("request {}", n + 1);
        run.env.rec.record(
            id,
            Lane::Loop,
            EventKind::Created {
                name,
                what: SubjectKind::Request,
                parent: 0,
            },
        );
        answers.push(run.spawn_body(id, Arc::clone(&steps), Some(arrival)));
    }
    join_all(answers).await;
}
