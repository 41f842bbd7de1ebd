//! Where `looplab load --server` points: a server's address, its page behind a proxy's
//! prefix, or its socket, always on loopback.

use std::net::SocketAddr;

use anyhow::{Context, ensure};

/// Where `--server` points: the address to connect to and the socket's URL.
pub(super) fn target(server: &str) -> anyhow::Result<(SocketAddr, String)> {
    let (scheme, rest) = server.split_once("://").unwrap_or(("", server));
    let (authority, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    let addr: SocketAddr = authority
        .parse()
        .with_context(|| format!("--server {server}: not an IP address and port"))?;
    ensure!(
        addr.ip().is_loopback(),
        "--server must be a loopback address: a load test never leaves this machine"
    );
    let path = match scheme {
        "" => "/ws".to_owned(),
        "ws" => path.to_owned(),
        // The socket beside the page, as the page finds it.
        "http" => format!("{}ws", &path[..path.rfind('/').map_or(0, |i| i + 1)]),
        _ => anyhow::bail!("--server {server}: only http:// and ws:// (a load test speaks no TLS)"),
    };
    let path = if path.starts_with('/') {
        path
    } else {
        format!("/{path}")
    };
    Ok((addr, format!("ws://{addr}{path}")))
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_server_is_an_address_a_page_or_a_socket_on_loopback() {
        let target = |s: &str| super::target(s).map(|(a, u)| (a.to_string(), u));
        let ok = |a: &str, u: &str| Ok((a.to_owned(), u.to_owned()));
        let check = |s: &str, expected: anyhow::Result<(String, String)>| match expected {
            Ok(expected) => assert_eq!(target(s).unwrap(), expected, "{s}"),
            Err(_) => assert!(target(s).is_err(), "{s}"),
        };
        check(
            "127.0.0.1:8080",
            ok("127.0.0.1:8080", "ws://127.0.0.1:8080/ws"),
        );
        check(
            "http://127.0.0.1:8080/",
            ok("127.0.0.1:8080", "ws://127.0.0.1:8080/ws"),
        );
        check(
            "http://127.0.0.1:8080",
            ok("127.0.0.1:8080", "ws://127.0.0.1:8080/ws"),
        );
        let prefixed = ok("127.0.0.1:9000", "ws://127.0.0.1:9000/looplab/ws");
        check("http://127.0.0.1:9000/looplab/", prefixed);
        let prefixed = ok("127.0.0.1:9000", "ws://127.0.0.1:9000/looplab/ws");
        check("ws://127.0.0.1:9000/looplab/ws", prefixed);
        check(
            "http://[::1]:9000/a/",
            ok("[::1]:9000", "ws://[::1]:9000/a/ws"),
        );
        for refused in [
            "192.0.2.1:8080",
            "http://192.0.2.1:8080/",
            "https://127.0.0.1:8443/",
            "http://localhost:8080/",
            "127.0.0.1",
        ] {
            check(refused, Err(anyhow::anyhow!("refused")));
        }
    }
}
