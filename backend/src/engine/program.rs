//! The program as CPython runs it: the module's own code on the main thread, an event loop
//! for each `asyncio.run` (and for the web app, as uvicorn would run one), then exit.

use std::future::Future;
use std::sync::Arc;

use looplab_shared::limits::{HEARTBEAT_MS, LAG_REPORT_MS};
use looplab_shared::model::{LoopFlavor, Step};
use looplab_shared::protocol::{BlockReason, EventKind, Lane, Outcome, SubjectKind};

use looplab_shared::python::value::Value;

use super::interp::{Binding, Frame, Interp};
use super::server::serve;
use super::sync::Ctx;

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
        });
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
    let env = Arc::clone(&interp.env);
    let ctx = env.ctx(0, Lane::Loop, None);
    module_steps(interp, &ctx, &interp.s.main)
}

fn module_steps(interp: &Arc<Interp>, ctx: &Ctx<'_>, steps: &[Step]) -> Result<(), String> {
    let here = Frame::default();
    for step in steps {
        let lookup = |name: &str| interp.value(&here, name);
        match step {
            Step::Print { text } => ctx.print(text, &lookup)?,
            Step::BlockingSleep { ms } => ctx.blocking_sleep(*ms),
            Step::Cpu { ms } => ctx.cpu(*ms),
            Step::ParCpu { .. } => {
                ctx.plain_step(step, &mut Default::default(), &lookup)?;
            }
            Step::Assign { name, value } => {
                let v = ctx.eval(value, &lookup)?;
                global(interp, name, Binding::Value(v));
            }
            Step::Start(start) => {
                let unit = interp.start(&here, start, 0)?;
                if let Some(name) = &start.into {
                    global(interp, name, Binding::Unit(unit));
                }
            }
            Step::Join { name } => interp.join(&here, name, 0, Lane::Loop)?,
            Step::Run { task, args } => {
                let args = interp.eval_args(&here, args)?;
                let task = task.clone();
                on_a_loop(interp, |run| async move {
                    run.spawn_task(&task, args, 0, None)
                        .await
                        .unwrap_or_else(|e| Err(format!("a task panicked: {e}")))
                        .map(drop)
                })?;
            }
            Step::For { var, times, body } => {
                for k in 0..*times {
                    global(interp, var, Binding::Value(Value::Int(k.into())));
                    module_steps(interp, ctx, body)?;
                }
            }
            Step::Hold { resource, body } => {
                let _held = ctx.acquire(&interp.env.locks.get(resource));
                module_steps(interp, ctx, body)?;
            }
            Step::Sleep { .. }
            | Step::Return { .. }
            | Step::Spawn { .. }
            | Step::Submit { .. }
            | Step::Await { .. }
            | Step::Gather { .. }
            | Step::With { .. }
            | Step::Use { .. } => {
                return Err(format!(
                    "`{}` cannot run in module-level code",
                    step.kind().label()
                ));
            }
        }
    }
    Ok(())
}

fn global(interp: &Interp, name: &str, binding: Binding) {
    interp
        .globals
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .0
        .insert(name.to_owned(), binding);
}

/// Runs `make`'s future on a new event loop on this thread, as `asyncio.run` does: then the
/// tasks still pending are cancelled and the loop's default executor shut down.
fn on_a_loop<F, Fut>(interp: &Arc<Interp>, make: F) -> Result<(), String>
where
    F: FnOnce(Arc<Interp>) -> Fut,
    Fut: Future<Output = Result<(), String>>,
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
    .map_err(|e| format!("could not start the event loop: {e}"))?;
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
    rec.record(0, Lane::Loop, EventKind::Unblocked);
    // Dropping the loop drops every pending task; their guards record `cancelled`.
    drop(runtime);
    if let Some(pool) = interp.take_default_pool() {
        interp.blocked(0, Lane::Loop, pool.busy(), || pool.shutdown());
    }
    result
}

/// The end of the module, as CPython's exit goes: `threading._shutdown` lets the pools finish
/// their work and joins the non-daemon threads, daemon threads running on meanwhile; then
/// `multiprocessing` terminates the daemon processes and joins the others; last, daemon
/// threads still running are abandoned.
fn exit(interp: &Interp) {
    let waits = interp.module_pools.iter().any(|p| p.busy()) || interp.started.exit_waits();
    interp.blocked(0, Lane::Loop, waits, || {
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
