//! A comparison: each variant's timeline on one time axis, and their figures in one table.

use yew::prelude::*;

use super::timeline::Timeline;
use crate::state::{Comparison, RunView};
use crate::summary::summarize;
use crate::timeline::measured_label;

#[derive(Debug, Properties, PartialEq)]
pub struct ComparisonProps {
    pub comparison: Comparison,
    /// The variant running now, if one is.
    pub live: Option<RunView>,
    pub on_close: Callback<()>,
}

/// Finished variants share the longest one's axis; the one under way grows below them.
#[component]
pub fn ComparisonView(props: &ComparisonProps) -> Html {
    let c = &props.comparison;
    let axis_end = c.runs.iter().map(|r| r.last_t_ns).max();
    let lanes = c.variants.iter().enumerate().map(|(i, (label, _))| {
        let run = c
            .runs
            .get(i)
            .cloned()
            .or_else(|| (i == c.runs.len()).then(|| props.live.clone()).flatten());
        html! {
            <div class="variant" data-variant={i.to_string()}>
                <h3>{ label }</h3>
                if run.is_some() {
                    <Timeline {run} {axis_end} title={label.clone()} />
                } else {
                    <p class="empty">{ "waiting for its turn" }</p>
                }
            </div>
        }
    });
    let rows = c.variants.iter().zip(&c.runs).map(|((label, _), run)| {
        let s = summarize(run);
        let latency = if s.latency.is_empty() {
            "—".to_owned()
        } else {
            let routes = s
                .latency
                .iter()
                .map(|(route, l)| format!("{route} {}", measured_label(l.p99_ns)));
            routes.collect::<Vec<_>>().join(" · ")
        };
        let lag = s.max_lag_ns.map_or_else(|| "—".to_owned(), measured_label);
        html! {
            <tr data-testid="comparison-row">
                <th>{ label }</th>
                <td data-col="wall">{ measured_label(s.wall_ns) }</td>
                <td data-col="expected">{ s.expected.label() }</td>
                <td data-col="cpu">{ measured_label(s.cpu_ns) }</td>
                <td data-col="parallelism">{ format!("{:.2}", s.parallelism) }</td>
                <td>{ lag }</td>
                <td>{ latency }</td>
            </tr>
        }
    });
    let close = props.on_close.clone();
    let done = c.runs.len() == c.variants.len();
    html! {
        <section class="comparison" data-testid="comparison" data-done={done.to_string()}>
            <div class="comparison-head">
                <h2>{ format!("Comparing {} variants", c.variants.len()) }</h2>
                <button onclick={move |_| close.emit(())} data-testid="close-comparison">{ "Close comparison" }</button>
            </div>
            { for lanes }
            <table class="summary">
                <tr><th></th><th>{ "wall" }</th><th>{ "expected" }</th><th>{ "CPU" }</th><th>{ "parallelism" }</th><th>{ "largest loop lag" }</th><th>{ "p99 latency" }</th></tr>
                { for rows }
            </table>
        </section>
    }
}
