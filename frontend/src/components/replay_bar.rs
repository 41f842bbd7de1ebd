//! The replay controls under a finished run: a scrubber, play and pause, and the speed.

use gloo_timers::callback::Interval;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use super::inputs::choice;
use crate::keys::scrub;
use crate::replay::{SPEEDS, advance};
use crate::timeline::measured_label;

/// Playback step, in ms of real time.
const TICK_MS: u32 = 40;

#[derive(Debug, Properties, PartialEq)]
pub struct ReplayBarProps {
    /// The run's length.
    pub end: u64,
    /// Where the replay stands; `None` shows the whole run.
    pub at: Option<u64>,
    pub on_seek: Callback<Option<u64>>,
}

/// Scrub with the slider, or play from where it stands at 0.25× to 4×.
#[component]
pub fn ReplayBar(props: &ReplayBarProps) -> Html {
    let playing = use_state(|| false);
    let speed = use_state(|| 1.0f64);
    {
        let (on_seek, end, at, speed_now) = (props.on_seek.clone(), props.end, props.at, *speed);
        let playing = playing.clone();
        use_effect_with((*playing, at, speed_now), move |(play, at, speed)| {
            let speed = *speed;
            let ticker = play.then(|| {
                let from = at.filter(|&t| t < end).unwrap_or(0);
                let started = web_sys::window()
                    .and_then(|w| w.performance())
                    .map_or(0.0, |p| p.now());
                Interval::new(TICK_MS, move || {
                    let now = web_sys::window()
                        .and_then(|w| w.performance())
                        .map_or(0.0, |p| p.now());
                    let t = advance(from, speed, now - started, end);
                    if t >= end {
                        playing.set(false);
                    }
                    on_seek.emit(Some(t));
                })
            });
            move || drop(ticker)
        });
    }
    let at = props.at.unwrap_or(props.end);
    let on_input = {
        let (on_seek, playing) = (props.on_seek.clone(), playing.clone());
        Callback::from(move |e: InputEvent| {
            playing.set(false);
            if let Ok(t) = e
                .target_unchecked_into::<HtmlInputElement>()
                .value()
                .parse::<u64>()
            {
                on_seek.emit(Some(t));
            }
        })
    };
    // The slider's own step is a nanosecond: the keys move by a share of the run instead.
    let on_key = {
        let (on_seek, playing, end) = (props.on_seek.clone(), playing.clone(), props.end);
        Callback::from(move |e: KeyboardEvent| {
            if let Some(t) = scrub(&e.key(), at, end) {
                e.prevent_default();
                playing.set(false);
                on_seek.emit(Some(t));
            }
        })
    };
    let toggle = {
        let (playing, on_seek, end, now) =
            (playing.clone(), props.on_seek.clone(), props.end, props.at);
        Callback::from(move |_: MouseEvent| {
            if !*playing && now.is_none_or(|t| t >= end) {
                on_seek.emit(Some(0));
            }
            playing.set(!*playing);
        })
    };
    let speeds = SPEEDS.iter().map(|s| format!("{s}×")).collect();
    let set_speed = {
        let speed = speed.clone();
        move |v: String| {
            if let Ok(s) = v.trim_end_matches('×').parse() {
                speed.set(s);
            }
        }
    };
    html! {
        <div class="replay" data-testid="replay">
            <button onclick={toggle} data-testid="replay-play">{ if *playing { "❚❚ Pause" } else { "▶ Replay" } }</button>
            <input type="range" min="0" max={props.end.to_string()} value={at.to_string()} oninput={on_input} onkeydown={on_key}
                data-testid="replay-scrub" aria-label="Replay position"
                aria-valuetext={format!("{} of {}", measured_label(at), measured_label(props.end))} />
            <span class="at">{ format!("{} / {}", measured_label(at), measured_label(props.end)) }</span>
            { choice("speed", &format!("{}×", *speed), speeds, set_speed) }
        </div>
    }
}
