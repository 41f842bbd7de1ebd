//! One file to deploy: the binary, copied away from the build tree, serves the page it was
//! compiled with, each file in the best encoding asked for, and runs scenarios.

use std::path::{Path, PathBuf};

use looplab_shared::protocol::{ClientMsg, Outcome, ServerMsg};

use crate::http::get;
use crate::support::{Client, DEADLINE, gather_at, start_binary};

fn dist() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../dist")
}

/// The built file of `dist/` whose name ends with `suffix`.
fn built(suffix: &str) -> String {
    std::fs::read_dir(dist())
        .unwrap()
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .find(|name| name.ends_with(suffix))
        .unwrap_or_else(|| panic!("no *{suffix} in dist/"))
}

#[tokio::test]
async fn a_copied_binary_serves_the_page_it_was_built_with_and_runs() {
    let dir = std::env::temp_dir().join(format!("looplab-copied-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let binary = dir.join("looplab");
    std::fs::copy(env!("CARGO_BIN_EXE_looplab"), &binary).unwrap();
    let (_server, addr) = start_binary(&binary, &dir, &["--frame-ancestors", "'none'"]).await;

    let page = get(addr, "/", &[]).await;
    let index = dist().join("index.html");
    if !index.is_file() {
        // Compiled before the page was built (scripts/test.sh builds it first): the binary
        // says so rather than serving nothing.
        assert_eq!(page.status, 503);
        assert!(page.text().contains("was not built into this binary"));
        return;
    }
    assert_eq!(page.status, 200);
    assert_eq!(page.body, std::fs::read(&index).unwrap());
    assert_eq!(page.header("cache-control"), Some("no-cache"));
    assert_eq!(
        page.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    let policy = page.header("content-security-policy").unwrap();
    assert!(policy.contains("'sha256-"), "{policy}");
    assert!(policy.ends_with("; frame-ancestors 'none'"), "{policy}");

    // The wasm in the best encoding the browser takes: brotli where it was built, else gzip.
    let wasm = built("_bg.wasm");
    let (encoding, copy) = if dist().join(format!("{wasm}.br")).is_file() {
        ("br", format!("{wasm}.br"))
    } else {
        ("gzip", format!("{wasm}.gz"))
    };
    let path = format!("/{wasm}");
    let accept = [("Accept-Encoding", "gzip, deflate, br")];
    let asset = get(addr, &path, &accept).await;
    assert_eq!(asset.status, 200);
    assert_eq!(asset.header("content-encoding"), Some(encoding));
    assert_eq!(asset.body, std::fs::read(dist().join(copy)).unwrap());
    assert_eq!(asset.header("content-type"), Some("application/wasm"));
    assert_eq!(
        asset.header("cache-control"),
        Some("public, max-age=31536000, immutable")
    );
    assert_eq!(asset.header("vary"), Some("accept-encoding"));
    assert_eq!(asset.header("x-content-type-options"), Some("nosniff"));
    // Asked again with its ETag: nothing to send.
    let etag = asset.header("etag").unwrap().to_owned();
    let again = get(addr, &path, &[accept[0], ("If-None-Match", &etag)]).await;
    assert_eq!(again.status, 304);
    assert!(again.body.is_empty());

    // A client that takes no encoding gets the file as built, under another ETag.
    let js = built(".js");
    let plain = get(addr, &format!("/{js}"), &[]).await;
    assert_eq!(plain.status, 200);
    assert_eq!(plain.header("content-encoding"), None);
    assert_eq!(plain.body, std::fs::read(dist().join(&js)).unwrap());
    assert!(plain.header("content-type").unwrap().contains("javascript"));
    assert_ne!(plain.header("etag"), Some(etag.as_str()));

    // A file of an older build is gone, not the page in its place; a path is the page's.
    let old = get(addr, "/looplab-frontend-0123456789abcdef.js", &[]).await;
    assert_eq!(old.status, 404);
    assert_eq!(old.header("cache-control"), Some("no-cache"));
    assert_eq!(get(addr, "/lesson/gather", &[]).await.body, page.body);

    // The copy runs scenarios too: it is its own runner.
    let mut client = Client::connect(addr).await;
    client
        .send(&ClientMsg::Run {
            scenario: gather_at(0.01),
        })
        .await;
    let msgs = client.recv_run().await;
    assert!(
        matches!(
            msgs.last(),
            Some(ServerMsg::RunEnded {
                outcome: Outcome::Completed,
                ..
            })
        ),
        "{:?}",
        msgs.last()
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[tokio::test]
async fn settings_that_would_change_the_policy_or_name_no_origin_are_refused_at_start() {
    let refused = async |args: &[&str]| {
        let run = tokio::process::Command::new(env!("CARGO_BIN_EXE_looplab"))
            .args(["--port", "0"])
            .args(args)
            .kill_on_drop(true)
            .output();
        let out = tokio::time::timeout(DEADLINE, run)
            .await
            .unwrap_or_else(|_| panic!("{args:?} was taken: the server went on"))
            .unwrap();
        assert!(!out.status.success(), "{args:?} was taken");
        String::from_utf8_lossy(&out.stderr).into_owned()
    };
    let why = refused(&["--frame-ancestors", "'self'; script-src *"]).await;
    assert!(why.contains("--frame-ancestors"), "{why}");
    let why = refused(&["--allowed-origin", "school.example"]).await;
    assert!(why.contains("is not an origin"), "{why}");
}
