//! The properties the fuzz targets check, beyond "does not panic".
//!
//! Each takes what a stranger could send and asserts what the server and the page rely on:
//! a refusal always names a field, and whatever is accepted stays within the limits and
//! survives a round trip unchanged (so what runs is exactly what was sent or shared).

use looplab_shared::limits::{
    MAX_EVENTS, MAX_INSTANCES, MAX_NOTE_BYTES, MAX_PROCESSES, MAX_SCENARIO_MS, MAX_THREADS,
};
use looplab_shared::model::Scenario;
use looplab_shared::plan::plan;
use looplab_shared::protocol::ClientMsg;
use looplab_shared::python;
use looplab_shared::share::{LinkError, decode, encode};
use looplab_shared::validate::{ValidationError, parse_client_msg, parse_scenario};

/// A refusal must say where and what, or the learner cannot fix it.
fn assert_explains(e: &ValidationError) {
    assert!(!e.field.is_empty(), "a refusal without a field: {e:?}");
    assert!(!e.message.is_empty(), "a refusal without a message: {e:?}");
}

/// An accepted scenario is within every limit the engine sizes itself by.
fn assert_within_limits(s: &Scenario) {
    // Validation plans the scenario, so planning it again cannot fail.
    let p = plan(s, 2).expect("a valid scenario has a plan");
    assert!(p.instances <= MAX_INSTANCES, "instances {}", p.instances);
    assert!(p.events <= MAX_EVENTS, "events {}", p.events);
    assert!(p.threads <= u64::from(MAX_THREADS), "threads {}", p.threads);
    assert!(
        p.processes <= u64::from(MAX_PROCESSES),
        "processes {}",
        p.processes
    );
    assert!(
        p.ideal_ms <= MAX_SCENARIO_MS as f64,
        "ideal {} ms",
        p.ideal_ms
    );
}

/// An accepted scenario is the Python it renders as: read back, that program is the same
/// scenario (with its pools in the order a program declares them).
fn assert_python_round_trip(s: &Scenario) {
    let program = python::render(s);
    match python::parse(&program, 2) {
        Ok(back) => assert_eq!(back, s.canonical(), "{program}"),
        Err(d) => panic!("a valid scenario's Python does not read back: {d:?}\n{program}"),
    }
}

/// Scenario JSON, as in a file given to `looplab run` or the page's JSON tab.
pub fn scenario(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match parse_scenario(text, 2) {
        Ok(s) => {
            assert_within_limits(&s);
            let again = serde_json::to_string(&s).expect("a scenario serialises");
            assert_eq!(parse_scenario(&again, 2).as_ref(), Ok(&s), "{again}");
            assert_python_round_trip(&s);
        }
        Err(e) => assert_explains(&e),
    }
}

/// A Python program, as pasted into the page or given to `looplab run`: read into a
/// scenario within the limits that reads back from its own rendering, or refused with
/// every problem at a line and column of the program.
pub fn python(data: &[u8]) {
    let Ok(source) = std::str::from_utf8(data) else {
        return;
    };
    match python::parse(source, 2) {
        Ok(s) => {
            assert_within_limits(&s);
            assert_python_round_trip(&s);
        }
        Err(diagnostics) => {
            assert!(!diagnostics.is_empty(), "refused without a reason");
            let lines = source.split('\n').count() as u32;
            for d in &diagnostics {
                assert!(!d.message.is_empty(), "{d:?}");
                assert!(d.line >= 1 && d.column >= 1, "{d:?}");
                assert!(d.line <= lines, "line {} of {lines}: {d:?}", d.line);
                assert!((d.end_line, d.end_column) >= (d.line, d.column), "{d:?}");
            }
        }
    }
}

/// A share link's fragment, as pasted into the address bar.
pub fn link(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match decode(text, 2) {
        Ok(shared) => {
            assert!(shared.note.len() <= MAX_NOTE_BYTES);
            assert_within_limits(&shared.scenario);
            assert_eq!(decode(&encode(&shared), 2).as_ref(), Ok(&shared));
        }
        Err(LinkError::Invalid(e)) => assert_explains(&e),
        Err(e) => assert!(!e.to_string().is_empty()),
    }
}

/// A WebSocket text frame from a client.
pub fn client_msg(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match parse_client_msg(text) {
        Ok(msg) => {
            let again = serde_json::to_string(&msg).expect("a message serialises");
            assert_eq!(parse_client_msg(&again).as_ref(), Ok(&msg), "{again}");
            if let ClientMsg::Run { scenario } = &msg {
                // The server validates a run's scenario before admitting it; that must hold
                // whatever the message parser let through.
                self::scenario(serde_json::to_string(scenario).unwrap().as_bytes());
            }
        }
        Err(e) => assert_explains(&e),
    }
}
