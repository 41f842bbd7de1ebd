//! Challenges as a learner meets them: pick one, run the program as it starts and see which
//! goals it misses, change it, run again and see every goal met; and as a teacher sets
//! goals of their own and shares them in a link that a learner opens.

use looplab_shared::presets::challenges;
use looplab_shared::share::decode;

use crate::harness::{Browser, eventually, open_page};

fn solution(id: &str) -> String {
    let path = format!("{}/../tests/challenges/{id}.py", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(path).unwrap()
}

/// Each goal's verdict (`met`, `missed`, `pending`), once no goal is pending.
async fn verdicts(browser: &Browser) -> Vec<String> {
    eventually("every goal judged", || async {
        let v = browser
            .eval(
                "[...document.querySelectorAll('[data-testid=goals] [data-verdict]')]\
                 .map(e => e.dataset.verdict)",
            )
            .await;
        let v: Vec<String> = serde_json::from_value(v).ok()?;
        (!v.is_empty() && v.iter().all(|s| s != "pending")).then_some(v)
    })
    .await
}

/// Pastes `python` into the Python tab and waits until it reads as a program.
async fn paste(browser: &Browser, python: &str) {
    browser.click("[data-tab=python]").await;
    browser.set_input("[data-testid=python]", python).await;
    eventually("the program to be read", || async {
        let status = browser.text_of("[data-testid=parse-status]").await;
        status.contains("runs as written").then_some(())
    })
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_learner_takes_the_scraper_challenge_from_missed_to_met() {
    let (_server, browser) = open_page().await;
    browser
        .click("[data-challenge=scraper-under-a-second]")
        .await;
    let title = browser.text_of("[data-testid=challenge-title]").await;
    assert_eq!(title, "Challenge: Scrape five pages in under a second");
    // Before any run the goals wait for one.
    let heading = browser.text_of("[data-testid=goals-heading]").await;
    assert_eq!(heading, "Goals (3): Run to check them");
    browser.run_to_end().await;
    assert_eq!(verdicts(&browser).await, ["missed", "met", "met"]);
    let wall = browser
        .text_of("[data-testid=goals] [data-verdict=missed]")
        .await;
    assert!(
        wall.contains("Finishes in under 1.000 s — took 2.0"),
        "{wall}"
    );
    browser.screenshot("challenge-missed").await;

    // The fix, typed as a learner would change the loop: gather the fetches.
    paste(&browser, &solution("scraper-under-a-second")).await;
    // The goals stay with the program the learner changed; the last run's verdicts say
    // they are for the program before.
    assert!(
        browser
            .text_of("[data-testid=goals]")
            .await
            .contains("before your changes")
    );
    browser.run_to_end().await;
    assert_eq!(verdicts(&browser).await, ["met", "met", "met"]);
    assert_eq!(
        browser.text_of("[data-testid=goals-heading]").await,
        "All 3 goals met"
    );
    browser.screenshot("challenge-met").await;
    // Solved: marked in the list, in words for a screen reader too, and kept across a
    // reload.
    let mark = "[data-challenge=scraper-under-a-second][data-solved]";
    let said = browser
        .eval(&format!("document.querySelector('{mark}')?.textContent"))
        .await;
    assert!(
        said.as_str().is_some_and(|s| s.ends_with("✓ (solved)")),
        "{said}"
    );
    browser.client.refresh().await.unwrap();
    eventually("the mark after a reload", || async {
        (browser.count(mark).await == 1).then_some(())
    })
    .await;
    assert_eq!(browser.count("[data-solved]").await, 1);

    // Another lesson takes the goals away; the challenge comes back from "Your programs"
    // with them.
    browser.click("[data-preset=gather]").await;
    assert_eq!(browser.count("[data-testid=goals]").await, 0);
    browser.click("[data-program]").await;
    eventually("the kept program's goals", || async {
        (browser.count("[data-testid=goals] [data-verdict]").await == 3).then_some(())
    })
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn every_challenge_starts_missing_a_goal_and_its_solution_meets_them_all() {
    let (_server, browser) = open_page().await;
    for c in challenges::all() {
        browser.click(&format!("[data-challenge={}]", c.id)).await;
        browser.run_to_end().await;
        let start = verdicts(&browser).await;
        assert!(
            start.iter().any(|v| v == "missed"),
            "{}: the program as it starts meets every goal: {start:?}",
            c.id
        );
        paste(&browser, &solution(c.id)).await;
        browser.run_to_end().await;
        let solved = verdicts(&browser).await;
        let words = browser.text_of("[data-testid=goals]").await;
        assert!(
            solved.iter().all(|v| v == "met"),
            "{}: the solution misses: {words}",
            c.id
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_teacher_sets_goals_and_shares_them_and_a_learner_is_held_to_them() {
    let (_server, teacher) = open_page().await;
    teacher.click("[data-preset=gather]").await;
    teacher.run_to_end().await;
    // The Goals tab: a time limit typed in seconds, and the console the run printed.
    teacher.click("[data-tab=goals]").await;
    assert_eq!(teacher.count("[data-testid=no-goals]").await, 1);
    teacher
        .click("[data-testid=goal-add][data-kind='finishes under']")
        .await;
    let seconds = "[data-goal='0'] input[data-field=seconds]";
    teacher.set_input(seconds, "").await;
    teacher.type_into(seconds, "2.5").await;
    teacher
        .click("[data-testid=goal-add][data-kind='console shows']")
        .await;
    teacher.click("[data-testid=goal-take-console]").await;
    let lines = teacher.value_of("[data-testid=goal-lines]").await;
    assert_eq!(lines.lines().count(), 4, "{lines}");
    teacher.screenshot("goals-editor").await;
    // Checked against the run already on screen.
    assert_eq!(verdicts(&teacher).await, ["met", "met"]);

    teacher.click(".share summary").await;
    let link = teacher.value_of("[data-testid=share-link]").await;
    assert!(
        teacher
            .text_of("[data-testid=copy-status]")
            .await
            .contains("with its 2 goals"),
    );
    let fragment = link.split_once('#').unwrap().1;
    let shared = decode(fragment, 2).unwrap();
    assert_eq!(shared.goals.len(), 2);

    // A learner opens it in a fresh browser and is held to the same goals.
    let learner = Browser::start().await;
    learner.client.goto(&link).await.unwrap();
    eventually("the link's goals", || async {
        (learner
            .count("[data-testid=goals] [data-verdict=pending]")
            .await
            == 2)
            .then_some(())
    })
    .await;
    learner.run_to_end().await;
    assert_eq!(verdicts(&learner).await, ["met", "met"]);
}
