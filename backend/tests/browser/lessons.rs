//! Running lessons: live, replayed, zoomed, exported, compared.

use fantoccini::Locator;
use looplab_shared::presets;

use crate::harness::{eventually, open_page};

#[tokio::test(flavor = "multi_thread")]
async fn a_learner_runs_gather_and_watches_it_live() {
    let (_server, browser) = open_page().await;
    let page = &browser.client;

    browser.press_run().await;

    // Live: both "started" lines, and a lane per task, are on screen while the run still goes.
    eventually("both tasks to start while the run is live", || async {
        let lines = browser.console_lines().await?;
        let lanes = browser.timeline_attr("data-lanes").await?;
        (browser.run_state().await? == "running" && lines.len() == 2 && lanes == "4").then_some(())
    })
    .await;

    browser
        .until_state("completed", "the run to complete")
        .await;
    let expected = presets::find("gather").unwrap().expected_output;
    assert_eq!(browser.console_lines().await.unwrap(), expected);
    assert_eq!(
        browser.timeline_attr("data-lane-labels").await.unwrap(),
        "<module>,main,task1,task2"
    );
    // Each of the module (its await is asyncio.run), main, task1 and task2: created,
    // running, suspended at an await, running again.
    assert_eq!(browser.timeline_attr("data-bars").await.unwrap(), "16");
    let status = browser.text_of("[data-run-state]").await;
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

    // Hovering task1's row (under the module's and main's) a third of the way along shows it
    // asleep at its await.
    let hover = r#"
        const c = document.querySelector('[data-testid=timeline]');
        const r = c.getBoundingClientRect();
        const x = 230 + (r.width - 230 - 32) / 3, y = 26 + 30 * 2.5;
        c.dispatchEvent(new MouseEvent('mousemove', {clientX: r.left + x, clientY: r.top + y, bubbles: true}));
    "#;
    page.execute(hover, vec![]).await.unwrap();
    let tip = browser.text_of("[data-testid=tooltip]").await;
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
        bars < 16,
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
    let (_server, browser) = open_page().await;
    let page = &browser.client;
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
    assert_eq!(rows, ["<module>", "job('Job-A')", "job('Job-B')", "main"]);
    browser.screenshot("gil-completed").await;

    // By thread: a lane for the loop and one for each pool worker, named by its thread.
    browser.click("[data-testid=rows-threads]").await;
    let lanes = eventually("the thread lanes", || async {
        let labels = browser.timeline_attr("data-lane-labels").await?;
        labels.starts_with("main thread · tid").then_some(labels)
    })
    .await;
    let workers = lanes
        .split(',')
        .filter(|l| l.starts_with("pool 0 · worker"))
        .count();
    assert_eq!(workers, 2, "{lanes}");
    browser.screenshot("gil-by-thread").await;
    browser.click("[data-testid=rows-subjects]").await;

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
async fn a_learner_compares_the_gil_variants_side_by_side() {
    let (_server, browser) = open_page().await;
    let page = &browser.client;
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
    // Nothing impossible: no more cores busy than the machine has, no more CPU time than
    // its cores had, and the GIL lesson measured against the length it states.
    let cells = |col: &'static str| async move {
        let mut out = Vec::new();
        for cell in page
            .find_all(Locator::Css(&format!(
                "[data-testid=comparison-row] [data-col={col}]"
            )))
            .await
            .unwrap()
        {
            out.push(cell.text().await.unwrap());
        }
        out
    };
    let seconds = |text: &str| -> f64 {
        let (n, unit) = text.split_once(' ').unwrap();
        n.parse::<f64>().unwrap() / if unit == "s" { 1.0 } else { 1e3 }
    };
    let cores = std::thread::available_parallelism().unwrap().get() as f64;
    let (walls, cpus, busy) = (
        cells("wall").await,
        cells("cpu").await,
        cells("parallelism").await,
    );
    for ((wall, cpu), busy) in walls.iter().zip(&cpus).zip(&busy) {
        let busy: f64 = busy.parse().unwrap();
        assert!(busy <= cores, "{busy} cores busy on a {cores}-core machine");
        assert!(
            seconds(cpu) <= seconds(wall) * cores + 0.002,
            "{cpu} of CPU in {wall}"
        );
    }
    // Under the GIL two threads' two seconds of work keep one core busy.
    let gil_busy: f64 = busy[0].parse().unwrap();
    assert!(
        (0.8..=1.15).contains(&gil_busy),
        "{gil_busy} cores busy under the GIL"
    );
    assert_eq!(cells("expected").await[0], "predicted 2.000 s");
    assert!(cells("expected").await[1].starts_with("ideal "));
    browser.screenshot("comparison").await;
}

#[tokio::test(flavor = "multi_thread")]
async fn every_lesson_shows_all_its_rows_on_the_first_screen() {
    use looplab_shared::share::{Shared, encode};
    let (server, browser) = open_page().await;
    for preset in presets::all() {
        let mut scenario = preset.scenario();
        scenario.time_scale = 0.05;
        let link = encode(&Shared {
            scenario,
            note: String::new(),
            run_on_open: true,
            goals: Vec::new(),
            ask: None,
        });
        // Each lesson's link pasted into the same page, one after another.
        browser
            .client
            .goto(&format!("{}#{link}", server.url))
            .await
            .unwrap();
        let lanes: usize = eventually(&format!("{} to run", preset.id), || async {
            // A lesson that deadlocks ends so, and the page says it failed.
            let ends = if preset.deadlocks() {
                "failed"
            } else {
                "completed"
            };
            let done = browser.run_state().await? == ends
                && browser.text_of(".lesson-card h1").await == preset.title;
            let lanes = browser.timeline_attr("data-lanes").await?;
            done.then(|| lanes.parse().ok()).flatten()
        })
        .await;
        assert!(
            lanes <= 16,
            "{}: {lanes} rows, more than the timeline shows at once: {}",
            preset.id,
            browser.timeline_attr("data-lane-labels").await.unwrap()
        );
    }
}
