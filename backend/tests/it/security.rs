//! The WebSocket opened only by the page's own origin or an allowed one, and the security
//! headers on every response: the page, its files, errors, the operator's endpoints.

use base64::Engine;
use looplab_backend::page::Page;
use looplab_backend::security::Security;
use looplab_backend::server::Options;
use sha2::{Digest, Sha256};
use tokio_tungstenite::tungstenite::Error;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;

use crate::http::{Reply, get};
use crate::support::spawn_server_options;

/// Opens `/ws` with `origin`; the HTTP status it was refused with, if it was.
async fn upgrade(addr: std::net::SocketAddr, origin: Option<&str>) -> Result<(), Reply> {
    let mut request = format!("ws://{addr}/ws").into_client_request().unwrap();
    if let Some(origin) = origin {
        request
            .headers_mut()
            .insert("origin", origin.parse().unwrap());
    }
    match tokio_tungstenite::connect_async(request).await {
        Ok(_) => Ok(()),
        Err(Error::Http(response)) => {
            let (parts, body) = (*response).into_parts();
            Err(Reply::from_parts(
                parts.status.as_u16(),
                &parts.headers,
                body.unwrap_or_default(),
            ))
        }
        Err(e) => panic!("the upgrade failed otherwise: {e}"),
    }
}

fn assert_secured(reply: &Reply, what: &str) {
    let policy = reply
        .header("content-security-policy")
        .unwrap_or_else(|| panic!("{what}: no Content-Security-Policy"));
    assert!(
        policy.contains("frame-ancestors 'self'"),
        "{what}: {policy}"
    );
    assert!(policy.contains("'wasm-unsafe-eval'"), "{what}: {policy}");
    assert_eq!(
        reply.header("x-content-type-options"),
        Some("nosniff"),
        "{what}"
    );
    assert_eq!(
        reply.header("referrer-policy"),
        Some("no-referrer"),
        "{what}"
    );
}

#[tokio::test]
async fn another_sites_page_may_not_open_the_socket() {
    let security = Security::new(&["https://school.example".into()], "'self'").unwrap();
    let addr = spawn_server_options(Options {
        security,
        ..Options::new()
    })
    .await;
    let refused = upgrade(addr, Some("https://evil.example"))
        .await
        .unwrap_err();
    assert_eq!(refused.status, 403);
    assert!(
        refused
            .text()
            .contains("may not open this server's WebSocket")
    );
    assert_secured(&refused, "the refusal");
    // The same host on another port is another origin.
    let other_port = format!("http://127.0.0.1:{}", addr.port() + 1);
    assert_eq!(
        upgrade(addr, Some(&other_port)).await.unwrap_err().status,
        403
    );
    assert_eq!(upgrade(addr, Some("null")).await.unwrap_err().status, 403);

    // The page's own origin, an allowed one, and no browser at all.
    upgrade(addr, Some(&format!("http://{addr}")))
        .await
        .unwrap();
    upgrade(addr, Some("https://school.example")).await.unwrap();
    upgrade(addr, None).await.unwrap();
}

#[tokio::test]
async fn every_response_carries_the_security_headers() {
    let dist = std::env::temp_dir().join(format!("looplab-headers-{}", std::process::id()));
    std::fs::create_dir_all(&dist).unwrap();
    let script = "\nimport init from '/app-0123456789abcdef.js';\n";
    let html = format!("<!doctype html><script type=\"module\">{script}</script>");
    std::fs::write(dist.join("index.html"), &html).unwrap();
    std::fs::write(dist.join("app-0123456789abcdef.js"), "js").unwrap();
    std::fs::write(dist.join("notes.txt"), "notes").unwrap();
    let addr = spawn_server_options(Options {
        page: Page::Folder(dist.clone()),
        metrics: true,
        ..Options::new()
    })
    .await;

    let page = get(addr, "/", &[]).await;
    assert_eq!(page.status, 200);
    assert_secured(&page, "the page");
    let policy = page.header("content-security-policy").unwrap();
    let hash = base64::engine::general_purpose::STANDARD.encode(Sha256::digest(script));
    assert!(policy.contains(&format!("'sha256-{hash}'")), "{policy}");
    assert!(policy.contains(&format!("ws://{addr}")), "{policy}");
    assert_eq!(page.header("cache-control"), Some("no-cache"));
    let named = get(addr, "/index.html", &[]).await;
    assert_eq!(named.body, html.as_bytes());
    assert_eq!(named.header("content-security-policy"), Some(policy));

    let asset = get(addr, "/app-0123456789abcdef.js", &[]).await;
    assert_eq!(asset.status, 200);
    assert_secured(&asset, "a hashed file");
    assert_eq!(
        asset.header("cache-control"),
        Some("public, max-age=31536000, immutable")
    );
    let unhashed = get(addr, "/notes.txt", &[]).await;
    assert_eq!(unhashed.header("cache-control"), Some("no-cache"));

    let missing = get(addr, "/app-fedcba9876543210.js", &[]).await;
    assert_eq!(missing.status, 404);
    assert_secured(&missing, "a missing file");
    assert_eq!(missing.header("cache-control"), Some("no-cache"));

    for path in ["/healthz", "/readyz", "/metrics", "/ws"] {
        let reply = get(addr, path, &[]).await;
        assert_secured(&reply, path);
    }
    std::fs::remove_dir_all(&dist).unwrap();
}
