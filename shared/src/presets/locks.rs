//! The lessons of locks: contention on one lock, and two locks taken in opposite orders.

use super::scenarios::{def, def1, gather, print, run_main, scenario, sleep};
use crate::model::{Call, Expr, Resource, ResourceKind, Scenario, Step};

fn lock(name: &str) -> Resource {
    Resource {
        name: name.into(),
        kind: ResourceKind::Lock,
    }
}

fn hold(resource: &str, body: Vec<Step>) -> Step {
    Step::Hold {
        resource: resource.into(),
        body,
    }
}

fn call(task: &str, args: Vec<Expr>) -> Call {
    Call::Task {
        task: task.into(),
        args,
        times: 1,
    }
}

/// Three writers, one lock held across an await: they write one after another.
pub(super) fn lock_contention() -> Scenario {
    let save = def1(
        "save",
        "n",
        vec![
            print("save {n} waits for the lock"),
            hold("db", vec![print("save {n} writes"), sleep(500)]),
        ],
    );
    let s = Scenario {
        resources: vec![lock("db")],
        tasks: vec![save],
        ..scenario("lock-contention")
    };
    let calls = (1..=3).map(|n| call("save", vec![Expr::Int(n)])).collect();
    run_main(s, vec![gather(calls), print("3 writes, one at a time")])
}

/// `transfer` takes `accounts` then `ledger`; `audit` takes them the other way round, or,
/// `fixed`, in the same order.
pub(super) fn lock_order(fixed: bool) -> Scenario {
    let both = |task: &str, first: &str, second: &str| {
        def(
            task,
            vec![hold(
                first,
                vec![
                    print(&format!("{task} holds {first}")),
                    sleep(100),
                    hold(second, vec![print(&format!("{task} holds both"))]),
                ],
            )],
        )
    };
    let transfer = both("transfer", "accounts", "ledger");
    let audit = match fixed {
        true => both("audit", "accounts", "ledger"),
        false => both("audit", "ledger", "accounts"),
    };
    let s = Scenario {
        resources: vec![lock("accounts"), lock("ledger")],
        tasks: vec![transfer, audit],
        ..scenario(if fixed {
            "lock-order-fixed"
        } else {
            "lock-order-deadlock"
        })
    };
    let calls = vec![call("transfer", vec![]), call("audit", vec![])];
    run_main(s, vec![gather(calls), print("both done")])
}
