//! Building scenarios and sharing them as links.

use fantoccini::Locator;
use fantoccini::key::Key;
use looplab_shared::presets;

use crate::harness::{Browser, Server, eventually, open_page};

#[tokio::test(flavor = "multi_thread")]
async fn a_learner_builds_a_scenario_from_nothing_and_runs_it() {
    let (_server, browser) = open_page().await;
    let page = &browser.client;
    // Three coroutines that sleep, gathered with one blocking job: each action a person
    // takes, counted.
    let mut actions = 0;
    browser.click("[data-tab=builder]").await;
    browser.click("[data-testid=new-scenario]").await;
    actions += 2;
    for _ in 0..3 {
        browser.click("[data-testid=add-task]").await;
    }
    browser.click("[data-testid=add-function]").await;
    actions += 4;
    // main's "+ step" offers a gather of every other coroutine.
    browser
        .add_step("[data-body='tasks[0].steps']", "gather")
        .await;
    browser
        .click("[data-step='tasks[0].steps[0]'] [data-testid=add-call]")
        .await;
    browser
        .choose(
            "[data-step='tasks[0].steps[0]'] .call:nth-child(4) select[data-field=call]",
            "run_in_executor",
        )
        .await;
    actions += 3;
    assert!(actions <= 10, "{actions} actions");
    let python = browser
        .text_of("[data-step='tasks[0].steps[0]'] .as-python")
        .await;
    assert_eq!(
        python,
        "await asyncio.gather(task1(), task2(), task3(), loop.run_in_executor(None, work1))"
    );

    // Over the limit first: the builder says so where it is, and Run waits.
    browser
        .set_input(
            "[data-step='tasks[1].steps[0]'] input[data-field=seconds]",
            "70",
        )
        .await;
    let error = eventually("the error under the step", || async {
        page.find(Locator::Css(
            "[data-step='tasks[1].steps[0]'] [data-testid=field-error]",
        ))
        .await
        .ok()?
        .text()
        .await
        .ok()
    })
    .await;
    // In the unit typed, not the JSON's milliseconds and the constant's name.
    assert_eq!(
        error,
        "seconds: 70 s is longer than looplab lets one step take: at most 60 s"
    );
    // In words, not JSON paths: under the step its field, above the program the place,
    // and beside Run the place too.
    let notice = browser.text_of("[data-testid=invalid]").await;
    assert!(
        notice.starts_with("Not runnable yet — async def ")
            && notice.contains("(), step 1, seconds: 70 s is longer"),
        "{notice}"
    );
    let status = browser.text_of("[data-run-state]").await;
    assert!(
        status.starts_with("not runnable yet — async def ")
            && status.contains("(), step 1, seconds: 70 s is longer")
            && !status.contains("tasks["),
        "{status}"
    );
    browser.screenshot("builder-too-long").await;
    let run = page.find(Locator::Css("[data-testid=run]")).await.unwrap();
    assert!(
        !run.is_enabled().await.unwrap(),
        "Run must wait for a valid scenario"
    );
    browser
        .set_input(
            "[data-step='tasks[1].steps[0]'] input[data-field=seconds]",
            "0.2",
        )
        .await;
    browser
        .add_step("[data-body='tasks[0].steps']", "print")
        .await;
    browser
        .set_input(
            "[data-step='tasks[0].steps[1]'] input[data-field=text]",
            "main is done",
        )
        .await;
    browser.screenshot("builder-built").await;

    browser.press_run().await;
    browser
        .until_state("completed", "the run to complete")
        .await;
    assert_eq!(browser.console_lines().await.unwrap(), ["main is done"]);
    // The sleeps and the blocking job overlap: about a second, not 3.2.
    let status = browser.text_of("[data-run-state]").await;
    assert!(status.starts_with("completed in 1.0"), "{status}");

    // The JSON view holds the same scenario, and an edit there comes back to the builder.
    browser.click("[data-tab=json]").await;
    let json = browser.value_of("[data-testid=json]").await;
    let mut scenario: looplab_shared::model::Scenario = serde_json::from_str(&json).unwrap();
    assert_eq!(
        scenario.tasks[1].steps[0],
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
    let error = browser.text_of("[data-testid=json-error]").await;
    assert!(
        error.starts_with("Line 1, column 3: a key must be"),
        "{error}"
    );
    browser.click("[data-tab=builder]").await;
    let name = browser.value_of("input[data-field='scenario name']").await;
    assert_eq!(
        name, "edited as JSON",
        "the last valid JSON is the scenario"
    );
    browser.screenshot("builder").await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_teachers_link_opens_the_same_scenario_with_its_note_and_runs() {
    let (server, browser) = open_page().await;
    let page = &browser.client;

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
    let link = browser.value_of("[data-testid=share-link]").await;
    assert!(
        link.starts_with(&server.url) && link.contains("#v2."),
        "{link}"
    );

    // A learner opens it in a fresh page.
    page.goto("about:blank").await.unwrap();
    page.goto(&link).await.unwrap();
    let shown = browser.text_of("[data-testid=teacher-note]").await;
    assert_eq!(shown, note);
    let title = browser.text_of(".lesson-card h1").await;
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
    let message = browser.text_of("[data-testid=link-error]").await;
    assert!(
        message.contains("damaged") || message.contains("not valid"),
        "{message}"
    );
    // The page still works: the first lesson is there and runs.
    let title = browser.text_of(".lesson-card h1").await;
    assert_eq!(title, presets::all()[0].title);
    browser.press_run().await;
    browser
        .until_state("completed", "the run to complete")
        .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_step_menu_is_walked_from_the_keyboard_and_adds_one_step() {
    let (_server, browser) = open_page().await;
    browser.click("[data-tab=builder]").await;
    let body = "[data-body='tasks[0].steps']";
    let before = browser.count(&format!("{body} > .steps > li")).await;
    browser
        .eval(&format!(
            "document.querySelector(\"{body} [data-testid=add-step]\").focus()"
        ))
        .await;
    browser.press(Key::Enter).await;
    let first = eventually("the menu's first kind to have focus", || async {
        let f = browser.focused().await;
        f.contains("menuitem").then_some(f)
    })
    .await;
    // Arrows move through the kinds; nothing is added on the way.
    browser.press(Key::Down).await;
    browser.press(Key::Down).await;
    let third = browser.focused().await;
    assert_ne!(first, third);
    assert_eq!(
        browser.count(&format!("{body} > .steps > li")).await,
        before
    );
    browser.screenshot("step-menu").await;
    // Escape closes it, back on its button; Enter there and on a kind adds exactly one.
    browser.press(Key::Escape).await;
    eventually("the menu to close", || async {
        (browser.count(".step-menu").await == 0).then_some(())
    })
    .await;
    assert!(browser.focused().await.contains("add-step"));
    browser.press(Key::Enter).await;
    eventually("the menu to open again", || async {
        browser.focused().await.contains("menuitem").then_some(())
    })
    .await;
    browser.press(Key::Down).await;
    browser.press(Key::Enter).await;
    eventually("one step more", || async {
        (browser.count(&format!("{body} > .steps > li")).await == before + 1).then_some(())
    })
    .await;
    assert_eq!(browser.count(".step-menu").await, 0, "the menu closed");
    // The keyboard lands on the new step's first field, ready for its value.
    let at = eventually("the new step's first field to have focus", || async {
        let e = "document.activeElement";
        let at = browser
            .eval(&format!(
                "[{e}.tagName.toLowerCase(), {e}.closest('[data-step]')?.dataset.step]"
            ))
            .await;
        (at[1] == format!("tasks[0].steps[{before}]")).then_some(at)
    })
    .await;
    assert!(
        at[0] == "input" || at[0] == "select",
        "a field, not a button: {at}"
    );
    browser.screenshot("step-added-focus").await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_builder_shows_each_resource_as_the_program_makes_it() {
    let (_server, browser) = open_page().await;
    browser.click("[data-preset=semaphore-scraper]").await;
    browser.click("[data-tab=builder]").await;
    // The constructor as the Python has it, not `asyncio.Semaphore(…)`.
    let made = browser.text_of("li.pool code").await;
    assert_eq!(made, "limit = asyncio.Semaphore(2)");
    browser.click("[data-preset=producer-consumer]").await;
    let made = browser.text_of("li.pool code").await;
    assert!(made.ends_with("= asyncio.Queue(maxsize=2)"), "{made}");
    browser.screenshot("builder-resources").await;
}
