//! The built-in challenges: a program that works badly, a story, and goals its run must
//! meet once the learner has fixed it. Each is drawn from a pattern of the notes; the test
//! command runs a solution of each (`tests/challenges/ID.py`) and checks every goal met, and
//! each start and checks that some goal is not.

use super::scenarios::{daemon_and_worker, def, def1, print, run_main, scenario, sleep};
use super::toolkit::queue_pipeline;
use crate::classroom::Goal;
use crate::model::{Call, Expr, Scenario, Step};

/// One built-in challenge.
#[derive(Debug, Clone, Copy)]
pub struct Challenge {
    /// Stable id, used in links and tests: `scraper-under-a-second`.
    pub id: &'static str,
    /// Title shown in the list.
    pub title: &'static str,
    /// What is wrong and what to reach, for the learner.
    pub story: &'static str,
    start: fn() -> Scenario,
    goals: fn() -> Vec<Goal>,
}

impl PartialEq for Challenge {
    fn eq(&self, other: &Self) -> bool {
        self.id == other.id
    }
}

impl Challenge {
    /// The program the learner starts from, named after the challenge.
    pub fn start(&self) -> Scenario {
        Scenario {
            name: self.id.into(),
            ..(self.start)()
        }
    }

    /// What its run must meet.
    pub fn goals(&self) -> Vec<Goal> {
        (self.goals)()
    }
}

/// Every built-in challenge, in the order the page lists them.
pub fn all() -> &'static [Challenge] {
    CHALLENGES
}

/// The challenge with `id`.
pub fn find(id: &str) -> Option<&'static Challenge> {
    CHALLENGES.iter().find(|c| c.id == id)
}

/// A lesson's scenario, as a challenge's start.
fn lesson(id: &str) -> Scenario {
    super::find(id).map_or_else(|| Scenario::empty(id), |p| p.scenario())
}

/// The lines lesson `id` predicts, in order where it fixes one.
fn output_of(id: &str) -> Goal {
    let p = super::find(id);
    Goal::Console {
        lines: p
            .map_or(&[][..], |p| p.expected_output)
            .iter()
            .map(|l| (*l).into())
            .collect(),
        any_order: p.is_some_and(|p| !p.unordered.is_empty()),
    }
}

fn lines(lines: &[&str], any_order: bool) -> Goal {
    Goal::Console {
        lines: lines.iter().map(|l| (*l).into()).collect(),
        any_order,
    }
}

fn await_call(task: &str, args: Vec<Expr>) -> Step {
    Step::Await {
        call: Call::Task {
            task: task.into(),
            args,
            times: 1,
        },
        into: None,
        timeout_ms: None,
    }
}

/// Five pages fetched one after another: each waits for the one before.
fn one_page_at_a_time() -> Scenario {
    let fetch = def1("fetch", "page", vec![print("fetching {page}"), sleep(400)]);
    let s = Scenario {
        tasks: vec![fetch],
        ..scenario("scraper")
    };
    let each = Step::For {
        var: "page".into(),
        times: 5,
        body: vec![await_call("fetch", vec![Expr::Var("page".into())])],
    };
    run_main(s, vec![each, print("5 pages fetched")])
}

/// A call that takes 3 s, waited for in full.
fn slow_call() -> Scenario {
    let slow = def("slow", vec![sleep(3000), print("answered")]);
    let s = Scenario {
        tasks: vec![slow],
        ..scenario("slow")
    };
    run_main(s, vec![await_call("slow", vec![]), print("done")])
}

static CHALLENGES: &[Challenge] = &[
    Challenge {
        id: "scraper-under-a-second",
        title: "Scrape five pages in under a second",
        story: "Each fetch takes 0.4 s of waiting, and the scraper waits for one page before it \
                asks for the next: 2 s in all. Make it finish in under 1 s, printing the same \
                lines in the same order, without blocking the loop.",
        start: one_page_at_a_time,
        goals: || {
            vec![
                Goal::WallUnder { ms: 1000 },
                lines(
                    &[
                        "fetching 0",
                        "fetching 1",
                        "fetching 2",
                        "fetching 3",
                        "fetching 4",
                        "5 pages fetched",
                    ],
                    false,
                ),
                Goal::NoFinding,
            ]
        },
    },
    Challenge {
        id: "unblock-the-loop",
        title: "Unblock the loop",
        story: "Task 1 holds the loop for 2 s, so task 2 cannot start. Keep both tasks' waits, \
                but let the loop run task 2 meanwhile: no lag over 50 ms, done in under 2.2 s.",
        start: || lesson("blocking-the-loop"),
        goals: || {
            vec![
                Goal::LagUnder { ms: 50 },
                Goal::WallUnder { ms: 2200 },
                output_of("gather"),
            ]
        },
    },
    Challenge {
        id: "free-the-server",
        title: "Keep the server answering while it computes",
        story: "A request to /compute burns 1.5 s of CPU on the loop, and every request to / \
                waits behind it. Keep the computation, but get the p99 latency of GET / under \
                50 ms.",
        start: || lesson("responsive-server-inline"),
        goals: || {
            vec![
                Goal::P99Under {
                    ms: 50,
                    route: Some("GET /".into()),
                },
                Goal::Completes,
                lines(&["Compute started", "Compute finished"], false),
            ]
        },
    },
    Challenge {
        id: "use-two-cores",
        title: "Put two cores to work",
        story: "Two CPU-bound jobs on two threads take turns on one core, because of the GIL. \
                Make them run on two cores at once, in Python that CPython runs as written.",
        start: || lesson("gil"),
        goals: || vec![Goal::CoresAtLeast { cores: 2 }, Goal::Python],
    },
    Challenge {
        id: "fix-the-deadlock",
        title: "Fix the deadlock",
        story: "transfer takes the accounts lock and then the ledger's; audit takes them the \
                other way round. They deadlock. Make the run complete, with both tasks still \
                holding both locks while they work.",
        start: || lesson("lock-order-deadlock"),
        goals: || vec![Goal::Completes, output_of("lock-order-fixed")],
    },
    Challenge {
        id: "shorter-critical-section",
        title: "Shorten the critical section",
        story: "Three saves each hold the db lock for their whole 0.5 s wait, so they run one \
                after another: 1.5 s. Hold the lock only while writing: under 0.7 s, and no \
                finding.",
        start: || lesson("lock-contention"),
        goals: || vec![Goal::WallUnder { ms: 700 }, Goal::NoFinding],
    },
    Challenge {
        id: "bound-the-queue",
        title: "Give the queue a bound",
        story: "The producer puts items much faster than the consumer takes them, and the queue \
                grows without limit. Apply backpressure so the queue never grows long, and \
                still put and handle all 15 items.",
        start: || queue_pipeline(0, 15, 10, 80),
        goals: || {
            // Every item put and handled, in whatever order the queue's bound makes.
            let mut all: Vec<String> = (0..15)
                .flat_map(|i| [format!("put {i}"), format!("handled {i}")])
                .collect();
            all.push("all handled".into());
            vec![
                Goal::NoFinding,
                Goal::Completes,
                Goal::Console {
                    lines: all,
                    any_order: true,
                },
            ]
        },
    },
    Challenge {
        id: "give-up-on-a-slow-call",
        title: "Give up on a slow call",
        story: "slow() takes 3 s to answer, and the program waits for it in full. Give up after \
                1 s: print \"timed out\" instead of its answer, then \"done\", in under 1.2 s.",
        start: slow_call,
        goals: || {
            vec![
                Goal::WallUnder { ms: 1200 },
                lines(&["timed out", "done"], false),
            ]
        },
    },
    Challenge {
        id: "save-before-exit",
        title: "Save before the program exits",
        story: "The saving thread is a daemon: when main and the worker are done, the \
                interpreter exits without waiting for it, and \"Saving finished\" is never \
                printed. Make sure the save completes.",
        start: || daemon_and_worker(("save", "Saving", 1500), 500),
        goals: || {
            vec![
                Goal::Completes,
                lines(
                    &[
                        "Saving started",
                        "Worker started",
                        "Main program exiting...",
                        "Worker finished",
                        "Saving finished",
                    ],
                    true,
                ),
            ]
        },
    },
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::classroom::validate_goals;
    use crate::validate::validate;

    #[test]
    fn every_challenge_starts_valid_with_valid_goals_and_a_unique_id() {
        let mut ids = std::collections::HashSet::new();
        assert!(all().len() >= 8);
        for c in all() {
            assert!(ids.insert(c.id), "{} twice", c.id);
            assert_eq!(validate(&c.start(), 2), Ok(()), "{}", c.id);
            assert!(!c.goals().is_empty(), "{}", c.id);
            assert_eq!(validate_goals(&c.goals()), Ok(()), "{}", c.id);
            // A console goal from a lesson that is not there would expect nothing.
            for g in c.goals() {
                if let Goal::Console { lines, .. } = g {
                    assert!(!lines.is_empty(), "{}", c.id);
                }
            }
        }
    }
}
