//! looplab behind real nginx: the documented site (docs/deploy/looplab.nginx.conf) in front
//! of two replicas of the binary, the playground under `/looplab/`.

use std::net::{IpAddr, Ipv4Addr};

use looplab_shared::protocol::{Outcome, ServerMsg};
use tokio_tungstenite::tungstenite;

use crate::lessons::ONE_AT_A_TIME;
use crate::nginx::{NGINX_ADDRESS, PREFIX, Proxied, SITE, get};
use crate::requests::{run, sleeper};
use crate::support::{Client, alive, eventually};

/// The `i`th learner's machine: 127.0.0.2, 127.0.0.3, …
fn learner(i: u8) -> IpAddr {
    IpAddr::V4(Ipv4Addr::new(127, 0, 0, 2 + i))
}

/// The process that started process `pid`.
fn parent(pid: u32) -> u32 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap();
    let after_name = stat.rsplit_once(')').unwrap().1;
    after_name
        .split_whitespace()
        .nth(1)
        .unwrap()
        .parse()
        .unwrap()
}

/// The replica running `client`'s run that just started, and the run's runner process: a
/// child of the replica, read at the run's first event while it runs.
async fn replica_of(client: &mut Client) -> (u32, u32) {
    let ServerMsg::RunStarted { .. } = client.recv().await else {
        panic!("no start")
    };
    match client.recv().await {
        ServerMsg::Event { pid, .. } => (parent(pid), pid),
        other => panic!("expected an event, got {other:?}"),
    }
}

/// How `client`'s run ends.
async fn outcome(client: &mut Client) -> Outcome {
    match client.recv_run().await.pop() {
        Some(ServerMsg::RunEnded { outcome, .. }) => outcome,
        other => panic!("the run did not end: {other:?}"),
    }
}

#[tokio::test]
async fn a_class_through_nginx_uses_both_replicas_and_loses_no_event() {
    // The load needs both cores; timing tests must not run beside it.
    let _turn = ONE_AT_A_TIME.lock().await;
    let proxied = Proxied::start(&[]).await;
    let out = tokio::process::Command::new(env!("CARGO_BIN_EXE_looplab"))
        .args(["load", "--server", &proxied.page(), "--json"])
        .args(["--sessions", "60", "--runs", "2", "--deadline-s", "60"])
        .output()
        .await
        .unwrap();
    assert!(out.status.success(), "{out:?}\n{}", proxied.error_log());
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["sessions_held"], 60, "{report}");
    assert_eq!(report["runs_completed"], 120, "{report}");
    assert_eq!(report["events_lost"], 0, "{report}");
    assert_eq!(report["failures"], serde_json::json!([]), "{report}");
    // nginx logs a WebSocket as it closes: every session, upgraded (101), each from its own
    // address, spread over both replicas.
    let upgrades = || {
        let log = proxied.access_log();
        let lines: Vec<String> = log
            .lines()
            .filter(|l| l.contains("\"GET /looplab/ws HTTP/1.1\" 101 "))
            .map(str::to_owned)
            .collect();
        lines
    };
    eventually("nginx to log the 60 sessions", || upgrades().len() == 60).await;
    let lines = upgrades();
    for replica in &proxied.replicas {
        let on_it = lines
            .iter()
            .filter(|l| l.contains(&format!(" {} ", replica.addr)));
        assert!(
            on_it.count() >= 20,
            "{} had few of\n{}",
            replica.addr,
            lines.join("\n")
        );
    }
    let learners: std::collections::BTreeSet<_> =
        lines.iter().filter_map(|l| l.rsplit(' ').next()).collect();
    assert_eq!(learners.len(), 60, "{learners:?}");
}

#[tokio::test]
async fn a_replica_stopped_mid_class_tells_its_learners_who_run_again_on_the_other() {
    let mut proxied = Proxied::start(&[]).await;
    let (url, nginx) = (proxied.socket(), proxied.http);
    let mut class = Vec::new();
    for i in 0..6 {
        let client = Client::connect_from(nginx, &url, learner(i), &[]);
        class.push(client.await.unwrap());
    }
    for client in &mut class {
        client.send(&run(sleeper(1_500))).await;
    }
    // Where each run is: a learner's runs stay on the replica its socket reached.
    let mut on = Vec::new();
    for client in &mut class {
        on.push(replica_of(client).await);
    }
    let [stopped, other] = [proxied.replicas[0].pid(), proxied.replicas[1].pid()];
    assert!(
        on.iter().any(|r| r.0 == stopped) && on.iter().any(|r| r.0 == other),
        "the balancer left a replica idle: {on:?} of {stopped} and {other}"
    );

    proxied.replicas[0].terminate();
    for (client, &(replica, _)) in class.iter_mut().zip(&on) {
        if replica == other {
            assert_eq!(outcome(client).await, Outcome::Completed);
            continue;
        }
        // Told: the run ends as stopped, and the socket closes saying why.
        assert_eq!(outcome(client).await, Outcome::Stopped);
        let reason = client.close_reason().await;
        assert!(reason.contains("shutting down"), "{reason}");
    }
    let status = proxied.replicas[0].exited().await;
    assert!(status.success(), "the replica exited with {status}");
    for &(_, runner) in on.iter().filter(|r| r.0 == stopped) {
        eventually("the stopped replica's runs to be gone", || !alive(runner)).await;
    }
    // The learners it had reconnect, as the page does, through nginx to the other replica.
    for (i, _) in on.iter().enumerate().filter(|(_, r)| r.0 == stopped) {
        let again = Client::connect_from(nginx, &url, learner(i as u8), &[]);
        let mut again = again
            .await
            .unwrap_or_else(|e| panic!("{e}\n{}", proxied.error_log()));
        again.send(&run(sleeper(300))).await;
        assert_eq!(replica_of(&mut again).await.0, other);
        assert_eq!(outcome(&mut again).await, Outcome::Completed);
    }
}

/// The refusal of an upgrade: its status and body.
fn refusal(attempt: Result<Client, tungstenite::Error>) -> (u16, String) {
    match attempt {
        Err(tungstenite::Error::Http(response)) => {
            let body = response.body().clone().unwrap_or_default();
            (
                response.status().as_u16(),
                String::from_utf8_lossy(&body).into_owned(),
            )
        }
        Err(e) => panic!("refused otherwise: {e}"),
        Ok(_) => panic!("accepted"),
    }
}

#[tokio::test]
async fn the_caps_count_the_learner_nginx_saw_and_not_what_a_client_claims() {
    let proxied = Proxied::start(&["--max-connections-per-address", "2"]).await;
    let (url, nginx) = (proxied.socket(), proxied.http);
    let (one, another) = (learner(0), learner(1));
    // Two connections a replica from one learner: four through the balancer, over both.
    let mut held = Vec::new();
    for _ in 0..4 {
        held.push(Client::connect_from(nginx, &url, one, &[]).await.unwrap());
    }
    let capped = |(status, body): (u16, String)| {
        assert_eq!(status, 429, "{body}");
        assert!(body.contains("at most 2"), "{body}");
    };
    capped(refusal(Client::connect_from(nginx, &url, one, &[]).await));
    // A header claiming another address sits left of the one nginx appends: not believed.
    let spoofs = [
        ("X-Forwarded-For", "127.0.0.99"),
        ("X-Forwarded-For", "127.0.0.99, 127.0.0.1"),
        ("Forwarded", "for=127.0.0.99"),
    ];
    for spoof in spoofs {
        capped(refusal(
            Client::connect_from(nginx, &url, one, &[spoof]).await,
        ));
    }
    // Nor straight to a replica: its peer is then no trusted proxy, and is the learner.
    let replica = proxied.replicas[0].addr;
    let direct = format!("ws://{replica}/ws");
    let spoof = [("X-Forwarded-For", "127.0.0.99")];
    capped(refusal(
        Client::connect_from(replica, &direct, one, &spoof).await,
    ));
    // Another learner behind the same nginx is counted apart, and runs.
    let mut other = Client::connect_from(nginx, &url, another, &[])
        .await
        .unwrap();
    other.send(&run(sleeper(10))).await;
    assert_eq!(outcome(&mut other).await, Outcome::Completed);
    drop(held);
}

#[tokio::test]
async fn the_site_sends_plain_http_to_https_and_the_bare_prefix_to_its_folder() {
    let proxied = Proxied::start(&[]).await;
    let me = learner(0);
    let (status, headers, _) = get(proxied.redirect, me, "/looplab/", &[]).await;
    assert!(status.contains(" 301 "), "{status}");
    let location = headers.iter().find(|(n, _)| n == "location").unwrap();
    assert!(
        location.1.starts_with("https://") && location.1.ends_with("/looplab/"),
        "{location:?}"
    );
    let (status, headers, _) = get(proxied.http, me, "/looplab", &[]).await;
    assert!(status.contains(" 301 "), "{status}");
    let location = headers.iter().find(|(n, _)| n == "location").unwrap();
    assert!(location.1.ends_with("/looplab/"), "{location:?}");
}

/// The value of header `name` in `headers`.
fn header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    let found = headers.iter().find(|(n, _)| n == name);
    found.map(|(_, v)| v.as_str())
}

#[tokio::test]
async fn through_nginx_the_page_keeps_its_security_and_metrics_are_read_from_here_only() {
    let proxied = Proxied::start(&["--metrics"]).await;
    let (nginx, me, elsewhere) = (proxied.http, NGINX_ADDRESS.parse().unwrap(), learner(0));
    // The page's policy names the socket at the host the browser asked for, nginx's.
    let (status, headers, body) = get(nginx, elsewhere, PREFIX, &[]).await;
    assert!(status.contains(" 200 "), "{status}");
    let policy = header(&headers, "content-security-policy").unwrap();
    assert!(policy.contains(&format!("ws://{nginx}")), "{policy}");
    assert!(policy.contains("frame-ancestors 'self'"), "{policy}");
    assert_eq!(header(&headers, "x-content-type-options"), Some("nosniff"));
    assert_eq!(header(&headers, "referrer-policy"), Some("no-referrer"));
    assert_eq!(header(&headers, "cache-control"), Some("no-cache"));
    let html = String::from_utf8(body).unwrap();
    let script = html.split('\'').find(|s| s.ends_with(".js")).unwrap();
    let file = format!("{PREFIX}{}", script.trim_start_matches("./"));
    let (status, headers, _) = get(nginx, elsewhere, &file, &[]).await;
    assert!(status.contains(" 200 "), "{file}: {status}");
    let immutable = "public, max-age=31536000, immutable";
    assert_eq!(header(&headers, "cache-control"), Some(immutable));
    assert_eq!(header(&headers, "x-content-type-options"), Some("nosniff"));

    // The socket: the page's own origin, under either scheme (TLS ends at nginx), and no
    // other site's.
    let url = proxied.socket();
    for (origin, opens) in [
        (format!("http://{nginx}"), true),
        (format!("https://{nginx}"), true),
        ("https://evil.example".to_owned(), false),
    ] {
        let sent = [("Origin", origin.as_str())];
        match Client::connect_from(nginx, &url, elsewhere, &sent).await {
            Ok(_) => assert!(opens, "{origin} opened the socket"),
            Err(e) => {
                let (status, body) = refusal(Err(e));
                assert!(!opens && status == 403, "{origin}: {status} {body}");
            }
        }
    }

    // A run through nginx, then /metrics through it: a replica's own, from this machine only.
    let mut client = Client::connect_from(nginx, &url, elsewhere, &[])
        .await
        .unwrap();
    client.send(&run(sleeper(10))).await;
    assert_eq!(outcome(&mut client).await, Outcome::Completed);
    drop(client);
    let (status, _, _) = get(nginx, elsewhere, "/looplab/metrics", &[]).await;
    assert!(status.contains(" 403 "), "{status}");
    let completed = "looplab_runs_ended_total{outcome=\"completed\"} ";
    // One replica ran it, the other nothing: nginx asks them in turn once the socket's
    // connection is gone (least_conn).
    let mut seen = std::collections::BTreeSet::new();
    let deadline = std::time::Instant::now() + crate::support::DEADLINE;
    loop {
        assert!(std::time::Instant::now() < deadline, "only {seen:?} seen");
        let (status, _, body) = get(nginx, me, "/looplab/metrics", &[]).await;
        assert!(status.contains(" 200 "), "{status}");
        let text = String::from_utf8(body).unwrap();
        assert!(text.contains("looplab_connections_open "), "{text}");
        let runs = text.lines().find_map(|l| l.strip_prefix(completed));
        if seen.insert(runs.unwrap_or("0").to_owned()) && seen.len() == 2 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    assert_eq!(seen.into_iter().collect::<Vec<_>>(), ["0", "1"]);
}

#[tokio::test]
async fn a_page_of_one_build_finds_its_files_while_the_other_build_serves_beside_it() {
    // One replica serves an older build of the page (a folder), the other this one.
    let dist = std::env::temp_dir().join(format!("looplab-old-build-{}", std::process::id()));
    std::fs::create_dir_all(&dist).unwrap();
    let old = "app-0123456789abcdef.js";
    std::fs::write(
        dist.join("index.html"),
        format!("<script src='./{old}'></script>"),
    )
    .unwrap();
    std::fs::write(dist.join(old), "old").unwrap();
    let folder = dist.display().to_string();
    let proxied = Proxied::start_each([&["--dist", &folder][..], &[]]).await;
    let (nginx, me) = (proxied.http, learner(0));
    let direct = proxied.replicas[1].addr;
    let (_, _, html) = get(direct, me, "/", &[]).await;
    let html = String::from_utf8(html).unwrap();
    let new = html.split('\'').find(|s| s.ends_with("_bg.wasm")).unwrap();
    let new = new.trim_start_matches("./").to_owned();
    // nginx asks the replicas in turn: whichever it asks first, each build's files arrive.
    for file in [old, &new] {
        for _ in 0..3 {
            let (status, _, _) = get(nginx, me, &format!("{PREFIX}{file}"), &[]).await;
            assert!(status.contains(" 200 "), "{file}: {status}");
        }
    }
    std::fs::remove_dir_all(&dist).unwrap();
}

#[tokio::test]
async fn with_the_second_replica_a_backup_every_learner_is_on_the_first_until_it_stops() {
    let mut proxied = Proxied::start_with_backup(&[]).await;
    let (url, nginx) = (proxied.socket(), proxied.http);
    let [first, backup] = [proxied.replicas[0].pid(), proxied.replicas[1].pid()];
    let mut class = Vec::new();
    for i in 0..4 {
        let mut client = Client::connect_from(nginx, &url, learner(i), &[])
            .await
            .unwrap();
        client.send(&run(sleeper(1_500))).await;
        assert_eq!(replica_of(&mut client).await.0, first);
        class.push(client);
    }
    proxied.replicas[0].terminate();
    for client in &mut class {
        assert_eq!(outcome(client).await, Outcome::Stopped);
        let reason = client.close_reason().await;
        assert!(reason.contains("shutting down"), "{reason}");
    }
    assert!(proxied.replicas[0].exited().await.success());
    for i in 0..4 {
        let mut again = Client::connect_from(nginx, &url, learner(i), &[])
            .await
            .unwrap();
        again.send(&run(sleeper(300))).await;
        assert_eq!(replica_of(&mut again).await.0, backup);
        assert_eq!(outcome(&mut again).await, Outcome::Completed);
    }
}

#[test]
fn deploy_shows_the_site_and_the_unit_as_they_are() {
    let deploy = include_str!("../../../docs/DEPLOY.md");
    let unit = include_str!("../../../docs/deploy/looplab@.service");
    for (file, text) in [("looplab.nginx.conf", SITE), ("looplab@.service", unit)] {
        assert!(
            deploy.contains(text),
            "docs/DEPLOY.md does not show docs/deploy/{file} as it is"
        );
    }
}
