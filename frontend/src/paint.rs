//! Paints a [`Layout`] on a canvas, and the same as a picture with a title and a legend.
//! Thin on purpose: every position comes from the layout or the picture.

use wasm_bindgen::JsCast;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement};

use crate::arrows::Cause;
use crate::picture::{MARGIN, picture};
use crate::state::SpanKind;
use crate::timeline::{
    AXIS_HEIGHT, Bar, LANE_HEIGHT, Layout, Link, ResourceLane, end_mark, fit, fit_first,
    label_width,
};

/// The colour of print markers.
pub const PRINT_COLOUR: &str = "#e8590c";
/// The ideal schedule's ghost under a row's bars: a dashed outline, taller than a bar so it
/// shows above and below the bar drawn over it, and unlike any bar's fill (a queued bar's
/// grey among them).
const IDEAL_EDGE: &str = "#343a40";

fn dash() -> js_sys::Array {
    js_sys::Array::of2(&4.0.into(), &3.0.into())
}

fn context(canvas: &HtmlCanvasElement) -> Option<CanvasRenderingContext2d> {
    canvas
        .get_context("2d")
        .ok()
        .flatten()
        .and_then(|c| c.dyn_into::<CanvasRenderingContext2d>().ok())
}

/// Sizes `canvas` to `width` × `height` CSS pixels at the device's pixel ratio.
fn size(canvas: &HtmlCanvasElement, width: f64, height: f64, ratio: f64) {
    canvas.set_width((width * ratio) as u32);
    canvas.set_height((height * ratio) as u32);
    let _ = canvas.set_attribute("style", &format!("width:{width}px;height:{height}px"));
}

/// Paints `l` at the device's pixel ratio, with bar `focus` (row, bar) outlined: the
/// keyboard's cursor. The arrows of bar `hot` (hovered or under the cursor) stand out.
pub fn paint(
    canvas: &HtmlCanvasElement,
    l: &Layout,
    focus: Option<(usize, usize)>,
    hot: Option<Bar>,
) {
    let ratio = web_sys::window().map_or(1.0, |w| w.device_pixel_ratio());
    size(canvas, l.width, l.height, ratio);
    let Some(ctx) = context(canvas) else { return };
    let _ = ctx.set_transform(ratio, 0.0, 0.0, ratio, 0.0, 0.0);
    ctx.clear_rect(0.0, 0.0, l.width, l.height);
    draw(&ctx, l, hot.as_ref());
    // The cursor's bar, or its stretch of a resource's lane.
    let at = focus.and_then(|(row, i)| {
        let r = l.rows.get(row)?;
        match &r.resource {
            Some(lane) => lane.segments.get(i).map(|s| (row, s.x, s.w)),
            None => r.bars.get(i).map(|b| (row, b.x, b.w)),
        }
    });
    if let Some((row, x, w)) = at {
        let y = AXIS_HEIGHT + LANE_HEIGHT * row as f64;
        ctx.set_stroke_style_str("#1b1f24");
        ctx.set_line_width(2.0);
        ctx.stroke_rect(x - 1.0, y + 4.0, w + 2.0, LANE_HEIGHT - 8.0);
    }
}

/// Paints `l` as a picture on `canvas`: white, `title` and `subtitle` above the rows, the
/// legend below them, at twice the size for a sharp slide.
pub fn paint_picture(canvas: &HtmlCanvasElement, l: &Layout, title: &str, subtitle: &str) {
    let Some(ctx) = context(canvas) else { return };
    ctx.set_font(LEGEND_FONT);
    // The picture's legend names what it shows: its arrows' causes only.
    let causes = Cause::ALL
        .into_iter()
        .filter(|c| l.links.iter().any(|k| k.cause == *c));
    let entries: Vec<(Key, &str)> = SpanKind::ALL
        .iter()
        .map(|&k| (Key::Span(k), k.meaning()))
        .chain([(Key::Print, "print")])
        .chain(causes.map(|c| (Key::Arrow(c), c.meaning())))
        .collect();
    let widths: Vec<f64> = entries
        .iter()
        .map(|(_, text)| SWATCH + 6.0 + ctx.measure_text(text).map_or(0.0, |m| m.width()))
        .collect();
    let p = picture(l.width, l.height, &widths);
    let ratio = 2.0;
    size(canvas, p.width, p.height, ratio);
    // Resizing a canvas resets its context: set everything again.
    let Some(ctx) = context(canvas) else { return };
    let _ = ctx.set_transform(ratio, 0.0, 0.0, ratio, 0.0, 0.0);
    ctx.set_fill_style_str("#ffffff");
    ctx.fill_rect(0.0, 0.0, p.width, p.height);
    ctx.set_fill_style_str("#212529");
    ctx.set_font("600 18px system-ui, sans-serif");
    let _ = ctx.fill_text(title, MARGIN, 26.0);
    ctx.set_fill_style_str("#495057");
    ctx.set_font("13px system-ui, sans-serif");
    let _ = ctx.fill_text(subtitle, MARGIN, 46.0);
    let _ = ctx.translate(0.0, p.rows_top);
    draw(&ctx, l, None);
    let _ = ctx.translate(0.0, -p.rows_top);
    ctx.set_font(LEGEND_FONT);
    for ((key, text), (x, y)) in entries.iter().zip(&p.legend) {
        match *key {
            Key::Span(k) => {
                ctx.set_fill_style_str(k.colour());
                ctx.fill_rect(*x, y + 5.0, SWATCH, 10.0);
            }
            Key::Print => {
                ctx.set_fill_style_str(PRINT_COLOUR);
                ctx.begin_path();
                let _ = ctx.arc(x + SWATCH / 2.0, y + 10.0, 4.0, 0.0, std::f64::consts::TAU);
                ctx.fill();
            }
            Key::Arrow(c) => {
                let (from, to) = ((*x, y + 10.0), (x + SWATCH, y + 10.0));
                draw_link(&ctx, &legend_link(from, to, c), Emphasis::Strong);
            }
        }
        ctx.set_fill_style_str("#495057");
        let _ = ctx.fill_text(text, x + SWATCH + 6.0, y + 14.0);
    }
}

/// What a legend entry shows: a span's colour, a print's dot, an arrow.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Key {
    Span(SpanKind),
    Print,
    Arrow(Cause),
}

/// A short arrow for the legend.
fn legend_link(from: (f64, f64), to: (f64, f64), cause: Cause) -> Link {
    let end = crate::arrows::End { subject: 0, t: 0 };
    Link {
        from,
        to,
        cause,
        tail: end,
        head: end,
    }
}

/// A legend swatch's width.
const SWATCH: f64 = 16.0;
const LEGEND_FONT: &str = "12px system-ui, sans-serif";

fn draw(ctx: &CanvasRenderingContext2d, l: &Layout, hot: Option<&Bar>) {
    let label = label_width(l.width);
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
        let mark = end_mark(row.end);
        // A narrow label column cuts long labels rather than letting them run into the bars.
        ctx.save();
        ctx.begin_path();
        ctx.rect(0.0, y, label - 4.0, LANE_HEIGHT);
        ctx.clip();
        // A subject is indented under the one that created it, after its disclosure mark.
        let indent = 8.0 + INDENT * row.depth.min(MAX_DEPTH) as f64;
        ctx.set_fill_style_str("#212529");
        ctx.set_font("12px ui-monospace, monospace");
        if let Some(open) = row.open {
            let _ = ctx.fill_text(if open { "▾" } else { "▸" }, indent, y + 13.0);
        }
        let text = indent + if row.open.is_some() { INDENT } else { 0.0 };
        let room = label - 8.0 - text;
        let width = |s: &str| ctx.measure_text(s).map_or(0.0, |m| m.width());
        // How it ended and how many a folded row hides, in words where they fit; else the
        // name whole, with the count as `+6`.
        let ends = match row.hidden {
            0 => vec![mark.to_owned(), String::new()],
            n => vec![format!("{mark} · {n} hidden"), format!(" +{n}")],
        };
        let name = fit_first(&row.name, &ends, room, width);
        let _ = ctx.fill_text(&name, text, y + 13.0);
        ctx.set_fill_style_str("#868e96");
        ctx.set_font("10px system-ui, sans-serif");
        let place = fit(&row.place, "", room, width);
        let _ = ctx.fill_text(&place, text, y + 25.0);
        ctx.restore();
        if let Some(lane) = &row.resource {
            draw_lane(ctx, lane, y, label, l.width);
        }
        if let Some(g) = row.ghost {
            ctx.set_stroke_style_str(IDEAL_EDGE);
            ctx.set_line_width(1.5);
            let _ = ctx.set_line_dash(&dash());
            ctx.stroke_rect(
                g.x + 0.75,
                y + 2.75,
                (g.w - 1.5).max(1.0),
                LANE_HEIGHT - 5.5,
            );
            let _ = ctx.set_line_dash(&js_sys::Array::new());
        }
        for bar in &row.bars {
            ctx.set_fill_style_str(bar.kind.colour());
            ctx.fill_rect(bar.x, y + 6.0, bar.w, LANE_HEIGHT - 12.0);
        }
        ctx.set_fill_style_str(PRINT_COLOUR);
        for &x in &row.prints {
            ctx.begin_path();
            let _ = ctx.arc(x, y + 4.0, 3.5, 0.0, std::f64::consts::TAU);
            ctx.fill();
        }
    }
    ctx.set_fill_style_str("#adb5bd");
    ctx.fill_rect(label - 1.0, AXIS_HEIGHT, 1.0, l.height - AXIS_HEIGHT);
    ctx.save();
    ctx.begin_path();
    ctx.rect(label, AXIS_HEIGHT, l.width - label, l.height - AXIS_HEIGHT);
    ctx.clip();
    // Quiet arrows first, the hovered bar's and a deadlock's over them.
    let strong = |k: &Link| k.cause == Cause::Deadlock || hot.is_some_and(|b| k.touches(b));
    for link in l.links.iter().filter(|k| !strong(k)) {
        draw_link(ctx, link, Emphasis::quiet(hot.is_some()));
    }
    for link in l.links.iter().filter(|k| strong(k)) {
        draw_link(ctx, link, Emphasis::Strong);
    }
    // A deadlock's stuck spans, outlined in its colour.
    ctx.set_stroke_style_str(Cause::Deadlock.colour());
    ctx.set_line_width(2.0);
    for link in l.links.iter().filter(|k| k.cause == Cause::Deadlock) {
        if let Some((_, bar)) = l.hit(link.from.0 + 0.5, link.from.1) {
            let y = link.from.1 - LANE_HEIGHT / 2.0;
            ctx.stroke_rect(bar.x, y + 5.0, bar.w, LANE_HEIGHT - 10.0);
        }
    }
    ctx.restore();
}

/// Indent of one level of the tree, and the deepest indented.
const INDENT: f64 = 12.0;
const MAX_DEPTH: usize = 6;

/// How an arrow stands out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Emphasis {
    /// Another bar's arrows stand out: fainter still.
    Dim,
    /// Thin and pale: there, not in the way.
    Quiet,
    /// The hovered bar's, or a deadlock's.
    Strong,
}

impl Emphasis {
    fn quiet(other_hot: bool) -> Self {
        if other_hot {
            Emphasis::Dim
        } else {
            Emphasis::Quiet
        }
    }
}

/// An arrow: a curve leaving its tail and reaching its head level, and a head.
fn draw_link(ctx: &CanvasRenderingContext2d, k: &Link, emphasis: Emphasis) {
    let (alpha, line) = match emphasis {
        Emphasis::Dim => (0.15, 1.0),
        Emphasis::Quiet => (0.45, 1.25),
        Emphasis::Strong => (1.0, 2.0),
    };
    ctx.set_global_alpha(alpha);
    ctx.set_stroke_style_str(k.cause.colour());
    ctx.set_fill_style_str(k.cause.colour());
    ctx.set_line_width(line);
    let ((x1, y1), (x2, y2)) = (k.from, k.to);
    let bend = ((x2 - x1).abs() / 2.0).clamp(12.0, 60.0);
    ctx.begin_path();
    ctx.move_to(x1, y1);
    ctx.bezier_curve_to(x1 + bend, y1, x2 - bend, y2, x2, y2);
    ctx.stroke();
    // The head points along the curve's last stretch: rightwards, into the effect.
    ctx.begin_path();
    ctx.move_to(x2, y2);
    ctx.line_to(x2 - 6.0, y2 - 3.5);
    ctx.line_to(x2 - 6.0, y2 + 3.5);
    ctx.close_path();
    ctx.fill();
    ctx.set_global_alpha(1.0);
}

/// A resource's lane: a bar for each busy stretch, darker the fuller it is, with who holds it
/// or how full it is written in it; a mark where an event was set.
fn draw_lane(ctx: &CanvasRenderingContext2d, lane: &ResourceLane, y: f64, left: f64, width: f64) {
    ctx.save();
    ctx.begin_path();
    ctx.rect(left, y, width - left, LANE_HEIGHT);
    ctx.clip();
    ctx.set_font("11px system-ui, sans-serif");
    for s in &lane.segments {
        ctx.set_fill_style_str(&format!("rgba(194,37,92,{:.2})", 0.2 + 0.6 * s.level));
        ctx.fill_rect(s.x, y + 6.0, s.w, LANE_HEIGHT - 12.0);
        if s.w > 24.0 {
            ctx.save();
            ctx.begin_path();
            ctx.rect(s.x, y, s.w - 2.0, LANE_HEIGHT);
            ctx.clip();
            ctx.set_fill_style_str(if s.level > 0.6 { "#ffffff" } else { "#212529" });
            let _ = ctx.fill_text(&s.label, s.x + 3.0, y + 19.0);
            ctx.restore();
        }
    }
    ctx.set_fill_style_str(Cause::Signal.colour());
    for &x in &lane.marks {
        ctx.begin_path();
        ctx.move_to(x, y + 4.0);
        ctx.line_to(x + 5.0, y + LANE_HEIGHT / 2.0);
        ctx.line_to(x, y + LANE_HEIGHT - 4.0);
        ctx.line_to(x - 5.0, y + LANE_HEIGHT / 2.0);
        ctx.close_path();
        ctx.fill();
    }
    ctx.restore();
}
