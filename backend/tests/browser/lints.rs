//! What a finished run shows about its program, and the one-click fix, walked as a learner:
//! run a lesson that makes the mistake, read the finding, press its fix, run again.

use fantoccini::key::Key;

use crate::harness::{eventually, open_page};

/// The wall time in a status such as "completed in 514.34 ms wall (…)", in seconds.
fn seconds(status: &str) -> f64 {
    let mut words = status.trim_start_matches("completed in ").split(' ');
    let n: f64 = words
        .next()
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no time in {status:?}"));
    match words.next() {
        Some("ms") => n / 1000.0,
        Some("s") => n,
        other => panic!("no unit in {status:?}: {other:?}"),
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_blocking_call_in_a_coroutine_is_named_and_fixed_in_one_click() {
    let (_server, browser) = open_page().await;
    browser.click("[data-preset=blocking-the-loop]").await;
    browser.press_run().await;
    browser
        .until_state("completed", "the blocked run to end")
        .await;
    let before = browser.text_of("[data-run-state]").await;
    let text = browser.text_of("[data-lint=blocking-in-coroutine] p").await;
    assert!(
        text.contains("task1 is a coroutine, but its time.sleep() held the event loop for 2.0"),
        "{text}"
    );
    browser.screenshot("lint-blocking").await;
    // Nothing else is said of this run.
    assert_eq!(browser.count("[data-lint]").await, 1);

    // The fix, from the keyboard: focus the button and press Enter.
    browser
        .eval("document.querySelector('[data-testid=lint-fix]').focus()")
        .await;
    browser.press(Key::Enter).await;
    eventually("the stale notice after the fix", || async {
        (browser.count("[data-testid=stale]").await == 1).then_some(())
    })
    .await;
    assert_eq!(
        browser.count("[data-lint]").await,
        0,
        "a finding about the previous program is not offered for this one"
    );
    browser.click("[data-tab=python]").await;
    let python = eventually("the program's Python", || async {
        let p = browser.value_of("[data-testid=python]").await;
        (!p.is_empty()).then_some(p)
    })
    .await;
    // The helper is named for what it does.
    assert!(
        python.contains("await loop.run_in_executor(None, blocking_sleep)"),
        "{python}"
    );
    assert!(
        python.contains("def blocking_sleep():\n    time.sleep(2)"),
        "{python}"
    );

    browser.press_run().await;
    browser
        .until_state("completed", "the fixed run to end")
        .await;
    let after = browser.text_of("[data-run-state]").await;
    assert_eq!(
        browser.count("[data-lint]").await,
        0,
        "the loop was not held"
    );
    assert!(
        seconds(&after) < 0.7 * seconds(&before),
        "the tasks overlap once the sleep is off the loop: {before} → {after}"
    );
    // The fix's effect in one figure: the wall time before it, then after it.
    let figure = browser.text_of("[data-testid=fix-figure]").await;
    let measured = |status: &str| {
        let status = status.trim_start_matches("completed in ");
        status.split(" wall").next().unwrap().to_owned()
    };
    assert!(
        figure.contains(&format!("{} → {}", measured(&before), measured(&after))),
        "{figure} for {before} → {after}"
    );
    browser.screenshot("lint-blocking-fixed").await;
}

#[tokio::test(flavor = "multi_thread")]
async fn cpu_work_on_threads_under_the_gil_is_moved_to_processes() {
    let (_server, browser) = open_page().await;
    browser.click("[data-preset=gil]").await;
    browser.press_run().await;
    browser.until_state("completed", "the GIL run to end").await;
    let text = browser.text_of("[data-lint=cpu-on-threads] p").await;
    assert!(
        text.contains("The 2 jobs on pool did CPU work on threads"),
        "{text}"
    );
    let label = browser.text_of("[data-lint=cpu-on-threads] button").await;
    assert_eq!(label, "Make pool a ProcessPoolExecutor");
    browser.click("[data-testid=lint-fix]").await;
    // The lesson is the learner's program now: the page says which lesson it came from.
    eventually("the lesson to be left", || async {
        (browser.count("[data-preset=gil].active").await == 0).then_some(())
    })
    .await;
    browser.press_run().await;
    browser
        .until_state("completed", "the process run to end")
        .await;
    assert_eq!(browser.count("[data-lint]").await, 0);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_coroutine_called_without_await_is_awaited_by_its_fix() {
    let (_server, browser) = open_page().await;
    browser.click("[data-tab=python]").await;
    let area = "[data-testid=python]";
    let program = "import asyncio\n\n\nasync def fetch(n):\n    await asyncio.sleep(0.2)\n    \
                   print(f\"fetched {n}\")\n\n\nasync def main():\n    fetch(1)\n    print(\"main done\")\n\n\n\
                   asyncio.run(main())\n";
    browser.set_input(area, program).await;
    let diagnostic = eventually("the forgotten await to be named", || async {
        let d = browser.text_of("[data-testid=diagnostic]").await;
        d.contains("never awaited").then_some(d)
    })
    .await;
    assert!(diagnostic.starts_with("line 10, column 5:"), "{diagnostic}");
    assert_eq!(
        browser.text_of("[data-testid=diagnostic-fix]").await,
        "Fix: await it"
    );
    browser.screenshot("python-fix-offered").await;
    browser.click("[data-testid=diagnostic-fix]").await;
    let status = eventually("the fixed program to be read", || async {
        let s = browser.text_of("[data-testid=parse-status]").await;
        s.contains("runs as written").then_some(s)
    })
    .await;
    assert!(status.contains("runs as written"), "{status}");
    let text = browser.value_of(area).await;
    assert!(text.contains("\n    await fetch(1)\n"), "{text}");
    browser.press_run().await;
    browser
        .until_state("completed", "the fixed program to run")
        .await;
    assert_eq!(
        browser.console_lines().await.unwrap(),
        vec!["fetched 1", "main done"]
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_lock_held_across_a_sleep_is_named_and_the_sleep_moved_out() {
    let (_server, browser) = open_page().await;
    browser.click("[data-preset=lock-contention]").await;
    browser.press_run().await;
    browser
        .until_state("completed", "the contended run to end")
        .await;
    let before = browser.text_of("[data-run-state]").await;
    let text = browser.text_of("[data-lint=lock-across-await] p").await;
    assert!(text.starts_with("db was held across awaits for "), "{text}");
    assert!(text.contains("2 other tasks waited"), "{text}");
    browser.screenshot("lint-lock").await;
    browser.click("[data-lint=lock-across-await] button").await;
    browser.press_run().await;
    browser
        .until_state("completed", "the fixed run to end")
        .await;
    let after = browser.text_of("[data-run-state]").await;
    assert_eq!(browser.count("[data-lint]").await, 0, "{after}");
    assert!(
        seconds(&after) < 0.5 * seconds(&before),
        "the writers' sleeps overlap once out of the lock: {before} → {after}"
    );
}
