//! What the page says beside Run, in words a learner reads at a glance: how far a run has
//! come, how its times are scaled, and where the server stands.

use looplab_shared::limits::MAX_STEP_MS;

use crate::seconds::seconds;
use crate::state::Conn;

/// `text` without the backticks that quote code in it, for what cannot show code as
/// code: a screen reader's words, a tooltip attribute, a picture's caption.
pub fn plain(text: &str) -> String {
    text.replace('`', "")
}

/// A refusal's message as a learner reads it: a duration over the step limit in seconds,
/// the unit the builder and the Python say it in, rather than the milliseconds and the
/// constant's name the scenario's JSON and the server use. Other messages as they are.
pub fn refusal(message: &str) -> String {
    let over = format!(" ms exceeds the limit of {MAX_STEP_MS} ms (MAX_STEP_MS)");
    match message.strip_suffix(&over).and_then(|ms| ms.parse().ok()) {
        Some(ms) => format!(
            "{} s is longer than looplab lets one step take: at most {} s",
            seconds(ms),
            seconds(MAX_STEP_MS)
        ),
        None => message.to_owned(),
    }
}

/// A live run's time so far, to the tenth of a second and always with its unit.
pub fn running(so_far_ns: u64) -> String {
    format!("running… {:.1} s", (so_far_ns / 100_000_000) as f64 / 10.0)
}

/// The badge beside Run while durations are scaled: what the scale does to the times
/// shown. `None` at the lesson's own speed.
pub fn speed(time_scale: f64) -> Option<String> {
    if time_scale == 1.0 || !time_scale.is_finite() || time_scale <= 0.0 {
        return None;
    }
    let (by, way) = if time_scale < 1.0 {
        (1.0 / time_scale, "faster")
    } else {
        (time_scale, "slower")
    };
    let by = format!("{by:.2}");
    let by = by.trim_end_matches('0').trim_end_matches('.');
    Some(format!("durations ×{time_scale} ({by}× {way})"))
}

/// The header's badge and the status line's words for the connection to the server.
pub fn conn(conn: Conn) -> (&'static str, &'static str) {
    match conn {
        Conn::Connecting => ("connecting…", "connecting to the server…"),
        Conn::Open => ("connected", "ready: press Run"),
        Conn::Lost => (
            "server unreachable — retrying",
            "server unreachable — retrying every few seconds; your program is kept",
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_run_under_way_says_its_time_with_a_unit() {
        assert_eq!(running(0), "running… 0.0 s");
        assert_eq!(running(99_999_999), "running… 0.0 s");
        assert_eq!(running(1_250_000_000), "running… 1.2 s");
    }

    #[test]
    fn scaled_durations_say_how() {
        assert_eq!(speed(1.0), None);
        assert_eq!(speed(0.5).as_deref(), Some("durations ×0.5 (2× faster)"));
        assert_eq!(speed(0.3).as_deref(), Some("durations ×0.3 (3.33× faster)"));
        assert_eq!(speed(2.0).as_deref(), Some("durations ×2 (2× slower)"));
    }

    #[test]
    fn a_step_too_long_is_refused_in_seconds() {
        use looplab_shared::model::{Scenario, Step};
        use looplab_shared::validate::validate;
        let mut s = Scenario::empty("long");
        s.main.push(Step::BlockingSleep { ms: 70_000 });
        let e = validate(&s, 2).unwrap_err();
        assert_eq!(
            refusal(&e.message),
            "70 s is longer than looplab lets one step take: at most 60 s"
        );
        assert_eq!(refusal("something else"), "something else");
    }

    #[test]
    fn a_lost_server_says_what_happens_next() {
        let (badge, status) = conn(Conn::Lost);
        assert_eq!(badge, "server unreachable — retrying");
        assert!(status.contains("retrying"), "{status}");
    }
}
