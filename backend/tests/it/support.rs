//! A server on port 0 and a WebSocket client that speaks the protocol.

use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use looplab_backend::admission::Capacity;
use looplab_backend::listen;
use looplab_backend::page::Page;
use looplab_backend::server::{AppState, Limits, Options};
use looplab_shared::model::{Call, Function, Pool, PoolKind, Scenario, Step};
use looplab_shared::protocol::{ClientMsg, ServerMsg, server_messages};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

/// How long any single expected message may take before a test fails. Generous: the longest
/// scenario in these tests takes about two seconds.
pub(crate) const DEADLINE: Duration = Duration::from_secs(20);

/// Starts the app on 127.0.0.1 with an ephemeral port; returns its address.
pub(crate) async fn spawn_server() -> std::net::SocketAddr {
    spawn_server_with(Capacity::of_cores(looplab_backend::engine::cores())).await
}

/// As [`spawn_server`], admitting runs within `capacity`.
pub(crate) async fn spawn_server_with(capacity: Capacity) -> std::net::SocketAddr {
    spawn_server_limited(capacity, Limits::default()).await
}

/// As [`spawn_server_with`], holding runs to `limits`.
pub(crate) async fn spawn_server_limited(
    capacity: Capacity,
    limits: Limits,
) -> std::net::SocketAddr {
    let dist = std::env::temp_dir().join("looplab-it-no-dist");
    spawn_server_options(Options {
        page: Page::Folder(dist),
        capacity,
        limits,
        ..Options::new()
    })
    .await
}

/// A server set up as `options` say.
pub(crate) async fn spawn_server_options(options: Options) -> std::net::SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let runner = env!("CARGO_BIN_EXE_looplab").into();
    let state = AppState::with_options(runner, options);
    tokio::spawn(listen::serve(listener, state, std::future::pending()));
    addr
}

pub(crate) struct Client {
    ws: WebSocketStream<MaybeTlsStream<TcpStream>>,
    /// Messages of a frame not yet read: the server puts several in one frame.
    unread: std::collections::VecDeque<ServerMsg>,
}

impl Client {
    pub(crate) async fn connect(addr: std::net::SocketAddr) -> Self {
        let (ws, _) = tokio_tungstenite::connect_async(format!("ws://{addr}/ws"))
            .await
            .unwrap();
        Self {
            ws,
            unread: Default::default(),
        }
    }

    /// A client from `from` (all of 127.0.0.0/8 is this machine) to the socket at `url`,
    /// connecting to `server` and sending `headers` with the upgrade. A refused upgrade is
    /// the error, with the server's response.
    pub(crate) async fn connect_from(
        server: std::net::SocketAddr,
        url: &str,
        from: std::net::IpAddr,
        headers: &[(&str, &str)],
    ) -> Result<Self, tokio_tungstenite::tungstenite::Error> {
        use tokio_tungstenite::tungstenite::client::IntoClientRequest;
        use tokio_tungstenite::tungstenite::http::HeaderName;
        let socket = tokio::net::TcpSocket::new_v4().unwrap();
        socket.bind(std::net::SocketAddr::new(from, 0)).unwrap();
        let tcp = socket.connect(server).await.unwrap();
        let mut request = url.into_client_request()?;
        for (name, value) in headers {
            let name = HeaderName::from_bytes(name.as_bytes()).unwrap();
            request.headers_mut().append(name, value.parse().unwrap());
        }
        let (ws, _) = tokio_tungstenite::client_async(request, MaybeTlsStream::Plain(tcp)).await?;
        Ok(Self {
            ws,
            unread: Default::default(),
        })
    }

    pub(crate) async fn send(&mut self, msg: &ClientMsg) {
        self.send_text(&serde_json::to_string(msg).unwrap()).await;
    }

    pub(crate) async fn send_text(&mut self, text: &str) {
        self.ws.send(Message::text(text)).await.unwrap();
    }

    pub(crate) async fn send_raw(&mut self, msg: Message) {
        self.ws.send(msg).await.unwrap();
    }

    /// Writes a masked text frame carrying `payload` straight to the socket, bypassing the
    /// client library's checks (which would refuse bytes that are not UTF-8).
    pub(crate) async fn send_raw_text_frame(&mut self, payload: &[u8]) {
        use tokio::io::AsyncWriteExt;
        let len = u8::try_from(payload.len())
            .ok()
            .filter(|&n| n < 126)
            .unwrap();
        let mask = [0x37, 0xfa, 0x21, 0x3d];
        let mut frame = vec![0x81, 0x80 | len];
        frame.extend(mask);
        frame.extend(payload.iter().zip(mask.iter().cycle()).map(|(b, m)| b ^ m));
        match self.ws.get_mut() {
            MaybeTlsStream::Plain(tcp) => tcp.write_all(&frame).await.unwrap(),
            _ => unreachable!("the tests speak plain ws://"),
        }
    }

    /// The next protocol message; fails the test after [`DEADLINE`].
    pub(crate) async fn recv(&mut self) -> ServerMsg {
        loop {
            if let Some(msg) = self.unread.pop_front() {
                return msg;
            }
            let frame = tokio::time::timeout(DEADLINE, self.ws.next())
                .await
                .expect("no message from the server before the deadline")
                .expect("the server closed the socket")
                .unwrap();
            match frame {
                Message::Text(text) => {
                    let msgs = server_messages(text.as_str()).map(Result::unwrap);
                    self.unread.extend(msgs);
                }
                Message::Ping(_) | Message::Pong(_) => continue,
                other => panic!("unexpected frame {other:?}"),
            }
        }
    }

    /// The reason in the server's close frame.
    pub(crate) async fn close_reason(&mut self) -> String {
        loop {
            let frame = tokio::time::timeout(DEADLINE, self.ws.next())
                .await
                .expect("no close before the deadline");
            match frame {
                Some(Ok(Message::Close(Some(frame)))) => return frame.reason.to_string(),
                Some(Ok(Message::Close(None))) | None => return String::new(),
                Some(Ok(_)) => continue,
                Some(Err(e)) => panic!("the socket failed instead of closing: {e}"),
            }
        }
    }

    /// Every message up to and including the next `run_ended`.
    pub(crate) async fn recv_run(&mut self) -> Vec<ServerMsg> {
        let mut msgs = Vec::new();
        loop {
            let msg = self.recv().await;
            let end = matches!(msg, ServerMsg::RunEnded { .. } | ServerMsg::Rejected { .. });
            msgs.push(msg);
            if end {
                return msgs;
            }
        }
    }
}

/// Whether process `pid` still exists and has not exited. An orphaned worker killed with its
/// run stays a zombie (dead, holding nothing) until the machine's init reaps it, which some
/// inits do only every few seconds; it no longer counts as alive.
pub(crate) fn alive(pid: u32) -> bool {
    match std::fs::read_to_string(format!("/proc/{pid}/stat")) {
        // The state follows the command name, which is in parentheses and may hold spaces.
        Ok(stat) => stat
            .rsplit_once(')')
            .is_some_and(|(_, rest)| !rest.trim_start().starts_with(['Z', 'X'])),
        Err(_) => false,
    }
}

/// A program whose `async def main()` does `steps`, run by `asyncio.run(main())`.
pub(crate) fn asyncio_main(name: &str, tasks: Vec<Function>, steps: Vec<Step>) -> Scenario {
    let mut s = Scenario::empty(name);
    s.tasks = tasks;
    s.tasks.push(Function {
        name: "main".into(),
        params: vec![],
        steps,
    });
    s.main = vec![Step::Run {
        task: "main".into(),
        args: vec![],
    }];
    s
}

/// `times` jobs of `steps` on a pool of `kind` with one worker, gathered by `main`.
pub(crate) fn pool_jobs(kind: PoolKind, steps: Vec<Step>, times: u32) -> Scenario {
    let mut s = asyncio_main(
        "pool jobs",
        vec![],
        vec![Step::Gather {
            calls: vec![Call::Executor {
                pool: Some("pool".into()),
                function: "job".into(),
                args: vec![],
                times,
            }],
            into: None,
        }],
    );
    s.pools = vec![Pool {
        name: "pool".into(),
        kind,
        max_workers: Some(1),
    }];
    s.functions = vec![Function {
        name: "job".into(),
        params: vec![],
        steps,
    }];
    s
}

/// Polls `done` every 10 ms until it holds; fails the test after [`DEADLINE`].
pub(crate) async fn eventually(what: &str, mut done: impl FnMut() -> bool) {
    let deadline = std::time::Instant::now() + DEADLINE;
    while !done() {
        assert!(
            std::time::Instant::now() < deadline,
            "timed out waiting for {what}"
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

/// Checks the protocol's numbering: one run id, `seq` 0, 1, 2, … without a gap.
pub(crate) fn assert_numbered(msgs: &[ServerMsg]) {
    let run_id = msgs[0].run_id();
    for (i, msg) in msgs.iter().enumerate() {
        assert_eq!(
            msg.run_id(),
            run_id,
            "message {i} belongs to another run: {msg:?}"
        );
        assert_eq!(
            msg.seq(),
            Some(i as u64),
            "message {i} is out of sequence: {msg:?}"
        );
    }
}

/// The gather lesson with every duration × `scale`.
pub(crate) fn gather_at(scale: f64) -> Scenario {
    let mut scenario = looplab_shared::presets::find("gather").unwrap().scenario();
    scenario.time_scale = scale;
    scenario
}

/// Starts the `looplab` binary at `binary` in `dir` with `args` on a free port; returns it
/// (killed when dropped) and the address it says it serves. Its stderr is piped.
pub(crate) async fn start_binary(
    binary: &std::path::Path,
    dir: &std::path::Path,
    args: &[&str],
) -> (tokio::process::Child, std::net::SocketAddr) {
    use tokio::io::AsyncBufReadExt;
    let mut child = tokio::process::Command::new(binary)
        .current_dir(dir)
        .args(["--port", "0"])
        .args(args)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let mut lines = tokio::io::BufReader::new(stdout).lines();
    let line = tokio::time::timeout(DEADLINE, lines.next_line())
        .await
        .expect("the server said nothing in time")
        .unwrap()
        .expect("the server exited before saying where it serves");
    let addr = line
        .strip_prefix("looplab is serving http://")
        .and_then(|a| a.trim_end_matches('/').parse().ok())
        .unwrap_or_else(|| panic!("no address in {line:?}"));
    (child, addr)
}
