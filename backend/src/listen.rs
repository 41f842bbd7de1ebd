//! The accept loop: every TCP connection served by [`app`](crate::server::app), with a
//! deadline for its request headers and a graceful stop.
//!
//! `axum::serve` would do, but it sets no timer, so a client that opens a connection and
//! trickles its headers (or sends nothing) holds it forever. Here hyper's
//! `header_read_timeout` closes it after [`HANDSHAKE_TIMEOUT_S`]; an upgraded WebSocket is no
//! longer HTTP and is timed by its session instead.

use std::future::Future;
use std::net::SocketAddr;
use std::time::Duration;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::Request;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use looplab_shared::limits::HANDSHAKE_TIMEOUT_S;
use tokio::net::TcpListener;
use tokio::sync::watch;
use tower::ServiceExt;

use crate::server::{AppState, app};

/// How long a failing `accept` (out of file descriptors, say) backs off before trying again,
/// so that the loop does not spin while the condition lasts.
const ACCEPT_BACKOFF: Duration = Duration::from_millis(100);

/// How long plain HTTP requests in flight get to finish once `stop` resolves.
const HTTP_DRAIN: Duration = Duration::from_secs(2);

/// Serves `state`'s app on `listener` until `stop` resolves, then stops accepting and lets
/// requests in flight finish. Upgraded sockets are not waited for here: their sessions watch
/// [`AppState::shutdown`] and end their runs themselves.
pub async fn serve(listener: TcpListener, state: AppState, stop: impl Future<Output = ()>) {
    let router = app(state);
    // Every connection holds a receiver until it ends, so `closed()` says when all have.
    let (closing, _) = watch::channel(false);
    let mut builder = http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(Duration::from_secs(HANDSHAKE_TIMEOUT_S));
    tokio::pin!(stop);
    loop {
        let (tcp, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(_) => {
                    tokio::time::sleep(ACCEPT_BACKOFF).await;
                    continue;
                }
            },
            () = &mut stop => break,
        };
        // Events are small and many: send each at once rather than wait to coalesce.
        let _ = tcp.set_nodelay(true);
        let service = router
            .clone()
            .map_request(move |request: Request<Incoming>| {
                let mut request = request.map(Body::new);
                request
                    .extensions_mut()
                    .insert(ConnectInfo::<SocketAddr>(peer));
                request
            });
        let connection = builder
            .serve_connection(TokioIo::new(tcp), TowerToHyperService::new(service))
            .with_upgrades();
        let mut closing = closing.subscribe();
        tokio::spawn(async move {
            tokio::pin!(connection);
            // A connection that breaks or times out concerns only itself.
            tokio::select! {
                _ = connection.as_mut() => return,
                _ = closing.wait_for(|&closing| closing) => connection.as_mut().graceful_shutdown(),
            }
            let _ = connection.await;
        });
    }
    drop(listener);
    closing.send_replace(true);
    let _ = tokio::time::timeout(HTTP_DRAIN, closing.closed()).await;
}
