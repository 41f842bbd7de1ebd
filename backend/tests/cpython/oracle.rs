//! CPython, run the way a learner runs a program: `python3 FILE` in a terminal. Its stdout
//! is a pseudo-terminal, so it is line-buffered as in a terminal (a daemon process's line
//! is out before it is terminated), and each line is timed as it arrives.

use std::io::Read;
use std::os::fd::{FromRawFd, OwnedFd};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::time::Instant;

/// What a program printed, each line with the seconds since it started, how long it ran
/// and how it ended.
#[derive(Debug)]
pub(crate) struct Output {
    pub(crate) lines: Vec<(f64, String)>,
    pub(crate) wall_s: f64,
    pub(crate) stderr: String,
    /// Its exit status: 1 after an uncaught exception.
    pub(crate) code: i32,
}

/// The repository's root.
pub(crate) fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// The CPython the oracle runs: the test command's virtual environment, which has FastAPI
/// and uvicorn for the web programs.
pub(crate) fn python() -> PathBuf {
    let venv = root().join(".oracle-venv/bin/python3");
    assert!(
        venv.is_file(),
        "no {}: scripts/ensure-tools.sh --test makes it (python3 -m venv, fastapi, uvicorn)",
        venv.display()
    );
    venv
}

/// How long a program that deadlocks is given to show that it is stuck: CPython waits
/// forever, so it is killed then, having printed what it prints before it blocks.
pub(crate) const STUCK_AFTER_S: f64 = 2.0;

/// Runs `python3 args...` with its stdout on a pseudo-terminal.
pub(crate) fn run(args: &[&str]) -> Output {
    run_for(args, None)
}

/// Runs `python3 args...`, which must deadlock: it is killed after [`STUCK_AFTER_S`] and
/// must not have ended by itself.
pub(crate) fn run_stuck(args: &[&str]) -> Output {
    run_for(args, Some(STUCK_AFTER_S))
}

fn run_for(args: &[&str], stuck_after_s: Option<f64>) -> Output {
    let (mut master, slave) = pty();
    let started = Instant::now();
    let mut child = Command::new(python())
        .args(args)
        .current_dir(root())
        .stdin(Stdio::null())
        .stdout(Stdio::from(slave))
        .stderr(Stdio::piped())
        .spawn()
        .expect("python3 starts");
    let mut stderr = child.stderr.take().unwrap();
    let errors = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = stderr.read_to_string(&mut text);
        text
    });
    // A program that deadlocks waits forever: it is killed after its time. The child is
    // reaped only after this, so its pid cannot have been reused.
    let pid = child.id() as libc::pid_t;
    let killer = stuck_after_s.map(|after| {
        std::thread::spawn(move || {
            std::thread::sleep(std::time::Duration::from_secs_f64(after));
            // SAFETY: kill has no memory-safety preconditions; the pid is our unreaped child.
            unsafe { libc::kill(pid, libc::SIGKILL) };
        })
    });
    let mut lines = Vec::new();
    let mut pending = Vec::new();
    let mut buf = [0u8; 4096];
    // The terminal ends when the last process holding it exits: the read fails (EIO).
    while let Ok(n) = master.read(&mut buf) {
        if n == 0 {
            break;
        }
        let at = started.elapsed().as_secs_f64();
        pending.extend_from_slice(&buf[..n]);
        while let Some(i) = pending.iter().position(|b| *b == b'\n') {
            let line: Vec<u8> = pending.drain(..=i).collect();
            let text = String::from_utf8_lossy(&line)
                .trim_end_matches(['\n', '\r'])
                .to_owned();
            lines.push((at, text));
        }
    }
    let wall_s = started.elapsed().as_secs_f64();
    let killed = killer.map(|k| k.join().is_ok());
    let status = child.wait().expect("python3 ends");
    let stderr = errors.join().unwrap();
    if killed.is_some() {
        use std::os::unix::process::ExitStatusExt;
        assert_eq!(
            status.signal(),
            Some(libc::SIGKILL),
            "python3 {args:?} was to hang, and ended by itself ({status}): {stderr}"
        );
    }
    Output {
        lines,
        wall_s,
        stderr,
        // Killed as it hung: the shell's way of saying so, 128 + the signal.
        code: match killed {
            Some(_) => 128 + libc::SIGKILL,
            None => status
                .code()
                .unwrap_or_else(|| panic!("python3 {args:?} killed: {status}")),
        },
    }
}

/// A pseudo-terminal: its master side as a file to read, its slave side for the child.
fn pty() -> (std::fs::File, OwnedFd) {
    let (mut master, mut slave) = (0, 0);
    // SAFETY: openpty writes two descriptors it opened into the pointers given; the name,
    // termios and window size are optional and passed as null.
    let ok = unsafe {
        libc::openpty(
            &mut master,
            &mut slave,
            std::ptr::null_mut(),
            std::ptr::null(),
            std::ptr::null(),
        )
    };
    assert_eq!(ok, 0, "openpty: {}", std::io::Error::last_os_error());
    // SAFETY: both descriptors were just opened by openpty and are owned by nobody else.
    unsafe {
        (
            std::fs::File::from_raw_fd(master),
            OwnedFd::from_raw_fd(slave),
        )
    }
}

/// How long CPython takes to start, before a program's first line: subtracted from its
/// wall time (best of three). Its imports are left in: asyncio's takes tens of ms.
pub(crate) fn startup_s() -> f64 {
    static STARTUP: OnceLock<f64> = OnceLock::new();
    *STARTUP.get_or_init(|| {
        (0..3)
            .map(|_| run(&["-c", "pass"]))
            .inspect(|out| assert_eq!(out.code, 0, "python3 -c pass: {}", out.stderr))
            .map(|out| out.wall_s)
            .fold(f64::INFINITY, f64::min)
    })
}
