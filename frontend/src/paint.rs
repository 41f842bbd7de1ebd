//! Paints a [`Layout`] on a canvas. Thin on purpose: every position comes from the layout.

use wasm_bindgen::JsCast;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement};

use crate::state::{SpanKind, TrackEnd};
use crate::timeline::{AXIS_HEIGHT, LABEL_WIDTH, LANE_HEIGHT, Layout};

/// The colour of a span kind; the legend uses the same.
pub fn colour(kind: SpanKind) -> &'static str {
    match kind {
        SpanKind::Running => "#2b8a3e",
        SpanKind::Suspended => "#a5d8ff",
        SpanKind::Queued => "#dee2e6",
        SpanKind::BlockedSleep => "#e03131",
        SpanKind::Cpu => "#7048e8",
        SpanKind::GilWait => "#ffd43b",
    }
}

/// What a span kind means, in words.
pub fn meaning(kind: SpanKind) -> &'static str {
    match kind {
        SpanKind::Running => "running",
        SpanKind::Suspended => "suspended at await (the loop is free)",
        SpanKind::Queued => "created or queued, waiting to start",
        SpanKind::BlockedSleep => "blocking sleep (holds its thread)",
        SpanKind::Cpu => "CPU work (holds its thread)",
        SpanKind::GilWait => "waiting for the GIL",
    }
}

/// Paints `l` at the device's pixel ratio.
pub fn paint(canvas: &HtmlCanvasElement, l: &Layout) {
    let ratio = web_sys::window().map_or(1.0, |w| w.device_pixel_ratio());
    canvas.set_width((l.width * ratio) as u32);
    canvas.set_height((l.height * ratio) as u32);
    let _ = canvas.set_attribute(
        "style",
        &format!("width:{}px;height:{}px", l.width, l.height),
    );
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
    for (i, row) in l.rows.iter().enumerate() {
        let y = AXIS_HEIGHT + LANE_HEIGHT * i as f64;
        if i % 2 == 1 {
            ctx.set_fill_style_str("rgba(0,0,0,0.025)");
            ctx.fill_rect(0.0, y, l.width, LANE_HEIGHT);
        }
        let mark = match row.end {
            Some(TrackEnd::Cancelled) => " (cancelled)",
            Some(TrackEnd::Killed) => " ✕ killed",
            Some(TrackEnd::Failed) => " ✕ failed",
            Some(TrackEnd::Finished) | None => "",
        };
        ctx.set_fill_style_str("#212529");
        ctx.set_font("12px ui-monospace, monospace");
        let _ = ctx.fill_text(&format!("{}{mark}", row.name), 8.0, y + 13.0);
        ctx.set_fill_style_str("#868e96");
        ctx.set_font("10px system-ui, sans-serif");
        let _ = ctx.fill_text(&row.place, 8.0, y + 25.0);
        for bar in &row.bars {
            ctx.set_fill_style_str(colour(bar.kind));
            ctx.fill_rect(bar.x, y + 6.0, bar.w, LANE_HEIGHT - 12.0);
        }
        ctx.set_fill_style_str("#e8590c");
        for &x in &row.prints {
            ctx.begin_path();
            let _ = ctx.arc(x, y + 4.0, 3.5, 0.0, std::f64::consts::TAU);
            ctx.fill();
        }
    }
    ctx.set_fill_style_str("#adb5bd");
    ctx.fill_rect(LABEL_WIDTH - 1.0, AXIS_HEIGHT, 1.0, l.height - AXIS_HEIGHT);
}
