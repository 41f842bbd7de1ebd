//! What the page says beside Run, in words a learner reads at a glance: how far a run has
//! come, how its times are scaled, and where the server stands.

use crate::state::Conn;

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
    fn a_lost_server_says_what_happens_next() {
        let (badge, status) = conn(Conn::Lost);
        assert_eq!(badge, "server unreachable — retrying");
        assert!(status.contains("retrying"), "{status}");
    }
}
