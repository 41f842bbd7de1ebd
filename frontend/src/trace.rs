//! A run as Chrome Trace Event JSON, which Perfetto and chrome://tracing open: a complete
//! event (`ph: X`) per span on its subject's process and thread, an instant event per print,
//! a flow (`ph: s` to `ph: f`, bound to the enclosing slice) per arrow of cause and effect,
//! and metadata naming processes and threads.

use serde_json::{Value, json};

use crate::state::{Home, RunView};
use crate::timeline::place;

fn micros(ns: u64) -> f64 {
    ns as f64 / 1000.0
}

/// The whole run as a trace document.
pub fn chrome_trace(run: &RunView) -> Value {
    let mut events = Vec::new();
    let mut named = std::collections::BTreeSet::new();
    for track in &run.tracks {
        let Some(Home { pid, tid, .. }) = track.home else {
            continue;
        };
        if named.insert((pid, tid)) {
            events.push(
                json!({"ph": "M", "name": "thread_name", "pid": pid, "tid": tid,
                "args": {"name": place(track.home, run.main_home())}}),
            );
        }
        for span in &track.spans {
            let end = span.end.unwrap_or(run.last_t_ns);
            events.push(json!({
                "ph": "X", "name": track.name, "cat": span.kind.meaning(),
                "ts": micros(span.start), "dur": micros(end.saturating_sub(span.start)),
                "pid": pid, "tid": tid, "args": {"state": span.kind.meaning()},
            }));
        }
    }
    let at = |subject: usize| {
        let home = run.tracks.get(subject).and_then(|t| t.home);
        home.map(|h| (h.pid, h.tid))
    };
    for (id, a) in crate::arrows::arrows(run).iter().enumerate() {
        let (Some((p1, t1)), Some((p2, t2))) = (at(a.from.subject), at(a.to.subject)) else {
            continue;
        };
        let name = a.cause.meaning();
        events.push(
            json!({"ph": "s", "id": id + 1, "name": name, "cat": "cause",
            "ts": micros(a.from.t), "pid": p1, "tid": t1}),
        );
        events.push(
            json!({"ph": "f", "bp": "e", "id": id + 1, "name": name, "cat": "cause",
            "ts": micros(a.to.t), "pid": p2, "tid": t2}),
        );
    }
    for line in run.console.iter() {
        let home = run.tracks.get(line.task as usize).and_then(|t| t.home);
        let (pid, tid) = home.map_or((0, 0), |h| (h.pid, h.tid));
        events.push(
            json!({"ph": "i", "s": "t", "name": line.text, "cat": "print",
            "ts": micros(line.t_ns), "pid": pid, "tid": tid}),
        );
    }
    json!({
        "traceEvents": events,
        "displayTimeUnit": "ms",
        "otherData": {"scenario": run.name, "run_id": run.run_id, "ideal_wall_ns": run.ideal_wall_ns},
    })
}

#[cfg(test)]
mod tests {

    use looplab_shared::protocol::Lane;

    use super::*;
    use crate::state::{Line, Span, SpanKind, Track};

    #[test]
    fn spans_become_complete_events_on_their_thread() {
        let home = Some(Home {
            pid: 10,
            tid: 11,
            lane: Lane::Loop,
        });
        let main = Track {
            name: "main".into(),
            spans: vec![
                Span {
                    start: 0,
                    end: Some(1_500),
                    kind: SpanKind::Running,
                    on: None,
                },
                Span {
                    start: 1_500,
                    end: None,
                    kind: SpanKind::Suspended,
                    on: None,
                },
            ],
            prints: vec![1_000],
            end: None,
            home,
            kind: None,
            parent: None,
            gathers: Vec::new(),
        };
        let run = RunView {
            console: vec![Line {
                t_ns: 1_000,
                task: 0,
                text: "hi".into(),
            }]
            .into(),
            last_t_ns: 4_000,
            ..RunView::started(3, "gather".into(), 2_000_000, vec![main])
        };
        let trace = chrome_trace(&run);
        // It survives a trip through text, as a file would.
        let trace: Value = serde_json::from_str(&trace.to_string()).unwrap();
        let events = trace["traceEvents"].as_array().unwrap();
        let of = |ph: &str| events.iter().filter(|e| e["ph"] == ph).collect::<Vec<_>>();
        let spans = of("X");
        assert_eq!(spans.len(), 2);
        assert_eq!(
            (spans[1]["ts"].as_f64(), spans[1]["dur"].as_f64()),
            (Some(1.5), Some(2.5))
        );
        assert_eq!(
            (spans[0]["pid"].as_u64(), spans[0]["tid"].as_u64()),
            (Some(10), Some(11))
        );
        assert_eq!(of("i")[0]["name"], "hi");
        assert_eq!(of("M")[0]["args"]["name"], "main thread · tid 11");
        assert_eq!(trace["otherData"]["scenario"], "gather");
        assert!(of("s").is_empty(), "no arrows, no flows");
    }

    #[test]
    fn arrows_become_flows_from_the_cause_to_the_effect() {
        use looplab_shared::model::ResourceKind;
        use looplab_shared::protocol::{EventKind, WaitReason};

        use crate::arrows::tests::{created, replay, suspended};
        let run = replay(
            &[("q", ResourceKind::Queue { maxsize: 1 })],
            vec![
                (0, 0, EventKind::Started),
                (1_000, 1, created("consumer", 0)),
                (2_000, 1, EventKind::Started),
                (3_000, 1, suspended(WaitReason::QueueGet { resource: 0 })),
                (
                    5_000,
                    0,
                    EventKind::Put {
                        resource: 0,
                        item: 0,
                    },
                ),
                (6_000, 1, EventKind::Resumed),
                (
                    6_000,
                    1,
                    EventKind::Got {
                        resource: 0,
                        item: 0,
                    },
                ),
            ],
            None,
        );
        let trace = chrome_trace(&run);
        let events = trace["traceEvents"].as_array().unwrap();
        let flow = |ph: &str| events.iter().find(|e| e["ph"] == ph).unwrap().clone();
        let (s, f) = (flow("s"), flow("f"));
        assert_eq!(s["id"], f["id"]);
        assert_eq!((s["ts"].as_f64(), f["ts"].as_f64()), (Some(5.0), Some(6.0)));
        assert_eq!(f["bp"], "e");
        assert_eq!(s["name"], "queue item, put to get");
        // Both ends sit on a slice of their thread, which a flow binds to.
        assert!(
            events
                .iter()
                .any(|e| e["ph"] == "X" && e["ts"].as_f64() <= Some(6.0))
        );
    }
}
