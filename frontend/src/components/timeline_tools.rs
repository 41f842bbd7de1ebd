//! The timeline's buttons, its legend, and saving it as a picture.

use wasm_bindgen::JsCast;
use web_sys::HtmlCanvasElement;
use yew::prelude::*;

use super::export::download;
use crate::arrows::Cause;
use crate::paint::paint_picture;
use crate::state::RunView;
use crate::state::SpanKind;
use crate::summary::outcome_line;
use crate::timeline::{Rows, Shape, View, layout_as};

/// Rows a saved picture holds at most; a run with more is cut there.
const PICTURE_ROWS: usize = 200;

#[derive(Debug, Properties, PartialEq)]
pub struct ToolsProps {
    pub view: UseStateHandle<Option<View>>,
    pub shape: UseStateHandle<Shape>,
    /// The view on screen and the run's whole length.
    pub current: View,
    pub total: u64,
    /// Some rows fold many alike subjects (requests, say) into one lane.
    pub foldable: bool,
    pub on_picture: Callback<()>,
    /// The last picture saved: its address and file name.
    pub picture: Option<(String, String)>,
    /// There is an ideal schedule to draw under the bars.
    pub ideal: bool,
}

/// Zoom, the whole run, how rows are made, and the picture.
#[component]
pub fn Tools(props: &ToolsProps) -> Html {
    let zoom_by = |factor: f64| {
        let (view, current, total) = (props.view.clone(), props.current, props.total);
        Callback::from(move |_: MouseEvent| view.set(Some(current.zoom_centre(factor, total))))
    };
    let fit = {
        let view = props.view.clone();
        Callback::from(move |_: MouseEvent| view.set(None))
    };
    let shape = *props.shape;
    let set = |to: Shape| {
        let handle = props.shape.clone();
        Callback::from(move |_: MouseEvent| handle.set(to))
    };
    let mode = |rows: Rows, label: &'static str, id: &'static str| {
        let on = shape.rows == rows;
        let class = classes!("mode", on.then_some("active"));
        html! {
            <button {class} data-testid={id} aria-pressed={on.to_string()} onclick={set(Shape { rows, ..shape })}>{ label }</button>
        }
    };
    let on_picture = props.on_picture.reform(|_: MouseEvent| ());
    html! {
        <div class="timeline-tools">
            <button onclick={zoom_by(0.5)} title="Zoom in (+)" aria-label="Zoom in" data-testid="zoom-in">{ "+" }</button>
            <button onclick={zoom_by(2.0)} title="Zoom out (−)" aria-label="Zoom out" data-testid="zoom-out">{ "−" }</button>
            <button onclick={fit} title="Show the whole run (0)" data-testid="zoom-fit">{ "Fit" }</button>
            { mode(Rows::Subjects, "by task", "rows-subjects") }
            { mode(Rows::Threads, "by thread", "rows-threads") }
            if props.foldable && shape.rows == Rows::Subjects {
                <button
                    class={classes!("mode", shape.expanded.then_some("active"))}
                    data-testid="expand"
                    aria-pressed={shape.expanded.to_string()}
                    title="Give each of many alike subjects (requests, say) a row of its own"
                    onclick={set(shape.toggled())}
                >{ "a row each" }</button>
            }
            <button
                class={classes!("mode", (!shape.no_arrows).then_some("active"))}
                data-testid="arrows"
                aria-pressed={(!shape.no_arrows).to_string()}
                title="Arrows from a cause to its effect: a gather to its tasks, a lock handed over, a queue's item, an event set"
                onclick={set(Shape { no_arrows: !shape.no_arrows, ..shape })}
            >{ "arrows" }</button>
            // The schedule is subject by subject: a thread's lane has no one ghost.
            if props.ideal && shape.rows == Rows::Subjects {
                <button
                    class={classes!("mode", (!shape.no_ideal).then_some("active"))}
                    data-testid="ideal"
                    aria-pressed={(!shape.no_ideal).to_string()}
                    title="The ideal schedule under the bars: where each task, job and thread would run with no contention (no GIL, no blocked loop)"
                    onclick={set(Shape { no_ideal: !shape.no_ideal, ..shape })}
                >{ "ideal" }</button>
            }
            <button onclick={on_picture} data-testid="export-png" title="Save the timeline as a PNG picture, with a title and a legend">{ "Save PNG" }</button>
            if let Some((href, file)) = props.picture.clone() {
                <a {href} download={file} data-testid="picture-link">{ "last picture" }</a>
            }
            <span class="hint">{ "wheel or +/− to zoom · drag or a/d to pan · hover or arrow keys for details" }</span>
        </div>
    }
}

/// What each colour means, and each arrow.
#[component]
pub fn Legend() -> Html {
    let items = SpanKind::ALL.iter().map(|&k| {
        html! { <li><i class="swatch" style={format!("background:{}", k.colour())}></i>{ k.meaning() }</li> }
    });
    let arrows = Cause::ALL.iter().map(|&c| {
        html! { <li><i class="arrow" style={format!("color:{}", c.colour())}>{ "→" }</i>{ c.meaning() }</li> }
    });
    html! {
        <ul class="legend" data-testid="legend">
            { for items }
            <li><i class="swatch print"></i>{ "print" }</li>
            <li><i class="swatch ideal"></i>{ "ideal schedule: where it would run with no contention (no GIL, no blocked loop)" }</li>
            <li><i class="swatch" style="background:rgba(194,37,92,0.6)"></i>{ "a lock, semaphore or queue's lane: who holds it, how full" }</li>
            { for arrows }
            <li class="hint">{ "hover a bar to bring its arrows forward" }</li>
        </ul>
    }
}

/// Saves the timeline of `run` as it is shown (rows, view) as a PNG with `title`, the run's
/// outcome and the legend; returns the picture's address and file name.
pub fn save_picture(
    run: &RunView,
    shape: Shape,
    view: View,
    now: u64,
    width: f64,
    title: &str,
) -> Option<(String, String)> {
    let canvas = web_sys::window()?
        .document()?
        .create_element("canvas")
        .ok()?
        .dyn_into::<HtmlCanvasElement>()
        .ok()?;
    let l = layout_as(shape, run, now, view, width, 0..PICTURE_ROWS);
    let title = if title.is_empty() { &run.name } else { title };
    let subtitle = format!("{} · looplab", crate::words::plain(&outcome_line(run).1));
    paint_picture(&canvas, &l, title, &subtitle);
    let url = canvas.to_data_url().ok()?;
    let file = format!("looplab-{}-run{}.png", run.name, run.run_id);
    download(&url, &file);
    Some((url, file))
}
