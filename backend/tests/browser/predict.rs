//! Predict, then run: a teacher writes a question and shares it; a learner in a fresh
//! browser answers before Run and sees the answer checked against the run. And the
//! classroom's smaller pieces: the question and the goals in an embed, the embed's colour
//! key, a recorded run's findings and its link's copy button.

use looplab_shared::classroom::{Ask, Goal, Question};
use looplab_shared::presets;
use looplab_shared::share::{Shared, decode, encode};
use serde_json::Value;

use crate::classroom::fits;
use crate::harness::{Browser, Server, eventually, open_page};

/// The verdict on the learner's prediction, once the run has checked it.
async fn verdict(browser: &Browser) -> (String, String) {
    eventually("the prediction's verdict", || async {
        let v = browser
            .eval(
                "(() => { const v = document.querySelector('[data-testid=predict-verdict]');\
                 return v ? [v.dataset.verdict, v.textContent] : null; })()",
            )
            .await;
        let v: (String, String) = serde_json::from_value(v).ok()?;
        Some(v)
    })
    .await
}

#[tokio::test(flavor = "multi_thread")]
async fn a_teacher_asks_before_run_and_a_learner_predicts_then_runs() {
    let (_server, teacher) = open_page().await;
    teacher.click("[data-preset=gather]").await;
    teacher.run_to_end().await;
    // The Goals tab: which line prints first, its choices the last run's lines.
    teacher.click("[data-tab=goals]").await;
    teacher
        .choose(
            "[data-testid=ask-editor] select[data-field=question]",
            "which line prints first",
        )
        .await;
    teacher.click("[data-testid=ask-take-lines]").await;
    let choices = teacher.value_of("[data-testid=ask-choices]").await;
    assert_eq!(
        choices.lines().collect::<Vec<_>>(),
        [
            "Task 1 started",
            "Task 2 started",
            "Task 2 finished",
            "Task 1 finished"
        ]
    );
    // A line the program never prints is named: no learner could see it first.
    teacher
        .set_input("[data-testid=ask-choices]", "Task 1 finished\nAll done")
        .await;
    let unseen = teacher.text_of("[data-testid=ask-unseen]").await;
    assert!(
        unseen.contains("Not printed by the last run: “All done”"),
        "{unseen}"
    );
    teacher.screenshot("predict-teacher-choices").await;
    // The question this class gets: how long the run takes, and why.
    teacher
        .choose(
            "[data-testid=ask-editor] select[data-field=question]",
            "how long the run takes",
        )
        .await;
    let why = "gather runs both sleeps at once: the longest, 2 s, is the run's length.";
    teacher.set_input("[data-testid=ask-why]", why).await;
    // The teacher's own page does not ask them: Run runs, whatever the question's state.
    assert_eq!(teacher.count("[data-testid=predict]").await, 0);
    teacher
        .choose(
            "[data-testid=ask-editor] select[data-field=question]",
            "which lane finishes first",
        )
        .await;
    teacher.run_to_end().await;
    assert_eq!(teacher.count("[data-testid=predict-verdict]").await, 0);
    teacher
        .choose(
            "[data-testid=ask-editor] select[data-field=question]",
            "how long the run takes",
        )
        .await;
    teacher.screenshot("predict-teacher").await;
    teacher.click(".share summary").await;
    let status = teacher.text_of("[data-testid=copy-status]").await;
    assert!(status.contains("with its question"), "{status}");
    let link = teacher.value_of("[data-testid=share-link]").await;
    let shared = decode(link.split_once('#').unwrap().1, 2).unwrap();
    assert_eq!(
        shared.ask,
        Some(Ask {
            question: Question::WallTime,
            why: why.into()
        })
    );

    // A learner, in a fresh browser of a laptop's size: the question in view on opening,
    // its field not under the run controls, and Run waits for it.
    let learner = Browser::start_sized(1280, 757).await;
    learner.client.goto(&link).await.unwrap();
    let asked = learner.text_of("[data-testid=predict] h3").await;
    assert_eq!(
        asked,
        "Before you run: How long will the run take, in seconds?"
    );
    assert!(learner.in_view("[data-testid=predict] h3").await);
    assert!(learner.in_view("[data-testid=predict-number]").await);
    // Nothing on the page gives the answer away before it is given.
    assert_eq!(learner.count("[data-testid=lesson-held]").await, 1);
    assert_eq!(learner.count("[data-testid=expected-held]").await, 1);
    assert_eq!(learner.count("[data-testid=expected]").await, 0);
    // Nor the ideal schedule on the timeline: it would say how long.
    assert_eq!(learner.count("[data-testid=predicted]").await, 0);
    learner.screenshot("predict-learner-open").await;
    learner
        .until_state("predict", "Run to wait for the prediction")
        .await;
    let run_enabled = learner
        .eval("!document.querySelector('[data-testid=run]').disabled")
        .await;
    assert_eq!(run_enabled, Value::Bool(false));
    // Typed key by key: "0." on the way to "0.5" stays as typed.
    learner
        .type_into("[data-testid=predict-number]", "0.5")
        .await;
    assert_eq!(
        learner.value_of("[data-testid=predict-number]").await,
        "0.5"
    );
    learner.screenshot("predict-learner-before").await;
    learner.run_to_end().await;
    // Locked once the run started; checked against the measured time, with the why.
    let locked = learner
        .eval("document.querySelector('[data-testid=predict-number]').closest('fieldset').disabled")
        .await;
    assert_eq!(locked, Value::Bool(true));
    let (state, text) = verdict(&learner).await;
    assert_eq!(state, "wrong", "{text}");
    assert!(text.contains("you said 0.5 s"), "{text}");
    assert!(text.contains("The run took 2.0"), "{text}");
    assert!(text.contains(&format!("Why: {why}")), "{text}");
    learner.screenshot("predict-learner-wrong").await;
    // Answered and run: the lesson says what it expected.
    assert_eq!(learner.count("[data-testid=lesson-held]").await, 0);
    assert_eq!(learner.count("[data-testid=expected]").await, 1);

    // Predict again: asked afresh, with the last run's bars and console put away.
    learner.click("[data-testid=predict-again]").await;
    learner.until_state("predict", "Run to wait again").await;
    assert_eq!(learner.count("[data-testid=console-line]").await, 0);
    assert_eq!(learner.count("[data-testid=expected]").await, 0);
    learner.screenshot("predict-learner-again").await;

    // Another lesson mid-question, then back through "Your programs": the question too.
    learner.click("[data-preset=thread-pool]").await;
    assert_eq!(learner.count("[data-testid=predict]").await, 0);
    learner.click("[data-program]").await;
    let asked = learner.text_of("[data-testid=predict] h3").await;
    assert_eq!(
        asked,
        "Before you run: How long will the run take, in seconds?"
    );
    learner.type_into("[data-testid=predict-number]", "2").await;
    learner.run_to_end().await;
    let (state, text) = verdict(&learner).await;
    assert_eq!(state, "right", "{text}");
    learner.screenshot("predict-learner-right").await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_embed_asks_first_shows_its_goals_and_keeps_the_bars_room() {
    let server = Server::start().await;
    let link = encode(&Shared {
        scenario: presets::find("gather").unwrap().scenario(),
        note: String::new(),
        run_on_open: false,
        goals: vec![Goal::Completes, Goal::WallUnder { ms: 1_000 }],
        ask: Some(Ask {
            question: Question::FirstLine {
                choices: vec!["Task 2 finished".into(), "Task 1 started".into()],
            },
            why: String::new(),
        }),
    });
    let browser = Browser::start_sized(800, 450).await;
    browser
        .client
        .goto(&format!("{}?embed#{link}", server.url))
        .await
        .unwrap();
    browser
        .until_state("predict", "the embed to ask first")
        .await;
    assert_eq!(browser.count("[data-testid=predict-choice]").await, 2);
    assert_eq!(
        browser
            .count("[data-testid=goals] [data-verdict=pending]")
            .await,
        2
    );
    browser
        .click("[data-testid=predict-choice][value='1']")
        .await;
    browser.run_to_end().await;
    let (state, text) = verdict(&browser).await;
    assert_eq!(state, "right", "{text}");
    let goals = browser
        .eval(
            "[...document.querySelectorAll('[data-testid=goals] [data-verdict]')].map(e => e.dataset.verdict)",
        )
        .await;
    assert_eq!(goals, serde_json::json!(["met", "missed"]));
    browser.screenshot("predict-embed-800x450").await;
    // The colour key is one line: the bars keep most of the timeline's height.
    let share = browser
        .eval(
            "document.querySelector('.embed .canvas-box').getBoundingClientRect().height\
             / document.querySelector('.embed .timeline').getBoundingClientRect().height",
        )
        .await
        .as_f64()
        .unwrap();
    assert!(
        share >= 0.6,
        "the bars get {share:.2} of the timeline's height"
    );
    let fits = browser
        .eval("document.documentElement.scrollHeight <= innerHeight")
        .await;
    assert_eq!(fits, Value::Bool(true), "the frame scrolls");
    // The way out carries the question and the goals.
    let href = browser
        .eval("document.querySelector('[data-testid=open-full]').href")
        .await;
    let full = decode(href.as_str().unwrap().split_once('#').unwrap().1, 2).unwrap();
    assert_eq!((full.goals.len(), full.ask.is_some()), (2, true));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_recorded_run_shows_its_findings_and_its_link_copies() {
    let (_server, teacher) = open_page().await;
    teacher.click("[data-preset=blocking-the-loop]").await;
    teacher.run_to_end().await;
    let findings = teacher.count("[data-testid=lints] .lint").await;
    assert!(findings > 0, "the lesson's run has no finding");
    teacher.click("[data-testid=run-link-make]").await;
    let link = teacher.value_of("[data-testid=run-link]").await;
    // Copied as the share link is: "Copied" only when the clipboard took it.
    teacher.click("[data-testid=copy-run-link]").await;
    let said = eventually("the clipboard's answer", || async {
        let s = teacher.text_of("[data-testid=run-link-status]").await;
        (s.contains("clipboard") || s.contains("did not allow")).then_some(s)
    })
    .await;
    let button = teacher.text_of("[data-testid=copy-run-link]").await;
    assert_eq!(
        button == "Copied",
        said.contains("on the clipboard"),
        "{button}: {said}"
    );

    let learner = Browser::start().await;
    learner.client.goto(&link).await.unwrap();
    eventually("the linked run to open", || async {
        (learner.count("[data-testid=recorded-banner]").await == 1).then_some(())
    })
    .await;
    eventually("the recorded run's findings", || async {
        (learner.count("[data-testid=lints] .lint").await == findings).then_some(())
    })
    .await;
    learner.screenshot("recorded-run-findings").await;
}

/// A link's question in the frame, and a challenge's story: at a slide's two sizes the
/// question, every choice, Skip and then the verdict show whole, nothing covers the way
/// out, and the frame does not scroll.
#[tokio::test(flavor = "multi_thread")]
async fn an_embedded_question_and_challenge_fit_a_small_slide() {
    let server = Server::start().await;
    let lines = [
        "Task 1 started",
        "Task 2 started",
        "Task 2 finished",
        "Task 1 finished",
    ];
    let link = encode(&Shared {
        scenario: presets::find("gather").unwrap().scenario(),
        note: String::new(),
        run_on_open: false,
        goals: Vec::new(),
        ask: Some(Ask {
            question: Question::FirstLine {
                choices: lines.iter().map(|l| (*l).to_owned()).collect(),
            },
            why: "Both tasks start before either sleeps.".into(),
        }),
    });
    let challenge = &presets::challenges::all()[0];
    let challenge_link = encode(&Shared {
        scenario: challenge.start(),
        note: String::new(),
        run_on_open: false,
        goals: challenge.goals(),
        ask: None,
    });
    for (width, height) in [(800, 450), (560, 315)] {
        let browser = Browser::start_sized(width, height).await;
        let url = format!("{}?embed#{link}", server.url);
        browser.client.goto(&url).await.unwrap();
        browser
            .until_state("predict", "Run to wait for the answer")
            .await;
        // The choices are not in the order the run prints them.
        let shown = browser
            .eval("[...document.querySelectorAll('[data-testid=predict-choice] + code')].map(c => c.textContent)")
            .await;
        assert_ne!(shown, serde_json::json!(lines));
        browser
            .screenshot(&format!("embed-question-{width}x{height}"))
            .await;
        fits(&browser, &format!("{width}x{height} asking")).await;
        browser
            .click("[data-testid=predict-choice][value='0']")
            .await;
        browser.run_to_end().await;
        eventually("the verdict", || async {
            (browser.count("[data-testid=predict-verdict]").await == 1).then_some(())
        })
        .await;
        fits(&browser, &format!("{width}x{height} with the verdict")).await;
        browser
            .screenshot(&format!("embed-verdict-{width}x{height}"))
            .await;
        // A challenge's program is that challenge: its title and story, not its id.
        browser
            .client
            .goto(&format!("{}?embed#{challenge_link}", server.url))
            .await
            .unwrap();
        browser.client.refresh().await.unwrap();
        let title = browser.text_of(".embed-title").await;
        assert_eq!(title, challenge.title);
        assert_eq!(
            browser.text_of("[data-testid=challenge-story]").await,
            challenge.story
        );
        fits(&browser, &format!("{width}x{height} a challenge")).await;
        browser
            .screenshot(&format!("embed-challenge-{width}x{height}"))
            .await;
    }
}
