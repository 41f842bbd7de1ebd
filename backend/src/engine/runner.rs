//! `looplab __runner EPOCH`: one run in a process of its own.
//!
//! The scenario arrives as the first line of stdin. The process leads its own process group,
//! so the server can kill the whole run at once; it dies with the server (PDEATHSIG) and
//! kills its group when its stdin closes. Its main thread runs the program
//! ([`program`](super::program)); its other threads are pool workers, started threads, the
//! loop's workers and the rayon pool; its children are process-pool workers and started
//! processes. When the run ends it writes its `End` line and then kills its whole group,
//! itself included: nothing of a run survives it.

use std::io::BufRead;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use looplab_shared::protocol::Outcome;
use looplab_shared::validate::parse_scenario;

use super::env::Env;
use super::interp::Interp;
use super::pipe::{RunnerIn, RunnerOut};
use super::process::die_with_parent;
use super::recorder::{Envelope, Recorder};

/// Runs the runner process; never returns normally.
pub fn runner_main(epoch: u64) {
    die_with_parent();
    let rec = Recorder::to_stdout(epoch, Envelope::Runner);
    let mut first = String::new();
    // The lock is released at once: the watcher thread reads the rest of stdin.
    let _ = std::io::stdin().lock().read_line(&mut first);
    let cores = super::cores();
    let scenario = match parse_scenario(first.trim(), cores) {
        Ok(s) => s,
        Err(e) => {
            return end(
                &rec,
                Outcome::Failed {
                    reason: format!("the runner was given a bad scenario: {e}"),
                },
            );
        }
    };
    let env = Arc::new(Env::new(rec.clone(), &scenario));
    let interp = Arc::new(Interp::new(scenario, env, cores));
    let watched = Arc::clone(&interp);
    let watcher = std::thread::Builder::new()
        .name("looplab-stdin".into())
        .spawn(move || watch_stdin(&watched));
    if watcher.is_err() {
        return end(
            &rec,
            Outcome::Failed {
                reason: "could not watch the server's pipe".into(),
            },
        );
    }
    // Main exists, and can move, until the run ends.
    interp.env.agents.add(0);
    watch_agents(&interp);
    let outcome = super::program::run(&interp);
    end(&rec, outcome);
}

/// Ends the run as deadlocked as soon as nothing of it can move. Without the watcher's thread
/// a deadlock ends at the wall-time limit, as before.
fn watch_agents(interp: &Arc<Interp>) {
    let watched = Arc::clone(interp);
    let _ = std::thread::Builder::new()
        .name("looplab-deadlock".into())
        .spawn(move || {
            let resources = &watched.resources;
            let stuck = (watched.env.agents).watch(&|r, signal| resources.shows(r, signal));
            cut_short(&watched, Outcome::Deadlocked { stuck });
        });
}

/// Ends the run where it stands: everything started is killed, every subject still open
/// ended, and the end written.
fn cut_short(interp: &Interp, outcome: Outcome) {
    // Claimed before anything is killed: the program, seeing its threads end, must not end
    // the run as completed in the meantime.
    claim_end();
    interp.started.kill_all(&interp.env);
    interp.env.rec.end_open();
    write_end(&interp.env.rec, outcome);
}

/// Whichever of the program, a stop and the deadlock detector gets here first ends the run;
/// the others wait to be killed with it.
fn claim_end() {
    static ENDING: AtomicBool = AtomicBool::new(false);
    if ENDING.swap(true, Ordering::AcqRel) {
        loop {
            std::thread::park();
        }
    }
}

/// Ends the run as the program ended it.
fn end(rec: &Recorder, outcome: Outcome) {
    claim_end();
    write_end(rec, outcome);
}

/// Writes the end, then ends every process of the run, this one included.
fn write_end(rec: &Recorder, outcome: Outcome) -> ! {
    rec.finish(Some(&RunnerOut::End {
        outcome,
        lost: rec.lost(),
    }));
    kill_own_group();
    std::process::exit(0);
}

/// Kills this process's group if this process leads it (the server starts runners that
/// way); a runner started by hand leaves its caller's group alone.
fn kill_own_group() {
    // SAFETY: getpgrp, getpid and killpg have no memory-safety preconditions.
    unsafe {
        if libc::getpgrp() == libc::getpid() as libc::pid_t {
            libc::killpg(libc::getpgrp(), libc::SIGKILL);
        }
    }
}

/// Reads the server's requests: a stop (or a limit) cuts the run short wherever it stands.
fn watch_stdin(interp: &Interp) {
    for line in std::io::stdin().lock().lines() {
        let Ok(line) = line else { break };
        if let Ok(msg) = serde_json::from_str::<RunnerIn>(&line) {
            cut_short(interp, msg.outcome());
        }
    }
    // The server is gone: so is the run.
    kill_own_group();
    std::process::exit(1);
}
