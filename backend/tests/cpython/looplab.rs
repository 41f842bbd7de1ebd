//! looplab, run the way a learner runs a program from the command line:
//! `looplab run FILE.py`, every event kept.

use std::process::Command;

use looplab_shared::protocol::{EventKind, Outcome, ServerMsg, SubjectKind};

/// What a run printed (in the order its events happened), and its times.
#[derive(Debug)]
pub(crate) struct Output {
    /// Each printed line, with its time in seconds since the run began.
    pub(crate) lines: Vec<(f64, String)>,
    /// From the run's start until its processes were gone.
    pub(crate) wall_s: f64,
    /// For a web app: from the first request's arrival to the last answer.
    pub(crate) served_s: Option<f64>,
    /// How it ended.
    pub(crate) outcome: Outcome,
    /// Its exit status and what it wrote on stderr: an uncaught exception's line last.
    pub(crate) code: i32,
    pub(crate) stderr: String,
}

/// Runs `looplab run --events file`.
pub(crate) fn run(file: &std::path::Path) -> Output {
    let out = Command::new(env!("CARGO_BIN_EXE_looplab"))
        .args(["run", "--events"])
        .arg(file)
        .output()
        .expect("looplab runs");
    let code = out
        .status
        .code()
        .unwrap_or_else(|| panic!("looplab run {} killed: {}", file.display(), out.status));
    let mut lines = Vec::new();
    let mut wall_s = 0.0;
    let mut outcome = None;
    let (mut first_request, mut last_answer) = (None::<u64>, 0u64);
    let mut requests = std::collections::HashSet::new();
    for line in String::from_utf8_lossy(&out.stdout).lines() {
        let msg: ServerMsg = serde_json::from_str(line).expect("a protocol message");
        match msg {
            ServerMsg::Event {
                t_ns,
                subject,
                kind,
                ..
            } => match kind {
                EventKind::Print { text } => lines.push((t_ns as f64 / 1e9, text)),
                EventKind::Created {
                    what: SubjectKind::Request,
                    ..
                } => {
                    requests.insert(subject);
                    first_request = Some(first_request.map_or(t_ns, |f| f.min(t_ns)));
                }
                EventKind::Responded { .. } if requests.contains(&subject) => {
                    last_answer = last_answer.max(t_ns);
                }
                _ => {}
            },
            ServerMsg::RunEnded {
                wall_ns,
                outcome: ended,
                ..
            } => {
                wall_s = wall_ns as f64 / 1e9;
                outcome = Some(ended);
            }
            _ => {}
        }
    }
    let outcome = outcome.unwrap_or_else(|| {
        panic!(
            "looplab run {} did not end: {}",
            file.display(),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    // A run that does not complete exits with a failure, and says so.
    assert_eq!(
        out.status.success(),
        outcome == Outcome::Completed,
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    lines.sort_by(|a, b| a.0.total_cmp(&b.0));
    Output {
        lines,
        wall_s,
        served_s: first_request.map(|f| last_answer.saturating_sub(f) as f64 / 1e9),
        code,
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        outcome,
    }
}
