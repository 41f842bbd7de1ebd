//! The recorded-run format: the fixture (a real run of the gather lesson) reads, writes back
//! the same JSON and travels in a link; every way a file can be wrong is refused by name.

use looplab_shared::limits::{MAX_RECORDING_BYTES, MAX_RECORDING_LINK_CHARS};
use looplab_shared::record::{self, Recording, RecordingError, VERSION};
use serde_json::Value;

fn fixture_text() -> String {
    let path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/recordings/v1_gather.json");
    std::fs::read_to_string(path).unwrap()
}

fn fixture() -> Recording {
    record::from_file(&fixture_text()).unwrap()
}

#[test]
fn the_fixture_reads_and_writes_back_the_same_json() {
    let recording = fixture();
    assert_eq!(recording.version, VERSION);
    assert_eq!(recording.cores(), 2);
    assert_eq!(recording.scenario.name, "gather");
    let again: Value = serde_json::from_str(&recording.to_json()).unwrap();
    let original: Value = serde_json::from_str(&fixture_text()).unwrap();
    assert_eq!(again, original, "the format changed: a new version is due");
}

#[test]
fn a_small_run_travels_in_a_link() {
    let recording = fixture();
    let link = recording.to_link().expect("the gather run fits in a link");
    assert!(record::is_link(&format!("#{link}")));
    assert!(!record::is_link("#v2.abc"));
    assert_eq!(
        record::from_link(&format!("#{link}")),
        Ok(recording.clone())
    );
    // A run too long for a link is offered as a file only.
    let mut long = recording.clone();
    let event = long.messages[1].clone();
    let end = long.messages.pop().unwrap();
    for i in 0..5_000 {
        let mut e = serde_json::to_value(&event).unwrap();
        e["seq"] = (1_000 + i).into();
        e["t_ns"] = (i * 7919 % 100_003).into();
        long.messages.push(serde_json::from_value(e).unwrap());
    }
    let mut end = serde_json::to_value(&end).unwrap();
    end["seq"] = 9_000.into();
    long.messages.push(serde_json::from_value(end).unwrap());
    assert_eq!(record::from_file(&long.to_json()).map(|_| ()), Ok(()));
    assert_eq!(long.to_link(), None);
    let too_long = format!("{}{}", record::R1, "A".repeat(MAX_RECORDING_LINK_CHARS));
    assert_eq!(
        record::from_link(&too_long),
        Err(RecordingError::LinkTooLong(too_long.len()))
    );
    assert!(record::from_link("r1.not*base64").is_err());
}

fn refusal(text: &str) -> String {
    match record::from_file(text) {
        Ok(_) => panic!("opened: {text:.80}"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn bad_files_say_what_is_wrong_and_the_limit() {
    let text = fixture_text();
    let said = refusal("hello, class");
    assert!(
        said.contains("not JSON") && said.contains("line 1, column 1"),
        "{said}"
    );
    let said = refusal(&text[..text.len() / 2]);
    assert!(said.contains("cut short"), "{said}");
    let said = refusal(r#"{"name": "a scenario, not a run"}"#);
    assert!(said.contains("no `version` field"), "{said}");
    let said = refusal(&text.replacen("\"version\": 1", "\"version\": 7", 1));
    assert!(
        said.contains("version 7") && said.contains("reads version 1"),
        "{said}"
    );
    let said = refusal(&text.replacen("\"version\": 1", "\"version\": \"one\"", 1));
    assert!(said.contains("version"), "{said}");
    let big = format!("{text}{}", " ".repeat(MAX_RECORDING_BYTES));
    let said = refusal(&big);
    assert!(
        said.contains("MAX_RECORDING_BYTES") && said.contains(&MAX_RECORDING_BYTES.to_string()),
        "{said}"
    );

    let mut value: Value = serde_json::from_str(&text).unwrap();
    value["scenario"]["time_scale"] = 1e9.into();
    let said = refusal(&value.to_string());
    assert!(said.contains("scenario.time_scale"), "{said}");

    let mut value: Value = serde_json::from_str(&text).unwrap();
    value["messages"][3]["t_ns"] = "soon".into();
    let said = refusal(&value.to_string());
    assert!(
        said.contains("messages[3]") && said.contains("\"soon\""),
        "{said}"
    );
    let mut value: Value = serde_json::from_str(&text).unwrap();
    value["scenario"]["tasks"] = "many".into();
    let said = refusal(&value.to_string());
    assert!(said.contains("scenario.tasks"), "{said}");
    let mut value: Value = serde_json::from_str(&text).unwrap();
    value["by"] = "a teacher".into();
    let said = refusal(&serde_json::to_string_pretty(&value).unwrap());
    assert!(said.contains("line ") && said.contains("`by`"), "{said}");

    // Messages out of their order: a run that never ended, one whose start is missing.
    let mut value: Value = serde_json::from_str(&text).unwrap();
    value["messages"].as_array_mut().unwrap().pop();
    let said = refusal(&value.to_string());
    assert!(said.contains("only a finished run is recorded"), "{said}");
    let mut value: Value = serde_json::from_str(&text).unwrap();
    value["messages"].as_array_mut().unwrap().remove(0);
    let said = refusal(&value.to_string());
    assert!(
        said.contains("messages[0]") && said.contains("run_started"),
        "{said}"
    );
    let mut value: Value = serde_json::from_str(&text).unwrap();
    value["messages"][2]["seq"] = 1.into();
    let said = refusal(&value.to_string());
    assert!(
        said.contains("messages[2]") && said.contains("out of order"),
        "{said}"
    );
}
