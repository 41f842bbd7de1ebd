//! The lessons of asyncio's toolkit: a semaphore, a bounded queue, timeouts and
//! cancellation.

use super::scenarios::{def, def1, gather, print, run_main, scenario, sleep};
use crate::model::{Call, ExcClass, Expr, Handler, Op, Resource, ResourceKind, Scenario, Step};

fn use_queue(op: Op) -> Step {
    Step::Use {
        resource: "queue".into(),
        op,
    }
}

/// Six fetches, at most two at a time.
pub(super) fn semaphore_scraper() -> Scenario {
    let fetch = def1(
        "fetch",
        "page",
        vec![Step::Hold {
            resource: "limit".into(),
            body: vec![print("fetching {page}"), sleep(500)],
        }],
    );
    let s = Scenario {
        resources: vec![Resource {
            name: "limit".into(),
            kind: ResourceKind::Semaphore { value: 2 },
        }],
        tasks: vec![fetch],
        ..scenario("semaphore-scraper")
    };
    let calls = (0..6)
        .map(|page| Call::Task {
            task: "fetch".into(),
            args: vec![Expr::Int(page)],
            times: 1,
        })
        .collect();
    run_main(s, vec![gather(calls), print("6 pages fetched")])
}

/// A fast producer, a slow consumer, a queue of two between them.
pub(super) fn producer_consumer() -> Scenario {
    queue_pipeline(2, 6, 50, 250)
}

/// A producer putting `items` items, one each `put_ms`, and a consumer taking `handle_ms`
/// over each, with a queue of `maxsize` (0: no bound) between them.
pub(super) fn queue_pipeline(maxsize: u32, items: u32, put_ms: u64, handle_ms: u64) -> Scenario {
    let producer = def(
        "producer",
        vec![Step::For {
            var: "i".into(),
            times: items,
            body: vec![
                sleep(put_ms),
                use_queue(Op::Put {
                    value: Expr::Var("i".into()),
                }),
                print("put {i}"),
            ],
        }],
    );
    let consumer = def(
        "consumer",
        vec![Step::For {
            var: "_".into(),
            times: items,
            body: vec![
                use_queue(Op::Get {
                    into: Some("item".into()),
                }),
                sleep(handle_ms),
                print("handled {item}"),
                use_queue(Op::TaskDone),
            ],
        }],
    );
    let s = Scenario {
        resources: vec![Resource {
            name: "queue".into(),
            kind: ResourceKind::Queue { maxsize },
        }],
        tasks: vec![producer, consumer],
        ..scenario("producer-consumer")
    };
    run_main(
        s,
        vec![
            Step::Spawn {
                task: "consumer".into(),
                args: vec![],
                into: None,
                group: None,
            },
            Step::Await {
                call: Call::Task {
                    task: "producer".into(),
                    args: vec![],
                    times: 1,
                },
                into: None,
                timeout_ms: None,
            },
            use_queue(Op::Join),
            print("all handled"),
        ],
    )
}

/// A fetch that would take 2 s, given up on after 0.5 s; then a sleep cut by a timeout
/// block.
pub(super) fn timeouts_cancellation() -> Scenario {
    let catch = |class: ExcClass, body: Vec<Step>| Handler { class, body };
    let fetch = def(
        "slow_fetch",
        vec![
            print("fetching"),
            Step::Try {
                body: vec![sleep(2000), print("fetched")],
                handlers: vec![catch(
                    ExcClass::CancelledError,
                    vec![
                        print("fetch cancelled: cleanup"),
                        Step::Raise {
                            class: None,
                            text: String::new(),
                        },
                    ],
                )],
                star: false,
                finally: vec![],
            },
        ],
    );
    let s = Scenario {
        tasks: vec![fetch],
        ..scenario("timeouts-cancellation")
    };
    let timed_out = |text: &str| vec![catch(ExcClass::TimeoutError, vec![print(text)])];
    run_main(
        s,
        vec![
            Step::Try {
                body: vec![Step::Await {
                    call: Call::Task {
                        task: "slow_fetch".into(),
                        args: vec![],
                        times: 1,
                    },
                    into: None,
                    timeout_ms: Some(500),
                }],
                handlers: timed_out("gave up after 0.5 s"),
                star: false,
                finally: vec![],
            },
            Step::Try {
                body: vec![Step::Timeout {
                    ms: 300,
                    body: vec![sleep(1000), print("slept")],
                }],
                handlers: timed_out("the timeout block cut the sleep"),
                star: false,
                finally: vec![],
            },
        ],
    )
}
