//! The server under load, and its memory read from /proc.

use std::net::SocketAddr;
use std::path::Path;
use std::process::Stdio;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use anyhow::Context;
use tokio::io::AsyncBufReadExt;

/// The server under load: one this test started, or one already running.
pub(super) enum Server {
    Started {
        child: tokio::process::Child,
        addr: SocketAddr,
        pid: u32,
    },
    Running(SocketAddr),
}

impl Server {
    /// Starts `looplab serve` on a free loopback port and waits for it to say where.
    pub(super) async fn start(
        looplab: &Path,
        run_cores: Option<u32>,
        light_runs_per_core: Option<u32>,
    ) -> anyhow::Result<Self> {
        // No UI: the load is on the WebSocket.
        let dist = std::env::temp_dir().join("looplab-load-no-ui");
        let mut command = tokio::process::Command::new(looplab);
        command
            .args(["serve", "--addr", "127.0.0.1", "--port", "0", "--dist"])
            .arg(dist)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .kill_on_drop(true);
        if let Some(n) = run_cores {
            command.args(["--run-cores", &n.to_string()]);
        }
        if let Some(n) = light_runs_per_core {
            command.args(["--light-runs-per-core", &n.to_string()]);
        }
        let mut child = command.spawn().context("cannot start the server")?;
        let pid = child.id().context("the server exited at once")?;
        let stdout = child.stdout.take().context("no stdout")?;
        let mut lines = tokio::io::BufReader::new(stdout).lines();
        let addr = loop {
            let line = tokio::time::timeout(Duration::from_secs(10), lines.next_line())
                .await
                .context("the server did not say where it serves")??
                .context("the server exited before serving")?;
            if let Some(url) = line.strip_prefix("looplab is serving http://") {
                break url.trim_end_matches('/').parse()?;
            }
        };
        Ok(Server::Started { child, addr, pid })
    }

    pub(super) fn addr(&self) -> SocketAddr {
        match self {
            Server::Started { addr, .. } | Server::Running(addr) => *addr,
        }
    }

    pub(super) fn pid(&self) -> Option<u32> {
        match self {
            Server::Started { pid, .. } => Some(*pid),
            Server::Running(_) => None,
        }
    }

    pub(super) fn peak_mib(&self) -> Option<f64> {
        self.status_mib("VmHWM:")
    }

    pub(super) fn rss_mib(&self) -> Option<f64> {
        self.status_mib("VmRSS:")
    }

    fn status_mib(&self, field: &str) -> Option<f64> {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.pid()?)).ok()?;
        kib_field(&status, field).map(|kib| kib / 1024.0)
    }

    /// Stops a server this test started, as an operator would: SIGTERM, then wait.
    pub(super) async fn stop(&mut self) {
        if let Server::Started { child, pid, .. } = self {
            // SAFETY: kill has no memory-safety preconditions; pid is our child.
            unsafe { libc::kill(*pid as libc::pid_t, libc::SIGTERM) };
            let _ = tokio::time::timeout(Duration::from_secs(10), child.wait()).await;
        }
    }
}

fn kib_field(status: &str, name: &str) -> Option<f64> {
    let line = status.lines().find(|l| l.starts_with(name))?;
    line[name.len()..]
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()
        .ok()
}

/// Samples the resident memory of `root` and every process below it every 50 ms, keeping the
/// largest total in `peak` (KiB).
pub(super) async fn sample_tree_rss(root: u32, peak: Arc<AtomicU64>) {
    loop {
        peak.fetch_max(tree_rss_kib(root), Ordering::Relaxed);
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Resident memory of `root` and its descendants, in KiB, from /proc.
fn tree_rss_kib(root: u32) -> u64 {
    let Ok(dir) = std::fs::read_dir("/proc") else {
        return 0;
    };
    // (pid, parent, rss) of every process; a process that exits meanwhile is skipped.
    let procs: Vec<(u32, u32, u64)> = dir
        .filter_map(|entry| entry.ok()?.file_name().to_str()?.parse::<u32>().ok())
        .filter_map(|pid| {
            let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
            let parent = kib_field(&status, "PPid:")? as u32;
            let rss = kib_field(&status, "VmRSS:").unwrap_or(0.0) as u64;
            Some((pid, parent, rss))
        })
        .collect();
    let mut tree = vec![root];
    let mut total = 0;
    while let Some(pid) = tree.pop() {
        for &(child, parent, rss) in &procs {
            if child == pid {
                total += rss;
            }
            if parent == pid {
                tree.push(child);
            }
        }
    }
    total
}
