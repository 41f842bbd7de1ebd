//! The program as CPython runs it: the module's own code on the main thread, an event loop
//! for each `asyncio.run` (and for the web app, as uvicorn would run one), then exit.

use std::future::Future;
use std::sync::Arc;

use looplab_shared::limits::{HEARTBEAT_MS, LAG_REPORT_MS};
use looplab_shared::model::LoopFlavor;
use looplab_shared::protocol::{BlockReason, EventKind, Lane, Outcome, SubjectKind};

use looplab_shared::python::value::Value;

use super::agents::Wait;
use super::exc::Exc;
use super::exec::{Cx, Mode, blocking};
use super::interp::{Frame, Interp};
use super::server::serve;

/// Runs the whole program and exits it; how it ended.
pub(crate) fn run(interp: &Arc<Interp>) -> Outcome {
    let rec = &interp.env.rec;
    rec.record(
        0,
        Lane::Loop,
        EventKind::Created {
            name: "<module>".into(),
            what: SubjectKind::Main,
            parent: 0,
        },
    );
    rec.record(0, Lane::Loop, EventKind::Started);
    let mut result = module(interp);
    if let (Ok(()), Some(server)) = (&result, &interp.s.server) {
        let server = server.clone();
        result = on_a_loop(interp, |run| async move {
            serve(run, server).await;
            Ok(())
        })
        .map_err(|e| e.to_string());
    }
    exit(interp);
    match result {
        Ok(()) => {
            rec.record(0, Lane::Loop, EventKind::Finished);
            Outcome::Completed
        }
        Err(reason) => {
            rec.record(
                0,
                Lane::Loop,
                EventKind::Failed {
                    reason: reason.clone(),
                },
            );
            Outcome::Failed { reason }
        }
    }
}

/// The module's own code, step by step on the main thread.
fn module(interp: &Arc<Interp>) -> Result<(), String> {
    let cx = Cx {
        ctx: interp.env.ctx(0, Lane::Loop, None),
        mode: Mode::Module(interp),
    };
    blocking(cx.body(&mut Frame::default(), &interp.s.main))
        .map(drop)
        .map_err(|e| e.to_string())
}

/// `asyncio.run(task(args))`: a loop on this thread runs the coroutine to its end.
pub(crate) fn asyncio_run(interp: &Arc<Interp>, task: &str, args: Vec<Value>) -> Result<(), Exc> {
    let task = task.to_owned();
    on_a_loop(interp, |run| async move {
        let root = run.spawn_task(&task, args, 0, None);
        run.env.agents.wait(0, Wait::Subjects(vec![root.subject]));
        let result = root.await.map(drop);
        // As its coroutine returns, `asyncio.run` cancels the tasks still pending and lets
        // them end: their `except` and `finally` blocks run.
        let pending: Vec<_> = run
            .take_tasks()
            .into_iter()
            .filter(|(done, _)| done.peek().is_none())
            .collect();
        for (_, cancel) in &pending {
            cancel.request();
        }
        futures_util::future::join_all(pending.into_iter().map(|(done, _)| done)).await;
        result
    })
}

/// Runs `make`'s future on a new event loop on this thread, as `asyncio.run` does: then the
/// tasks still pending are cancelled and the loop's default executor shut down.
fn on_a_loop<F, Fut>(interp: &Arc<Interp>, make: F) -> Result<(), Exc>
where
    F: FnOnce(Arc<Interp>) -> Fut,
    Fut: Future<Output = Result<(), Exc>>,
{
    let runtime = match interp.s.options.loop_flavor {
        LoopFlavor::SingleThread => tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .build(),
        LoopFlavor::MultiThread { workers } => tokio::runtime::Builder::new_multi_thread()
            .worker_threads(workers as usize)
            .thread_name("looplab-loop")
            .enable_time()
            .build(),
    }
    .map_err(|e| Exc::error(format!("could not start the event loop: {e}")))?;
    let run = Arc::clone(interp);
    let rec = &interp.env.rec;
    // The module's code waits in the loop; the loop's tasks show what runs.
    let waiting = EventKind::Blocked {
        on: BlockReason::Loop,
        ms: 0.0,
        resource: None,
    };
    rec.record(0, Lane::Loop, waiting);
    let result = runtime.block_on(async move {
        let beat = tokio::spawn(heartbeat(Arc::clone(&run)));
        let result = make(run).await;
        beat.abort();
        result
    });
    interp.env.agents.go(0);
    rec.record(0, Lane::Loop, EventKind::Unblocked);
    // Dropping the loop drops every pending task; their guards record `cancelled`.
    drop(runtime);
    if let Some(pool) = interp.take_default_pool() {
        interp.blocked(0, Lane::Loop, pool.busy(), &[], || pool.shutdown());
    }
    result
}

/// The end of the module, as CPython's exit goes: `threading._shutdown` lets the pools finish
/// their work and joins the non-daemon threads, daemon threads running on meanwhile; then
/// `multiprocessing` terminates the daemon processes and joins the others; last, daemon
/// threads still running are abandoned.
fn exit(interp: &Interp) {
    let joins = interp.started.exit_joins();
    let waits = interp.module_pools.iter().any(|p| p.busy()) || !joins.is_empty();
    interp.blocked(0, Lane::Loop, waits, &joins, || {
        for pool in &interp.module_pools {
            pool.shutdown();
        }
        interp.started.join_threads();
        interp.started.end_processes(&interp.env);
    });
    interp.started.abandon_daemon_threads(&interp.env);
}

/// Measures how late the loop wakes a timer, every heartbeat.
async fn heartbeat(run: Arc<Interp>) {
    let period = std::time::Duration::from_millis(HEARTBEAT_MS);
    let rec = &run.env.rec;
    loop {
        let before = rec.now_ns();
        tokio::time::sleep(period).await;
        let late = rec
            .now_ns()
            .saturating_sub(before)
            .saturating_sub(period.as_nanos() as u64);
        if late >= LAG_REPORT_MS * 1_000_000 {
            rec.record(0, Lane::Loop, EventKind::LoopLag { lag_ns: late });
        }
    }
}
