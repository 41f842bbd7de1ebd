//! End-to-end: the real `looplab` binary serving the built page, driven through headless
//! Debian Chromium as a learner would use it. `scripts/test.sh` builds the page and installs
//! Chromium and its driver first.

mod harness;

use fantoccini::Locator;
use looplab_shared::presets;

use harness::{Browser, Server, eventually};

#[tokio::test(flavor = "multi_thread")]
async fn a_learner_runs_gather_and_watches_it_live() {
    let server = Server::start().await;
    let browser = Browser::start().await;
    let page = &browser.client;
    page.goto(&server.url).await.unwrap();

    browser.press_run().await;

    // Live: both "started" lines, and a lane per task, are on screen while the run still goes.
    eventually("both tasks to start while the run is live", || async {
        let lines = browser.console_lines().await?;
        let lanes = browser.timeline_attr("data-lanes").await?;
        (browser.run_state().await? == "running" && lines.len() == 2 && lanes == "3").then_some(())
    })
    .await;

    browser
        .until_state("completed", "the run to complete")
        .await;
    let expected = presets::find("gather").unwrap().expected_output;
    assert_eq!(browser.console_lines().await.unwrap(), expected);
    assert_eq!(
        browser.timeline_attr("data-lane-labels").await.unwrap(),
        "main,task1,task2"
    );
    // Each of main, task1 and task2: created, running, suspended at an await, running again.
    assert_eq!(browser.timeline_attr("data-bars").await.unwrap(), "12");
    let status = page
        .find(Locator::Css("[data-run-state]"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(status.starts_with("completed in 2"), "{status}");
    // Zoom in and back out with the buttons.
    let fitted = browser.timeline_attr("data-view").await.unwrap();
    browser.click("[data-testid=zoom-in]").await;
    let zoomed = eventually("the view to narrow", || async {
        let now = browser.timeline_attr("data-view").await?;
        (now != fitted).then_some(now)
    })
    .await;
    let width = |v: &str| {
        let (a, b) = v.split_once('-').unwrap();
        b.parse::<u64>().unwrap() - a.parse::<u64>().unwrap()
    };
    let (half, whole) = (width(&zoomed), width(&fitted));
    assert!(
        (half * 2).abs_diff(whole) <= 1,
        "{zoomed} is not half of {fitted}"
    );
    browser.click("[data-testid=zoom-fit]").await;
    eventually("the whole run again", || async {
        (browser.timeline_attr("data-view").await? == fitted).then_some(())
    })
    .await;

    // Hovering task1's row a third of the way along shows it asleep at its await.
    let hover = r#"
        const c = document.querySelector('[data-testid=timeline]');
        const r = c.getBoundingClientRect();
        const x = 200 + (r.width - 200 - 32) / 3, y = 26 + 30 * 1.5;
        c.dispatchEvent(new MouseEvent('mousemove', {clientX: r.left + x, clientY: r.top + y, bubbles: true}));
    "#;
    page.execute(hover, vec![]).await.unwrap();
    let tip = eventually("the tooltip", || async {
        page.find(Locator::Css("[data-testid=tooltip]"))
            .await
            .ok()?
            .text()
            .await
            .ok()
    })
    .await;
    assert!(tip.contains("task1") && tip.contains("suspended"), "{tip}");
    browser.screenshot("gather-completed").await;

    // Replay: at 1.5 s task 1 was still asleep (it wakes at 2 s), so the console shows a
    // beginning of the lesson's output, and the timeline fewer bars than at the end.
    browser
        .set_input("[data-testid=replay-scrub]", "1500000000")
        .await;
    let at_1_5 = eventually("the console as of 1.5 s", || async {
        let lines = browser.console_lines().await?;
        (1..=3).contains(&lines.len()).then_some(lines)
    })
    .await;
    assert_eq!(at_1_5, expected[..at_1_5.len()]);
    let bars: usize = browser
        .timeline_attr("data-bars")
        .await
        .unwrap()
        .parse()
        .unwrap();
    assert!(
        bars < 12,
        "{bars} bars at 1.5 s: the timeline shows the end"
    );
    // Back to the start, then play at 4×: the lines come back one by one.
    browser.set_input("[data-testid=replay-scrub]", "0").await;
    eventually("the console as of the start", || async {
        browser.console_lines().await?.is_empty().then_some(())
    })
    .await;
    browser
        .choose("[data-testid=replay] select[data-field=speed]", "4×")
        .await;
    browser.click("[data-testid=replay-play]").await;
    eventually("the replay to pass the middle", || async {
        (1..=3)
            .contains(&browser.console_lines().await?.len())
            .then_some(())
    })
    .await;
    eventually("the replay to reach the end", || async {
        (browser.console_lines().await?.len() == 4).then_some(())
    })
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_learner_picks_another_lesson_and_runs_it() {
    let server = Server::start().await;
    let browser = Browser::start().await;
    let page = &browser.client;
    page.goto(&server.url).await.unwrap();
    let gil = presets::find("gil").unwrap();

    browser.click("[data-preset=gil]").await;
    eventually("the GIL lesson to show", || async {
        let title = page
            .find(Locator::Css(".lesson-card h1"))
            .await
            .ok()?
            .text()
            .await
            .ok()?;
        (title == gil.title).then_some(())
    })
    .await;
    browser.press_run().await;
    browser
        .until_state("completed", "the run to complete")
        .await;
    let lines = browser.console_lines().await.unwrap();
    let lines: Vec<&str> = lines.iter().map(String::as_str).collect();
    assert!(gil.output_matches(&lines), "{lines:?}");
    // Lines that may come in either order are not marked as wrong.
    let marked = page
        .find_all(Locator::Css(".lines .differs"))
        .await
        .unwrap();
    assert!(
        marked.is_empty(),
        "{} correct lines marked as differing",
        marked.len()
    );
    // Rows follow the pool's workers; which worker took which job is up to the race.
    let labels = browser.timeline_attr("data-lane-labels").await.unwrap();
    let mut rows: Vec<&str> = labels.split(',').collect();
    rows[1..].sort_unstable();
    assert_eq!(rows, ["main", "job(Job-A)", "job(Job-B)"]);
    browser.screenshot("gil-completed").await;

    // Export the run as a Chrome trace and read it back as Perfetto would.
    browser.click("[data-testid=export-trace]").await;
    let href = eventually("the trace link", || async {
        page.find(Locator::Css("[data-testid=trace-link]"))
            .await
            .ok()?
            .attr("href")
            .await
            .ok()?
    })
    .await;
    let fetch = "const [url, done] = arguments; fetch(url).then(r => r.text()).then(done);";
    let text = page.execute_async(fetch, vec![href.into()]).await.unwrap();
    let trace: serde_json::Value = serde_json::from_str(text.as_str().unwrap()).unwrap();
    let events = trace["traceEvents"].as_array().unwrap();
    let job_threads: std::collections::BTreeSet<u64> = events
        .iter()
        .filter(|e| e["ph"] == "X" && e["name"].as_str().unwrap_or("").starts_with("job("))
        .map(|e| e["tid"].as_u64().unwrap())
        .collect();
    assert_eq!(
        job_threads.len(),
        2,
        "the two jobs ran on two threads: {job_threads:?}"
    );
    let waits = events
        .iter()
        .filter(|e| e["cat"] == "waiting for the GIL")
        .count();
    assert!(waits > 10, "only {waits} GIL waits in the trace");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_teachers_link_opens_the_same_scenario_with_its_note_and_runs() {
    let server = Server::start().await;
    let browser = Browser::start().await;
    let page = &browser.client;
    page.goto(&server.url).await.unwrap();

    browser.click("[data-preset=thread-pool]").await;
    browser.click(".share summary").await;
    let note = "Both threads sleep at once: watch the two lanes.";
    page.find(Locator::Css("[data-testid=share-note]"))
        .await
        .unwrap()
        .send_keys(note)
        .await
        .unwrap();
    browser.click("[data-testid=share-run]").await;
    let link = page
        .find(Locator::Css("[data-testid=share-link]"))
        .await
        .unwrap()
        .prop("value")
        .await
        .unwrap()
        .unwrap();
    assert!(
        link.starts_with(&server.url) && link.contains("#v1."),
        "{link}"
    );

    // A learner opens it in a fresh page.
    page.goto("about:blank").await.unwrap();
    page.goto(&link).await.unwrap();
    let shown = eventually("the teacher's note", || async {
        page.find(Locator::Css("[data-testid=teacher-note]"))
            .await
            .ok()?
            .text()
            .await
            .ok()
    })
    .await;
    assert_eq!(shown, note);
    let title = page
        .find(Locator::Css(".lesson-card h1"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(title, presets::find("thread-pool").unwrap().title);
    // It runs by itself, and only once.
    browser
        .until_state("completed", "the run to start by itself and complete")
        .await;
    let lines = browser.console_lines().await.unwrap();
    let lines: Vec<&str> = lines.iter().map(String::as_str).collect();
    assert!(
        presets::find("thread-pool").unwrap().output_matches(&lines),
        "{lines:?}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_damaged_link_says_so_and_loads_nothing_broken() {
    let server = Server::start().await;
    let browser = Browser::start().await;
    let page = &browser.client;
    page.goto(&format!("{}#v1.eJzLSM3JyVcozy_KSVEEAB0JBF4", server.url))
        .await
        .unwrap();
    let message = eventually("the damaged-link message", || async {
        page.find(Locator::Css("[data-testid=link-error]"))
            .await
            .ok()?
            .text()
            .await
            .ok()
    })
    .await;
    assert!(
        message.contains("damaged") || message.contains("not valid"),
        "{message}"
    );
    // The page still works: the first lesson is there and runs.
    let title = page
        .find(Locator::Css(".lesson-card h1"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(title, presets::all()[0].title);
    browser.press_run().await;
    browser
        .until_state("completed", "the run to complete")
        .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_learner_builds_a_scenario_from_nothing_and_runs_it() {
    let server = Server::start().await;
    let browser = Browser::start().await;
    let page = &browser.client;
    page.goto(&server.url).await.unwrap();

    browser.click("[data-tab=builder]").await;
    browser.click("[data-testid=new-scenario]").await;
    // A task that prints and sleeps; main gathers it, then prints.
    browser.click("[data-testid=add-task]").await;
    browser
        .set_input(
            "[data-step='tasks[0].steps[0]'] input[data-field=text]",
            "task says hi",
        )
        .await;
    browser
        .click("[data-body='tasks[0].steps'] [data-testid=add-step]")
        .await;
    browser
        .choose(
            "[data-step='tasks[0].steps[1]'] select[data-field=kind]",
            "sleep",
        )
        .await;
    // Over the limit first: the builder says so where it is, and Run waits.
    browser
        .set_input(
            "[data-step='tasks[0].steps[1]'] input[data-field=ms]",
            "70000",
        )
        .await;
    let error = eventually("the error under the step", || async {
        page.find(Locator::Css(
            "[data-step='tasks[0].steps[1]'] [data-testid=field-error]",
        ))
        .await
        .ok()?
        .text()
        .await
        .ok()
    })
    .await;
    assert!(error.contains("MAX_STEP_MS"), "{error}");
    let run = page.find(Locator::Css("[data-testid=run]")).await.unwrap();
    assert!(
        !run.is_enabled().await.unwrap(),
        "Run must wait for a valid scenario"
    );
    browser
        .set_input(
            "[data-step='tasks[0].steps[1]'] input[data-field=ms]",
            "200",
        )
        .await;

    browser
        .click("[data-body=main] [data-testid=add-step]")
        .await;
    browser
        .choose("[data-step='main[0]'] select[data-field=kind]", "gather")
        .await;
    browser
        .click("[data-body=main] [data-testid=add-step]")
        .await;
    browser
        .set_input(
            "[data-step='main[1]'] input[data-field=text]",
            "main is done",
        )
        .await;

    browser.press_run().await;
    browser
        .until_state("completed", "the run to complete")
        .await;
    assert_eq!(
        browser.console_lines().await.unwrap(),
        ["task says hi", "main is done"]
    );

    // The JSON view holds the same scenario, and an edit there comes back to the builder.
    browser.click("[data-tab=json]").await;
    let json = page
        .find(Locator::Css("[data-testid=json]"))
        .await
        .unwrap()
        .prop("value")
        .await
        .unwrap()
        .unwrap();
    let mut scenario: looplab_shared::model::Scenario = serde_json::from_str(&json).unwrap();
    assert_eq!(
        scenario.tasks[0].steps[1],
        looplab_shared::model::Step::Sleep { ms: 200 }
    );
    scenario.name = "edited as JSON".into();
    browser
        .set_input(
            "[data-testid=json]",
            &serde_json::to_string_pretty(&scenario).unwrap(),
        )
        .await;
    browser.set_input("[data-testid=json]", "{ broken").await;
    let error = eventually("the JSON error", || async {
        page.find(Locator::Css("[data-testid=json-error]"))
            .await
            .ok()?
            .text()
            .await
            .ok()
    })
    .await;
    assert!(error.contains("scenario"), "{error}");
    browser.click("[data-tab=builder]").await;
    let name = page
        .find(Locator::Css("input[data-field='scenario name']"))
        .await
        .unwrap()
        .prop("value")
        .await
        .unwrap();
    assert_eq!(
        name.as_deref(),
        Some("edited as JSON"),
        "the last valid JSON is the scenario"
    );
    browser.screenshot("builder").await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_learner_compares_the_gil_variants_side_by_side() {
    let server = Server::start().await;
    let browser = Browser::start().await;
    let page = &browser.client;
    page.goto(&server.url).await.unwrap();
    browser.click("[data-preset=gil]").await;
    let compare = eventually("Compare to enable once connected", || async {
        let button = page
            .find(Locator::Css("[data-testid=compare]"))
            .await
            .ok()?;
        button.is_enabled().await.ok()?.then_some(button)
    })
    .await;
    compare.click().await.unwrap();
    eventually("every variant to run", || async {
        let done = page
            .find(Locator::Css("[data-testid=comparison]"))
            .await
            .ok()?
            .attr("data-done")
            .await
            .ok()??;
        (done == "true").then_some(())
    })
    .await;
    let rows = page
        .find_all(Locator::Css("[data-testid=comparison-row] th"))
        .await
        .unwrap();
    let mut labels = Vec::new();
    for row in rows {
        labels.push(row.text().await.unwrap());
    }
    let title = |id: &str| presets::find(id).unwrap().title.to_owned();
    assert_eq!(
        labels,
        [title("gil"), title("gil-off"), title("gil-processes")]
    );
    // One timeline per variant, on one axis.
    let canvases = page
        .find_all(Locator::Css(".variant [data-testid=timeline]"))
        .await
        .unwrap();
    assert_eq!(canvases.len(), 3);
    let mut axes = std::collections::BTreeSet::new();
    for canvas in canvases {
        let view = canvas.attr("data-view").await.unwrap().unwrap();
        axes.insert(view.split_once('-').unwrap().1.parse::<u64>().unwrap() / 1_000_000);
    }
    assert_eq!(
        axes.len(),
        1,
        "the variants do not share an axis: {axes:?} ms"
    );
    browser.screenshot("comparison").await;
}

#[tokio::test(flavor = "multi_thread")]
async fn ten_thousand_tasks_run_and_scroll() {
    let server = Server::start().await;
    let browser = Browser::start().await;
    let page = &browser.client;
    let json = r#"{"name":"many","tasks":[{"name":"t","steps":[{"type":"sleep","ms":10}]}],
                   "main":[{"type":"gather","calls":[{"type":"task","task":"t","times":10000}]}]}"#;
    let shared = looplab_shared::share::Shared {
        scenario: serde_json::from_str(json).unwrap(),
        note: String::new(),
        run_on_open: true,
    };
    let link = format!("{}#{}", server.url, looplab_shared::share::encode(&shared));
    page.goto(&link).await.unwrap();
    browser
        .until_state("completed", "ten thousand tasks to run and show")
        .await;
    assert_eq!(browser.timeline_attr("data-lanes").await.unwrap(), "10001");
    // Rows are virtual: scrolling far down paints the rows there.
    let top = browser.timeline_attr("data-lane-labels").await.unwrap();
    assert!(top.starts_with("main,t,t"), "{top}");
    page.execute(
        "document.querySelector('.canvas-box').scrollTop = 150000;",
        vec![],
    )
    .await
    .unwrap();
    eventually("the rows further down", || async {
        let now = browser.timeline_attr("data-lane-labels").await?;
        (!now.starts_with("main")).then_some(())
    })
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_run_waits_its_turn_and_the_page_shows_its_place() {
    use futures_util::{SinkExt, StreamExt};
    use tokio_tungstenite::tungstenite::Message;

    let server = Server::start_with(&["--max-runs", "1"]).await;
    // Another learner holds the only run slot.
    let ws_url = server.url.replace("http://", "ws://") + "ws";
    let (mut other, _) = tokio_tungstenite::connect_async(ws_url).await.unwrap();
    let long = r#"{"type":"run","scenario":{"name":"long","tasks":[{"name":"t","steps":[{"type":"sleep","ms":20000}]}],
                  "main":[{"type":"gather","calls":[{"type":"task","task":"t"}]}]}}"#;
    other.send(Message::text(long)).await.unwrap();
    let started = other.next().await.unwrap().unwrap().into_text().unwrap();
    let started: looplab_shared::protocol::ServerMsg =
        serde_json::from_str(started.as_str()).unwrap();

    let browser = Browser::start().await;
    browser.client.goto(&server.url).await.unwrap();
    browser.press_run().await;
    browser
        .until_state("queued", "the page to show its place in the queue")
        .await;
    let status = browser
        .client
        .find(Locator::Css("[data-run-state]"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(status.contains("place 1"), "{status}");

    // The slot frees: the page's run starts and completes.
    let stop = format!(r#"{{"type":"stop","run_id":{}}}"#, started.run_id());
    other.send(Message::text(stop)).await.unwrap();
    browser
        .until_state("completed", "the queued run to run")
        .await;
}
