//! The classroom: a scenario embedded in a teacher's page (an iframe on another origin), and
//! a run recorded by a teacher and opened by a class — from its file, dropped or picked,
//! and from its link, in a fresh tab and in one already open.

use fantoccini::Locator;
use fantoccini::key::Key;
use looplab_shared::presets;
use looplab_shared::share::{Shared, encode};
use serde_json::Value;

use crate::harness::{Browser, Server, eventually, open_page};

/// A teacher's page on another origin than looplab's, framing `src` at `width` × `height`.
async fn teachers_page(
    src: &str,
    width: u32,
    height: u32,
) -> (String, tokio::task::JoinHandle<()>) {
    let html = format!(
        "<!doctype html><html><body style=\"margin:0\"><h1 style=\"font-size:14px;margin:0\">Slide 3</h1>\
         <iframe id=\"embed\" src=\"{src}\" width=\"{width}\" height=\"{height}\" style=\"border:0\" title=\"looplab\"></iframe>\
         </body></html>"
    );
    let app = axum::Router::new().route(
        "/",
        axum::routing::get(move || async move { axum::response::Html(html) }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!(
        "http://localhost:{}/",
        listener.local_addr().unwrap().port()
    );
    let task = tokio::spawn(async move {
        axum::serve(listener, app).await.unwrap();
    });
    (url, task)
}

fn gather_link() -> String {
    encode(&Shared {
        scenario: presets::find("gather").unwrap().scenario(),
        note: String::new(),
        run_on_open: false,
        goals: Vec::new(),
        ask: None,
    })
}

/// Inside the frame: nothing overflows the frame, and no label is cut by its edge.
pub(crate) async fn fits(browser: &Browser, what: &str) {
    let overflow = browser
        .eval(
            "(() => { const d = document.documentElement; const out = [];\
             if (d.scrollHeight > d.clientHeight || d.scrollWidth > d.clientWidth) out.push(`page scrolls: ${d.scrollWidth}x${d.scrollHeight}`);\
             for (const css of ['[data-testid=run]', '[data-testid=open-full]', '.embed-title', '[data-run-state]']) {\
               const r = document.querySelector(css).getBoundingClientRect();\
               if (r.right > innerWidth + 0.5 || r.bottom > innerHeight + 0.5 || r.width < 1) out.push(css + ' cut');\
             }\
             const run = document.querySelector('[data-testid=run]');\
             if (run.scrollWidth > run.clientWidth) out.push('Run label clipped');\
             const status = document.querySelector('[data-run-state]');\
             if (status.scrollWidth > status.clientWidth + 1) out.push('status cut');\
             for (const css of ['[data-testid=open-full]', '[data-testid=predict] h3', '[data-testid=predict-choice]',\
                                '[data-testid=predict-skip]', '[data-testid=predict-verdict] strong', '[data-testid=challenge-story]']) {\
               for (const e of document.querySelectorAll(css)) {\
                 if (!e.getClientRects().length && e.closest('.predict-box.checked')) continue;\
                 const r = e.getBoundingClientRect();\
                 const hit = document.elementFromPoint(r.left + r.width / 2, r.top + Math.min(r.height / 2, 6));\
                 if (!hit || !(e === hit || e.contains(hit))) out.push(css + ' hidden or covered');\
               }\
             }\
             return out; })()",
        )
        .await;
    assert_eq!(overflow, Value::Array(vec![]), "{what}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_teacher_embeds_a_scenario_in_a_slide_and_a_learner_runs_it_inside() {
    // Served as deployed: the policy is the binary's own.
    let server = Server::start_embedded().await;
    let teacher = Browser::start().await;
    teacher.client.goto(&server.url).await.unwrap();
    teacher.click("[data-preset=gather]").await;
    teacher.click(".share summary").await;
    let snippet = teacher.value_of("[data-testid=share-embed]").await;
    let embed = format!("{}?embed#{}", server.url, gather_link());
    assert!(
        snippet.starts_with(&format!(
            "<iframe src=\"{embed}\" width=\"800\" height=\"450\""
        )),
        "{snippet}"
    );
    // The embed view may be framed by any site; the page itself by its own origin only.
    let policy = |query: &str| {
        let script = format!(
            "const done = arguments[0]; fetch('{query}').then(r => done(r.headers.get('content-security-policy')));"
        );
        let teacher = &teacher;
        async move { teacher.client.execute_async(&script, vec![]).await.unwrap() }
    };
    let framed = |p: Value| {
        p.as_str()
            .unwrap_or_default()
            .rsplit("; ")
            .next()
            .unwrap_or_default()
            .to_owned()
    };
    assert_eq!(framed(policy("?embed").await), "frame-ancestors *");
    assert_eq!(framed(policy("./").await), "frame-ancestors 'self'");
    // Slides are 16:9: a large frame and YouTube's small one.
    for (width, height) in [(800, 450), (560, 315)] {
        let (page, _task) = teachers_page(&embed, width, height).await;
        let browser = Browser::start().await;
        browser.client.goto(&page).await.unwrap();
        let frame = browser.client.find(Locator::Css("#embed")).await.unwrap();
        frame.enter_frame().await.unwrap();
        eventually("the embed to load in the frame", || async {
            (browser.count("[data-testid=embed]").await == 1).then_some(())
        })
        .await;
        // Just the program, Run and the timeline: no builder, no lessons, no share panel.
        assert_eq!(browser.count(".lessons, .share, .editor").await, 0);
        assert!(
            browser
                .text_of("[data-testid=program-text]")
                .await
                .contains("asyncio.gather")
        );
        fits(&browser, &format!("{width}x{height} before the run")).await;
        // Before Run, the slide shows the model: the ideal schedule, a ghost a row.
        assert_eq!(browser.count("[data-testid=predicted]").await, 1);
        let lanes = browser.timeline_attr("data-lanes").await.unwrap();
        assert_eq!(browser.timeline_attr("data-ghosts").await.unwrap(), lanes);
        assert_eq!(browser.timeline_attr("data-bars").await.unwrap(), "0");
        eventually("the socket to open", || async {
            (browser.run_state().await.as_deref() == Some("idle")).then_some(())
        })
        .await;
        // Into the frame (a click on its title), then the keyboard alone: Tab reaches Run
        // first, Enter presses it.
        browser.click(".embed-title").await;
        browser.press(Key::Tab).await;
        assert_eq!(
            browser.focused().await,
            "run",
            "the first Tab in the frame goes to Run"
        );
        browser.press(Key::Enter).await;
        browser.until_state("completed", "the embedded run").await;
        let bars: u32 = browser
            .timeline_attr("data-bars")
            .await
            .unwrap()
            .parse()
            .unwrap();
        assert!(bars >= 3, "the timeline did not fill in: {bars} bars");
        let ghosts = browser.timeline_attr("data-ghosts").await.unwrap();
        assert_ne!(ghosts, "0", "the measured bars lie over their ghosts");
        fits(&browser, &format!("{width}x{height} after the run")).await;
        // The way out: the whole page with this scenario, in a new tab.
        let open = browser
            .client
            .find(Locator::Css("[data-testid=open-full]"))
            .await
            .unwrap();
        assert_eq!(
            open.attr("target").await.unwrap().as_deref(),
            Some("_blank")
        );
        let href = open.attr("href").await.unwrap().unwrap();
        assert!(href.starts_with(&format!("{}#v2.", server.url)), "{href}");
        browser.client.enter_parent_frame().await.unwrap();
        browser.screenshot(&format!("embed-{width}x{height}")).await;
    }
    // A link cut short in the slide's HTML: the frame says so, not only shows a lesson.
    let cut = format!("{}?embed#{}", server.url, &gather_link()[..40]);
    teacher.client.goto(&cut).await.unwrap();
    let said = teacher
        .text_of("[data-testid=embed] [data-testid=link-error]")
        .await;
    assert!(said.contains("The first lesson opened instead"), "{said}");
}

/// What a finished run shows: its summary figures and its console.
async fn figures(browser: &Browser) -> (Value, Vec<String>) {
    let summary = browser
        .eval(
            "Object.fromEntries([...document.querySelectorAll('[data-summary]')]\
             .map(e => [e.dataset.summary, e.textContent]))",
        )
        .await;
    (summary, browser.console_lines().await.unwrap())
}

/// Drops a file holding `text` on the page, as a drag from the desktop would.
async fn drop_file(browser: &Browser, name: &str, text: &str) {
    browser
        .client
        .execute(
            "const t = new DataTransfer(); t.items.add(new File([arguments[1]], arguments[0], {type: 'application/json'}));\
             document.querySelector('.timeline').dispatchEvent(new DragEvent('dragover', {dataTransfer: t, bubbles: true, cancelable: true}));\
             document.querySelector('.timeline').dispatchEvent(new DragEvent('drop', {dataTransfer: t, bubbles: true, cancelable: true}));",
            vec![name.into(), text.into()],
        )
        .await
        .unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn a_teacher_records_a_run_and_the_class_sees_the_very_same_run() {
    let (server, teacher) = open_page().await;
    teacher.click("[data-preset=thread-pool]").await;
    teacher.press_run().await;
    teacher.until_state("completed", "the teacher's run").await;
    let recorded = figures(&teacher).await;
    // "Save run" downloads the file: the test keeps what the page hands the browser.
    teacher
        .eval(
            "(HTMLAnchorElement.prototype.click = function () { window.saved = [this.href, this.download]; }, true)",
        )
        .await;
    teacher.click("[data-testid=save-run]").await;
    let saved = teacher
        .client
        .execute_async(
            "const done = arguments[0]; fetch(window.saved[0]).then(r => r.text()).then(t => done([window.saved[1], t]));",
            vec![],
        )
        .await
        .unwrap();
    let (name, file) = (
        saved[0].as_str().unwrap().to_owned(),
        saved[1].as_str().unwrap().to_owned(),
    );
    assert!(name.ends_with(".run.json"), "{name}");
    let dir = std::env::temp_dir().join(format!("looplab-recorded-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(&name);
    std::fs::write(&path, &file).unwrap();

    // A learner, in a fresh browser, drops the file on the page.
    let learner = Browser::start().await;
    learner.client.goto(&server.url).await.unwrap();
    learner.until_state("idle", "the learner's page").await;
    drop_file(&learner, &name, &file).await;
    let banner = eventually("the recorded run to open", || async {
        let text = learner.text_of("[data-testid=recorded-banner]").await;
        (!text.is_empty()).then_some(text)
    })
    .await;
    assert!(
        banner.contains("read-only") && banner.contains("cores)"),
        "{banner}"
    );
    assert_eq!(
        figures(&learner).await,
        recorded,
        "the run is not the one recorded"
    );
    // Nothing runs: the program is shown, not edited; Run is not there.
    assert_eq!(learner.count("[data-testid=run], .editor").await, 0);
    learner.screenshot("recorded-run").await;

    // Bad files are refused by name, and the recorded run stays.
    drop_file(&learner, "notes.txt", "Bring a calculator").await;
    let why = eventually("the refusal", || async {
        let text = learner.text_of("[data-testid=recording-error]").await;
        (!text.is_empty()).then_some(text)
    })
    .await;
    assert!(
        why.contains("notes.txt") && why.contains("not JSON"),
        "{why}"
    );
    drop_file(&learner, "half.run.json", &file[..file.len() / 2]).await;
    eventually("the cut file's refusal", || async {
        learner
            .text_of("[data-testid=recording-error]")
            .await
            .contains("cut short")
            .then_some(())
    })
    .await;
    assert_eq!(figures(&learner).await, recorded);
    learner.screenshot("recorded-run-refused").await;

    // The file picker, in another fresh page, by keyboard: the same run.
    let picker = Browser::start().await;
    picker.client.goto(&server.url).await.unwrap();
    picker.until_state("idle", "the picker's page").await;
    let input = picker
        .client
        .find(Locator::Css("[data-testid=open-run]"))
        .await
        .unwrap();
    input.send_keys(&path.to_string_lossy()).await.unwrap();
    eventually("the picked run to open", || async {
        (picker.count("[data-testid=recorded-banner]").await == 1).then_some(())
    })
    .await;
    assert_eq!(figures(&picker).await, recorded);

    // Run it yourself: the scenario, editable and runnable, and the run is the learner's own.
    picker.click("[data-testid=run-yourself]").await;
    assert_eq!(picker.count("[data-testid=recorded-banner]").await, 0);
    picker.press_run().await;
    picker
        .until_state("completed", "the learner's own run")
        .await;
    let (_, console) = figures(&picker).await;
    assert_eq!(console.len(), recorded.1.len());
    std::fs::remove_dir_all(&dir).unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn a_small_run_travels_in_a_link_to_a_fresh_tab_and_an_open_one() {
    let (server, teacher) = open_page().await;
    teacher.press_run().await;
    teacher.until_state("completed", "the first lesson").await;
    let recorded = figures(&teacher).await;
    teacher.click("[data-testid=run-link-make]").await;
    let link = teacher.value_of("[data-testid=run-link]").await;
    assert!(link.starts_with(&format!("{}#r1.", server.url)), "{link}");

    // A fresh tab.
    let learner = Browser::start().await;
    learner.client.goto(&link).await.unwrap();
    eventually("the linked run to open", || async {
        (learner.count("[data-testid=recorded-banner]").await == 1).then_some(())
    })
    .await;
    assert_eq!(figures(&learner).await, recorded);

    // A tab already open on another lesson: the link opens there, without a reload.
    let open = Browser::start().await;
    open.client.goto(&server.url).await.unwrap();
    open.click("[data-preset=gil]").await;
    open.client
        .execute("window.stayed = true;", vec![])
        .await
        .unwrap();
    open.client.goto(&link).await.unwrap();
    eventually("the linked run to open in the open tab", || async {
        (open.count("[data-testid=recorded-banner]").await == 1).then_some(())
    })
    .await;
    assert_eq!(open.eval("window.stayed === true").await, Value::Bool(true));
    assert_eq!(figures(&open).await, recorded);

    // A damaged link says so.
    open.client
        .goto(&format!("{}#r1.AAAA", server.url))
        .await
        .unwrap();
    eventually("the damaged link's refusal", || async {
        open.text_of("[data-testid=recording-error]")
            .await
            .contains("damaged")
            .then_some(())
    })
    .await;
}
