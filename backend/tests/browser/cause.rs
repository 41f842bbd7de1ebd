//! Cause and effect on the timeline: waits that name who holds what they wait for, the
//! resources' own lanes, arrows from a cause to its effect, and the tree of who created whom.

use fantoccini::Locator;
use fantoccini::key::Key;

use crate::harness::{Browser, eventually, open_page};

/// What the mouse does at a point of the timeline: moves over it, or presses there (the
/// canvas takes the focus) and clicks.
#[derive(Clone, Copy)]
enum Mouse {
    Move,
    Click,
}

/// The mouse at a fraction `along` of the timeline plot's width, on row `row` (0 is the
/// first under the axis), as a person's does.
async fn mouse(browser: &Browser, what: Mouse, along: f64, row: f64) {
    let script = r#"
        const [along, row, click] = arguments;
        const c = document.querySelector('[data-testid=timeline]');
        const r = c.getBoundingClientRect();
        const label = Math.min(Math.max(r.width * 0.3, 110), 230);
        const x = label + (r.width - label - 32) * along, y = 26 + 30 * (row + 0.5);
        const at = {clientX: r.left + x, clientY: r.top + y, bubbles: true};
        if (click) {
            c.dispatchEvent(new MouseEvent('mousedown', at));
            c.focus();
            c.dispatchEvent(new MouseEvent('mouseup', at));
            c.dispatchEvent(new MouseEvent('click', at));
        } else {
            c.dispatchEvent(new MouseEvent('mousemove', at));
        }
    "#;
    let click = matches!(what, Mouse::Click);
    browser
        .client
        .execute(script, vec![along.into(), row.into(), click.into()])
        .await
        .unwrap();
}

/// Moves the pointer over the timeline at `along` of the plot, on row `row`.
async fn hover(browser: &Browser, along: f64, row: f64) {
    mouse(browser, Mouse::Move, along, row).await;
}

/// The row a lane label is on.
async fn row_of(browser: &Browser, label: &str) -> f64 {
    let labels = browser.timeline_attr("data-lane-labels").await.unwrap();
    let at = labels.split(',').position(|l| l == label);
    at.unwrap_or_else(|| panic!("no row {label} in {labels}")) as f64
}

/// The details box's text once it shows `want`, the pointer moved along `row` until it does.
async fn tip_along(browser: &Browser, row: f64, want: &str) -> String {
    for step in 1..40 {
        hover(browser, f64::from(step) / 40.0, row).await;
        let tip = browser
            .client
            .find(Locator::Css("[data-testid=tooltip]"))
            .await;
        if let Ok(tip) = tip
            && let Ok(text) = tip.text().await
            && text.contains(want)
        {
            return text;
        }
    }
    panic!("no bar of row {row} says {want:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_learner_sees_who_holds_the_semaphore_and_folds_the_tree_by_keyboard() {
    let (_server, browser) = open_page().await;
    browser.click("[data-preset=semaphore-scraper]").await;
    browser.press_run().await;
    browser
        .until_state("completed", "the scraper to complete")
        .await;
    let labels = browser.timeline_attr("data-lane-labels").await.unwrap();
    assert!(
        labels.ends_with(",limit"),
        "the semaphore's lane last: {labels}"
    );
    browser.screenshot("cause-semaphore-run").await;

    // A fetch that waited says for what, and who held its places.
    let row = row_of(&browser, "fetch(5)").await;
    let tip = tip_along(&browser, row, "semaphore limit full").await;
    assert!(tip.contains("(2/2: fetch("), "{tip}");
    let wait = browser.text_of("[data-testid=wait-on]").await;
    assert!(wait.contains("semaphore limit full (2/2"), "{wait}");
    // The semaphore's name is set as code, with no backtick shown.
    let code = browser.text_of("[data-testid=wait-on] code").await;
    assert_eq!(code, "limit");
    browser.screenshot("cause-semaphore-wait").await;

    // fetch(5) waits while fetch(0)..fetch(3) come and go: pointed at along its wait, the
    // box names who holds the places at that moment, not only those of its start.
    let mut holders = std::collections::BTreeSet::new();
    for step in 1..60 {
        hover(&browser, f64::from(step) / 60.0, row).await;
        let Ok(wait) = browser
            .client
            .find(Locator::Css("[data-testid=wait-on]"))
            .await
        else {
            continue;
        };
        let text = wait.text().await.unwrap_or_default();
        if let Some((_, who)) = text.split_once("(2/2: ") {
            holders.insert(who.to_owned());
        }
    }
    assert!(
        holders.len() >= 2,
        "the holders named along fetch(5)'s wait: {holders:?}"
    );

    // The semaphore's own lane: who holds it, how full it is.
    let lane = row_of(&browser, "limit").await;
    let held = tip_along(&browser, lane, "held by").await;
    assert!(held.contains("2/2"), "{held}");

    // Arrows: the gather starts the six fetches and resumes at their ends; places are
    // handed over.
    let arrows: usize = browser
        .timeline_attr("data-arrows")
        .await
        .unwrap()
        .parse()
        .unwrap();
    assert!(arrows >= 12 + 4, "{arrows} arrows");
    browser.screenshot("cause-semaphore-lane").await;

    // The tree by keyboard: to main's row, Enter hides the fetches it created, Enter again
    // shows them.
    browser
        .client
        .execute(
            "document.querySelector('[data-testid=timeline]').focus();",
            vec![],
        )
        .await
        .unwrap();
    let lanes = browser.timeline_attr("data-lanes").await.unwrap();
    browser.press(Key::Down).await;
    let spoken = browser.text_of(".timeline .sr-only").await;
    assert!(
        spoken.starts_with("main:") && spoken.contains("Enter hides"),
        "{spoken}"
    );
    browser.press(Key::Enter).await;
    eventually("main's tasks to be hidden", || async {
        let labels = browser.timeline_attr("data-lane-labels").await?;
        (!labels.contains("fetch(")).then_some(())
    })
    .await;
    // The folded row says how many it hides.
    let spoken = browser.text_of(".timeline .sr-only").await;
    assert!(
        spoken.contains("6 tasks hidden under it: Enter shows them"),
        "{spoken}"
    );
    browser.screenshot("cause-tree-collapsed").await;
    browser.press(Key::Enter).await;
    eventually("main's tasks back", || async {
        (browser.timeline_attr("data-lanes").await? == lanes).then_some(())
    })
    .await;

    // Down to the semaphore's lane by keyboard: its stretches are read out as the bars are.
    let limit = row_of(&browser, "limit").await as usize;
    for _ in 1..limit {
        browser.press(Key::Down).await;
    }
    browser.press(Key::Right).await;
    let spoken = eventually("the lane's stretch to be read out", || async {
        let spoken = browser.text_of(".timeline .sr-only").await;
        spoken.starts_with("limit: held by").then_some(spoken)
    })
    .await;
    assert!(spoken.contains("places taken"), "{spoken}");
    browser.screenshot("cause-lane-keyboard").await;

    // The trace carries the arrows as flows.
    browser.click("[data-testid=export-trace]").await;
    let href = eventually("the trace link", || async {
        let link = browser
            .client
            .find(Locator::Css("[data-testid=trace-link]"))
            .await
            .ok()?;
        link.attr("href").await.ok()?
    })
    .await;
    let fetch = "const [url, done] = arguments; fetch(url).then(r => r.text()).then(done);";
    let text = browser
        .client
        .execute_async(fetch, vec![href.into()])
        .await
        .unwrap();
    let trace: serde_json::Value = serde_json::from_str(text.as_str().unwrap()).unwrap();
    let events = trace["traceEvents"].as_array().unwrap();
    let flows = |ph: &str| events.iter().filter(|e| e["ph"] == ph).count();
    assert_eq!(flows("s"), flows("f"));
    assert!(flows("s") >= 12, "{} flows", flows("s"));
    assert!(events.iter().any(|e| e["ph"] == "f" && e["bp"] == "e"));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_learner_sees_the_queue_fill_and_the_producer_wait() {
    let (_server, browser) = open_page().await;
    browser.click("[data-preset=producer-consumer]").await;
    browser.press_run().await;
    browser
        .until_state("completed", "the producer and consumer to finish")
        .await;
    // main awaits the producer's coroutine itself: its puts wait on main's row.
    let producer = row_of(&browser, "main").await;
    let tip = tip_along(&browser, producer, "queue queue full (2/2)").await;
    assert!(
        tip.contains("waiting for a lock, semaphore, event or queue"),
        "{tip}"
    );
    let consumer = row_of(&browser, "consumer").await;
    tip_along(&browser, consumer, "queue queue empty").await;
    let lane = row_of(&browser, "queue").await;
    tip_along(&browser, lane, "2/2").await;
    hover(&browser, 0.5, producer).await;
    browser.screenshot("cause-queue").await;
    // Narrow window: the lanes and arrows still fit.
    browser.resize(700, 800).await;
    hover(&browser, 0.5, producer).await;
    browser.screenshot("cause-queue-narrow").await;
}

const TWO_LOCKS: &str = r#"import asyncio

db = asyncio.Lock()
cache = asyncio.Lock()


async def worker_a():
    async with db:
        await asyncio.sleep(0.1)
        async with cache:
            print("worker_a holds both")


async def worker_b():
    async with cache:
        await asyncio.sleep(0.1)
        async with db:
            print("worker_b holds both")


async def main():
    await asyncio.gather(worker_a(), worker_b())


asyncio.run(main())
"#;

const JOIN_ALONE: &str = r#"import asyncio

queue = asyncio.Queue()


async def main():
    await queue.put(1)
    await queue.join()


asyncio.run(main())
"#;

/// Runs `program`, typed into the Python view, until it ends deadlocked; the page's status.
async fn run_deadlocked(browser: &Browser, program: &str) -> String {
    browser.click("[data-tab=python]").await;
    browser.set_input("[data-testid=python]", program).await;
    eventually("the program to be read", || async {
        let status = browser.text_of("[data-testid=parse-status]").await;
        status.contains("runs as written").then_some(())
    })
    .await;
    browser.press_run().await;
    eventually("the run to end deadlocked", || async {
        let status = browser.text_of("[data-run-state]").await;
        status.starts_with("deadlocked").then_some(status)
    })
    .await
}

#[tokio::test(flavor = "multi_thread")]
async fn a_learner_reads_a_deadlock_s_cycle_in_words_and_on_the_timeline() {
    let (_server, browser) = open_page().await;
    let status = run_deadlocked(&browser, TWO_LOCKS).await;
    for wait in [
        "worker_a waits for lock cache held by worker_b",
        "worker_b waits for lock db held by worker_a",
    ] {
        assert!(status.contains(wait), "{status}");
    }
    let arrows: usize = browser
        .timeline_attr("data-arrows")
        .await
        .unwrap()
        .parse()
        .unwrap();
    assert!(arrows >= 2, "the cycle's two arrows: {arrows}");
    let row = row_of(&browser, "worker_b").await;
    tip_along(&browser, row, "waiting for lock db, held by worker_a").await;
    browser.screenshot("cause-deadlock").await;
    // Its waits were forever, not slow: no finding offers to shorten them.
    assert_eq!(browser.count("[data-lint]").await, 0);

    let status = run_deadlocked(&browser, JOIN_ALONE).await;
    assert!(
        status.contains("main waits on queue.join(): no task is left to call task_done()"),
        "{status}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_deadlocked_lesson_says_its_tasks_are_stuck_and_expects_no_end() {
    let (_server, browser) = open_page().await;
    browser.click("[data-preset=lock-order-deadlock]").await;
    browser.press_run().await;
    let status = eventually("the lesson to end deadlocked", || async {
        let status = browser.text_of("[data-run-state]").await;
        status.starts_with("deadlocked").then_some(status)
    })
    .await;
    // Stopped, not ended: no ideal or predicted length to measure it against.
    assert!(status.starts_with("deadlocked: stopped after"), "{status}");
    let wall = browser.text_of("[data-summary=wall]").await;
    for said in [&status, &wall] {
        assert!(
            !said.contains("ideal") && !said.contains("predicted"),
            "{said}"
        );
    }
    assert!(wall.contains("a deadlock never ends"), "{wall}");
    // Each task of the cycle is stuck, not cancelled.
    browser
        .client
        .execute(
            "document.querySelector('[data-testid=timeline]').focus();",
            vec![],
        )
        .await
        .unwrap();
    let mut read = Vec::new();
    for _ in 0..4 {
        browser.press(Key::Down).await;
        read.push(browser.text_of(".timeline .sr-only").await);
    }
    for task in ["transfer", "audit"] {
        assert!(
            read.iter()
                .any(|s| s.starts_with(&format!("{task} (stuck): "))),
            "{read:?}"
        );
    }
    assert!(read.iter().all(|s| !s.contains("cancelled")), "{read:?}");
    browser.screenshot("deadlock-lesson").await;
}

#[tokio::test(flavor = "multi_thread")]
async fn enter_folds_the_row_that_was_clicked() {
    let (_server, browser) = open_page().await;
    browser.click("[data-preset=semaphore-scraper]").await;
    browser.press_run().await;
    browser
        .until_state("completed", "the scraper to complete")
        .await;
    // Clicked at main's first sliver, the keyboard's cursor is on main, not on the first row.
    let main = row_of(&browser, "main").await;
    mouse(&browser, Mouse::Click, 0.01, main).await;
    let spoken = eventually("main to be read out", || async {
        let spoken = browser.text_of(".timeline .sr-only").await;
        spoken.starts_with("main:").then_some(spoken)
    })
    .await;
    assert!(spoken.contains("Enter hides"), "{spoken}");
    browser.press(Key::Enter).await;
    let labels = eventually("main's tasks to be hidden", || async {
        let labels = browser.timeline_attr("data-lane-labels").await?;
        (!labels.contains("fetch(")).then_some(labels)
    })
    .await;
    assert_eq!(labels, "<module>,main,limit", "main folded, not <module>");
    browser.screenshot("cause-click-enter").await;
}
