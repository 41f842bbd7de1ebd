//! Run ×N, the nondeterminism explorer: a learner runs a lesson whose order is not fixed
//! many times and reads the spread; a teacher's link, a number over the limit, the keyboard
//! and Stop all.

use fantoccini::key::Key;

use crate::a11y::assert_accessible;
use crate::harness::{Browser, Server, eventually, open_page};

async fn repeat_state(browser: &Browser) -> Option<String> {
    let status = browser
        .client
        .find(fantoccini::Locator::Css("[data-repeat-state]"))
        .await
        .ok()?;
    status.attr("data-repeat-state").await.ok()?
}

async fn until_repeat(browser: &Browser, state: &str, what: &str) {
    eventually(what, || async {
        (repeat_state(browser).await? == state).then_some(())
    })
    .await;
}

/// The orderings' counts, most common first.
async fn counts(browser: &Browser) -> Vec<u32> {
    let v = browser
        .eval("[...document.querySelectorAll('[data-testid=ordering]')].map(e => +e.dataset.count)")
        .await;
    serde_json::from_value(v).unwrap()
}

async fn retype(browser: &Browser, css: &str, text: &str) {
    browser.type_into(css, &(Key::Control + "a")).await;
    browser.type_into(css, text).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_learner_runs_the_daemon_lesson_many_times_and_reads_the_spread() {
    let (_server, browser) = open_page().await;
    browser.click("[data-preset=daemon-processes]").await;
    let card = browser.text_of(".lesson-text").await;
    assert!(card.contains("Run ×20"), "{card}");
    // At a tenth of the lesson's speed, eight runs: half a second each.
    browser.click("[data-tab=builder]").await;
    retype(&browser, "input[data-field='time scale']", "0.1").await;
    retype(&browser, "[data-testid=repeat-times]", "8").await;
    assert_eq!(
        browser.text_of("[data-testid=repeat-run]").await,
        "▶ Run ×8"
    );
    browser.click("[data-testid=repeat-run]").await;
    // Progress while it goes, then the figures of eight real runs.
    let progress = eventually("the repeat's progress", || async {
        let text = browser.text_of("[data-testid=repeat-status]").await;
        text.contains(" of 8").then_some(text)
    })
    .await;
    assert!(progress.starts_with("run "), "{progress}");
    until_repeat(&browser, "completed", "eight runs to end").await;
    let status = browser.text_of("[data-testid=repeat-status]").await;
    assert!(
        status.starts_with("8 real runs on this machine"),
        "{status}"
    );
    let counts = counts(&browser).await;
    assert_eq!(counts.iter().sum::<u32>(), 8, "{counts:?}");
    assert!(counts.windows(2).all(|w| w[0] >= w[1]), "{counts:?}");
    let walls = browser.text_of("[data-testid=walls]").await;
    for figure in ["min", "median", "p90", "max"] {
        assert!(walls.contains(figure), "{walls}");
    }
    assert!(browser.count("[data-testid=histogram] .bin").await >= 1);
    let scale = browser.text_of("[data-testid=histogram-scale]").await;
    assert!(
        scale.contains("tallest bar: ") && scale.contains(" s"),
        "{scale}"
    );
    // Every run's console is one of the orderings shown: main's line and the processes'
    // lines, "Task finished" once (the daemon is terminated at exit).
    let first = browser.text_of("[data-testid=ordering] .lines").await;
    assert_eq!(first.matches("Task finished").count(), 1, "{first}");
    assert!(first.contains("Main process exiting..."), "{first}");
    // The timeline was left to the last single run: none yet.
    assert_eq!(browser.run_state().await.as_deref(), Some("idle"));
    browser.click("[data-testid=spread]").await;
    browser.screenshot("many-daemon-processes").await;
    assert_accessible(&browser, "with a repeat's spread").await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_teacher_link_runs_many_times_by_keyboard_and_stops_them_all() {
    let server = Server::start().await;
    let browser = Browser::start().await;
    let mut scenario = looplab_shared::presets::find("thread-pool")
        .unwrap()
        .scenario();
    scenario.time_scale = 0.1;
    let shared = looplab_shared::share::Shared {
        scenario,
        note: "Press Run ×N: which thread finishes first?".into(),
        run_on_open: false,
        goals: Vec::new(),
        ask: None,
    };
    let link = format!("{}#{}", server.url, looplab_shared::share::encode(&shared));
    browser.client.goto(&link).await.unwrap();
    // Over the limit: said in words, and nothing to press.
    retype(&browser, "[data-testid=repeat-times]", "51").await;
    let why = browser.text_of("[data-testid=repeat-times-error]").await;
    assert_eq!(why, "type a whole number of runs from 1 to 50");
    let enabled = browser
        .eval("!document.querySelector('[data-testid=repeat-run]').disabled")
        .await;
    assert_eq!(enabled, serde_json::Value::Bool(false));
    // 30 runs, started from the keyboard: Enter in the field; the keyboard goes on to Stop all.
    retype(&browser, "[data-testid=repeat-times]", "30").await;
    browser.press(Key::Enter).await;
    eventually("Stop all to take the keyboard", || async {
        (browser.focused().await == "repeat-stop").then_some(())
    })
    .await;
    let main_status = browser.text_of("[data-run-state]").await;
    assert!(
        main_status.starts_with("Run ×30 under way"),
        "{main_status}"
    );
    eventually("two runs to have ended", || async {
        let text = browser.text_of("[data-testid=repeat-status]").await;
        text.starts_with("run 3 of 30").then_some(())
    })
    .await;
    browser.press(Key::Enter).await;
    until_repeat(&browser, "stopped", "the repeat to stop").await;
    eventually("Run ×N to take the keyboard back", || async {
        (browser.focused().await == "repeat-run").then_some(())
    })
    .await;
    let status = browser.text_of("[data-testid=repeat-status]").await;
    assert!(
        status.starts_with("stopped after") && status.ends_with("of 30 runs"),
        "{status}"
    );
    let done: u32 = status["stopped after ".len()..]
        .split(' ')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    assert!((2..30).contains(&done), "{status}");
    assert_eq!(counts(&browser).await.iter().sum::<u32>(), done);
    // Then all of a shorter repeat: both calls end in every run, in one order or the other.
    retype(&browser, "[data-testid=repeat-times]", "5").await;
    browser.click("[data-testid=repeat-run]").await;
    until_repeat(&browser, "completed", "five runs to end").await;
    assert_eq!(counts(&browser).await.iter().sum::<u32>(), 5);
    let heading = browser.text_of("[data-testid=spread] h2").await;
    assert!(
        heading.starts_with("5 real runs of “thread-pool”"),
        "{heading}"
    );
    browser.click("[data-testid=spread]").await;
    browser.screenshot("many-thread-pool-teacher").await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_deadlock_run_twice_is_not_said_to_end_nor_to_be_fixed_and_run_stops_a_batch() {
    let (_server, browser) = open_page().await;
    browser.click("[data-preset=lock-order-deadlock]").await;
    retype(&browser, "[data-testid=repeat-times]", "2").await;
    browser.click("[data-testid=repeat-run]").await;
    until_repeat(&browser, "completed", "two runs to deadlock").await;
    // Two runs are too few to tell, and say so; one run is never "runs".
    let heading = browser.text_of("[data-testid=orderings-heading]").await;
    assert!(heading.contains("too few runs to tell"), "{heading}");
    // Nothing ended: transfer and audit are named as never ending, and no sentence says
    // that everything ended in the same place.
    let unended = browser.text_of("[data-testid=unended]").await;
    assert!(
        unended.contains("transfer") && unended.contains("audit"),
        "{unended}"
    );
    assert_eq!(browser.count("[data-testid=ends-same]").await, 0);
    let walls = browser.text_of("[data-testid=walls]").await;
    assert!(
        walls.starts_with("Time until the deadlock was found"),
        "{walls}"
    );
    browser.click("[data-testid=spread]").await;
    browser.screenshot("many-deadlock-twice").await;
    // ▶ Run during a batch stops it, and the batch says why; meanwhile the main status line
    // said the batch was under way.
    retype(&browser, "[data-testid=repeat-times]", "50").await;
    browser.click("[data-testid=repeat-run]").await;
    let main_status = eventually("the main status to tell of the batch", || async {
        let text = browser.text_of("[data-run-state]").await;
        text.starts_with("Run ×50 under way").then_some(text)
    })
    .await;
    assert!(!main_status.contains("ready"), "{main_status}");
    eventually("a run of the batch to end", || async {
        let text = browser.text_of("[data-testid=repeat-status]").await;
        (text.starts_with("run ") && !text.starts_with("run 1 ")).then_some(())
    })
    .await;
    browser.press_run().await;
    until_repeat(&browser, "stopped", "the batch to stop for the run").await;
    let status = browser.text_of("[data-testid=repeat-status]").await;
    assert!(
        status.starts_with("stopped after") && status.ends_with("of 50 runs: you pressed ▶ Run"),
        "{status}"
    );
    let h2 = browser.text_of("[data-testid=spread] h2").await;
    assert!(!h2.starts_with("1 real runs"), "{h2}");
}
