//! Many tasks, and a run that waits for its turn.

use crate::harness::{Browser, Server, eventually};

#[tokio::test(flavor = "multi_thread")]
async fn ten_thousand_tasks_run_and_scroll() {
    let server = Server::start().await;
    let browser = Browser::start().await;
    let page = &browser.client;
    let json = r#"{"name":"many","tasks":[{"name":"t","steps":[{"type":"sleep","ms":10}]},
                   {"name":"main","steps":[{"type":"gather","calls":[{"type":"task","task":"t","times":10000}]}]}],
                   "main":[{"type":"run","task":"main"}]}"#;
    let shared = looplab_shared::share::Shared {
        scenario: serde_json::from_str(json).unwrap(),
        note: String::new(),
        run_on_open: true,
        goals: Vec::new(),
        ask: None,
    };
    let link = format!("{}#{}", server.url, looplab_shared::share::encode(&shared));
    page.goto(&link).await.unwrap();
    browser
        .until_state("completed", "ten thousand tasks to run and show")
        .await;
    // Ten thousand alike tasks share one lane, until they are given a row each.
    assert_eq!(browser.timeline_attr("data-lanes").await.unwrap(), "3");
    assert_eq!(
        browser.timeline_attr("data-lane-labels").await.unwrap(),
        "<module>,main,▸ 10000 × t"
    );
    browser.click("[data-testid=expand]").await;
    eventually("a row for each task", || async {
        (browser.timeline_attr("data-lanes").await? == "10002").then_some(())
    })
    .await;
    // Rows are virtual: scrolling far down paints the rows there.
    let top = browser.timeline_attr("data-lane-labels").await.unwrap();
    assert!(top.starts_with("<module>,main,t,t"), "{top}");
    page.execute(
        "document.querySelector('.canvas-box').scrollTop = 150000;",
        vec![],
    )
    .await
    .unwrap();
    eventually("the rows further down", || async {
        let now = browser.timeline_attr("data-lane-labels").await?;
        (!now.starts_with("<module>")).then_some(())
    })
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_run_waits_its_turn_and_the_page_shows_its_place() {
    use futures_util::{SinkExt, StreamExt};
    use tokio_tungstenite::tungstenite::Message;

    let server = Server::start_with(&["--run-cores", "1", "--light-runs-per-core", "1"]).await;
    // Another learner holds the only run slot.
    let ws_url = server.url.replace("http://", "ws://") + "ws";
    let (mut other, _) = tokio_tungstenite::connect_async(ws_url).await.unwrap();
    let long = r#"{"type":"run","scenario":{"name":"long","tasks":[{"name":"t","steps":[{"type":"sleep","ms":20000}]}],
                  "main":[{"type":"run","task":"t"}]}}"#;
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
    let status = browser.text_of("[data-run-state]").await;
    assert!(status.contains("place 1"), "{status}");

    // The slot frees: the page's run starts and completes.
    let stop = format!(
        r#"{{"type":"stop","run_id":{}}}"#,
        started.run_id().unwrap()
    );
    other.send(Message::text(stop)).await.unwrap();
    browser
        .until_state("completed", "the queued run to run")
        .await;
}
