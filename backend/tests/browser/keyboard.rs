//! The page with the keyboard alone: Run, Stop, the timeline's zoom, pan and details, and
//! the replay; checked by axe-core as it goes.

use fantoccini::key::Key;
use looplab_shared::presets;

use crate::a11y::assert_accessible;
use crate::harness::{Browser, eventually, open_page};

/// Presses Tab until `target` has the focus, and returns how many presses it took. In the
/// program's text Tab indents: Escape first lets the next Tab leave, as its hint says.
async fn tab_to(browser: &Browser, target: &str, at_most: usize) -> usize {
    let mut seen = Vec::new();
    for presses in 1..=at_most {
        if browser.focused().await == "python" {
            browser.press(Key::Escape).await;
        }
        browser.press(Key::Tab).await;
        let now = browser.focused().await;
        if now == target {
            return presses;
        }
        seen.push(now);
    }
    panic!("{target} not reached in {at_most} Tab presses: {seen:?}");
}

fn view_of(attr: &str) -> (u64, u64) {
    let (a, b) = attr.split_once('-').unwrap();
    (a.parse().unwrap(), b.parse().unwrap())
}

#[tokio::test(flavor = "multi_thread")]
async fn the_keyboard_alone_runs_stops_zooms_pans_reads_and_replays() {
    let (_server, browser) = open_page().await;
    // Everything a keyboard user meets first, with no run yet.
    browser.until_state("idle", "the page to connect").await;
    eventually("Run to enable", || async {
        (browser.text_of("[data-run-state]").await == "ready: press Run").then_some(())
    })
    .await;
    assert_accessible(&browser, "on the first lesson").await;

    // The lessons are one Tab stop: the arrow keys move within them without choosing.
    let lessons = presets::all();
    let to_list = tab_to(&browser, lessons[0].id, 3).await;
    browser.press(Key::Down).await;
    assert_eq!(browser.focused().await, lessons[1].id);
    assert_eq!(browser.text_of(".lesson-card h1").await, lessons[0].title);
    // Run is a few Tab stops away: the lessons, the challenges, the editor's tabs, the
    // program's text and its toolbar come before it (and "Skip to Run" jumps there).
    let presses = to_list + tab_to(&browser, "run", 7).await;
    assert!(presses <= 7, "Run is Tab stop {presses}");
    browser.press(Key::Enter).await;
    browser
        .until_state("running", "Enter on Run to start the run")
        .await;
    // The focus went from the disabled Run to Stop: Enter again stops.
    eventually("Stop to have the focus", || async {
        (browser.focused().await == "stop").then_some(())
    })
    .await;
    browser.press(Key::Enter).await;
    browser
        .until_state("stopped", "Enter on Stop to stop the run")
        .await;
    eventually("Run to have the focus back", || async {
        (browser.focused().await == "run").then_some(())
    })
    .await;
    browser.press(Key::Enter).await;
    browser
        .until_state("completed", "the second run to complete")
        .await;

    // The timeline: focus it, read a bar, move along and down, zoom and pan.
    tab_to(&browser, "timeline", 12).await;
    browser.press(Key::Right).await;
    let tip = browser.text_of("[data-testid=tooltip]").await;
    assert!(tip.starts_with("<module>"), "{tip}");
    browser.press(Key::Down).await;
    eventually("the cursor on main's row", || async {
        browser
            .text_of("[data-testid=tooltip]")
            .await
            .starts_with("main")
            .then_some(())
    })
    .await;
    browser.press(Key::Down).await;
    let tip = eventually("the cursor on task1's row", || async {
        let tip = browser.text_of("[data-testid=tooltip]").await;
        tip.starts_with("task1").then_some(tip)
    })
    .await;
    assert!(tip.contains("from "), "{tip}");
    browser.screenshot("keyboard-timeline").await;
    let whole = view_of(&browser.timeline_attr("data-view").await.unwrap());
    browser.press('+').await;
    let zoomed = eventually("the view to narrow", || async {
        let v = view_of(&browser.timeline_attr("data-view").await?);
        (v != whole).then_some(v)
    })
    .await;
    let (half, all) = (zoomed.1 - zoomed.0, whole.1 - whole.0);
    assert!(
        (half * 2).abs_diff(all) <= 1,
        "{zoomed:?} is not half of {whole:?}"
    );
    browser.press('d').await;
    let panned = eventually("the view to move later", || async {
        let v = view_of(&browser.timeline_attr("data-view").await?);
        (v.0 > zoomed.0).then_some(v)
    })
    .await;
    assert_eq!(
        panned.1 - panned.0,
        zoomed.1 - zoomed.0,
        "panning keeps the zoom"
    );
    browser.press('0').await;
    eventually("the whole run again", || async {
        (view_of(&browser.timeline_attr("data-view").await?) == whole).then_some(())
    })
    .await;

    // The replay: Home to the start, a tenth of the run per Page Up.
    tab_to(&browser, "replay-scrub", 12).await;
    browser.press(Key::Home).await;
    eventually("the console as of the start", || async {
        browser.console_lines().await?.is_empty().then_some(())
    })
    .await;
    for _ in 0..8 {
        browser.press(Key::PageUp).await;
    }
    let at = browser.text_of(".replay .at").await;
    let (shown, end) = at.split_once(" / ").unwrap();
    let secs = |s: &str| s.trim_end_matches(" s").parse::<f64>().unwrap();
    let expected = (secs(end) * 0.8 * 1000.0).round() / 1000.0;
    assert!(
        (secs(shown) - expected).abs() < 0.002,
        "{at}: 8 × a tenth is 80 %"
    );
    browser.press(Key::Right).await;
    let after = browser.text_of(".replay .at").await;
    let step = secs(after.split_once(" / ").unwrap().0) - secs(shown);
    assert!(
        (step - secs(end) / 100.0).abs() < 0.002,
        "an arrow moves a hundredth: {at} → {after}"
    );
    let lines = browser.console_lines().await.unwrap();
    assert_eq!(
        lines.len(),
        3,
        "at 80 % of gather task 2 is done, task 1 is not"
    );
    assert_accessible(&browser, "after a run, in a replay").await;

    // Afresh: the first Tab offers a way straight to Run.
    browser.client.refresh().await.unwrap();
    browser.until_state("idle", "the page to load again").await;
    browser.press(Key::Tab).await;
    assert_eq!(browser.focused().await, "skip");
    browser.press(Key::Enter).await;
    assert_eq!(browser.focused().await, "run");
}
