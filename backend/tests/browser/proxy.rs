//! The page as a school serves it: behind nginx (the documented site), under `/looplab/`,
//! over TLS, with two replicas behind it.

use looplab_shared::presets;

use crate::harness::{Browser, eventually};
use crate::nginx::Proxied;

#[tokio::test(flavor = "multi_thread")]
async fn a_learner_runs_a_lesson_through_nginx_under_a_prefix_over_tls() {
    let proxied = Proxied::start(&[]).await;
    let browser = Browser::start().await;
    browser.client.goto(&proxied.page_tls()).await.unwrap();
    browser.press_run().await;
    browser
        .until_state("completed", "gather, through nginx")
        .await;
    let expected = presets::find("gather").unwrap().expected_output;
    assert_eq!(browser.console_lines().await.unwrap(), expected);
    let icon = browser
        .eval(
            "fetch(document.querySelector('link[rel=icon]').href)\
             .then(r => r.status + ' ' + r.headers.get('content-type'))",
        )
        .await;
    assert_eq!(icon.as_str(), Some("200 image/svg+xml"), "{icon}");
    // Closing the browser closes the page's socket, which nginx then logs: the page found
    // it beside itself, over TLS, and its assets by their relative URLs, all under the
    // prefix.
    drop(browser);
    let log = eventually("nginx to log the page's socket", || async {
        let log = proxied.access_log();
        log.contains("GET /looplab/ws ").then_some(log)
    })
    .await;
    assert!(
        log.contains("https \"GET /looplab/ws HTTP/1.1\" 101 "),
        "{log}"
    );
    for asset in ["/looplab/ ", ".js ", "_bg.wasm ", ".css "] {
        let loaded = log.lines().any(|l| {
            l.starts_with("https \"GET /looplab/") && l.contains(asset) && l.contains(" 200 ")
        });
        assert!(loaded, "{asset} not loaded through nginx:\n{log}");
    }
    // The page names its own icon, beside it: no browser asks the site's root for one.
    assert!(!log.contains("GET /favicon.ico"), "{log}");
    let missing = log
        .lines()
        .filter(|l| l.contains("/looplab/") && l.contains(" 404 "));
    assert_eq!(missing.count(), 0, "{log}");
}
