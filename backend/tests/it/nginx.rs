//! Real nginx on loopback in front of two replicas of the real `looplab` binary, configured
//! by the site in `docs/deploy/looplab.nginx.conf` (the one docs/DEPLOY.md shows), with only
//! its addresses, ports and certificate swapped for this machine's. Everything runs in a
//! folder of its own, unprivileged, on free ports; dropping the fixture kills nginx's
//! process group and both replicas, on every path out of a test, panics included.
//!
//! Shared by the integration tests and the browser tests (`#[path]`), so it uses only what
//! both have; each uses part of it.
#![allow(dead_code)]

use std::net::SocketAddr;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::process::{Child, Command};

/// Longest nginx or a replica may take to start, or a replica to stop.
const START: Duration = Duration::from_secs(20);
/// Pause between two looks at something that starts.
const POLL: Duration = Duration::from_millis(20);
/// The site as docs/DEPLOY.md shows it.
pub(crate) const SITE: &str = include_str!("../../../docs/deploy/looplab.nginx.conf");
/// Where the site puts the playground.
pub(crate) const PREFIX: &str = "/looplab/";
/// The address nginx connects to the replicas from, which they trust.
pub(crate) const NGINX_ADDRESS: &str = "127.0.0.1";

/// A replica: `looplab serve` on a free loopback port.
pub(crate) struct Replica {
    child: Child,
    pub(crate) addr: SocketAddr,
}

impl Replica {
    async fn start(args: &[&str]) -> Self {
        // The page compiled into the binary, as one file deployed serves it.
        let mut child = Command::new(env!("CARGO_BIN_EXE_looplab"))
            .args(["serve", "--addr", "127.0.0.1", "--port", "0"])
            .args(["--trusted-proxy", NGINX_ADDRESS])
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .expect("cannot start looplab");
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let line = tokio::time::timeout(START, lines.next_line())
            .await
            .expect("the replica printed no URL in time")
            .unwrap()
            .expect("the replica exited before serving");
        // Whatever else it prints is read, so that it never waits on a full pipe.
        tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
        let addr = line
            .trim()
            .trim_start_matches("looplab is serving http://")
            .trim_end_matches('/')
            .parse()
            .unwrap_or_else(|_| panic!("no address in {line:?}"));
        Self { child, addr }
    }

    /// The replica's process id.
    pub(crate) fn pid(&self) -> u32 {
        self.child.id().expect("the replica was already reaped")
    }

    /// SIGTERM, as systemd stops a service.
    pub(crate) fn terminate(&self) {
        // SAFETY: kill has no memory-safety preconditions; the pid is this fixture's child.
        unsafe { libc::kill(self.pid() as libc::pid_t, libc::SIGTERM) };
    }

    /// Waits for the replica to exit; its status.
    pub(crate) async fn exited(&mut self) -> std::process::ExitStatus {
        tokio::time::timeout(START, self.child.wait())
            .await
            .expect("the replica did not exit after SIGTERM")
            .unwrap()
    }
}

/// nginx and its two replicas.
pub(crate) struct Proxied {
    dir: PathBuf,
    nginx: Option<std::process::Child>,
    pub(crate) replicas: [Replica; 2],
    /// nginx's plain HTTP listener (the site's TLS server, also listening without TLS).
    pub(crate) http: SocketAddr,
    /// nginx's TLS listener, with a self-signed certificate for 127.0.0.1.
    pub(crate) https: SocketAddr,
    /// The site's redirect to HTTPS.
    pub(crate) redirect: SocketAddr,
}

impl Proxied {
    /// Starts two replicas with `--trusted-proxy 127.0.0.1` and `args`, and nginx in front
    /// of them.
    pub(crate) async fn start(args: &[&str]) -> Self {
        Self::start_each([args, args]).await
    }

    /// As [`Proxied::start`], each replica with its own `args`.
    pub(crate) async fn start_each(args: [&[&str]; 2]) -> Self {
        Self::launch(args, "").await
    }

    /// As [`Proxied::start`], the second replica a `backup` (docs/DEPLOY.md): nginx sends it
    /// connections only while the first is down.
    pub(crate) async fn start_with_backup(args: &[&str]) -> Self {
        Self::launch([args, args], " backup").await
    }

    /// The replicas with `args`, the second's line in the site ending with `second`.
    async fn launch(args: [&[&str]; 2], second: &str) -> Self {
        static STARTED: AtomicU32 = AtomicU32::new(0);
        let dir = std::env::temp_dir().join(format!(
            "looplab-nginx-{}-{}",
            std::process::id(),
            STARTED.fetch_add(1, Ordering::Relaxed)
        ));
        std::fs::create_dir_all(&dir).unwrap();
        // nginx's workers drop root's privileges when the tests run as root: they must reach
        // their temporary folders, which the master creates for them.
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o755)).unwrap();
        let replicas = [Replica::start(args[0]).await, Replica::start(args[1]).await];
        let loopback = |port| SocketAddr::from(([127, 0, 0, 1], port));
        let (http, https, redirect) = (
            loopback(free_port()),
            loopback(free_port()),
            loopback(free_port()),
        );
        let (cert, key) = (dir.join("cert.pem"), dir.join("key.pem"));
        certificate(&cert, &key);
        let site = site(&[
            (
                "server 127.0.0.1:8081;",
                format!("server {};", replicas[0].addr),
            ),
            (
                "server 127.0.0.1:8082;",
                format!("server {}{second};", replicas[1].addr),
            ),
            (
                "listen 443 ssl;",
                format!("listen {https} ssl;\n    listen {http};"),
            ),
            ("listen 80;", format!("listen {redirect};")),
            (
                "/etc/ssl/certs/looplab.example.org.pem",
                cert.display().to_string(),
            ),
            (
                "/etc/ssl/private/looplab.example.org.key",
                key.display().to_string(),
            ),
        ]);
        std::fs::write(dir.join("looplab.conf"), site).unwrap();
        std::fs::write(dir.join("nginx.conf"), main_config(&dir)).unwrap();
        let nginx = std::process::Command::new("nginx")
            .arg("-p")
            .arg(&dir)
            .arg("-c")
            .arg(dir.join("nginx.conf"))
            .arg("-e")
            .arg(dir.join("error.log"))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .process_group(0)
            .spawn()
            .expect("nginx is missing: scripts/test.sh installs it (Debian's nginx)");
        let mut proxied = Self {
            dir,
            nginx: Some(nginx),
            replicas,
            http,
            https,
            redirect,
        };
        proxied.until_listening().await;
        proxied
    }

    async fn until_listening(&mut self) {
        let deadline = Instant::now() + START;
        for addr in [self.http, self.https, self.redirect] {
            while tokio::net::TcpStream::connect(addr).await.is_err() {
                let exited = self
                    .nginx
                    .as_mut()
                    .and_then(|n| n.try_wait().ok().flatten());
                assert!(
                    exited.is_none() && Instant::now() < deadline,
                    "nginx is not listening on {addr} ({exited:?}): {}",
                    self.error_log()
                );
                tokio::time::sleep(POLL).await;
            }
        }
    }

    /// The page's URL through nginx, without TLS.
    pub(crate) fn page(&self) -> String {
        format!("http://{}{PREFIX}", self.http)
    }

    /// The page's URL through nginx, over TLS.
    pub(crate) fn page_tls(&self) -> String {
        format!("https://{}{PREFIX}", self.https)
    }

    /// The socket's URL through nginx, without TLS.
    pub(crate) fn socket(&self) -> String {
        format!("ws://{}{PREFIX}ws", self.http)
    }

    /// nginx's error log, for failures.
    pub(crate) fn error_log(&self) -> String {
        std::fs::read_to_string(self.dir.join("error.log")).unwrap_or_default()
    }

    /// nginx's access log: `scheme "request" status upstream client` a line, written as
    /// each request ends (a WebSocket's when it closes).
    pub(crate) fn access_log(&self) -> String {
        std::fs::read_to_string(self.dir.join("access.log")).unwrap_or_default()
    }
}

impl Drop for Proxied {
    /// nginx leads its own process group, with its workers: killing the group ends them
    /// all. The replicas are killed as they drop (and their runs' processes die with them).
    fn drop(&mut self) {
        if let Some(mut nginx) = self.nginx.take() {
            // SAFETY: killpg has no memory-safety preconditions; the group is this fixture's.
            unsafe { libc::killpg(nginx.id() as libc::pid_t, libc::SIGKILL) };
            let _ = nginx.wait();
        }
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// The site with each `(from, to)` swapped; every `from` must be in it exactly once, so a
/// change to the documented site that this test would no longer follow fails here.
fn site(swaps: &[(&str, String)]) -> String {
    let mut site = SITE.to_owned();
    for (from, to) in swaps {
        assert_eq!(
            site.matches(from).count(),
            1,
            "docs/deploy/looplab.nginx.conf should hold `{from}` once"
        );
        site = site.replace(from, to);
    }
    site
}

/// What a system's nginx.conf holds around its sites, with every path in `dir`.
fn main_config(dir: &Path) -> String {
    let dir = dir.display();
    format!(
        "daemon off;\n\
         worker_processes 1;\n\
         pid {dir}/nginx.pid;\n\
         error_log {dir}/error.log warn;\n\
         events {{ worker_connections 1024; }}\n\
         http {{\n\
             log_format upstreams '$scheme \"$request\" $status $upstream_addr $remote_addr';\n\
             access_log {dir}/access.log upstreams;\n\
             client_body_temp_path {dir}/body;\n\
             proxy_temp_path {dir}/proxy;\n\
             fastcgi_temp_path {dir}/fastcgi;\n\
             uwsgi_temp_path {dir}/uwsgi;\n\
             scgi_temp_path {dir}/scgi;\n\
             include {dir}/looplab.conf;\n\
         }}\n"
    )
}

/// A self-signed certificate for 127.0.0.1, valid for a day.
fn certificate(cert: &Path, key: &Path) {
    let out = std::process::Command::new("openssl")
        .args(["req", "-x509", "-newkey", "ec", "-pkeyopt"])
        .args(["ec_paramgen_curve:prime256v1", "-nodes", "-days", "1"])
        .args([
            "-subj",
            "/CN=127.0.0.1",
            "-addext",
            "subjectAltName=IP:127.0.0.1",
        ])
        .arg("-keyout")
        .arg(key)
        .arg("-out")
        .arg(cert)
        .output()
        .expect("openssl is missing: scripts/test.sh installs it");
    assert!(out.status.success(), "openssl: {out:?}");
}

/// A port nobody listens on now.
fn free_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap().port()
}

/// A plain HTTP/1.0 GET of `path` at `addr`, from `from`, with `headers`: the status line
/// and headers, lower-cased names, and the body.
pub(crate) async fn get(
    addr: SocketAddr,
    from: std::net::IpAddr,
    path: &str,
    headers: &[(&str, &str)],
) -> (String, Vec<(String, String)>, Vec<u8>) {
    let socket = tokio::net::TcpSocket::new_v4().unwrap();
    socket.bind(SocketAddr::new(from, 0)).unwrap();
    let mut tcp = socket.connect(addr).await.unwrap();
    // HTTP/1.0: the response ends with the connection, never in chunks.
    let mut request = format!("GET {path} HTTP/1.0\r\nHost: {addr}\r\n");
    for (name, value) in headers {
        request.push_str(&format!("{name}: {value}\r\n"));
    }
    request.push_str("\r\n");
    tcp.write_all(request.as_bytes()).await.unwrap();
    let mut response = Vec::new();
    tokio::time::timeout(START, tcp.read_to_end(&mut response))
        .await
        .expect("no whole response in time")
        .unwrap();
    let split = response
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("no end of headers");
    let head = String::from_utf8_lossy(&response[..split]).into_owned();
    let mut lines = head.split("\r\n");
    let status = lines.next().unwrap_or_default().to_owned();
    let fields = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    (status, fields, response[split + 4..].to_vec())
}
