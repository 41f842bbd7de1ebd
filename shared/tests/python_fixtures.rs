//! The fixtures agree with the Python they stand for: the `parse` fixture's program reads as
//! the `parsed` fixture's scenario, and the `run` fixture, which uses every step, reads back
//! from its own Python.
#![cfg(feature = "parse")]

use std::path::Path;

use looplab_shared::protocol::{ClientMsg, ServerMsg};
use looplab_shared::python::{parse, render};

fn fixture<T: serde::de::DeserializeOwned>(name: &str) -> T {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name);
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

#[test]
fn the_parse_fixture_reads_as_the_parsed_fixture() {
    let ClientMsg::Parse { source, .. } = fixture("client_parse.json") else {
        panic!("not a parse")
    };
    let ServerMsg::Parsed { scenario, .. } = fixture("server_parsed.json") else {
        panic!("not a parsed")
    };
    let scenario = scenario.map(|json| serde_json::from_str(&json).unwrap());
    assert_eq!(parse(&source, 2).ok(), scenario);
}

#[test]
fn the_run_fixture_reads_back_from_its_python() {
    let ClientMsg::Run { scenario } = fixture("client_run.json") else {
        panic!("not a run")
    };
    looplab_shared::validate::validate(&scenario, 2).unwrap();
    let program = render(&scenario);
    assert_eq!(parse(&program, 2), Ok(scenario), "{program}");
}
