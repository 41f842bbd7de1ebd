//! The class: sessions from their own loopback addresses, each making its runs and checking
//! every message stream for gaps.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use futures_util::{SinkExt, StreamExt};
use looplab_shared::model::Scenario;
use looplab_shared::protocol::{ClientMsg, Outcome, ServerMsg, server_messages};
use tokio::net::TcpSocket;
use tokio_tungstenite::tungstenite::Message;

/// One session's account.
#[derive(Debug, Default)]
pub(super) struct Session {
    pub(super) completed: usize,
    pub(super) failures: Vec<String>,
    pub(super) lost: u64,
    pub(super) events: u64,
    pub(super) admitted: Vec<Duration>,
    pub(super) first_event: Vec<Duration>,
    pub(super) started_to_first_event: Vec<Duration>,
    /// Each completed run's wall time (its process's start included).
    pub(super) walls: Vec<Duration>,
    /// Each completed run's span: its first event to its last.
    pub(super) spans: Vec<Duration>,
    /// How far each completed run's span (first event to last, as `looplab bench fidelity`
    /// measures it) was off its ideal schedule, relative.
    pub(super) off_ideal: Vec<f64>,
    events_this_run: u64,
    ideal_ns: u64,
    span_ns: (u64, u64),
}

/// What one round found.
pub(super) struct Round {
    /// Sessions that were open at once.
    pub(super) held: usize,
    pub(super) failures: Vec<String>,
    /// Each held session's account.
    pub(super) sessions: Vec<Session>,
    /// From the class pressing Run to the last run's end.
    pub(super) running: Duration,
}

/// One round: every session connects, then every session makes its runs, session i playing
/// `scenarios[i % n]`.
pub(super) async fn class(
    url: &str,
    server: SocketAddr,
    sessions: usize,
    scenarios: &[Scenario],
    runs: usize,
) -> Round {
    // Everyone connects first, then everyone presses Run: the worst moment for a server.
    let mut sockets = Vec::with_capacity(sessions);
    for i in 0..sessions {
        sockets.push(connect(url, server, student_address(i)).await);
    }
    let held = sockets.iter().filter(|s| s.is_ok()).count();
    let mut failures: Vec<String> = sockets
        .iter()
        .filter_map(|s| s.as_ref().err().map(|e| format!("connect: {e:#}")))
        .collect();
    let pressed = Instant::now();
    let tasks: Vec<_> = sockets
        .into_iter()
        .zip(scenarios.iter().cycle())
        .filter_map(|(ws, scenario)| Some((ws.ok()?, scenario)))
        .map(|(ws, scenario)| tokio::spawn(session(ws, scenario.clone(), runs)))
        .collect();
    let mut done = Vec::with_capacity(tasks.len());
    for task in tasks {
        match task.await {
            Ok(s) => done.push(s),
            Err(e) => failures.push(format!("a session panicked: {e}")),
        }
    }
    Round {
        held,
        failures,
        sessions: done,
        running: pressed.elapsed(),
    }
}

/// The `i`th student's loopback address: 127.0.1.2, 127.0.1.3, … Linux routes all of
/// 127.0.0.0/8 to the loopback, so each session counts as a different address for the
/// server's per-address caps, as each student's machine would.
pub(super) fn student_address(i: usize) -> IpAddr {
    let [_, _, hi, lo] = u32::try_from(i).unwrap_or(0).to_be_bytes();
    IpAddr::V4(Ipv4Addr::new(127, 1 + hi, lo, 2))
}

type Socket = tokio_tungstenite::WebSocketStream<tokio::net::TcpStream>;

async fn connect(url: &str, server: SocketAddr, from: IpAddr) -> anyhow::Result<Socket> {
    let socket = TcpSocket::new_v4()?;
    socket.bind(SocketAddr::new(from, 0))?;
    let tcp = socket.connect(server).await?;
    let (ws, _) = tokio_tungstenite::client_async(url, tcp).await?;
    Ok(ws)
}

/// One more learner, beside the class: runs each of `scenarios` once, one after another, and
/// gives its account (the spans say how each kept its timing).
pub(super) async fn beside(
    url: &str,
    server: SocketAddr,
    from: IpAddr,
    scenarios: Vec<Scenario>,
) -> anyhow::Result<Session> {
    let mut ws = connect(url, server, from).await?;
    let mut s = Session::default();
    for scenario in scenarios {
        let run = serde_json::to_string(&ClientMsg::Run { scenario })?;
        one_run(&mut ws, &run, &mut s).await?;
    }
    let _ = ws.close(None).await;
    Ok(s)
}

/// Makes `runs` runs of `scenario` one after another, checking each message stream.
async fn session(mut ws: Socket, scenario: Scenario, runs: usize) -> Session {
    let mut s = Session::default();
    let run = serde_json::to_string(&ClientMsg::Run { scenario }).unwrap_or_default();
    for _ in 0..runs {
        if let Err(e) = one_run(&mut ws, &run, &mut s).await {
            s.failures.push(format!("{e:#}"));
            break;
        }
    }
    let _ = ws.close(None).await;
    s
}

async fn one_run(ws: &mut Socket, run: &str, s: &mut Session) -> anyhow::Result<()> {
    let sent = Instant::now();
    ws.send(Message::text(run)).await?;
    let mut next_seq = None;
    let mut started = None;
    loop {
        let frame = ws.next().await.context("the server closed the session")??;
        let Message::Text(text) = frame else { continue };
        for msg in server_messages(text.as_str()) {
            if let Some(ended) = account(msg?, sent, &mut started, &mut next_seq, s)? {
                return Ok(ended);
            }
        }
    }
}

/// Counts one message of a run in `s`; `Some(())` once the run has ended.
fn account(
    msg: ServerMsg,
    sent: Instant,
    started: &mut Option<Instant>,
    next_seq: &mut Option<u64>,
    s: &mut Session,
) -> anyhow::Result<Option<()>> {
    // Queue places have seq 0 until the run starts; from `run_started` on, none may miss.
    match &msg {
        ServerMsg::Queued { .. } => return Ok(None),
        ServerMsg::RunStarted { ideal_wall_ns, .. } => {
            s.ideal_ns = *ideal_wall_ns;
            s.admitted.push(sent.elapsed());
            *started = Some(Instant::now());
        }
        ServerMsg::Event { t_ns, .. } => {
            s.span_ns.1 = s.span_ns.1.max(*t_ns);
            if s.events_this_run == 0 {
                s.span_ns = (*t_ns, *t_ns);
                s.first_event.push(sent.elapsed());
                if let Some(started) = started {
                    s.started_to_first_event.push(started.elapsed());
                }
            }
            s.events += 1;
            s.events_this_run += 1;
        }
        _ => {}
    }
    if let Some(expected) = *next_seq {
        s.lost += msg.seq().unwrap_or(expected).saturating_sub(expected);
    }
    *next_seq = msg.seq().map(|seq| seq + 1);
    match msg {
        ServerMsg::RunEnded {
            outcome,
            events_lost,
            wall_ns,
            ..
        } => {
            s.lost += events_lost;
            s.events_this_run = 0;
            if outcome == Outcome::Completed {
                s.completed += 1;
                s.walls.push(Duration::from_nanos(wall_ns));
                let span = s.span_ns.1.saturating_sub(s.span_ns.0);
                s.spans.push(Duration::from_nanos(span));
                if s.ideal_ns > 0 {
                    s.off_ideal.push(span as f64 / s.ideal_ns as f64 - 1.0);
                }
            } else {
                s.failures.push(format!("a run ended {outcome:?}"));
            }
            Ok(Some(()))
        }
        ServerMsg::Rejected { field, message, .. } => bail!("refused: {field}: {message}"),
        _ => Ok(None),
    }
}
