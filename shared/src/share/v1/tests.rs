//! Links made by the first version, with the JSON it wrote, open as the same lessons.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

use crate::model::{Call, Expr, Step};
use crate::share::{V1, decode};

/// A v1 link, as v1 made it, around `json`.
fn v1_link(json: &str) -> String {
    let packed = miniz_oxide::deflate::compress_to_vec(json.as_bytes(), 9);
    format!("{V1}{}", URL_SAFE_NO_PAD.encode(packed))
}

#[test]
fn a_v1_gather_link_opens_as_the_gather_lesson() {
    let json = r#"{"scenario":{"name":"gather","time_scale":0.5,"options":{"loop_flavor":{"type":"single_thread"},"gil":false},"pools":[],"functions":[],"tasks":[{"name":"task1","steps":[{"type":"print","text":"Task 1 started"},{"type":"sleep","ms":2000},{"type":"print","text":"Task 1 finished"}]},{"name":"task2","steps":[{"type":"print","text":"Task 2 started"},{"type":"sleep","ms":1000},{"type":"print","text":"Task 2 finished"}]}],"main":[{"type":"gather","calls":[{"type":"task","task":"task1"},{"type":"task","task":"task2"}]}]},"note":"Watch both lanes.","run_on_open":true}"#;
    let shared = decode(&v1_link(json), 2).unwrap();
    let mut want = crate::presets::find("gather").unwrap().scenario();
    want.time_scale = 0.5;
    assert_eq!(shared.scenario, want, "the v1 gather is today's gather");
    assert_eq!(shared.note, "Watch both lanes.");
    assert!(shared.run_on_open);
}

#[test]
fn v1_args_become_parameters_and_sleeps_in_functions_time_sleep() {
    let json = r#"{"scenario":{"name":"thread-pool","time_scale":1.0,"options":{"loop_flavor":{"type":"single_thread"},"gil":false},"pools":[{"name":"pool","kind":"thread","max_workers":4}],"functions":[{"name":"blocking_task","steps":[{"type":"print","text":"{arg} started {x}"},{"type":"sleep","ms":3000}]}],"tasks":[],"main":[{"type":"gather","calls":[{"type":"executor","pool":"pool","function":"blocking_task","arg":"Thread-1"}]},{"type":"start_thread","function":"blocking_task","daemon":true,"arg":"T"}]}}"#;
    let s = decode(&v1_link(json), 2).unwrap().scenario;
    let f = s.function("blocking_task").unwrap();
    assert_eq!(f.params, ["arg"]);
    assert_eq!(
        f.steps[0],
        Step::Print {
            text: "{arg} started {{x}}".into()
        }
    );
    assert_eq!(f.steps[1], Step::BlockingSleep { ms: 3000 });
    assert!(
        s.options.gil,
        "v1's default of no GIL is CPython's GIL today"
    );
    let main = s.task("main").unwrap();
    let Step::Gather { calls, .. } = &main.steps[0] else {
        panic!("{main:?}")
    };
    assert!(matches!(&calls[0], Call::Executor { args, .. } if args == &[Expr::str("Thread-1")]));
    let Step::Start(start) = &main.steps[1] else {
        panic!("{main:?}")
    };
    assert!(start.daemon);
    assert_eq!(start.args, [Expr::str("T")]);
}

#[test]
fn a_v1_request_source_still_runs_beside_main() {
    let json = r#"{"scenario":{"name":"my server","time_scale":1.0,"options":{"loop_flavor":{"type":"single_thread"},"gil":true},"pools":[],"functions":[],"tasks":[{"name":"handle request","steps":[{"type":"sleep","ms":2}]}],"main":[{"type":"sleep","ms":100},{"type":"print","text":"done"}],"requests":{"handler":"handle request","every_ms":100,"count":5}}}"#;
    let s = decode(&v1_link(json), 2).unwrap().scenario;
    assert!(s.main.is_empty());
    let server = s.server.as_ref().unwrap();
    assert_eq!(
        server.routes[0].handler, "handle_request",
        "made a Python name"
    );
    assert_eq!(server.routes[1].handler, "main");
    assert_eq!(server.traffic[1].count, 5);
    assert_eq!(server.traffic[1].every_ms, 100);
}

#[test]
fn a_v1_gil_off_lesson_keeps_the_gil_off() {
    let json = r#"{"scenario":{"name":"gil-off","options":{"gil":false},"pools":[{"name":"pool","kind":"thread","max_workers":2}],"functions":[{"name":"job","steps":[{"type":"cpu","ms":1000}]}],"main":[{"type":"gather","calls":[{"type":"executor","pool":"pool","function":"job","arg":"A"}]}]}}"#;
    let s = decode(&v1_link(json), 2).unwrap().scenario;
    assert!(!s.options.gil);
}
