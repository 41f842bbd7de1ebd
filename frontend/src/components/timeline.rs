//! The timeline canvas: paints what [`crate::timeline::layout`] computes, and keeps
//! repainting while a run is live so open bars grow.

use gloo_timers::callback::Interval;
use wasm_bindgen::JsCast;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement};
use yew::prelude::*;

use crate::state::{RunStatus, RunView, SpanKind, TrackEnd};
use crate::timeline::{AXIS_HEIGHT, LABEL_WIDTH, LANE_HEIGHT, Layout, layout};

/// Repaint period while a run is live.
const FRAME_MS: u32 = 50;

#[derive(Debug, Properties, PartialEq)]
pub struct TimelineProps {
    pub run: Option<RunView>,
}

/// A lane per task; bars for running, suspended and queued time; dots for prints.
#[component]
pub fn Timeline(props: &TimelineProps) -> Html {
    let canvas = use_node_ref();
    let frame = use_state(|| 0u32);
    // performance.now() when this run first appeared, to extend open bars to "now".
    let origin = use_mut_ref(|| (0u64, 0.0f64));
    let run_id = props.run.as_ref().map(|r| r.run_id);
    let live = props
        .run
        .as_ref()
        .is_some_and(|r| r.status == RunStatus::Running);
    {
        let origin = origin.clone();
        use_effect_with(run_id, move |run_id| {
            *origin.borrow_mut() = (run_id.unwrap_or_default(), performance_now());
        });
    }
    {
        let frame = frame.clone();
        use_effect_with(live, move |live| {
            let ticker =
                live.then(|| Interval::new(FRAME_MS, move || frame.set((*frame).wrapping_add(1))));
            move || drop(ticker)
        });
    }

    let laid = props.run.as_ref().map(|run| {
        let now_ns = if live {
            ((performance_now() - origin.borrow().1) * 1e6) as u64
        } else {
            run.last_t_ns
        };
        let width = canvas
            .cast::<HtmlCanvasElement>()
            .and_then(|c| c.parent_element())
            .map(|p| f64::from(p.client_width()))
            .filter(|w| *w > 0.0)
            .unwrap_or(900.0);
        layout(run, now_ns, width)
    });
    {
        let canvas = canvas.clone();
        let laid = laid.clone();
        use_effect(move || {
            if let (Some(canvas), Some(laid)) = (canvas.cast::<HtmlCanvasElement>(), laid) {
                paint(&canvas, &laid);
            }
        });
    }

    let labels = laid
        .as_ref()
        .map(|l| {
            l.lanes
                .iter()
                .map(|lane| lane.name.as_str())
                .collect::<Vec<_>>()
                .join(",")
        })
        .unwrap_or_default();
    html! {
        <div class="timeline">
            <div class="canvas-box">
                if props.run.is_none() {
                    <p class="empty">{ "Press Run: each task gets a lane, and its bars grow as it runs." }</p>
                }
                <canvas
                    ref={canvas}
                    hidden={props.run.is_none()}
                    data-testid="timeline"
                    data-lanes={laid.as_ref().map_or(0, |l| l.lanes.len()).to_string()}
                    data-lane-labels={labels}
                    data-bars={laid.as_ref().map_or(0, |l| l.bars.len()).to_string()}
                />
            </div>
            <Legend />
        </div>
    }
}

#[component]
fn Legend() -> Html {
    html! {
        <ul class="legend">
            <li><i class="swatch running"></i>{ "running" }</li>
            <li><i class="swatch suspended"></i>{ "suspended at await (the loop is free)" }</li>
            <li><i class="swatch cpu"></i>{ "CPU work (blocks its thread)" }</li>
            <li><i class="swatch blocked"></i>{ "blocking sleep" }</li>
            <li><i class="swatch gil"></i>{ "waiting for the GIL" }</li>
            <li><i class="swatch queued"></i>{ "created or queued, waiting to start" }</li>
            <li><i class="swatch print"></i>{ "print" }</li>
        </ul>
    }
}

fn performance_now() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or(0.0, |p| p.now())
}

fn colour(kind: SpanKind) -> &'static str {
    match kind {
        SpanKind::Running => "#2b8a3e",
        SpanKind::Suspended => "#a5d8ff",
        SpanKind::Queued => "#dee2e6",
        SpanKind::BlockedSleep => "#e03131",
        SpanKind::Cpu => "#7048e8",
        SpanKind::GilWait => "#ffd43b",
    }
}

fn paint(canvas: &HtmlCanvasElement, l: &Layout) {
    let ratio = web_sys::window().map_or(1.0, |w| w.device_pixel_ratio());
    canvas.set_width((l.width * ratio) as u32);
    canvas.set_height((l.height * ratio) as u32);
    let style = format!("width:{}px;height:{}px", l.width, l.height);
    let _ = canvas.set_attribute("style", &style);
    let Some(ctx) = canvas
        .get_context("2d")
        .ok()
        .flatten()
        .and_then(|c| c.dyn_into::<CanvasRenderingContext2d>().ok())
    else {
        return;
    };
    let _ = ctx.set_transform(ratio, 0.0, 0.0, ratio, 0.0, 0.0);
    ctx.clear_rect(0.0, 0.0, l.width, l.height);

    ctx.set_font("11px system-ui, sans-serif");
    for tick in &l.ticks {
        ctx.set_fill_style_str("#e9ecef");
        ctx.fill_rect(tick.x, AXIS_HEIGHT - 4.0, 1.0, l.height - AXIS_HEIGHT + 4.0);
        ctx.set_fill_style_str("#495057");
        let _ = ctx.fill_text(&tick.label, tick.x + 3.0, AXIS_HEIGHT - 9.0);
    }

    ctx.set_font("13px ui-monospace, monospace");
    for (i, lane) in l.lanes.iter().enumerate() {
        let y = AXIS_HEIGHT + LANE_HEIGHT * i as f64;
        if i % 2 == 1 {
            ctx.set_fill_style_str("rgba(0,0,0,0.025)");
            ctx.fill_rect(0.0, y, l.width, LANE_HEIGHT);
        }
        ctx.set_fill_style_str("#212529");
        let mark = match lane.end {
            Some(TrackEnd::Cancelled) => " (cancelled)",
            Some(TrackEnd::Killed) => " ✕ killed",
            Some(TrackEnd::Failed) => " ✕ failed",
            Some(TrackEnd::Finished) | None => "",
        };
        let _ = ctx.fill_text(
            &format!("{}{mark}", lane.name),
            10.0,
            y + LANE_HEIGHT / 2.0 + 4.0,
        );
    }
    for bar in &l.bars {
        let y = AXIS_HEIGHT + LANE_HEIGHT * bar.lane as f64 + 6.0;
        ctx.set_fill_style_str(colour(bar.kind));
        ctx.fill_rect(bar.x, y, bar.w, LANE_HEIGHT - 12.0);
    }
    ctx.set_fill_style_str("#e8590c");
    for &(lane, x) in &l.prints {
        let y = AXIS_HEIGHT + LANE_HEIGHT * lane as f64 + 4.0;
        ctx.begin_path();
        let _ = ctx.arc(x, y, 3.5, 0.0, std::f64::consts::TAU);
        ctx.fill();
    }
    ctx.set_fill_style_str("#adb5bd");
    ctx.fill_rect(LABEL_WIDTH - 1.0, AXIS_HEIGHT, 1.0, l.height - AXIS_HEIGHT);
}
