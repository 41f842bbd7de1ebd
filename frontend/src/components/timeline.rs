//! The timeline: a canvas painted from [`crate::timeline::layout`], repainted while a run is
//! live so open bars grow; zoom by wheel or buttons, pan by dragging, details on hover.

use std::cell::RefCell;
use std::rc::Rc;

use gloo_timers::callback::Interval;
use web_sys::{HtmlCanvasElement, MouseEvent, WheelEvent};
use yew::prelude::*;

use crate::paint::{colour, meaning, paint};
use crate::state::{RunStatus, RunView, SpanKind};
use crate::timeline::{
    AXIS_HEIGHT, LABEL_WIDTH, LANE_HEIGHT, Layout, RIGHT_PAD, Rows, View, layout_as,
    measured_label, place,
};

/// How far past the last event open bars may grow, in ns.
const MAX_AHEAD_NS: u64 = 500_000_000;

/// Rows painted at once; the scroll box shows about this many.
const VISIBLE_ROWS: usize = 16;

/// Repaint period while a run is live.
const FRAME_MS: u32 = 50;

#[derive(Debug, Properties, PartialEq)]
pub struct TimelineProps {
    pub run: Option<RunView>,
    /// Show the run as of this time (a replay) instead of live.
    #[prop_or_default]
    pub at: Option<u64>,
    /// The axis reaches at least this far (a replay's whole run, or the longest of a
    /// comparison), so it stays still.
    #[prop_or_default]
    pub axis_end: Option<u64>,
}

fn performance_now() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or(0.0, |p| p.now())
}

/// A row per subject, grouped and labelled by the thread or process it ran on.
#[component]
pub fn Timeline(props: &TimelineProps) -> Html {
    let canvas = use_node_ref();
    let frame = use_state(|| 0u32);
    // None follows the whole run; Some is where the learner zoomed or panned to.
    let view = use_state(|| None::<View>);
    let hover = use_state(|| None::<(f64, f64)>);
    // The first row in view; rows are virtual, so ten thousand of them cost what twenty do.
    let first_row = use_state(|| 0usize);
    let rows_mode = use_state(Rows::default);
    let drag: Rc<RefCell<Option<(f64, View)>>> = use_mut_ref(|| None);
    // performance.now() when this run first appeared, to extend open bars to "now".
    let origin = use_mut_ref(|| 0.0f64);
    let run_id = props.run.as_ref().map(|r| r.run_id);
    let live = props.at.is_none()
        && props
            .run
            .as_ref()
            .is_some_and(|r| r.status == RunStatus::Running);
    {
        let (origin, view) = (origin.clone(), view.clone());
        use_effect_with(run_id, move |_| {
            *origin.borrow_mut() = performance_now();
            view.set(None);
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

    let width = canvas
        .cast::<HtmlCanvasElement>()
        .and_then(|c| c.parent_element())
        .map(|p| f64::from(p.client_width()))
        .filter(|w| *w > 0.0)
        .unwrap_or(900.0);
    let laid = props.run.as_ref().map(|run| {
        let now = match props.at {
            Some(at) => at,
            // The page's clock may run ahead of the run (a throttled tab, a slow socket): the
            // loop's heartbeat arrives every 10 ms, so half a second past the last event is
            // as far as a bar may be drawn without evidence.
            None if live => {
                let guess = ((performance_now() - *origin.borrow()) * 1e6) as u64;
                guess.clamp(run.last_t_ns, run.last_t_ns + MAX_AHEAD_NS)
            }
            None => run.last_t_ns,
        };
        let mut total = View::fit(run, now);
        total.end = total.end.max(props.axis_end.unwrap_or(0));
        let current = (*view).unwrap_or(total);
        let rows = *first_row..*first_row + VISIBLE_ROWS;
        (
            layout_as(*rows_mode, run, now, current, width, rows),
            current,
            total.end,
        )
    });
    {
        let (canvas, laid) = (canvas.clone(), laid.clone());
        use_effect(move || {
            if let (Some(canvas), Some((l, _, _))) = (canvas.cast::<HtmlCanvasElement>(), laid) {
                paint(&canvas, &l);
            }
        });
    }

    let current = laid.as_ref().map(|(_, v, total)| (*v, *total));
    let set_view = {
        let view = view.clone();
        move |v: View| view.set(Some(v))
    };
    let on_wheel = {
        let set_view = set_view.clone();
        Callback::from(move |e: WheelEvent| {
            let Some((v, total)) = current else { return };
            e.prevent_default();
            let factor = if e.delta_y() > 0.0 { 1.25 } else { 0.8 };
            set_view(v.zoom(factor, v.t(f64::from(e.offset_x()), width), total));
        })
    };
    let on_down = {
        let drag = drag.clone();
        Callback::from(move |e: MouseEvent| {
            if let Some((v, _)) = current {
                *drag.borrow_mut() = Some((f64::from(e.offset_x()), v));
            }
        })
    };
    let on_move = {
        let (drag, hover, set_view) = (drag.clone(), hover.clone(), set_view.clone());
        Callback::from(move |e: MouseEvent| {
            let (x, y) = (f64::from(e.offset_x()), f64::from(e.offset_y()));
            match (*drag.borrow(), current) {
                (Some((from, v)), Some((_, total))) => {
                    let plot = (width - LABEL_WIDTH - RIGHT_PAD).max(1.0);
                    let by = -((x - from) / plot * (v.end - v.start) as f64) as i64;
                    set_view(v.pan(by, total));
                }
                _ => hover.set(Some((x, y))),
            }
        })
    };
    let on_up = {
        let drag = drag.clone();
        Callback::from(move |_: MouseEvent| *drag.borrow_mut() = None)
    };
    let on_leave = {
        let hover = hover.clone();
        Callback::from(move |_: MouseEvent| {
            *drag.borrow_mut() = None;
            hover.set(None);
        })
    };
    let zoom_by = |factor: f64| {
        let set_view = set_view.clone();
        Callback::from(move |_: MouseEvent| {
            if let Some((v, total)) = current {
                set_view(v.zoom(factor, v.start + (v.end - v.start) / 2, total));
            }
        })
    };
    let fit = {
        let view = view.clone();
        Callback::from(move |_: MouseEvent| view.set(None))
    };

    // The canvas stays at the top of the scroll box; the tooltip lives in the scrolled area.
    let scrolled = *first_row as f64 * LANE_HEIGHT;
    let tooltip = laid
        .as_ref()
        .zip(props.run.as_ref())
        .zip(*hover)
        .and_then(|(((l, _, _), run), (x, y))| tooltip(l, run, x, y, scrolled));
    let total_rows = laid.as_ref().map_or(0, |(l, _, _)| l.total_rows);
    let on_scroll = {
        let first_row = first_row.clone();
        Callback::from(move |e: Event| {
            let top = e.target_unchecked_into::<web_sys::Element>().scroll_top();
            first_row.set((f64::from(top) / LANE_HEIGHT) as usize);
        })
    };
    let scroll_height = format!("height:{}px", AXIS_HEIGHT + LANE_HEIGHT * total_rows as f64);
    let (rows, labels, bars, shown) =
        laid.as_ref()
            .map_or((0, String::new(), 0, String::new()), |(l, v, _)| {
                let labels = l
                    .rows
                    .iter()
                    .map(|r| r.name.as_str())
                    .collect::<Vec<_>>()
                    .join(",");
                (
                    l.total_rows,
                    labels,
                    l.bar_count(),
                    format!("{}-{}", v.start, v.end),
                )
            });
    html! {
        <div class="timeline">
            <div class="timeline-tools">
                <button onclick={zoom_by(0.5)} title="Zoom in" data-testid="zoom-in">{ "+" }</button>
                <button onclick={zoom_by(2.0)} title="Zoom out">{ "−" }</button>
                <button onclick={fit} title="Show the whole run" data-testid="zoom-fit">{ "Fit" }</button>
                { mode_button(&rows_mode, Rows::Subjects, "by task", "rows-subjects") }
                { mode_button(&rows_mode, Rows::Threads, "by thread", "rows-threads") }
                <span class="hint">{ "wheel to zoom · drag to pan · hover for details" }</span>
            </div>
            <div class="canvas-box" onscroll={on_scroll}>
              <div class="rows-scroll" style={scroll_height}>
                if props.run.is_none() {
                    <p class="empty">{ "Press Run (or Ctrl+Enter): each task, job, thread and process gets a row, and its bars grow as it runs." }</p>
                }
                <canvas
                    ref={canvas}
                    hidden={props.run.is_none()}
                    data-testid="timeline"
                    data-lanes={rows.to_string()}
                    data-lane-labels={labels}
                    data-bars={bars.to_string()}
                    data-view={shown}
                    onwheel={on_wheel}
                    onmousedown={on_down}
                    onmousemove={on_move}
                    onmouseup={on_up}
                    onmouseleave={on_leave}
                />
                { tooltip.unwrap_or_default() }
              </div>
            </div>
            <Legend />
        </div>
    }
}

fn tooltip(l: &Layout, run: &RunView, x: f64, y: f64, scrolled: f64) -> Option<Html> {
    let (_, bar) = l.hit(x, y)?;
    let subject = run.tracks.get(bar.subject)?;
    let style = format!("left:{}px;top:{}px", x + 12.0, y + 12.0 + scrolled);
    Some(html! {
        <div class="tooltip" {style} data-testid="tooltip">
            <strong>{ &subject.name }</strong>
            <div class="place">{ place(subject.home) }</div>
            <div>{ meaning(bar.kind) }</div>
            <div>{ format!("from {} for {}{}", measured_label(bar.start), measured_label(bar.end - bar.start), if bar.open { " so far" } else { "" }) }</div>
        </div>
    })
}

#[component]
fn Legend() -> Html {
    let kinds = [
        SpanKind::Running,
        SpanKind::Suspended,
        SpanKind::Cpu,
        SpanKind::BlockedSleep,
        SpanKind::GilWait,
        SpanKind::Queued,
    ];
    let items = kinds.iter().map(|&k| {
        html! { <li><i class="swatch" style={format!("background:{}", colour(k))}></i>{ meaning(k) }</li> }
    });
    html! {
        <ul class="legend">
            { for items }
            <li><i class="swatch print"></i>{ "print" }</li>
        </ul>
    }
}

/// A button that shows the rows one way: a row per subject, or a lane per thread.
fn mode_button(
    mode: &UseStateHandle<Rows>,
    to: Rows,
    label: &'static str,
    id: &'static str,
) -> Html {
    let mode = mode.clone();
    let class = classes!("mode", (*mode == to).then_some("active"));
    html! { <button {class} data-testid={id} onclick={move |_| mode.set(to)}>{ label }</button> }
}
