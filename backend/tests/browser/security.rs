//! The page under its Content-Security-Policy, served as deployed (the copy compiled into the
//! binary): a lesson runs, the timeline's sizes apply, and the browser reports no violation;
//! a script the policy does not name is refused and reported, so the policy is on.

use fantoccini::wd::WebDriverCompatibleCommand;
use serde_json::Value;

use crate::harness::{Browser, Server, eventually};

/// Chromedriver's console log of the page (`goog:loggingPrefs` asks for all of it): what the
/// browser printed since the last read.
#[derive(Debug)]
struct BrowserLog;

impl WebDriverCompatibleCommand for BrowserLog {
    fn endpoint(
        &self,
        base_url: &url::Url,
        session_id: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base_url.join(&format!(
            "session/{}/se/log",
            session_id.unwrap_or_default()
        ))
    }

    fn method_and_body(&self, _: &url::Url) -> (axum::http::Method, Option<String>) {
        (
            axum::http::Method::POST,
            Some(r#"{"type":"browser"}"#.into()),
        )
    }
}

/// The console's messages that speak of the Content Security Policy.
async fn policy_messages(browser: &Browser) -> Vec<String> {
    let log = browser.client.issue_cmd(BrowserLog).await.unwrap();
    log.as_array()
        .into_iter()
        .flatten()
        .filter_map(|entry| entry["message"].as_str())
        .filter(|m| m.contains("Content Security Policy") || m.contains("Content-Security-Policy"))
        .map(str::to_owned)
        .collect()
}

async fn violations(browser: &Browser) -> Vec<Value> {
    match browser.eval("window.violations").await {
        Value::Array(v) => v,
        other => panic!("no violations list: {other}"),
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn the_page_runs_a_lesson_under_its_policy_and_the_browser_reports_no_violation() {
    let server = Server::start_embedded().await;
    let browser = Browser::start().await;
    browser.client.goto(&server.url).await.unwrap();

    // The policy as the page got it: its own script by hash, wasm compiled, no other.
    let policy = browser
        .client
        .execute_async(
            "const done = arguments[0]; fetch('/').then(\
               r => done(r.headers.get('content-security-policy')), e => done(String(e)));",
            vec![],
        )
        .await
        .unwrap();
    let policy = policy.as_str().unwrap_or_default();
    assert!(policy.contains("'wasm-unsafe-eval'"), "{policy}");
    assert!(policy.contains("'sha256-"), "{policy}");
    browser
        .eval(
            "(window.violations = [], document.addEventListener('securitypolicyviolation', \
             e => window.violations.push(e.violatedDirective + ' ' + e.blockedURI)), true)",
        )
        .await;

    // Trunk's inline script started the wasm: the page connects and runs the first lesson.
    browser.press_run().await;
    browser
        .until_state("completed", "the lesson under the policy")
        .await;
    // The timeline's rows are sized by a style attribute, which the policy lets apply.
    let sized = browser
        .eval(
            "(() => { const e = document.querySelector('.rows-scroll'); \
             return !!e && e.style.height !== '' && getComputedStyle(e).height === e.style.height; })()",
        )
        .await;
    assert_eq!(
        sized,
        Value::Bool(true),
        "the timeline's height did not apply"
    );
    assert_eq!(violations(&browser).await, Vec::<Value>::new());
    assert_eq!(policy_messages(&browser).await, Vec::<String>::new());

    // A script the policy does not name (as an injection would add) is refused, and said so.
    browser
        .eval(
            "(() => { const s = document.createElement('script'); \
             s.textContent = 'window.injected = true'; document.body.append(s); return true; })()",
        )
        .await;
    let refused = eventually("the browser to report the refused script", || async {
        let v = violations(&browser).await;
        (!v.is_empty()).then_some(v)
    })
    .await;
    assert!(
        refused[0]
            .as_str()
            .unwrap_or_default()
            .starts_with("script-src"),
        "{refused:?}"
    );
    assert_eq!(
        browser.eval("window.injected === undefined").await,
        Value::Bool(true)
    );
    let said = policy_messages(&browser).await;
    assert!(said.iter().any(|m| m.contains("inline script")), "{said:?}");
}
