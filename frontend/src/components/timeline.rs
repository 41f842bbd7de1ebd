//! The timeline: a canvas painted from [`crate::timeline::layout_as`], repainted while a run
//! is live so open bars grow. Zoom by wheel, buttons or keys; pan by dragging or keys; the
//! details of a bar on hover, or on the keyboard's cursor.

use std::rc::Rc;

use web_sys::{Element, HtmlCanvasElement, KeyboardEvent, MouseEvent, WheelEvent};
use yew::prelude::*;

use super::ideal_note::IdealNote;
use super::timeline_tip::{bar_wait, hot_bar, segment_words, subject_name, tooltip};
use super::timeline_tools::{Legend, Tools, save_picture};
use crate::hooks::use_timeline::{Pointer, TimelineState, use_now, use_timeline};
use crate::hooks::use_width::use_width;
use crate::paint::paint;
use crate::state::RunView;
use crate::timeline::{
    AXIS_HEIGHT, Bar, Command, Cursor, LANE_HEIGHT, Layout, Row, Rows, Schedule, Shape,
    VISIBLE_ROWS, View, command, end_mark, label_width, layout_tree, measured_label, nearest,
    overlay, step,
};

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
    /// What the run is of, for the title of a saved picture.
    #[prop_or_default]
    pub title: AttrValue,
    /// The ideal schedule of what ran (or, before a run, of the program on screen): drawn
    /// under the bars, or alone before the first run.
    #[prop_or_default]
    pub schedule: Option<Rc<Schedule>>,
}

/// A row per subject, grouped and labelled by the thread or process it ran on.
#[component]
pub fn Timeline(props: &TimelineProps) -> Html {
    let canvas = use_node_ref();
    let scroller = use_node_ref();
    let measured = use_width(scroller.clone());
    let width = if measured > 0.0 { measured } else { 900.0 };
    // Before the first run, the schedule alone: a row per subject, ghosts and no bars.
    let predicted = use_memo(
        (props.run.is_none(), props.schedule.clone()),
        |(none, schedule)| {
            none.then(|| schedule.as_ref().map(|s| s.as_run()))
                .flatten()
        },
    );
    let shown = props.run.clone().or_else(|| (*predicted).clone());
    let st = use_timeline(shown.as_ref().map(|r| r.run_id));
    let now = use_now(shown.as_ref(), props.at);
    let laid = shown.as_ref().map(|run| {
        let mut total = View::fit(run, now);
        total.end = total.end.max(props.axis_end.unwrap_or(0));
        let view = (*st.view).unwrap_or(total);
        let rows = *st.first_row..*st.first_row + VISIBLE_ROWS;
        // The schedule alone has no threads yet: its rows are its subjects.
        let shape = match run.is_predicted() {
            true => Shape {
                rows: Rows::Subjects,
                ..*st.shape
            },
            false => *st.shape,
        };
        let mut l = layout_tree(shape, &st.collapsed, run, now, view, width, rows);
        // Ghosts belong to subjects: not to a thread's lane of many.
        if let Some(s) = &props.schedule
            && shape.rows == Rows::Subjects
            && (!shape.no_ideal || run.is_predicted())
        {
            overlay(&mut l, run, &s.ghosts, view);
        }
        (l, view, total.end)
    });
    let focus = (*st.cursor).zip(laid.as_ref()).and_then(|(c, (l, _, _))| {
        let row = c.row.checked_sub(*st.first_row)?;
        let r = l.rows.get(row)?;
        let at = match &r.resource {
            Some(lane) => nearest(&lane.segments, c.t)?,
            None => nearest(&r.bars, c.t)?,
        };
        Some((row, at))
    });
    {
        let (canvas, laid, st) = (canvas.clone(), laid.clone(), st.clone());
        use_effect(move || {
            if let (Some(el), Some((l, _, _))) = (canvas.cast::<HtmlCanvasElement>(), &laid) {
                let hot = hot_bar(l, &st, focus, &canvas).map(|((_, bar), _)| *bar);
                paint(&el, l, focus, hot);
            }
        });
    }
    let (Some(run), Some((l, view, total))) = (shown, laid) else {
        return html! {
            <div class="timeline">
                <div class="canvas-box" ref={scroller}>
                    <p class="empty">{ "Press Run (or Ctrl+Enter): each task, job, thread and process gets a row, and its bars grow as it runs." }</p>
                </div>
                <Legend />
            </div>
        };
    };
    let set_view = {
        let view = st.view.clone();
        move |v: View| view.set(Some(v))
    };
    let on_wheel = {
        let set_view = set_view.clone();
        Callback::from(move |e: WheelEvent| {
            e.prevent_default();
            let factor = if e.delta_y() > 0.0 { 1.25 } else { 0.8 };
            set_view(view.zoom(factor, view.t(f64::from(e.offset_x()), width), total));
        })
    };
    let on_down = {
        let drag = st.drag.clone();
        Callback::from(move |e: MouseEvent| {
            *drag.borrow_mut() = Some((f64::from(e.offset_x()), view))
        })
    };
    let on_move = {
        let (drag, hover, set_view) = (st.drag.clone(), st.hover.clone(), set_view.clone());
        Callback::from(move |e: MouseEvent| {
            let x = f64::from(e.offset_x());
            match *drag.borrow() {
                Some((from, v)) => set_view(v.drag(x - from, width, total)),
                None => hover.set(Some(Pointer {
                    x,
                    y: f64::from(e.offset_y()),
                    client: (f64::from(e.client_x()), f64::from(e.client_y())),
                })),
            }
        })
    };
    let on_up = {
        let drag = st.drag.clone();
        Callback::from(move |_: MouseEvent| *drag.borrow_mut() = None)
    };
    let on_leave = {
        let (drag, hover) = (st.drag.clone(), st.hover.clone());
        Callback::from(move |_: MouseEvent| {
            *drag.borrow_mut() = None;
            hover.set(None);
        })
    };
    // A click on a folded lane's label (or on one of its rows, once opened) opens or folds it;
    // on the label of a subject that created others, it shows or hides them. Wherever it
    // lands on a row, the keyboard's cursor goes there: Enter then acts on the row clicked,
    // not on the first row, where focusing the canvas put the cursor.
    let on_click = {
        let (l, st) = (l.clone(), st.clone());
        Callback::from(move |e: MouseEvent| {
            let (x, y) = (f64::from(e.offset_x()), f64::from(e.offset_y()));
            let Some(i) = l.row_index_at(y) else {
                return;
            };
            let t = if x < label_width(width) {
                view.start
            } else {
                view.t(x, width)
            };
            st.cursor.set(Some(Cursor {
                row: *st.first_row + i,
                t,
            }));
            if x < label_width(width) {
                toggle_row(&st, &l.rows[i]);
            }
        })
    };
    let on_key = key_handler(&st, &l, view, total, scroller.clone());
    let on_focus = {
        let (cursor, first) = (st.cursor.clone(), *st.first_row);
        Callback::from(move |_: FocusEvent| {
            if cursor.is_none() {
                cursor.set(Some(Cursor {
                    row: first,
                    t: view.start,
                }));
            }
        })
    };
    let on_blur = {
        let cursor = st.cursor.clone();
        Callback::from(move |_: FocusEvent| cursor.set(None))
    };
    let on_scroll = {
        let first_row = st.first_row.clone();
        Callback::from(move |e: Event| {
            let top = e.target_unchecked_into::<Element>().scroll_top();
            first_row.set((f64::from(top) / LANE_HEIGHT) as usize);
        })
    };

    let tip = tooltip(&l, &run, &st, focus, &canvas);
    // What the keyboard's cursor is on, for screen readers: the box itself is only seen.
    let segment = focus.and_then(|(row, i)| {
        let r = l.rows.get(row)?;
        Some((r, r.resource.as_ref()?.segments.get(i)?))
    });
    let spoken = focus
        .and_then(|(row, bar)| Some((l.rows.get(row)?, l.rows.get(row)?.bars.get(bar)?)))
        .map(|(row, bar)| {
            let on = bar_wait(&run, bar, None).map_or_else(String::new, |w| format!(", {w}"));
            let tree = match row.open {
                Some(true) => ", Enter hides the tasks it created".to_owned(),
                Some(false) => format!(
                    ", {} {} hidden under it: Enter shows them",
                    row.hidden,
                    if row.hidden == 1 { "task" } else { "tasks" }
                ),
                None => String::new(),
            };
            let ideal = row.ghost.map_or_else(String::new, |g| {
                format!(
                    "; ideally from {} to {}",
                    measured_label(g.start),
                    measured_label(g.end)
                )
            });
            format!(
                "{}{}: {}{on} from {} for {}{ideal}{tree}",
                subject_name(row, bar, &run),
                end_mark(row.end),
                bar.kind.meaning(),
                measured_label(bar.start),
                measured_label(bar.end - bar.start)
            )
        })
        .or_else(|| {
            let (row, s) = segment?;
            Some(format!(
                "{}: {} from {} for {}",
                row.name,
                segment_words(&run, row, s),
                measured_label(s.start),
                measured_label(s.end - s.start)
            ))
        })
        .unwrap_or_default();
    let spoken = crate::words::plain(&spoken);
    let labels = l
        .rows
        .iter()
        .map(|r| r.name.as_str())
        .collect::<Vec<_>>()
        .join(",");
    let on_picture = {
        let (shape, title, picture) = (*st.shape, props.title.clone(), st.picture.clone());
        let run = run.clone();
        Callback::from(move |()| {
            if let Some(saved) = save_picture(&run, shape, view, now, width, &title) {
                picture.set(Some(saved));
            }
        })
    };
    let label = match run.is_predicted() {
        // Nothing to move between yet: the rows and their ideal times are the picture.
        true => format!(
            "Ideal schedule, not yet run, {} rows: {}.",
            l.total_rows,
            crate::timeline::ideal_rows(&l)
        ),
        false => format!(
            "Timeline, {} rows, tasks under the task that created them. Arrow keys move between bars and rows, Enter shows or hides the tasks a task created, + and − zoom, a and d pan, 0 shows the whole run{}.",
            l.total_rows,
            if l.foldable {
                ", Enter opens or folds a lane of many alike"
            } else {
                ""
            }
        ),
    };
    html! {
        <div class="timeline">
            <Tools
                view={st.view.clone()}
                shape={st.shape.clone()}
                current={view}
                {total}
                foldable={l.foldable}
                {on_picture}
                picture={(*st.picture).clone()}
                ideal={props.schedule.is_some() && !run.is_predicted()}
            />
            if let Some(schedule) = props.schedule.clone().filter(|_| run.is_predicted()) {
                <IdealNote {schedule} />
            }
            <div class="canvas-box" ref={scroller} onscroll={on_scroll}>
              <div class="rows-scroll" style={format!("height:{}px", AXIS_HEIGHT + LANE_HEIGHT * l.total_rows as f64)}>
                <canvas
                    ref={canvas}
                    tabindex="0"
                    role="img"
                    aria-label={label}
                    data-testid="timeline"
                    data-lanes={l.total_rows.to_string()}
                    data-lane-labels={labels}
                    data-arrows={l.links.len().to_string()}
                    data-ghosts={l.rows.iter().filter(|r| r.ghost.is_some()).count().to_string()}
                    data-bars={l.bar_count().to_string()}
                    data-view={format!("{}-{}", view.start, view.end)}
                    data-width={width.to_string()}
                    onwheel={on_wheel}
                    onmousedown={on_down}
                    onmousemove={on_move}
                    onmouseup={on_up}
                    onmouseleave={on_leave}
                    onclick={on_click}
                    onkeydown={on_key}
                    onfocus={on_focus}
                    onblur={on_blur}
                />
              </div>
            </div>
            { tip }
            <p class="sr-only" aria-live="polite">{ spoken }</p>
            <Legend />
        </div>
    }
}

/// Opens or folds a folded lane; shows or hides the subjects a subject created.
fn toggle_row(st: &TimelineState, row: &Row) {
    if row.foldable {
        st.shape.set(st.shape.toggled());
    } else if row.open.is_some() {
        let mut collapsed = (*st.collapsed).clone();
        match collapsed.binary_search(&row.subject) {
            Ok(i) => {
                collapsed.remove(i);
            }
            Err(i) => collapsed.insert(i, row.subject),
        }
        st.collapsed.set(collapsed);
    }
}

/// What each key does on the focused canvas.
fn key_handler(
    st: &TimelineState,
    l: &Layout,
    view: View,
    total: u64,
    scroller: NodeRef,
) -> Callback<KeyboardEvent> {
    let (st, l) = (st.clone(), l.clone());

    Callback::from(move |e: KeyboardEvent| {
        let Some(cmd) = command(&e.key(), e.shift_key()) else {
            return;
        };
        e.prevent_default();
        let cursor = (*st.cursor).unwrap_or(Cursor {
            row: *st.first_row,
            t: view.start,
        });
        let bars_row = |row: usize| row.checked_sub(*st.first_row).and_then(|i| l.rows.get(i));
        let bars = |row: usize| -> &[Bar] { bars_row(row).map_or(&[], |r| &r.bars) };
        let set_view = |v: View| st.view.set(Some(v));

        match cmd {
            Command::ZoomIn => {
                set_view(view.zoom(0.5, cursor.t.clamp(view.start, view.end), total))
            }
            Command::ZoomOut => {
                set_view(view.zoom(2.0, cursor.t.clamp(view.start, view.end), total))
            }
            Command::Fit => st.view.set(None),
            Command::PanEarlier => set_view(view.pan_by(-0.2, total)),
            Command::PanLater => set_view(view.pan_by(0.2, total)),
            Command::PrevBar | Command::NextBar => {
                let forward = cmd == Command::NextBar;
                let lane = bars_row(cursor.row).and_then(|r| r.resource.as_ref());
                let to = match lane {
                    Some(lane) => step(&lane.segments, cursor.t, forward),
                    None => step(bars(cursor.row), cursor.t, forward),
                };
                if let Some(t) = to {
                    st.cursor.set(Some(Cursor { t, ..cursor }));
                }
            }
            Command::RowUp | Command::RowDown => {
                let row = if cmd == Command::RowUp {
                    cursor.row.saturating_sub(1)
                } else {
                    (cursor.row + 1).min(l.total_rows.saturating_sub(1))
                };
                // Keep the cursor's row in the scroll box.
                let first = *st.first_row;
                let top = if row < first {
                    Some(row)
                } else if row >= first + VISIBLE_ROWS {
                    Some(row + 1 - VISIBLE_ROWS)
                } else {
                    None
                };
                if let (Some(top), Some(el)) = (top, scroller.cast::<Element>()) {
                    el.set_scroll_top((top as f64 * LANE_HEIGHT) as i32);
                }
                st.cursor.set(Some(Cursor { row, ..cursor }));
            }
            Command::Toggle => {
                if let Some(row) = bars_row(cursor.row) {
                    toggle_row(&st, row);
                }
            }
            Command::Leave => st.cursor.set(None),
        }
    })
}
