//! The page in headless Chromium against the real server, measured inside the page with
//! `performance.now()` and `requestAnimationFrame`:
//!
//! - first render: navigation to the app's first render (`looplab:first-render`), and the
//!   bytes of wasm and js the page transferred;
//! - latency: from the click on Run to the first bar on the canvas (the frame after it);
//! - scale: 10,000 tasks and 100,000 events, from the click to the completed run drawn;
//! - smoothness: frames per second while that timeline is zoomed and panned every frame;
//! - Python feedback: from the last key of a mistake typed into the Python tab to the problem
//!   shown under the program (the server reads the program over the socket).
//!
//! `cargo bench -p looplab-backend --features browser-tests --bench browser` (needs the built
//! page and Chromium: `scripts/test.sh` provides both). docs/PERFORMANCE.md keeps the figures.

#[path = "../tests/browser/harness.rs"]
#[allow(dead_code)]
mod harness;

use std::time::Duration;

use fantoccini::Client;
use harness::{Browser, Server, eventually};
use looplab_backend::bench::spread;
use looplab_shared::model::Scenario;
use looplab_shared::share::{Shared, encode};
use serde_json::Value;

/// Runs of the click-to-first-bar measurement.
const LATENCY_RUNS: usize = 40;
/// Loads of the page for the first-render measurement.
const LOADS: usize = 5;
/// Runs of the 100,000-event scenario.
const SCALE_RUNS: usize = 3;
/// Mistakes typed into the Python tab.
const PYTHON_RUNS: usize = 20;
/// The Python tab's text area.
const PYTHON: &str = "[data-testid=python]";

fn scenario(file: &str) -> Scenario {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../bench/scenarios/").to_owned() + file;
    let json = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    looplab_shared::validate::parse_scenario(&json, 2).unwrap()
}

/// Opens `scenario` in the page without running it, and waits for Run to be enabled.
async fn open(browser: &Browser, server: &Server, scenario: Scenario) {
    let shared = Shared {
        scenario,
        note: String::new(),
        run_on_open: false,
        goals: Vec::new(),
        ask: None,
    };
    let url = format!("{}#{}", server.url, encode(&shared));
    browser.client.goto(&url).await.unwrap();
    // A fresh load: the fragment alone would not reload the page.
    browser.client.refresh().await.unwrap();
    run_enabled(&browser.client).await;
}

async fn run_enabled(page: &Client) {
    eventually("the Run button to enable", || async {
        let enabled = page
            .execute(
                "const b = document.querySelector('[data-testid=run]'); return !!b && !b.disabled;",
                vec![],
            )
            .await
            .ok()?;
        (enabled == Value::Bool(true)).then_some(())
    })
    .await;
}

/// Clicks Run and resolves, in ms from the click, at the frame after `until` holds for the
/// timeline or the run state. `until` is a JS expression over `bars` (bars drawn), `state`
/// (the run state) and `cleared` (whether the view emptied since the click).
async fn click_and_time(page: &Client, until: &str) -> f64 {
    let script = format!(
        r#"const done = arguments[arguments.length - 1];
        const t0 = performance.now();
        let cleared = false;
        const check = () => {{
            const tl = document.querySelector('[data-testid=timeline]');
            const st = document.querySelector('[data-run-state]');
            const bars = tl ? +tl.getAttribute('data-bars') : 0;
            const state = st ? st.getAttribute('data-run-state') : '';
            if (bars === 0) cleared = true;
            if ({until}) {{
                obs.disconnect();
                requestAnimationFrame(() => done(performance.now() - t0));
            }}
        }};
        const obs = new MutationObserver(check);
        obs.observe(document.body, {{ attributes: true, subtree: true, childList: true,
            attributeFilter: ['data-bars', 'data-run-state'] }});
        document.querySelector('[data-testid=run]').click();"#
    );
    let took = page.execute_async(&script, vec![]).await.unwrap();
    took.as_f64().unwrap()
}

async fn first_render(browser: &Browser, server: &Server) {
    let page = &browser.client;
    let mut renders = Vec::new();
    let mut sizes = Value::Null;
    for _ in 0..LOADS {
        page.goto(&server.url).await.unwrap();
        page.refresh().await.unwrap();
        let render = eventually("the first render mark", || async {
            let mark = page
                .execute(
                    "const m = performance.getEntriesByName('looplab:first-render')[0];
                     return m ? m.startTime : null;",
                    vec![],
                )
                .await
                .ok()?;
            mark.as_f64()
        })
        .await;
        renders.push(render);
        sizes = page
            .execute(
                "const sum = (ext, key) => performance.getEntriesByType('resource')
                    .filter(r => r.name.endsWith(ext)).reduce((n, r) => n + r[key], 0);
                 return { wasm: sum('.wasm', 'encodedBodySize'), js: sum('.js', 'encodedBodySize'),
                          wasm_decoded: sum('.wasm', 'decodedBodySize'),
                          js_decoded: sum('.js', 'decodedBodySize') };",
                vec![],
            )
            .await
            .unwrap();
    }
    let [p50, _, max] = spread(&mut renders);
    let kb = |key: &str| sizes[key].as_f64().unwrap_or(0.0) / 1024.0;
    println!("\n## page: weight and first render ({LOADS} loads)\n");
    println!("| measure | value |");
    println!("|---|---|");
    println!(
        "| wasm + js transferred (gzip) | {:.0} KB ({:.0} + {:.0}) |",
        kb("wasm") + kb("js"),
        kb("wasm"),
        kb("js")
    );
    println!(
        "| wasm + js decoded | {:.0} KB ({:.0} + {:.0}) |",
        kb("wasm_decoded") + kb("js_decoded"),
        kb("wasm_decoded"),
        kb("js_decoded")
    );
    println!("| navigation to first render | p50 {p50:.0} ms, max {max:.0} ms |");
}

async fn latency(browser: &Browser, server: &Server) {
    // A small run, what a learner's first click does: the gather lesson at 1/100 of its
    // durations.
    let mut lesson = looplab_shared::presets::find("gather").unwrap().scenario();
    lesson.time_scale = 0.01;
    open(browser, server, lesson).await;
    let mut took = Vec::with_capacity(LATENCY_RUNS);
    for _ in 0..LATENCY_RUNS {
        took.push(click_and_time(&browser.client, "cleared && bars > 0").await);
        browser
            .until_state("completed", "the run to complete")
            .await;
        run_enabled(&browser.client).await;
    }
    let [p50, p99, max] = spread(&mut took);
    println!("\n## latency: click on Run to the first bar drawn ({LATENCY_RUNS} runs)\n");
    println!("| p50 | p99 | max |");
    println!("|---|---|---|");
    println!("| {p50:.1} ms | {p99:.1} ms | {max:.1} ms |");
}

async fn scale(browser: &Browser, server: &Server) {
    let mut took = Vec::with_capacity(SCALE_RUNS);
    for _ in 0..SCALE_RUNS {
        open(browser, server, scenario("tasks-10k-events-100k.json")).await;
        took.push(click_and_time(&browser.client, "cleared && state === 'completed'").await);
    }
    let lanes = browser
        .timeline_attr("data-lanes")
        .await
        .unwrap_or_default();
    let [p50, _, max] = spread(&mut took);
    println!("\n## scale: 10,000 tasks, 100,000 events, click to completed and drawn\n");
    println!("| runs | p50 | max | rows |");
    println!("|---|---|---|---|");
    println!("| {SCALE_RUNS} | {p50:.0} ms | {max:.0} ms | {lanes} |");
}

/// Zooms and pans the 100,000-event timeline on every frame for `seconds`, and reports the
/// frame rate the page kept.
async fn smoothness(browser: &Browser, seconds: f64) {
    let script = format!(
        r#"const done = arguments[arguments.length - 1];
        const canvas = document.querySelector('[data-testid=timeline]');
        const box = canvas.getBoundingClientRect();
        const x = box.left + box.width / 2, y = box.top + 40;
        const times = [];
        const views = new Set();
        let i = 0;
        const frame = (t) => {{
            times.push(t);
            // The view each frame shows: proof that the events were handled, not ignored.
            views.add(canvas.getAttribute('data-view'));
            if (t - times[0] > {ms}) {{
                const gaps = times.slice(1).map((t, k) => t - times[k]).sort((a, b) => a - b);
                done({{ frames: times.length - 1, ms: t - times[0], views: views.size,
                        p99: gaps[Math.floor(gaps.length * 0.99)], worst: gaps[gaps.length - 1] }});
                return;
            }}
            // Alternate a small zoom in with a small drag, so every frame shows a new view.
            if (i++ % 2 === 0) {{
                canvas.dispatchEvent(new WheelEvent('wheel', {{ deltaY: -20,
                    clientX: x, clientY: y, bubbles: true, cancelable: true }}));
            }} else {{
                canvas.dispatchEvent(new MouseEvent('mousedown', {{ clientX: x, clientY: y, bubbles: true }}));
                canvas.dispatchEvent(new MouseEvent('mousemove', {{ clientX: x - 20, clientY: y, bubbles: true }}));
                canvas.dispatchEvent(new MouseEvent('mouseup', {{ clientX: x - 20, clientY: y, bubbles: true }}));
            }}
            requestAnimationFrame(frame);
        }};
        requestAnimationFrame(frame);"#,
        ms = seconds * 1000.0
    );
    let r = browser.client.execute_async(&script, vec![]).await.unwrap();
    let frames = r["frames"].as_f64().unwrap();
    let ms = r["ms"].as_f64().unwrap();
    println!("\n## smoothness: zoom and pan every frame on the 100,000-event timeline\n");
    println!(
        "| frames | different views shown | seconds | frames per second | p99 frame | worst frame |"
    );
    println!("|---|---|---|---|---|---|");
    println!(
        "| {frames:.0} | {} | {:.1} | {:.1} | {:.1} ms | {:.1} ms |",
        r["views"],
        ms / 1e3,
        frames / (ms / 1e3),
        r["p99"].as_f64().unwrap_or(0.0),
        r["worst"].as_f64().unwrap_or(0.0),
    );
}

async fn python_feedback(browser: &Browser, server: &Server) {
    let lesson = looplab_shared::presets::find("gather").unwrap().scenario();
    open(browser, server, lesson).await;
    // Timed in the page: the last key down, and the first frame the problem is in the DOM.
    browser
        .eval(
            "(() => { window.__lastKey = 0; window.__shown = 0; \
             const a = document.querySelector('[data-testid=python]'); \
             a.addEventListener('keydown', () => { window.__lastKey = performance.now(); }, true); \
             new MutationObserver(() => { const d = document.querySelector('[data-testid=diagnostic]'); \
               if (!window.__shown && d && d.textContent.includes('`asyncio.wait` is')) \
               window.__shown = performance.now(); }).observe(document.body, \
               {childList: true, subtree: true, characterData: true}); return true; })()",
        )
        .await;
    let mistake = "asyncio.wait()";
    let mut took = Vec::with_capacity(PYTHON_RUNS);
    for _ in 0..PYTHON_RUNS {
        browser
            .eval(
                "(() => { window.__shown = 0; const a = document.querySelector('[data-testid=python]'); \
                 a.focus(); a.setSelectionRange(a.value.length, a.value.length); return true; })()",
            )
            .await;
        for c in mistake.chars() {
            browser.type_into(PYTHON, &c.to_string()).await;
        }
        let ms = eventually("the problem under the program", || async {
            let shown = browser.eval("window.__shown - window.__lastKey").await;
            let shown = shown.as_f64()?;
            (browser.eval("window.__shown").await.as_f64()? > 0.0).then_some(shown)
        })
        .await;
        took.push(ms);
        // Taken back key by key, and the program reads again.
        for _ in mistake.chars() {
            browser.press(fantoccini::key::Key::Backspace).await;
        }
        eventually("the problem to go", || async {
            (browser.count("[data-testid=diagnostic]").await == 0).then_some(())
        })
        .await;
    }
    let [p50, p99, max] = spread(&mut took);
    println!(
        "\n## Python feedback: last key of a mistake to the problem shown ({PYTHON_RUNS} mistakes)\n"
    );
    println!("| p50 | p99 | max |");
    println!("|---|---|---|");
    println!("| {p50:.1} ms | {p99:.1} ms | {max:.1} ms |");
}

#[tokio::main(flavor = "multi_thread")]
async fn main() {
    // `cargo bench` passes `--bench`; nothing here takes arguments.
    let server = Server::start().await;
    let browser = Browser::start().await;
    let timeouts = fantoccini::wd::TimeoutConfiguration::new(
        Some(Duration::from_secs(60)),
        Some(Duration::from_secs(60)),
        None,
    );
    browser.client.update_timeouts(timeouts).await.unwrap();
    println!("looplab browser bench: headless Chromium, the release server");
    first_render(&browser, &server).await;
    latency(&browser, &server).await;
    scale(&browser, &server).await;
    smoothness(&browser, 3.0).await;
    python_feedback(&browser, &server).await;
}
