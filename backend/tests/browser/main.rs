//! End-to-end: the real `looplab` binary serving the built page, driven through headless
//! Debian Chromium as a learner would use it. `scripts/test.sh` builds the page and installs
//! Chromium and its driver first.

mod harness;

use fantoccini::Locator;
use looplab_shared::presets;

use harness::{Browser, Server, eventually};

#[tokio::test(flavor = "multi_thread")]
async fn a_learner_runs_gather_and_watches_it_live() {
    let server = Server::start().await;
    let browser = Browser::start().await;
    let page = &browser.client;
    page.goto(&server.url).await.unwrap();

    browser.press_run().await;

    // Live: both "started" lines, and a lane per task, are on screen while the run still goes.
    eventually("both tasks to start while the run is live", || async {
        let lines = browser.console_lines().await?;
        let lanes = browser.timeline_attr("data-lanes").await?;
        (browser.run_state().await? == "running" && lines.len() == 2 && lanes == "3").then_some(())
    })
    .await;

    eventually("the run to complete", || async {
        (browser.run_state().await? == "completed").then_some(())
    })
    .await;
    let expected = presets::find("gather").unwrap().expected_output;
    assert_eq!(browser.console_lines().await.unwrap(), expected);
    assert_eq!(
        browser.timeline_attr("data-lane-labels").await.unwrap(),
        "main,task1,task2"
    );
    // Each of main, task1 and task2: created, running, suspended at an await, running again.
    assert_eq!(browser.timeline_attr("data-bars").await.unwrap(), "12");
    let status = page
        .find(Locator::Css("[data-run-state]"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(status.starts_with("completed in 2"), "{status}");
    browser.screenshot("gather-completed").await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_learner_picks_another_lesson_and_runs_it() {
    let server = Server::start().await;
    let browser = Browser::start().await;
    let page = &browser.client;
    page.goto(&server.url).await.unwrap();
    let gil = presets::find("gil").unwrap();

    page.find(Locator::Css("[data-preset=gil]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let title = page
        .find(Locator::Css(".lesson-card h1"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(title, gil.title);
    browser.press_run().await;
    eventually("the run to complete", || async {
        (browser.run_state().await? == "completed").then_some(())
    })
    .await;
    let lines = browser.console_lines().await.unwrap();
    let lines: Vec<&str> = lines.iter().map(String::as_str).collect();
    assert!(gil.output_matches(&lines), "{lines:?}");
    let labels = browser.timeline_attr("data-lane-labels").await.unwrap();
    assert_eq!(labels, "main,job(Job-A),job(Job-B)");
    browser.screenshot("gil-completed").await;
}
