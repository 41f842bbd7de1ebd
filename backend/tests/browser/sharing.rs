//! Links as teachers and learners pass them around: pasted into a tab already open, kept out
//! of the address bar once the page moves on, a long note in a fresh browser.

use fantoccini::Locator;
use fantoccini::key::Key;
use looplab_shared::presets;
use looplab_shared::share::{Shared, decode, encode};

use crate::harness::{Browser, eventually, open_page};

#[tokio::test(flavor = "multi_thread")]
async fn a_link_pasted_into_the_open_page_opens_there_and_leaves_the_address_bar_after() {
    let (server, browser) = open_page().await;
    let page = &browser.client;
    browser.until_state("idle", "the page to load").await;
    page.execute("window.stayed = true;", vec![]).await.unwrap();
    let thread_pool = presets::find("thread-pool").unwrap();
    let link = format!(
        "{}#{}",
        server.url,
        encode(&Shared {
            scenario: thread_pool.scenario(),
            note: "Watch both lanes.".into(),
            run_on_open: true,
            goals: Vec::new(),
            ask: None,
        })
    );
    // Pasted into the address bar of the open tab: the page does not reload, it opens it.
    page.goto(&link).await.unwrap();
    assert_eq!(
        browser.text_of("[data-testid=teacher-note]").await,
        "Watch both lanes."
    );
    assert_eq!(browser.text_of(".lesson-card h1").await, thread_pool.title);
    browser
        .until_state("completed", "the pasted link to run by itself")
        .await;
    assert_eq!(
        browser.eval("window.stayed === true").await,
        true,
        "the page reloaded"
    );

    // Another lesson: the link leaves the address bar, so a reload does not run it again.
    browser.click("[data-preset=gil]").await;
    eventually("the fragment to leave the address bar", || async {
        (browser.eval("location.hash").await == "").then_some(())
    })
    .await;
    page.refresh().await.unwrap();
    assert_eq!(
        browser.text_of(".lesson-card h1").await,
        presets::all()[0].title
    );
    browser.until_state("idle", "the page to load again").await;
    eventually("the page to connect and stay idle", || async {
        (browser.text_of("[data-run-state]").await == "ready: press Run").then_some(())
    })
    .await;
    assert_eq!(browser.count("[data-testid=teacher-note]").await, 0);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_teachers_long_note_arrives_whole_and_stays_with_its_lesson() {
    let (_server, teacher) = open_page().await;
    teacher.click("[data-preset=gil]").await;
    teacher.click(".share summary").await;
    let note: String = "Watch the yellow: the two jobs wait for the GIL in turns. "
        .repeat(16)
        .chars()
        .take(900)
        .collect();
    teacher.type_into("[data-testid=share-note]", &note).await;
    assert_eq!(teacher.value_of("[data-testid=share-note]").await, note);
    assert_eq!(
        teacher.text_of("[data-testid=share-note-room]").await,
        "900 of 1,000 characters"
    );
    teacher.click("[data-testid=share-run]").await;
    let link = teacher.value_of("[data-testid=share-link]").await;

    // "Copied" only when the clipboard took it.
    teacher.click("[data-testid=copy-link]").await;
    let said = eventually("the clipboard's answer", || async {
        let s = teacher.text_of("[data-testid=copy-status]").await;
        (s.contains("clipboard") || s.contains("did not allow")).then_some(s)
    })
    .await;
    if said.contains("on the clipboard") {
        // Read back as a person would: pasted with Ctrl+V into a field of its own.
        let field = "const t = document.createElement('textarea'); t.id = 'pasted'; \
                     document.body.append(t); t.focus();";
        teacher.client.execute(field, vec![]).await.unwrap();
        teacher.type_into("#pasted", &(Key::Control + "v")).await;
        assert_eq!(teacher.value_of("#pasted").await, link, "said: {said}");
        teacher
            .client
            .execute("document.getElementById('pasted').remove();", vec![])
            .await
            .unwrap();
    }

    // Pasted past its limit, the note keeps what fits and says so.
    teacher
        .set_input("[data-testid=share-note]", &"é".repeat(600))
        .await;
    let room = teacher.text_of("[data-testid=share-note-room]").await;
    assert!(
        room.starts_with("The note is full at 500 characters: 1000 of 1,000 bytes"),
        "{room}"
    );
    let kept = teacher.value_of("[data-testid=share-note]").await;
    assert_eq!(kept.chars().count(), 500, "1,000 bytes of two-byte letters");

    // The note and the switch were for this lesson, not for the next one.
    teacher.click("[data-preset=gather]").await;
    assert_eq!(teacher.value_of("[data-testid=share-note]").await, "");
    let run_on_open = teacher
        .client
        .find(Locator::Css("[data-testid=share-run]"))
        .await
        .unwrap();
    assert_eq!(
        run_on_open.prop("checked").await.unwrap().as_deref(),
        Some("false")
    );
    let other = teacher.value_of("[data-testid=share-link]").await;
    let other = decode(other.split_once('#').unwrap().1, 2).unwrap();
    assert_eq!((other.note.as_str(), other.run_on_open), ("", false));

    // A learner's fresh browser: the whole note, the lesson, and it runs.
    let learner = Browser::start().await;
    learner.client.goto(&link).await.unwrap();
    assert_eq!(
        learner.text_of("[data-testid=teacher-note]").await,
        note.trim_end()
    );
    assert_eq!(
        learner.text_of(".lesson-card h1").await,
        presets::find("gil").unwrap().title
    );
    learner
        .until_state("completed", "the link to run by itself")
        .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_link_that_runs_on_opening_keeps_the_teachers_note_in_view() {
    let server = crate::harness::Server::start().await;
    let note = "Watch how the two tasks overlap.";
    let link = format!(
        "{}#{}",
        server.url,
        encode(&Shared {
            scenario: presets::find("gather").unwrap().scenario(),
            note: note.into(),
            run_on_open: true,
            goals: Vec::new(),
            ask: None,
        })
    );
    for (width, height) in [(1400, 900), (1000, 700)] {
        let browser = Browser::start_sized(width, height).await;
        browser.client.goto(&link).await.unwrap();
        browser
            .until_state("running", "the link to run by itself")
            .await;
        assert_eq!(browser.text_of("[data-testid=teacher-note]").await, note);
        assert!(
            browser.in_view("[data-testid=teacher-note]").await,
            "the note scrolled away as the run started at {width}x{height}"
        );
        browser.until_state("completed", "the link's run").await;
        assert!(
            browser.in_view("[data-testid=teacher-note]").await,
            "the note scrolled away during the run at {width}x{height}"
        );
        assert!(browser.in_view("[data-testid=run]").await);
        browser
            .screenshot(&format!("link-ran-{width}x{height}"))
            .await;
    }
}
