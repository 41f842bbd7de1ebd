//! The ideal schedule as a learner meets it: drawn on its own before the first run, worked
//! out in the page as they change the program, then under the measured bars, where it can be
//! switched off; a lesson opened mid-run shows its own.

use crate::harness::{Browser, eventually, open_page};

async fn attr(browser: &Browser, name: &str) -> usize {
    browser
        .timeline_attr(name)
        .await
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| panic!("the timeline has no {name}"))
}

/// The prediction's words, once they say `expect`.
async fn predicted_says(browser: &Browser, expect: &str) -> String {
    eventually(&format!("the prediction to say {expect:?}"), || async {
        let text = browser.text_of("[data-testid=predicted]").await;
        text.contains(expect).then_some(text)
    })
    .await
}

#[tokio::test(flavor = "multi_thread")]
async fn a_learner_sees_the_prediction_then_the_run_over_it() {
    let (_server, browser) = open_page().await;
    browser.click("[data-preset=thread-pool]").await;
    // Before any run: the schedule alone, a ghost on every row and no measured bar.
    let words = predicted_says(&browser, "3.000 s in all").await;
    assert!(words.contains("Press Run"), "{words}");
    let lanes = attr(&browser, "data-lanes").await;
    assert_eq!(lanes, 4, "<module>, main and the two jobs");
    assert_eq!(attr(&browser, "data-ghosts").await, lanes);
    assert_eq!(attr(&browser, "data-bars").await, 0);
    let labels = browser.timeline_attr("data-lane-labels").await.unwrap();
    assert!(labels.contains("blocking_task('Thread-1')"), "{labels}");
    show_timeline(&browser).await;
    browser.screenshot("ideal-before-run").await;

    // A change to the program changes the prediction at once, with no run.
    browser.click("[data-tab=python]").await;
    let python = browser.value_of("[data-testid=python]").await;
    assert!(python.contains("time.sleep(3)"), "{python}");
    browser
        .set_input(
            "[data-testid=python]",
            &python.replace("time.sleep(3)", "time.sleep(1.5)"),
        )
        .await;
    predicted_says(&browser, "1.500 s in all").await;

    // The run: its bars over the ghosts, one a row.
    browser.press_run().await;
    eventually("the run to end", || async {
        let state = browser.run_state().await?;
        (state != "running" && !state.is_empty()).then_some(())
    })
    .await;
    assert_eq!(browser.count("[data-testid=predicted]").await, 0);
    let lanes = attr(&browser, "data-lanes").await;
    assert!(attr(&browser, "data-bars").await > 0);
    assert_eq!(
        attr(&browser, "data-ghosts").await,
        lanes,
        "a ghost under every row"
    );
    show_timeline(&browser).await;
    browser.screenshot("ideal-under-run").await;

    // Switched off and on again.
    browser.click("[data-testid=ideal]").await;
    eventually("the ghosts to go", || async {
        (attr(&browser, "data-ghosts").await == 0).then_some(())
    })
    .await;
    assert_eq!(
        browser
            .eval("document.querySelector('[data-testid=ideal]').getAttribute('aria-pressed')")
            .await,
        "false"
    );
    browser.click("[data-testid=ideal]").await;
    eventually("the ghosts to come back", || async {
        (attr(&browser, "data-ghosts").await == lanes).then_some(())
    })
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_lesson_opened_mid_run_shows_its_own_prediction() {
    let (_server, browser) = open_page().await;
    browser.click("[data-preset=daemon-processes]").await;
    browser.press_run().await;
    browser.until_state("running", "the run to start").await;
    browser.click("[data-preset=gather]").await;
    // The gather lesson's schedule: two tasks gathered, the longer two seconds.
    predicted_says(&browser, "2.000 s in all").await;
    let labels = browser.timeline_attr("data-lane-labels").await.unwrap();
    assert!(
        labels.contains("task1") && labels.contains("task2"),
        "{labels}"
    );
    assert!(
        !labels.contains("Process"),
        "nothing of the lesson left: {labels}"
    );
    show_timeline(&browser).await;
    browser.screenshot("ideal-after-switch").await;
}

#[tokio::test(flavor = "multi_thread")]
async fn under_the_gil_the_measured_threads_outrun_their_ghosts() {
    let (_server, browser) = open_page().await;
    browser.click("[data-preset=gil]").await;
    browser.press_run().await;
    eventually("the run to end", || async {
        let state = browser.run_state().await?;
        (state != "running" && !state.is_empty()).then_some(())
    })
    .await;
    let lanes = attr(&browser, "data-lanes").await;
    assert_eq!(attr(&browser, "data-ghosts").await, lanes);
    // The lesson says what it takes (the threads take turns on one core); the ghosts are
    // the schedule without the GIL, so they end sooner than the run.
    let status = browser.text_of("[data-run-state]").await;
    assert!(status.contains("completed"), "{status}");
    show_timeline(&browser).await;
    browser.screenshot("ideal-gil").await;
}

async fn show_timeline(browser: &Browser) {
    browser
        .eval("document.querySelector('[data-testid=timeline]').scrollIntoView({block: 'center'})")
        .await;
}
