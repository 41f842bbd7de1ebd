//! The learner's own work survives: a changed lesson and its Python as typed are kept in the
//! browser, a new empty scenario leaves them a click away, and a reload brings them back.

use looplab_shared::presets;

use crate::a11y::assert_accessible;
use crate::harness::{Browser, eventually, open_page};

/// The names of the learner's programs in the list, newest first.
async fn programs(browser: &Browser) -> Vec<String> {
    let mut names = Vec::new();
    let found = browser
        .client
        .find_all(fantoccini::Locator::Css("[data-program]"))
        .await
        .unwrap();
    for e in found {
        names.push(e.text().await.unwrap());
    }
    names
}

#[tokio::test(flavor = "multi_thread")]
async fn a_learners_program_is_kept_through_a_new_scenario_and_a_reload() {
    let (_server, browser) = open_page().await;
    let gather = presets::find("gather").unwrap();
    assert!(programs(&browser).await.is_empty(), "nothing of theirs yet");

    // A lesson changed in the builder, then its Python added to, key by key.
    browser.click("[data-tab=builder]").await;
    let sleep = "[data-step='tasks[0].steps[1]'] input[data-field='seconds']";
    browser
        .type_into(sleep, &(fantoccini::key::Key::Control + "a"))
        .await;
    browser.type_into(sleep, "0.5").await;
    assert_eq!(programs(&browser).await, ["gather"]);
    let kept = browser.text_of("[data-testid=kept]").await;
    assert!(kept.starts_with("Kept in this browser"), "{kept}");
    browser.click("[data-tab=python]").await;
    browser
        .eval(
            "(() => { const a = document.querySelector('[data-testid=python]'); a.focus(); \
             a.setSelectionRange(a.value.length, a.value.length); return true; })()",
        )
        .await;
    browser.type_into("[data-testid=python]", "# my note").await;
    let typed = browser.value_of("[data-testid=python]").await;
    assert!(typed.contains("asyncio.sleep(0.5)") && typed.ends_with("# my note"));

    // A new empty scenario is a new program: the one before stays in the list.
    browser.click("[data-tab=builder]").await;
    browser.click("[data-testid=new-scenario]").await;
    let card = browser.text_of("[data-testid=lesson-card]").await;
    assert!(!card.contains(gather.title), "{card}");
    eventually("both programs in the list", || async {
        (programs(&browser).await.len() == 2).then_some(())
    })
    .await;
    browser.screenshot("programs-kept").await;
    assert_accessible(&browser, "with the learner's programs listed").await;

    // A reload opens the first lesson as written, and the programs are still there.
    browser.client.refresh().await.unwrap();
    assert_eq!(browser.text_of(".lesson-card h1").await, gather.title);
    let names = eventually("the kept programs after a reload", || async {
        let names = programs(&browser).await;
        (names.len() == 2).then_some(names)
    })
    .await;
    assert_eq!(names[1], "gather", "{names:?}");
    browser
        .click("[data-testid=programs] li:nth-child(2) button")
        .await;
    let card = browser.text_of("[data-testid=lesson-card]").await;
    assert!(card.starts_with("Your scenario: gather"), "{card}");
    assert!(
        card.contains(gather.title),
        "it says what it came from: {card}"
    );
    assert_eq!(browser.value_of("[data-testid=python]").await, typed);
    let status = eventually("the kept Python to be read again", || async {
        let s = browser.text_of("[data-testid=parse-status]").await;
        (!s.starts_with("Reading")).then_some(s)
    })
    .await;
    assert!(status.contains("runs as written"), "{status}");
    browser.click("[data-tab=builder]").await;
    assert_eq!(browser.value_of(sleep).await, "0.5");
}
