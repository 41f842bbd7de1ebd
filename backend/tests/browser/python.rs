//! The Python tab as a learner uses it: paste the program from the notes, see it read as
//! they type, run it; make a mistake and see it at its line; and the builder and JSON
//! following along.

use fantoccini::key::Key;
use looplab_shared::presets;

use crate::a11y::assert_accessible;
use crate::harness::{Browser, eventually, open_page};

fn notes(name: &str) -> String {
    let path = format!("{}/../tests/python/{name}.py", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(path).unwrap()
}

const AREA: &str = "[data-testid=python]";

/// What the parse status says, once it says something other than "reading".
async fn settled(browser: &Browser) -> String {
    eventually("the program to be read", || async {
        let status = browser.text_of("[data-testid=parse-status]").await;
        (!status.is_empty() && !status.starts_with("Reading")).then_some(status)
    })
    .await
}

#[tokio::test(flavor = "multi_thread")]
async fn a_learner_pastes_the_notes_program_and_runs_it() {
    let (_server, browser) = open_page().await;
    // The lesson's own program, as Python.
    let gather = presets::find("gather").unwrap().scenario();
    assert_eq!(
        browser.value_of(AREA).await,
        looplab_shared::python::render(&gather)
    );
    // Pasted as is.
    browser.set_input(AREA, &notes("notes_thread_pool")).await;
    let status = settled(&browser).await;
    assert!(status.contains("runs as written"), "{status}");
    browser.screenshot("python-pasted").await;
    assert_accessible(&browser, "with a pasted program").await;
    // The builder and the JSON say the same program.
    browser.click("[data-tab=builder]").await;
    assert_eq!(
        browser
            .text_of("[data-step='tasks[0].steps[0]'] .as-python")
            .await,
        "with ThreadPoolExecutor() as pool:"
    );
    browser.click("[data-tab=json]").await;
    let json: serde_json::Value =
        serde_json::from_str(&browser.value_of("[data-testid=json]").await).unwrap();
    assert_eq!(json["functions"][0]["name"], "blocking_task");
    // Back in Python the text is still the learner's own, as pasted.
    browser.click("[data-tab=python]").await;
    assert_eq!(browser.value_of(AREA).await, notes("notes_thread_pool"));
    browser.press_run().await;
    browser
        .until_state("completed", "the notes' program to run")
        .await;
    let mut lines = browser.console_lines().await.unwrap();
    lines[..2].sort();
    lines[2..].sort();
    assert_eq!(
        lines,
        [
            "Thread-1 started (blocking)",
            "Thread-2 started (blocking)",
            "Thread-1 finished (blocking)",
            "Thread-2 finished (blocking)"
        ]
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_mistake_typed_key_by_key_shows_at_its_line_at_once_and_holds_run() {
    let (_server, browser) = open_page().await;
    let page = &browser.client;
    // The end of the program, then a new line typed key by key, once the page shows it.
    browser.value_of(AREA).await;
    browser
        .eval(
            "(() => { const a = document.querySelector('[data-testid=python]'); a.focus(); \
             a.setSelectionRange(a.value.length, a.value.length); return true; })()",
        )
        .await;
    // How long after its last key the page shows the problem, timed in the page itself.
    browser
        .eval(
            "(() => { window.__lastKey = 0; window.__shown = 0; \
             document.querySelector('[data-testid=python]').addEventListener('keydown', \
               () => { window.__lastKey = performance.now(); }, true); \
             new MutationObserver(() => { const d = document.querySelector('[data-testid=diagnostic]'); \
               if (!window.__shown && d && d.textContent.includes('asyncio.wait is')) \
               window.__shown = performance.now(); }).observe(document.body, \
               {childList: true, subtree: true, characterData: true}); return true; })()",
        )
        .await;
    for c in "asyncio.wait()".chars() {
        browser.type_into(AREA, &c.to_string()).await;
    }
    let diagnostic = eventually("the problem under the program", || async {
        let d = browser.text_of("[data-testid=diagnostic]").await;
        d.contains("asyncio.wait is").then_some(d)
    })
    .await;
    let lines = browser.value_of(AREA).await.lines().count();
    assert!(
        diagnostic.starts_with(&format!("line {lines}, column 1: asyncio.wait is not in")),
        "{diagnostic}"
    );
    let after = browser.eval("window.__shown - window.__lastKey").await;
    let after = after.as_f64().unwrap();
    assert!(
        (0.0..100.0).contains(&after),
        "shown {after:.0} ms after the last key"
    );
    // The line is marked in the margin, and Run waits.
    let marked = browser.text_of(".gutter .bad").await;
    assert_eq!(marked, lines.to_string());
    let run = page
        .find(fantoccini::Locator::Css("[data-testid=run]"))
        .await
        .unwrap();
    assert!(!run.is_enabled().await.unwrap());
    browser.screenshot("python-mistake").await;
    // The problem is a button that puts the cursor where it is.
    browser.click("[data-testid=diagnostic]").await;
    let at = browser
        .eval("document.querySelector('[data-testid=python]').selectionStart")
        .await;
    let text = browser.value_of(AREA).await;
    let line_start = text.trim_end_matches("asyncio.wait()").chars().count();
    assert_eq!(at.as_u64(), Some(line_start as u64));
    // Deleted key by key from there, the program reads and runs again.
    for _ in 0.."asyncio.wait()".len() {
        browser.type_into(AREA, &Key::Delete.to_string()).await;
    }
    let status = settled(&browser).await;
    assert!(status.contains("runs as written"), "{status}");
    browser.press_run().await;
    browser.until_state("completed", "the mended program").await;
    // An edit in the builder becomes the Python shown.
    browser.click("[data-tab=builder]").await;
    browser
        .set_input("input[data-field='scenario name']", "renamed")
        .await;
    browser.click("[data-tab=python]").await;
    let program = browser.value_of(AREA).await;
    assert!(
        program.starts_with("# looplab: scenario(name=\"renamed\")"),
        "{program}"
    );
}
