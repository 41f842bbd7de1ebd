//! The router without a port: static files and the page's fallback.

use axum::body::Body;
use axum::http::{Request, StatusCode};
use looplab_backend::page::Page;
use looplab_backend::server::{AppState, app};
use tower::ServiceExt;

async fn get(dist: &std::path::Path, path: &str) -> (StatusCode, String) {
    let runner = env!("CARGO_BIN_EXE_looplab").into();
    let response = app(AppState::new(Page::Folder(dist.to_path_buf()), runner))
        .oneshot(Request::get(path).body(Body::empty()).unwrap())
        .await
        .unwrap();
    let status = response.status();
    let body = axum::body::to_bytes(response.into_body(), 1 << 20)
        .await
        .unwrap();
    (status, String::from_utf8(body.to_vec()).unwrap())
}

#[tokio::test]
async fn serves_files_and_falls_back_to_the_page() {
    let dist = std::env::temp_dir().join(format!("looplab-router-{}", std::process::id()));
    std::fs::create_dir_all(&dist).unwrap();
    std::fs::write(dist.join("index.html"), "<p>page</p>").unwrap();
    std::fs::write(dist.join("app.js"), "js").unwrap();

    assert_eq!(
        get(&dist, "/").await,
        (StatusCode::OK, "<p>page</p>".into())
    );
    assert_eq!(get(&dist, "/app.js").await, (StatusCode::OK, "js".into()));
    // Any other path is the page's, so a shared link's path opens the UI.
    assert_eq!(
        get(&dist, "/lesson/gather").await,
        (StatusCode::OK, "<p>page</p>".into())
    );
    // The socket endpoint answers only WebSocket upgrades.
    assert_ne!(get(&dist, "/ws").await.0, StatusCode::OK);
    std::fs::remove_dir_all(&dist).unwrap();
}

#[tokio::test]
async fn sends_the_precompressed_copy_to_browsers_that_accept_gzip() {
    let dist = std::env::temp_dir().join(format!("looplab-router-gz-{}", std::process::id()));
    std::fs::create_dir_all(&dist).unwrap();
    std::fs::write(dist.join("index.html"), "<p>page</p>").unwrap();
    std::fs::write(dist.join("app.wasm"), "plain").unwrap();
    std::fs::write(dist.join("app.wasm.gz"), "zipped").unwrap();
    let runner: std::path::PathBuf = env!("CARGO_BIN_EXE_looplab").into();
    let request = |gzip: bool| {
        let request = Request::get("/app.wasm");
        let request = if gzip {
            request.header("accept-encoding", "gzip, deflate")
        } else {
            request
        };
        app(AppState::new(Page::Folder(dist.clone()), runner.clone()))
            .oneshot(request.body(Body::empty()).unwrap())
    };
    let zipped = request(true).await.unwrap();
    assert_eq!(zipped.headers()["content-encoding"], "gzip");
    let body = axum::body::to_bytes(zipped.into_body(), 1 << 20)
        .await
        .unwrap();
    assert_eq!(&body[..], b"zipped");
    let plain = request(false).await.unwrap();
    assert!(plain.headers().get("content-encoding").is_none());
    let body = axum::body::to_bytes(plain.into_body(), 1 << 20)
        .await
        .unwrap();
    assert_eq!(&body[..], b"plain");
    std::fs::remove_dir_all(&dist).unwrap();
}
