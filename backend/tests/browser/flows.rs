//! Whole flows as a learner goes through them: typing key by key, changing a lesson and
//! running it, switching lessons in the middle of things, broken JSON, a server lesson.

use fantoccini::Locator;
use fantoccini::key::Key;
use looplab_shared::presets;

use crate::a11y::assert_accessible;
use crate::harness::{Browser, eventually, open_page};

/// The first task's sleep in the gather lesson, in the builder.
const FIRST_SLEEP: &str = "[data-step='tasks[0].steps[1]'] input[data-field='seconds']";

/// Selects everything in the field at `css` and types `text` over it key by key, checking
/// after every key that the field shows exactly what was typed so far.
async fn retype(browser: &Browser, css: &str, text: &str) {
    browser.type_into(css, &(Key::Control + "a")).await;
    let mut typed = String::new();
    for c in text.chars() {
        browser.type_into(css, &c.to_string()).await;
        typed.push(c);
        let shown = browser.value_of(css).await;
        assert_eq!(shown, typed, "{css} after typing {typed:?}");
    }
}

/// The texts of every element at `css`.
async fn texts(browser: &Browser, css: &str) -> Vec<String> {
    let mut out = Vec::new();
    for e in browser.client.find_all(Locator::Css(css)).await.unwrap() {
        out.push(e.text().await.unwrap());
    }
    out
}

#[tokio::test(flavor = "multi_thread")]
async fn a_learner_speeds_up_a_lesson_then_makes_it_their_own() {
    let (_server, browser) = open_page().await;
    let gather = presets::find("gather").unwrap();

    // Half speed, typed as a person types it: 0, 0., 0.5.
    browser.click("[data-tab=builder]").await;
    retype(&browser, "input[data-field='time scale']", "0.5").await;
    assert_accessible(&browser, "in the builder").await;
    browser.click("[data-tab=python]").await;
    // A new speed is still the lesson: its text and its expected output stay.
    assert_eq!(browser.text_of(".lesson-card h1").await, gather.title);
    browser.press_run().await;
    browser
        .until_state("completed", "the run at half speed")
        .await;
    let status = browser.text_of("[data-run-state]").await;
    assert!(status.contains("(ideal 1.000 s)"), "{status}");
    assert!(texts(&browser, ".lines .differs").await.is_empty());

    // Renamed, it is still the lesson: the program is the same.
    browser.click("[data-tab=builder]").await;
    retype(&browser, "input[data-field='scenario name']", "mine").await;
    assert_eq!(browser.text_of(".lesson-card h1").await, gather.title);
    // A step changed, it is the learner's: no lesson text, no expected output, nothing
    // marked.
    retype(&browser, FIRST_SLEEP, "1.5").await;
    let card = browser.text_of("[data-testid=lesson-card]").await;
    assert!(card.starts_with("Your scenario: mine"), "{card}");
    assert!(
        card.contains(gather.title),
        "it says what it came from: {card}"
    );
    assert!(
        browser.count("[data-preset].active").await == 0,
        "no lesson is highlighted as the one on screen"
    );
    assert_eq!(texts(&browser, "[data-program].active").await, ["mine"]);
    assert_eq!(texts(&browser, ".lesson-link.from").await, [gather.title]);
    assert_eq!(browser.count("[data-testid=expected]").await, 0);
    browser.press_run().await;
    browser.until_state("completed", "the learner's run").await;
    assert_eq!(
        browser.console_lines().await.unwrap(),
        gather.expected_output
    );
    assert!(texts(&browser, ".lines .differs").await.is_empty());
    browser.screenshot("edited-lesson").await;

    // Compare sets it beside the lesson as written, not beside the lesson's other variants.
    browser.click("[data-testid=compare]").await;
    eventually("both variants to run", || async {
        let c = browser
            .client
            .find(Locator::Css("[data-testid=comparison]"))
            .await
            .ok()?;
        (c.attr("data-done").await.ok()?? == "true").then_some(())
    })
    .await;
    let labels = texts(&browser, "[data-testid=comparison-row] th").await;
    assert_eq!(
        labels,
        ["Your version", &format!("{} (as written)", gather.title)]
    );
    let console = browser.text_of("[data-testid=console-title]").await;
    assert_eq!(
        console,
        format!("CONSOLE — {} (AS WRITTEN)", gather.title.to_uppercase())
    );

    // A new empty scenario comes from no lesson at all.
    browser.click("[data-testid=close-comparison]").await;
    // Closed, it leaves no variant's run under the learner's scenario.
    browser
        .until_state("idle", "the page to be ready to run the learner's scenario")
        .await;
    no_run_shown(&browser).await;
    browser.click("[data-testid=new-scenario]").await;
    let card = browser.text_of("[data-testid=lesson-card]").await;
    assert!(!card.contains(gather.title), "{card}");
}

#[tokio::test(flavor = "multi_thread")]
async fn every_number_field_takes_what_is_typed_key_by_key() {
    let (_server, browser) = open_page().await;
    // The lesson with the most kinds of numbers: a pool, steps, requests.
    browser.click("[data-preset=responsive-server]").await;
    browser.click("[data-tab=builder]").await;
    retype(&browser, "input[data-field='time scale']", "0.25").await;
    let fields = browser
        .client
        .find_all(Locator::Css(".builder input[type=number]"))
        .await
        .unwrap();
    assert!(fields.len() >= 5, "{} number fields", fields.len());
    for i in 0..fields.len() {
        // Each field by its place: a builder re-render may replace the elements.
        let field = &browser
            .client
            .find_all(Locator::Css(".builder input[type=number]"))
            .await
            .unwrap()[i];
        field.send_keys(&(Key::Control + "a")).await.unwrap();
        let mut typed = String::new();
        for c in "12".chars() {
            field.send_keys(&c.to_string()).await.unwrap();
            typed.push(c);
            let shown = field.prop("value").await.unwrap().unwrap_or_default();
            let name = field.attr("data-field").await.unwrap().unwrap_or_default();
            assert_eq!(shown, typed, "field {i} ({name}) after typing {typed:?}");
        }
    }
    // What was typed is the scenario.
    browser.click("[data-tab=json]").await;
    let json: serde_json::Value =
        serde_json::from_str(&browser.value_of("[data-testid=json]").await).unwrap();
    assert_eq!(json["time_scale"], 0.25);
    assert_eq!(json["server"]["traffic"][0]["every_ms"], 12);
    assert_eq!(json["server"]["traffic"][1]["at_ms"], 12);
}

#[tokio::test(flavor = "multi_thread")]
async fn switching_lessons_mid_run_and_after_leaves_nothing_of_the_old_one() {
    let (_server, browser) = open_page().await;
    let thread_pool = presets::find("thread-pool").unwrap();

    browser.press_run().await;
    eventually("gather to be under way", || async {
        (browser.run_state().await? == "running" && browser.console_lines().await?.len() == 2)
            .then_some(())
    })
    .await;
    browser.click("[data-preset=thread-pool]").await;
    // The new lesson, ready to run: no old bars under the hint, no old lines.
    browser
        .until_state("idle", "the page to be ready for the new lesson")
        .await;
    // The timeline is the new lesson's ideal schedule: its rows, no bars.
    no_run_shown(&browser).await;
    let labels = browser.timeline_attr("data-lane-labels").await.unwrap();
    assert!(labels.contains("blocking_task('Thread-1')"), "{labels}");
    assert!(
        !labels.contains("task1"),
        "nothing of gather's rows: {labels}"
    );
    assert!(browser.console_lines().await.unwrap().is_empty());
    browser.screenshot("switched-mid-run").await;

    browser.press_run().await;
    browser.until_state("completed", "thread-pool to run").await;
    let lines = browser.console_lines().await.unwrap();
    let lines: Vec<&str> = lines.iter().map(String::as_str).collect();
    assert!(thread_pool.output_matches(&lines), "{lines:?}");

    // A comparison belongs to its lesson too.
    browser.click("[data-testid=compare]").await;
    let title = eventually("the console to say which variant it shows", || async {
        let t = browser.text_of("[data-testid=console-title]").await;
        t.contains('—').then_some(t)
    })
    .await;
    assert!(title.starts_with("CONSOLE — "), "{title}");
    browser.click("[data-preset=gil]").await;
    eventually("the comparison to close", || async {
        (browser.count("[data-testid=comparison]").await == 0).then_some(())
    })
    .await;
    no_run_shown(&browser).await;
    assert_eq!(
        browser.text_of("[data-testid=console-title]").await,
        "CONSOLE"
    );
}

/// No run on the timeline: only the ideal schedule of the program on screen, no bar.
async fn no_run_shown(browser: &Browser) {
    eventually("the timeline to show the schedule, not a run", || async {
        let bars = browser.timeline_attr("data-bars").await?;
        (bars == "0" && browser.count("[data-testid=predicted]").await == 1).then_some(())
    })
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn broken_json_is_explained_in_words_and_run_waits_for_it() {
    let (_server, browser) = open_page().await;
    browser.click("[data-tab=json]").await;
    let broken = "{\"name\": \"mine\", \"main\": [}";
    browser
        .type_into("[data-testid=json]", &(Key::Control + "a"))
        .await;
    browser.type_into("[data-testid=json]", broken).await;
    let error = eventually("the error under the JSON", || async {
        let e = browser.text_of("[data-testid=json-error]").await;
        (!e.is_empty()).then_some(e)
    })
    .await;
    assert_eq!(
        error,
        "Line 1, column 27: expected a value here: a number, text in double quotes, true, false, a [list] or an {object}"
    );
    let run = browser
        .client
        .find(Locator::Css("[data-testid=run]"))
        .await
        .unwrap();
    assert!(
        !run.is_enabled().await.unwrap(),
        "Run must not run the last good JSON"
    );
    browser
        .until_state("invalid", "the status to say Run waits")
        .await;
    // In every tab: the program is not what the JSON says, so Run still waits.
    browser.click("[data-tab=python]").await;
    let notice = browser.text_of("[data-testid=invalid]").await;
    assert!(notice.contains("line 1, column 27"), "{notice}");
    assert!(!run.is_enabled().await.unwrap());
    browser.screenshot("broken-json").await;
    assert_accessible(&browser, "with broken JSON").await;
    // The text is kept as typed; mended, it runs as written.
    browser.click("[data-tab=json]").await;
    assert_eq!(browser.value_of("[data-testid=json]").await, broken);
    browser
        .type_into("[data-testid=json]", &Key::Backspace.to_string())
        .await;
    browser
        .type_into(
            "[data-testid=json]",
            r#"{"type": "print", "text": "mended"}]}"#,
        )
        .await;
    browser.press_run().await;
    browser
        .until_state("completed", "the mended scenario to run")
        .await;
    assert_eq!(browser.console_lines().await.unwrap(), ["mended"]);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_server_lesson_opens_with_the_row_it_is_about_in_view() {
    let (_server, browser) = open_page().await;
    browser.click("[data-preset=responsive-server]").await;
    browser.press_run().await;
    browser
        .until_state("completed", "the server lesson to run")
        .await;
    // Eighteen requests share one lane: the compute job is on the first screen.
    let labels = browser.timeline_attr("data-lane-labels").await.unwrap();
    let rows: Vec<&str> = labels.split(',').collect();
    assert_eq!(rows[..2], ["<module>", "▸ 18 requests: GET /"], "{labels}");
    assert!(rows.iter().any(|r| r.starts_with("compute")), "{labels}");
    assert_eq!(
        browser.timeline_attr("data-lanes").await.unwrap(),
        rows.len().to_string()
    );
    browser.screenshot("server-folded").await;
    // Opened on request, and folded again.
    browser.click("[data-testid=expand]").await;
    // The module, each request (18 for `/`, 1 for `/compute`) and the compute job.
    eventually("a row per request", || async {
        (browser.timeline_attr("data-lanes").await? == "21").then_some(())
    })
    .await;
    browser.click("[data-testid=expand]").await;
    eventually("one lane again", || async {
        (browser.timeline_attr("data-lanes").await? == "4").then_some(())
    })
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_scrubbed_replay_shows_the_lag_and_latency_measured_by_then() {
    let server = crate::harness::Server::start().await;
    let browser = Browser::start().await;
    browser.client.goto(&server.url).await.unwrap();
    browser
        .click("[data-preset=responsive-server-inline]")
        .await;
    browser.press_run().await;
    browser
        .until_state("completed", "the frozen server to run")
        .await;
    let ms = |text: String| -> f64 {
        let (v, unit) = text.split_once(' ').unwrap();
        let v: f64 = v.parse().unwrap();
        match unit {
            "s" => v * 1e3,
            "ms" => v,
            "µs" => v / 1e3,
            _ => v / 1e6,
        }
    };
    let whole = ms(browser.text_of("[data-summary=lag]").await);
    assert!(
        whole > 1_000.0,
        "the 1.5 s computation held the loop: {whole} ms"
    );
    // Before the computation began (at 100 ms) the loop had not lagged, and no request had
    // waited for it.
    browser
        .set_input("[data-testid=replay-scrub]", "90000000")
        .await;
    let early = eventually("the summary as of 90 ms", || async {
        let lag = ms(browser.text_of("[data-summary=lag]").await);
        (lag < 100.0).then_some(lag)
    })
    .await;
    assert!(early < 50.0, "{early} ms");
    let latency = browser.text_of("[data-summary=latency]").await;
    assert!(latency.ends_with("(1 request)"), "{latency}");
}
