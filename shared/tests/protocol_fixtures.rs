//! Every fixture in `fixtures/` parses as its message type and serialises back to the same
//! JSON, so a change to the wire format changes a fixture and shows up in review.

use std::path::Path;

use looplab_shared::protocol::{ClientMsg, ServerMsg, server_messages};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

fn round_trip<T: DeserializeOwned + Serialize>(path: &Path) {
    let text = std::fs::read_to_string(path).unwrap();
    let msg: T = serde_json::from_str(&text)
        .unwrap_or_else(|e| panic!("{} does not parse: {e}", path.display()));
    let again = serde_json::to_value(&msg).unwrap();
    let original: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(again, original, "{} does not round-trip", path.display());
}

#[test]
fn fixtures_round_trip() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut seen = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if name.starts_with("client_") {
            round_trip::<ClientMsg>(&path);
        } else if name.starts_with("server_") {
            round_trip::<ServerMsg>(&path);
        } else {
            panic!("{name}: fixtures are named client_* or server_*");
        }
        seen += 1;
    }
    assert!(seen >= 9, "only {seen} fixtures found in {}", dir.display());
}

#[test]
fn client_messages_refuse_unknown_fields() {
    let err = serde_json::from_str::<ClientMsg>(r#"{"type":"stop","run_id":1,"force":true}"#)
        .unwrap_err();
    assert!(err.to_string().contains("unknown field `force`"), "{err}");
}

#[test]
fn a_server_frame_holds_messages_one_a_line() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let read = |name: &str| -> ServerMsg {
        serde_json::from_str(&std::fs::read_to_string(dir.join(name)).unwrap()).unwrap()
    };
    let msgs = [
        read("server_run_started.json"),
        read("server_event_print.json"),
        read("server_run_ended.json"),
    ];
    // As the server writes a frame: compact JSON, a newline between messages.
    let frame = msgs
        .iter()
        .map(|m| serde_json::to_string(m).unwrap())
        .collect::<Vec<_>>()
        .join("\n");
    let read_back: Vec<ServerMsg> = server_messages(&frame).map(Result::unwrap).collect();
    assert_eq!(read_back, msgs);
    // One message alone is a frame too, and a stray trailing newline changes nothing.
    let one = format!("{}\n", serde_json::to_string(&msgs[1]).unwrap());
    assert_eq!(server_messages(&one).count(), 1);
    assert!(
        server_messages("{\"type\":\"nope\"}")
            .next()
            .unwrap()
            .is_err()
    );
}

#[test]
fn a_repeat_is_held_to_max_repeats_by_its_field() {
    use looplab_shared::limits::MAX_REPEATS;
    use looplab_shared::repeat::check_times;
    assert!(check_times(1).is_ok() && check_times(MAX_REPEATS).is_ok());
    for times in [0, MAX_REPEATS + 1] {
        let e = check_times(times).unwrap_err();
        assert_eq!(e.field, "times");
        assert!(e.message.contains("MAX_REPEATS"), "{}", e.message);
        assert!(
            e.message.contains(&MAX_REPEATS.to_string()),
            "{}",
            e.message
        );
    }
    // A repeat's scenario that does not read is refused at its field, as a run's is.
    let bad = r#"{"type":"repeat","times":3,"scenario":{"name":"x","tasks":[{"name":"t","steps":[{"type":"sleep","ms":"soon"}]}],"main":[]}}"#;
    let e = looplab_shared::validate::parse_client_msg(bad).unwrap_err();
    assert!(e.field.starts_with("scenario.tasks[0]"), "{}", e.field);
}
