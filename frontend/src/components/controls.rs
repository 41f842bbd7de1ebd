//! Run and Stop, and a line that says where the run stands.

use web_sys::HtmlElement;
use yew::prelude::*;

use super::coded::coded;
use crate::state::{Conn, Hold, Refusal, RunStatus, RunView};
use crate::summary::outcome_line;
use crate::words;

#[derive(Debug, Properties, PartialEq)]
pub struct ControlsProps {
    pub conn: Conn,
    pub awaiting: bool,
    /// The run's place in the server's queue, while it waits.
    pub queued: Option<u32>,
    pub run: Option<RunView>,
    pub refusal: Option<Refusal>,
    /// What Run waits for, if anything.
    pub hold: Option<Hold>,
    /// Run was pressed while the Python was being read.
    pub run_when_read: bool,
    /// The scenario's time scale, which a badge beside Run shows when it is not 1.
    pub time_scale: f64,
    /// Run ×N is under way, as these words say: the timeline's Run is not what goes.
    pub repeating: Option<String>,
    pub on_run: Callback<()>,
    pub on_stop: Callback<()>,
}

/// The run controls and the run's state, readable by people and by tests (`data-run-state`).
#[component]
pub fn Controls(props: &ControlsProps) -> Html {
    let running = props
        .run
        .as_ref()
        .is_some_and(|r| r.status == RunStatus::Running);
    let (state, text) = status(props);
    let on_run = props.on_run.clone();
    let on_stop = props.on_stop.clone();
    let (run_button, stop_button) = (use_node_ref(), use_node_ref());
    // Whether the keyboard was on Run or Stop when one of them was last disabled.
    let held = use_mut_ref(|| false);
    let stoppable = running || props.queued.is_some();
    {
        let (run_button, stop_button, held) =
            (run_button.clone(), stop_button.clone(), held.clone());
        use_effect_with(stoppable, move |&stoppable| {
            // A button that becomes disabled drops the focus: Enter on Run, then Enter
            // again stops, and the focus comes back to Run at the end.
            let (from, to) = if stoppable {
                (run_button, stop_button)
            } else {
                (stop_button, run_button)
            };
            let active = web_sys::window()
                .and_then(|w| w.document())
                .and_then(|d| d.active_element());
            let dropped = active.as_ref().is_none_or(|a| {
                a.tag_name() == "BODY" || from.get().is_some_and(|f| f.is_same_node(Some(a)))
            });
            if *held.borrow()
                && dropped
                && let Some(to) = to.cast::<HtmlElement>()
            {
                let _ = to.focus();
            }
        });
    }
    let onfocus = {
        let held = held.clone();
        Callback::from(move |_: FocusEvent| *held.borrow_mut() = true)
    };
    let onblur = Callback::from(move |e: FocusEvent| {
        // Moved on to something else, by the learner's choice.
        if e.related_target().is_some() {
            *held.borrow_mut() = false;
        }
    });
    html! {
        <div class="controls">
            <button
                ref={run_button}
                onfocus={onfocus.clone()}
                onblur={onblur.clone()}
                class="run"
                data-testid="run"
                // Pressed while the Python is being read, Run runs it once read.
                disabled={props.conn != Conn::Open || props.awaiting || running
                    || props.hold.as_ref().is_some_and(|h| *h != Hold::Reading)}
                onclick={move |_| on_run.emit(())}
            >
                { "▶ Run" }
            </button>
            <button
                ref={stop_button}
                {onfocus}
                {onblur}
                class="stop"
                data-testid="stop"
                disabled={!running && props.queued.is_none()}
                onclick={move |_| on_stop.emit(())}
            >
                { "■ Stop" }
            </button>
            if let Some(speed) = words::speed(props.time_scale) {
                <span class="speed" data-testid="speed" title="The scenario's time scale multiplies every duration">{ speed }</span>
            }
            <span class={classes!("status", state)} data-run-state={state} role="status">{ coded(&text) }</span>
        </div>
    }
}

/// (machine-readable state, sentence) for the status line.
fn status(props: &ControlsProps) -> (&'static str, String) {
    if let Some(Refusal { field, message }) = &props.refusal {
        return ("rejected", format!("refused — {field}: {message}"));
    }
    if let Some(position) = props.queued {
        return (
            "queued",
            format!("queued: place {position} — the server runs a few at a time"),
        );
    }
    if props.awaiting {
        return ("starting", "starting…".into());
    }
    match (&props.run, &props.hold, &props.repeating) {
        // Whatever else holds, the first thing to know is that nothing can run now.
        _ if props.conn == Conn::Lost => ("offline", words::conn(Conn::Lost).1.into()),
        (Some(run), ..) if run.status == RunStatus::Running => {
            ("running", words::running(run.last_t_ns))
        }
        (.., Some(repeating)) => ("repeating", repeating.clone()),
        _ if props.run_when_read => ("starting", Hold::Reading.words()),
        (_, Some(Hold::Reading), _) => ("reading", "reading your program…".into()),
        (_, Some(Hold::Predict), _) => ("predict", Hold::Predict.words()),
        (_, Some(hold), _) => ("invalid", hold.words()),
        (Some(run), None, None) => outcome_line(run),
        (None, None, None) => ("idle", words::conn(props.conn).1.into()),
    }
}
