//! What a repeat's runs had in common and what varied: wall times as a distribution, the
//! distinct consoles with their counts, and who ended in a different place.

use looplab_shared::repeat::{Mark, Ordering, Places, Spread, Walls};
use yew::prelude::*;

use crate::repeat_words::{
    consoles_heading, ended, ends_same, frequencies, ordinal, real_runs, secs, wall_heading,
};
use crate::state::Batch;

#[derive(Debug, Properties, PartialEq)]
pub struct SpreadViewProps {
    pub batch: Batch,
    /// The scenario on screen is no longer the one repeated.
    pub stale: bool,
}

#[component]
pub fn SpreadView(props: &SpreadViewProps) -> Html {
    let batch = &props.batch;
    let spread = use_memo((batch.run_id, batch.runs.clone()), |(_, runs)| {
        Spread::of(runs)
    });
    if spread.runs == 0 {
        return html! {};
    }
    let usual = spread.orderings.first().map_or(0, |o| o.count);
    let unended = (spread.unended.iter())
        .map(|(label, n)| format!("{label} in {n} {}", runs(*n)))
        .collect::<Vec<_>>();
    html! {
        <section class="spread" data-testid="spread" aria-label="What varied between the runs">
            <h2>{ format!("{} of “{}” on this machine, one after another", real_runs(spread.runs), batch.scenario.name) }</h2>
            if props.stale {
                <p class="notice warn" data-testid="spread-stale">{ "These runs are of the previous program." }</p>
            }
            <p class="spread-note" data-testid="spread-note">{ format!("Measured, not simulated: each run is a whole run of the program. {}The timeline keeps showing the last single run (▶ Run).", frequencies(&batch.scenario)) }</p>
            if let Some(walls) = &spread.walls {
                { wall_times(walls, &spread) }
            }
            if !spread.not_completed.is_empty() {
                <p class="notice warn" data-testid="spread-outcomes">
                    { spread.not_completed.iter().map(|(o, n)| format!("{n} {} {}", runs(*n), ended(o))).collect::<Vec<_>>().join(", ") }
                </p>
            }
            <h3 data-testid="orderings-heading">{ consoles_heading(&spread) }</h3>
            <ol class="orderings" data-testid="orderings">
                { for spread.orderings.iter().enumerate().map(|(i, o)| ordering(i, o, spread.runs, usual)) }
            </ol>
            <h3>{ "Who ended when" }</h3>
            if !unended.is_empty() {
                <p data-testid="unended">{ format!("Never ended: {}.", unended.join(", ")) }</p>
            }
            if spread.moved_ends.is_empty() {
                if let Some(same) = ends_same(&spread) {
                    <p data-testid="ends-same">{ same }</p>
                }
            } else {
                <ul class="moved-ends" data-testid="moved-ends">
                    { for spread.moved_ends.iter().map(moved) }
                </ul>
            }
        </section>
    }
}

fn runs(n: u32) -> &'static str {
    if n == 1 { "run" } else { "runs" }
}

fn wall_times(w: &Walls, spread: &Spread) -> Html {
    let most = w.bins.iter().copied().max().unwrap_or(1).max(1);
    let width = (w.max - w.min) / w.bins.len() as u64;
    html! {
        <div class="walls" data-testid="walls">
            <p>
                { wall_heading(spread) }{ ": min " }<b>{ secs(w.min) }</b>
                { " · median " }<b>{ secs(w.median) }</b>
                { " · p90 " }<b>{ secs(w.p90) }</b>
                { " · max " }<b>{ secs(w.max) }</b>
            </p>
            <div class="histogram" role="img" data-testid="histogram"
                aria-label={format!("Histogram of wall times from {} to {}", secs(w.min), secs(w.max))}>
                { for w.bins.iter().enumerate().map(|(i, &n)| {
                    let from = w.min + width * i as u64;
                    let height = format!("height: {}%", n * 100 / most);
                    html! {
                        <div class="bin" title={format!("{n} {} from {}", runs(n), secs(from))}>
                            <div class="bar" style={height}></div>
                        </div>
                    }
                }) }
            </div>
            <div class="histogram-scale" data-testid="histogram-scale" aria-hidden="true">
                <span>{ secs(w.min) }</span>
                <span>{ format!("tallest bar: {most} {}", runs(most)) }</span>
                <span>{ secs(w.max) }</span>
            </div>
        </div>
    }
}

fn ordering(i: usize, o: &Ordering, total: u32, usual: u32) -> Html {
    let share = o.count * 100 / total.max(1);
    let head = if i == 0 {
        format!("{}× ({share} %)", o.count)
    } else if o.count == usual {
        format!(
            "{}× ({share} %), as often as the first; marked against it",
            o.count
        )
    } else {
        format!("{}× ({share} %), marked against the first", o.count)
    };
    html! {
        <li class="ordering" data-testid="ordering" data-count={o.count.to_string()}>
            <div class="ordering-head">{ head }</div>
            <ol class="lines">
                { for o.lines.iter().map(|(text, mark)| {
                    let (class, note) = match mark {
                        Mark::Same => ("same", ""),
                        Mark::Moved => ("moved", " ← moved"),
                        Mark::Extra => ("extra", " ← only in this order"),
                    };
                    html! { <li class={class}>{ text }<span class="mark">{ note }</span></li> }
                }) }
            </ol>
            if !o.missing.is_empty() {
                <p class="missing" data-testid="missing">{ format!("Not printed: {}", o.missing.join(" · ")) }</p>
            }
            if o.cut {
                <p class="missing">{ "Only the first lines of these runs were kept (MAX_DIGEST_LINES)." }</p>
            }
        </li>
    }
}

fn moved(p: &Places) -> Html {
    let places = (p.places.iter())
        .map(|(place, n)| format!("{} in {n} {}", ordinal(*place), runs(*n)))
        .collect::<Vec<_>>()
        .join(", ");
    html! {
        <li data-testid="moved-end"><code>{ &p.label }</code>{ format!(" ended {places}") }</li>
    }
}
