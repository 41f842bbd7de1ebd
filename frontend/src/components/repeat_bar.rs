//! Run ×N: how many runs, the button, Stop, and where the repeat stands.

use looplab_shared::limits::MAX_REPEATS;
use web_sys::HtmlInputElement;
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
    let on_start = props.on_start.clone();
    let start = times.clone().ok().filter(|_| props.can_start && !going);
    let onclick = Callback::from(move |_: MouseEvent| {
        if let Some(n) = start {
            on_start.emit(n);
        }
    });
    let on_stop = props.on_stop.clone();
    let stoppable = props.repeats.batch.as_ref().is_some_and(|b| b.going());
    let (state, line) = status(&props.repeats);
    let label = match &times {
        Ok(n) => format!("▶ Run ×{n}"),
        Err(_) => "▶ Run ×N".into(),
    };
    html! {
        <div class="repeat-bar" role="group" aria-label="Run many times">
            <label class="repeat-times">
                { "Runs " }
                <input type="number" min="1" max={MAX_REPEATS.to_string()} value={(*text).clone()}
                    {oninput} data-testid="repeat-times" aria-invalid={times.is_err().to_string()} />
            </label>
            <button class="repeat-run" data-testid="repeat-run" disabled={start.is_none()} {onclick}
                title="Run the program this many times, one run after another, and see what changes between runs">
                { label }
            </button>
            <button class="repeat-stop" data-testid="repeat-stop" disabled={!stoppable}
                onclick={move |_| on_stop.emit(())}>
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
