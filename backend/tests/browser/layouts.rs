//! The page at a desktop's, a laptop's and a phone's size, and through a window resize.

use crate::a11y::assert_accessible;
use crate::harness::{Browser, Server, eventually};

/// How far the page reaches past the window's right edge, in CSS pixels.
async fn too_wide(browser: &Browser) -> f64 {
    number(browser, "document.documentElement.scrollWidth - innerWidth").await
}

/// The number a JavaScript expression gives.
async fn number(browser: &Browser, expression: &str) -> f64 {
    browser.eval(expression).await.as_f64().unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn the_page_reads_and_runs_at_desktop_laptop_and_phone_sizes() {
    let server = Server::start().await;
    for (width, height) in [(1400, 900), (1000, 700), (390, 844)] {
        let size = format!("{width}x{height}");
        let browser = Browser::start_sized(width, height).await;
        browser.client.goto(&server.url).await.unwrap();
        browser.click("[data-preset=thread-pool]").await;
        assert_eq!(
            number(&browser, "window.innerWidth").await,
            f64::from(width)
        );
        browser.screenshot(&format!("layout-{size}-opened")).await;
        // The lesson, the program and Run are there, and nothing runs off the side.
        for css in [".lesson-card h1", ".python-view", "[data-testid=run]"] {
            let shown = format!(
                "(() => {{ const r = document.querySelector('{css}').getBoundingClientRect(); \
                 return r.width > 0 && r.left >= 0 && r.right <= innerWidth; }})()"
            );
            assert_eq!(browser.eval(&shown).await, true, "{css} at {size}");
        }
        let overflow = too_wide(&browser).await;
        assert!(
            overflow <= 0.0,
            "the page is {overflow} px wider than the window at {size}"
        );
        // Run is on the first screen, whole and on top, however tall the program is.
        assert!(
            browser.in_view("[data-testid=run]").await,
            "Run is not on the first screen at {size}"
        );

        browser.press_run().await;
        // Whatever the height, the timeline that fills is in view.
        let top = number(
            &browser,
            "document.querySelector('.timeline').getBoundingClientRect().top",
        )
        .await;
        assert!(
            top < f64::from(height) - 200.0,
            "the timeline starts at {top} px at {size}"
        );
        browser.until_state("completed", "the run").await;
        let canvas = number(
            &browser,
            "document.querySelector('[data-testid=timeline]').getBoundingClientRect().right",
        )
        .await;
        assert!(
            canvas <= f64::from(width),
            "the timeline ends at {canvas} px at {size}"
        );
        let overflow = too_wide(&browser).await;
        assert!(
            overflow <= 0.0,
            "with a run, {overflow} px too wide at {size}"
        );
        browser.screenshot(&format!("layout-{size}")).await;
        assert_accessible(&browser, &format!("at {size}")).await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn the_timeline_follows_the_window_and_its_details_are_never_cut_off() {
    let server = Server::start().await;
    let browser = Browser::start_sized(1400, 900).await;
    browser.client.goto(&server.url).await.unwrap();
    browser.press_run().await;
    browser.until_state("completed", "gather").await;
    let drawn = || async {
        let width: f64 = browser
            .timeline_attr("data-width")
            .await
            .unwrap()
            .parse()
            .unwrap();
        let room = number(
            &browser,
            "document.querySelector('.canvas-box').clientWidth",
        )
        .await;
        (width, room)
    };
    let (wide, room) = drawn().await;
    assert_eq!(wide, room, "the canvas is as wide as its box");

    browser.resize(1000, 700).await;
    let narrow = eventually("the canvas to follow the narrower window", || async {
        let (width, room) = drawn().await;
        (width == room && width < wide - 300.0).then_some(width)
    })
    .await;
    let scrolls = number(
        &browser,
        "(b => b.scrollWidth - b.clientWidth)(document.querySelector('.canvas-box'))",
    )
    .await;
    assert_eq!(scrolls, 0.0, "no sideways scrollbar under the timeline");
    // The last of three rows, at the bottom of the narrower window: the details show
    // whole, above the pointer.
    let hover = r#"
        const c = document.querySelector('[data-testid=timeline]');
        c.scrollIntoView({block: 'end'});
        const r = c.getBoundingClientRect();
        const x = 230 + (r.width - 230 - 32) * 0.4, y = r.height - 12;
        c.dispatchEvent(new MouseEvent('mousemove', {clientX: r.left + x, clientY: r.top + y, bubbles: true}));
    "#;
    browser.client.execute(hover, vec![]).await.unwrap();
    let tip = browser.text_of("[data-testid=tooltip]").await;
    assert_eq!(tip.lines().count(), 4, "{tip}");
    let whole = r#"
        const t = document.querySelector('[data-testid=tooltip]').getBoundingClientRect();
        const b = document.querySelector('.canvas-box');
        return t.left >= 0 && t.top >= 0 && t.right <= innerWidth && t.bottom <= innerHeight
            && b.scrollWidth <= b.clientWidth
            && document.querySelector('[data-testid=tooltip]').scrollHeight
                <= document.querySelector('[data-testid=tooltip]').clientHeight;
    "#;
    assert_eq!(
        browser.client.execute(whole, vec![]).await.unwrap(),
        true,
        "the details box is cut off"
    );
    browser.screenshot("tooltip-bottom").await;

    browser.resize(1400, 900).await;
    eventually("the canvas to grow back", || async {
        let (width, room) = drawn().await;
        (width == room && width > narrow + 300.0).then_some(())
    })
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_readme_picture_shows_a_teachers_link_run_as_the_page_is_now() {
    use looplab_shared::share::{Shared, encode};
    let server = Server::start().await;
    let browser = Browser::start_sized(1400, 1200).await;
    let mut scenario = looplab_shared::presets::find("thread-pool")
        .unwrap()
        .scenario();
    scenario.time_scale = 0.05;
    let note =
        "Two blocking calls on two pool threads: both sleep at once, and the loop stays free.";
    let shared = Shared {
        scenario,
        note: note.into(),
        run_on_open: true,
        goals: Vec::new(),
        ask: None,
    };
    let link = format!("{}#{}", server.url, encode(&shared));
    browser.client.goto(&link).await.unwrap();
    browser
        .until_state("completed", "the link to run by itself")
        .await;
    assert_eq!(browser.text_of("[data-testid=teacher-note]").await, note);
    assert!(too_wide(&browser).await <= 0.0);
    // docs/playground.png is this picture.
    browser.screenshot("playground").await;
}

#[tokio::test(flavor = "multi_thread")]
async fn on_a_phone_the_timeline_labels_and_the_findings_read_whole() {
    let server = Server::start().await;
    let browser = Browser::start_sized(390, 844).await;
    browser.client.goto(&server.url).await.unwrap();
    browser.click("[data-preset=blocking-the-loop]").await;
    browser.press_run().await;
    browser.until_state("completed", "the blocked run").await;
    browser
        .eval("document.querySelector('.timeline').scrollIntoView()")
        .await;
    browser.screenshot("phone-timeline").await;
    browser
        .eval("document.querySelector('[data-testid=lints]').scrollIntoView()")
        .await;
    browser.screenshot("phone-findings").await;
    // Nothing in the findings runs past its box or the window.
    let cut = r#"return [...document.querySelectorAll('[data-testid=lints] *')]
        .filter(e => e.scrollWidth > e.clientWidth + 1 || e.getBoundingClientRect().right > innerWidth)
        .map(e => e.tagName + ': ' + e.textContent.slice(0, 40));"#;
    let cut = browser.client.execute(cut, vec![]).await.unwrap();
    assert_eq!(cut, serde_json::json!([]), "cut off in the findings");

    // A lesson whose rows are deep and end stuck: the screenshot is the check of its labels.
    browser.click("[data-preset=lock-order-deadlock]").await;
    browser.press_run().await;
    eventually("the lesson to deadlock", || async {
        let status = browser.text_of("[data-run-state]").await;
        status.starts_with("deadlocked").then_some(())
    })
    .await;
    browser
        .eval("document.querySelector('.timeline').scrollIntoView()")
        .await;
    browser.screenshot("phone-deadlock").await;
    assert!(too_wide(&browser).await <= 0.0);
}
