//! Writing Python in the page as a person does: the keys a code editor has, a mistake that
//! holds the builder and the JSON still, leaving the editor by keyboard, and Ctrl+Enter
//! pressed before the last keystroke has been read.

use fantoccini::key::Key;
use looplab_shared::presets;

use crate::a11y::assert_accessible;
use crate::harness::{Browser, eventually, open_page};

const AREA: &str = "[data-testid=python]";

/// Puts the caret at the end of the program, as a click after its last line does.
async fn caret_to_end(browser: &Browser) {
    browser
        .eval(
            "(() => { const a = document.querySelector('[data-testid=python]'); a.focus(); \
             a.setSelectionRange(a.value.length, a.value.length); return true; })()",
        )
        .await;
}

/// What the parse status says once the program has been read.
async fn settled(browser: &Browser) -> String {
    eventually("the program to be read", || async {
        let status = browser.text_of("[data-testid=parse-status]").await;
        (!status.is_empty() && !status.starts_with("Reading")).then_some(status)
    })
    .await
}

#[tokio::test(flavor = "multi_thread")]
async fn the_python_editor_indents_holds_the_builder_on_a_mistake_and_lets_the_keyboard_go() {
    let (_server, browser) = open_page().await;
    let original = browser.value_of(AREA).await;
    let hint = browser.text_of("[data-testid=code-keys]").await;
    assert!(
        hint.starts_with("Editable") && hint.contains("Esc then Tab"),
        "{hint}"
    );
    assert_eq!(browser.text_of("[data-tab=builder]").await, "Builder");

    // A block typed key by key: Enter after `:` indents, Shift+Tab and Tab move a level.
    caret_to_end(&browser).await;
    for c in "if True:".chars() {
        browser.type_into(AREA, &c.to_string()).await;
    }
    browser.press(Key::Enter).await;
    let typed = |tail: &str| format!("{original}if True:{tail}");
    assert_eq!(browser.value_of(AREA).await, typed("\n    "));
    browser
        .type_into(AREA, &format!("{}{}", Key::Shift, Key::Tab))
        .await;
    assert_eq!(browser.value_of(AREA).await, typed("\n"));
    browser.press(Key::Tab).await;
    assert_eq!(browser.value_of(AREA).await, typed("\n    "));
    browser.type_into(AREA, "x = 1").await;
    browser.press(Key::Enter).await;
    assert_eq!(browser.value_of(AREA).await, typed("\n    x = 1\n    "));
    assert_eq!(
        browser.focused().await,
        "python",
        "Tab stayed in the editor"
    );

    // Not a program of the subset: the Python says where, and the other views hold still.
    let status = settled(&browser).await;
    assert!(status.starts_with("Run waits"), "{status}");
    let diagnostic = browser.text_of("[data-testid=diagnostic]").await;
    let line: u32 = diagnostic
        .strip_prefix("line ")
        .and_then(|d| d.split(',').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("{diagnostic}"));
    let said = browser.text_of("[data-run-state]").await;
    assert_eq!(
        said,
        format!("Run waits: the Python has an error at line {line}, listed under the program")
    );
    assert!(!said.contains("note above"));

    // Esc, then Tab: the keyboard leaves the editor, and the text is as it was.
    browser.press(Key::Escape).await;
    browser.press(Key::Tab).await;
    assert_ne!(browser.focused().await, "python");
    assert_eq!(browser.value_of(AREA).await, typed("\n    x = 1\n    "));

    browser.click("[data-tab=builder]").await;
    let banner = browser.text_of("[data-testid=locked]").await;
    assert!(
        banner.starts_with(&format!("The Python has an error at line {line}.")),
        "{banner}"
    );
    assert_eq!(
        browser
            .eval("document.querySelector('[data-testid=builder]').disabled")
            .await,
        true
    );
    // What the builder shows is the last program that read: the lesson, unchanged.
    let name = browser.value_of("input[data-field='scenario name']").await;
    assert_eq!(name, "gather");
    browser.screenshot("python-locks-builder").await;
    assert_accessible(&browser, "with the builder held by a Python mistake").await;
    browser.click("[data-tab=json]").await;
    assert_eq!(
        browser
            .eval("document.querySelector('[data-testid=json]').readOnly")
            .await,
        true
    );
    browser.click("[data-testid=locked] button").await;
    assert_eq!(browser.value_of(AREA).await, typed("\n    x = 1\n    "));

    // Mended key by key, it reads, and the builder is the builder again.
    browser
        .eval(
            "(() => { const a = document.querySelector('[data-testid=python]'); a.focus(); \
             a.setSelectionRange(a.value.length, a.value.length); return true; })()",
        )
        .await;
    let extra = "if True:\n    x = 1\n    ".chars().count();
    for _ in 0..extra {
        browser.press(Key::Backspace).await;
    }
    assert_eq!(browser.value_of(AREA).await, original);
    let status = settled(&browser).await;
    assert!(status.contains("runs as written"), "{status}");
    browser.click("[data-tab=builder]").await;
    assert_eq!(browser.count("[data-testid=locked]").await, 0);
    assert_eq!(
        browser
            .eval("document.querySelector('[data-testid=builder]').disabled")
            .await,
        false
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn ctrl_enter_pressed_with_the_last_keystroke_runs_the_program_as_typed() {
    let (_server, browser) = open_page().await;
    let gather = presets::find("gather").unwrap();
    browser.until_state("idle", "the page to connect").await;
    eventually("the page to be ready", || async {
        (browser.text_of("[data-run-state]").await == "ready: press Run").then_some(())
    })
    .await;
    caret_to_end(&browser).await;
    // The new line and Ctrl+Enter in one go, faster than the program can be read.
    let line = "print(\"typed last\")";
    browser
        .type_into(AREA, &format!("{line}{}{}", Key::Control, Key::Enter))
        .await;
    browser
        .until_state("completed", "the program as typed to run")
        .await;
    let lines = browser.console_lines().await.unwrap();
    assert_eq!(
        lines.last().map(String::as_str),
        Some("typed last"),
        "{lines:?}"
    );
    assert_eq!(lines.len(), gather.expected_output.len() + 1, "{lines:?}");
    assert!(browser.value_of(AREA).await.ends_with(line));
}
