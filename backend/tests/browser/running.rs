//! Around Run, as a learner reads it: a run's time with its unit, the speed the durations
//! are scaled to, results marked as stale once the program changes, durations typed in
//! seconds, Copy that says it copied, and a server that went away.

use fantoccini::key::Key;

use crate::harness::{Browser, Server, eventually};

/// Selects the field at `css` and types `text` over it, key by key.
async fn retype(browser: &Browser, css: &str, text: &str) {
    browser.type_into(css, &(Key::Control + "a")).await;
    for c in text.chars() {
        browser.type_into(css, &c.to_string()).await;
    }
}

const FIRST_SLEEP: &str = "[data-step='tasks[0].steps[1]'] input[data-field='seconds']";

#[tokio::test(flavor = "multi_thread")]
async fn a_changed_program_says_its_speed_and_that_the_results_shown_are_older() {
    let server = Server::start().await;
    let browser = Browser::start_sized(1000, 700).await;
    browser.client.goto(&server.url).await.unwrap();
    eventually("Run on the first screen, once the page shows", || async {
        browser.in_view("[data-testid=run]").await.then_some(())
    })
    .await;
    assert_eq!(browser.count("[data-testid=speed]").await, 0);
    browser.press_run().await;
    let running = eventually("the run's time so far", || async {
        let s = browser.text_of("[data-run-state]").await;
        s.starts_with("running…").then_some(s)
    })
    .await;
    let time = running.trim_start_matches("running… ");
    assert!(
        time.ends_with(" s") && time.trim_end_matches(" s").parse::<f64>().is_ok(),
        "{running}"
    );
    browser.until_state("completed", "gather").await;
    assert_eq!(browser.count("[data-testid=stale]").await, 0);

    // Half the durations: the badge says so beside Run, and the run shown is the old one.
    browser.click("[data-tab=builder]").await;
    retype(&browser, "input[data-field='time scale']", "0.5").await;
    assert_eq!(
        browser.text_of("[data-testid=speed]").await,
        "durations ×0.5 (2× faster)"
    );
    assert!(browser.in_view("[data-testid=speed]").await);
    assert_eq!(
        browser.text_of("[data-testid=stale]").await,
        "These results are from the previous program — Run again to see this one."
    );
    // A step's duration in seconds; what is not whole milliseconds says why.
    assert_eq!(browser.value_of(FIRST_SLEEP).await, "2");
    retype(&browser, FIRST_SLEEP, "0.0005").await;
    let why = browser.text_of("[data-testid=input-error]").await;
    assert!(
        why.starts_with("0.0005 s is not a whole number of milliseconds"),
        "{why}"
    );
    browser.screenshot("stale-and-speed").await;
    retype(&browser, FIRST_SLEEP, "1.5").await;
    assert_eq!(browser.count("[data-testid=input-error]").await, 0);
    browser.click("[data-tab=python]").await;
    let program = browser.value_of("[data-testid=python]").await;
    assert!(program.contains("asyncio.sleep(1.5)"), "{program}");

    browser.press_run().await;
    browser
        .until_state("completed", "the changed program")
        .await;
    assert_eq!(browser.count("[data-testid=stale]").await, 0);

    // Copy says what the clipboard did.
    assert_eq!(browser.text_of("[data-testid=copy-python]").await, "Copy");
    browser.click("[data-testid=copy-python]").await;
    let said = eventually("Copy to say what happened", || async {
        let s = browser.text_of("[data-testid=copy-python]").await;
        (s.starts_with("Copied") || s.starts_with("Copy refused")).then_some(s)
    })
    .await;
    assert!(
        said == "Copied ✓" || said.contains("select the text"),
        "{said}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_server_gone_away_is_said_in_words_with_what_happens_next() {
    let server = Server::start().await;
    let browser = Browser::start().await;
    browser.client.goto(&server.url).await.unwrap();
    eventually("the page to connect", || async {
        (browser.text_of("[data-conn]").await == "connected").then_some(())
    })
    .await;
    let port = server.port();
    drop(server);
    eventually("the badge to say the server is unreachable", || async {
        (browser.text_of("[data-conn]").await == "server unreachable — retrying").then_some(())
    })
    .await;
    let status = browser.text_of("[data-run-state]").await;
    assert!(
        status.starts_with("server unreachable — retrying") && status.contains("kept"),
        "{status}"
    );
    assert_eq!(
        browser.run_state().await.as_deref(),
        Some("offline"),
        "{status}"
    );
    browser.screenshot("server-gone").await;

    // The server back where it was: the page finds it by itself, and runs.
    let _back = Server::start_at(port).await;
    eventually("the page to reconnect", || async {
        (browser.text_of("[data-conn]").await == "connected").then_some(())
    })
    .await;
    browser.press_run().await;
    browser
        .until_state("completed", "a run on the server come back")
        .await;
}
