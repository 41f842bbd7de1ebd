//! The timeline's details box: a bar's subject, state and wait, with who holds what it waits
//! for; or a resource lane's stretch, who held it or how full it was.

use looplab_shared::model::ResourceKind;
use web_sys::Element;
use yew::prelude::*;

use super::coded::coded;
use crate::hooks::use_timeline::TimelineState;
use crate::resources::names;
use crate::state::RunView;
use crate::timeline::{
    AXIS_HEIGHT, Bar, LANE_HEIGHT, Layout, Row, Segment, measured_label, place, tip_position,
};
use crate::waits::wait_words;

fn window_size() -> (f64, f64) {
    web_sys::window().map_or((1000.0, 700.0), |w| {
        let size = |v: Result<wasm_bindgen::JsValue, _>| v.ok().and_then(|v| v.as_f64());
        (
            size(w.inner_width()).unwrap_or(1000.0),
            size(w.inner_height()).unwrap_or(700.0),
        )
    })
}

/// A row, its bar, and where in the window the bar's box goes.
pub type Hot<'a> = ((&'a Row, &'a Bar), (f64, f64));

/// The bar under the pointer, or else under the keyboard's cursor, and where its box goes.
pub fn hot_bar<'a>(
    l: &'a Layout,
    st: &TimelineState,
    focus: Option<(usize, usize)>,
    canvas: &NodeRef,
) -> Option<Hot<'a>> {
    let hovered = (*st.hover).and_then(|p| Some((l.hit(p.x, p.y)?, p.client)));
    let focused = focus.and_then(|(row, bar)| {
        let r = l.rows.get(row)?;
        let bar = r.bars.get(bar)?;
        let rect = canvas.cast::<Element>()?.get_bounding_client_rect();
        let at = (
            rect.left() + bar.x + bar.w.min(40.0) / 2.0,
            rect.top() + AXIS_HEIGHT + LANE_HEIGHT * (row as f64 + 1.0),
        );
        Some(((r, bar), at))
    });
    hovered.or(focused)
}

/// The details of the bar under the pointer, or else under the keyboard's cursor, or of the
/// resource lane's stretch under the pointer, in a box placed in the window so nothing cuts
/// it off.
pub fn tooltip(
    l: &Layout,
    run: &RunView,
    st: &TimelineState,
    focus: Option<(usize, usize)>,
    canvas: &NodeRef,
) -> Html {
    if let Some(p) = *st.hover
        && let Some((row, segment)) = l.hit_segment(p.x, p.y)
    {
        return resource_tip(run, row, segment, p.client);
    }
    let Some(((row, bar), at)) = hot_bar(l, st, focus, canvas) else {
        // The keyboard's cursor on a resource's lane.
        let focused = focus.and_then(|(row, i)| {
            let r = l.rows.get(row)?;
            let s = r.resource.as_ref()?.segments.get(i)?;
            let rect = canvas.cast::<Element>()?.get_bounding_client_rect();
            let at = (
                rect.left() + s.x + s.w.min(40.0) / 2.0,
                rect.top() + AXIS_HEIGHT + LANE_HEIGHT * (row as f64 + 1.0),
            );
            Some((r, s, at))
        });
        return focused.map_or_else(Html::default, |(r, s, at)| resource_tip(run, r, s, at));
    };
    let (left, top) = tip_position(at, window_size());
    let (name, home) = (subject_name(row, bar, run), run.tracks[bar.subject].home);
    let many = if bar.count > 1 {
        format!(" — {} at once", bar.count)
    } else {
        String::new()
    };
    let so_far = if bar.open { " so far" } else { "" };
    // Pointed at, the moment under the pointer; reached by the keyboard, the whole bar.
    let pointed = (*st.hover)
        .filter(|p| l.hit(p.x, p.y).is_some_and(|(_, b)| b == bar))
        .map(|p| moment(bar, p.x));
    let on = bar_wait(run, bar, pointed).map(|w| match pointed {
        Some(t) => format!("at {}: {w}", measured_label(t)),
        None => w,
    });
    html! {
        <div class="tooltip" role="tooltip" style={format!("left:{left}px;top:{top}px")} data-testid="tooltip">
            <strong>{ name }</strong>
            <div class="place">{ place(home, run.main_home()) }</div>
            <div>{ format!("{}{many}", bar.kind.meaning()) }</div>
            if let Some(on) = on {
                <div data-testid="wait-on">{ coded(&on) }</div>
            }
            <div>{ format!("from {} for {}{so_far}", measured_label(bar.start), measured_label(bar.end - bar.start)) }</div>
        </div>
    }
}

/// A resource lane's stretch: the resource, who held it or how full it was, and when.
fn resource_tip(run: &RunView, row: &Row, s: &Segment, at: (f64, f64)) -> Html {
    let (left, top) = tip_position(at, window_size());
    let who = segment_words(run, row, s);
    html! {
        <div class="tooltip" role="tooltip" style={format!("left:{left}px;top:{top}px")} data-testid="tooltip">
            <strong>{ row.name.clone() }</strong>
            <div class="place">{ row.place.clone() }</div>
            <div data-testid="resource-state">{ who }</div>
            <div>{ format!("from {} for {}", measured_label(s.start), measured_label(s.end - s.start)) }</div>
        </div>
    }
}

/// A resource lane's stretch in words: `held by a, b (2/2 places taken)`, `held by writer`,
/// `1/2` (a queue), `set` (an event).
pub fn segment_words(run: &RunView, row: &Row, s: &Segment) -> String {
    let kind = row.resource.as_ref().map(|lane| lane.kind);
    match (s.holders.as_slice(), kind) {
        ([], Some(ResourceKind::Queue { .. })) => format!("{} on the queue", s.label),
        ([], _) => s.label.clone(),
        (holders, Some(ResourceKind::Semaphore { value })) => format!(
            "held by {} ({}/{value} places taken)",
            names(run, holders),
            s.n
        ),
        (holders, _) => format!("held by {}", names(run, holders)),
    }
}

/// What a single subject's bar waits on, in words, with who holds it at `at` (the moment
/// pointed at), or else when the wait began.
pub fn bar_wait(run: &RunView, bar: &Bar, at: Option<u64>) -> Option<String> {
    let track = run.tracks.get(bar.subject).filter(|_| bar.count == 1)?;
    let span = track.spans.iter().find(|s| s.start == bar.start)?;
    wait_words(run, bar.subject, span, at)
}

/// The moment at `x` on `bar`, by where `x` falls along it.
fn moment(bar: &Bar, x: f64) -> u64 {
    let along = ((x - bar.x) / bar.w.max(1.0)).clamp(0.0, 1.0);
    bar.start + ((bar.end - bar.start) as f64 * along) as u64
}

/// Who a bar is of: its subject, or on a folded lane the lane's crowd (`18 requests`).
pub fn subject_name(row: &Row, bar: &Bar, run: &RunView) -> String {
    match row.folded {
        Some(_) => row.name.trim_start_matches("▸ ").to_owned(),
        None => run.tracks[bar.subject].name.clone(),
    }
}
