//! The ideal schedule beside the measured run: for the programs that raise, cancel and
//! time out, the plan's figure is the time the run really takes, within the comparison's
//! tolerance (a plan that ran `slow()` to its end beside a failing sibling would be 0.8 s
//! out).

use looplab_shared::plan::plan;
use looplab_shared::python::parse;

use crate::{ONE_AT_A_TIME, compare, looplab, oracle};

#[test]
fn the_ideal_schedule_of_a_program_that_raises_is_its_measured_time() {
    let mut failures = Vec::new();
    for name in [
        "taskgroup_failure",
        "uncaught_taskgroup",
        "uncaught_in_gather",
        "cancel_cleanup",
        "timeouts",
    ] {
        let file = oracle::root().join(format!("tests/python/{name}.py"));
        let source = std::fs::read_to_string(&file).unwrap();
        let s = parse(&source, 2).unwrap_or_else(|d| panic!("{name}: {d:?}"));
        let ideal_s = plan(&s, 2).unwrap().ideal_ms / 1e3;
        let _turn = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
        let measured = looplab::run(&file);
        println!(
            "{name}: ideal {ideal_s:.3} s, measured {:.3} s",
            measured.wall_s
        );
        if let Err(e) = compare::wall(ideal_s, measured.wall_s) {
            failures.push(format!("{name}: {e}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
