//! Run ×N: how many runs, the button, Stop, and where the repeat stands.

use looplab_shared::limits::MAX_REPEATS;
use web_sys::{HtmlElement, HtmlInputElement};
use yew::prelude::*;

use super::coded::coded;
use crate::repeat_words::{DEFAULT_TIMES, read_times, status};
use crate::state::Repeats;

#[derive(Debug, Properties, PartialEq)]
pub struct RepeatBarProps {
    pub repeats: Repeats,
    /// Nothing holds the scenario and nothing else runs: a repeat may start.
    pub can_start: bool,
    /// Start `times` runs.
    pub on_start: Callback<u32>,
    pub on_stop: Callback<()>,
}

/// The repeat's controls, readable by people and by tests (`data-repeat-state`).
#[component]
pub fn RepeatBar(props: &RepeatBarProps) -> Html {
    let text = use_state(|| DEFAULT_TIMES.to_string());
    let times = read_times(&text);
    let oninput = {
        let text = text.clone();
        Callback::from(move |e: InputEvent| {
            text.set(e.target_unchecked_into::<HtmlInputElement>().value())
        })
    };
    let going = props.repeats.busy();
    let start = times.clone().ok().filter(|_| props.can_start && !going);
    let stoppable = props.repeats.batch.as_ref().is_some_and(|b| b.going());
    let (run_button, stop_button) = (use_node_ref(), use_node_ref());
    // The button pressed is disabled by its own press: the keyboard goes on to the other
    // one once it is enabled (Stop all once the server started the runs, Run ×N once they
    // ended), rather than falling to the page's body.
    let focus_next = use_mut_ref(|| None::<bool>);
    {
        let (run_button, stop_button) = (run_button.clone(), stop_button.clone());
        let focus_next = focus_next.clone();
        use_effect_with(
            (stoppable, going, start.is_some()),
            move |&(stoppable, going, startable)| {
                let wanted = *focus_next.borrow();
                let target = match wanted {
                    Some(true) if stoppable => Some(&stop_button),
                    Some(true) if !going => Some(&run_button),
                    Some(false) if startable => Some(&run_button),
                    _ => None,
                };
                if let Some(el) = target.and_then(NodeRef::cast::<HtmlElement>) {
                    let _ = el.focus();
                    *focus_next.borrow_mut() = None;
                }
            },
        );
    }
    let begin = {
        let (on_start, focus_next) = (props.on_start.clone(), focus_next.clone());
        Callback::from(move |()| {
            if let Some(n) = start {
                *focus_next.borrow_mut() = Some(true);
                on_start.emit(n);
            }
        })
    };
    let onclick = begin.reform(|_: MouseEvent| ());
    let onkeydown = {
        let begin = begin.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Enter" {
                e.prevent_default();
                begin.emit(());
            }
        })
    };
    let on_stop = {
        let (on_stop, focus_next) = (props.on_stop.clone(), focus_next.clone());
        move |_: MouseEvent| {
            *focus_next.borrow_mut() = Some(false);
            on_stop.emit(())
        }
    };
    let (state, line) = status(&props.repeats);
    let label = match &times {
        Ok(n) => format!("▶ Run ×{n}"),
        Err(_) => "▶ Run ×N".into(),
    };
    html! {
        <div class="repeat-bar" role="group" aria-label="Run many times">
            <label class="repeat-times">
                { format!("Runs (1–{MAX_REPEATS}) ") }
                <input type="number" min="1" max={MAX_REPEATS.to_string()} value={(*text).clone()}
                    {oninput} {onkeydown} data-testid="repeat-times" aria-invalid={times.is_err().to_string()} />
            </label>
            <button class="repeat-run" data-testid="repeat-run" disabled={start.is_none()} {onclick} ref={run_button}
                title="Run the program this many times, one run after another, and see what changes between runs">
                { label }
            </button>
            <button class="repeat-stop" data-testid="repeat-stop" disabled={!stoppable}
                onclick={on_stop} ref={stop_button}>
                { "■ Stop all" }
            </button>
            if let Err(why) = &times {
                <span class="status invalid" data-testid="repeat-times-error">{ why.clone() }</span>
            } else {
                <span class={classes!("status", state)} data-repeat-state={state} role="status"
                    data-testid="repeat-status">{ coded(&line) }</span>
            }
        </div>
    }
}
