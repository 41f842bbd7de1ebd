//! The run's figures in one table.

use yew::prelude::*;

use crate::state::RunView;
use crate::summary::summarize;
use crate::timeline::measured_label;

#[derive(Debug, Properties, PartialEq)]
pub struct SummaryProps {
    pub run: RunView,
}

/// Wall time against the ideal, CPU time, parallelism, loop lag and request latency.
#[component]
pub fn SummaryTable(props: &SummaryProps) -> Html {
    let s = summarize(&props.run);
    let row = |label: &'static str, key: &'static str, value: String| {
        html! { <tr><th>{ label }</th><td data-summary={key}>{ value }</td></tr> }
    };
    html! {
        <table class="summary">
            { row("wall time", "wall", format!("{} ({})", measured_label(s.wall_ns), s.expected.label())) }
            { row("CPU time", "cpu", measured_label(s.cpu_ns)) }
            { row("parallelism", "parallelism", format!("{:.2} cores busy on average", s.parallelism)) }
            { row("largest loop lag", "lag", measured_label(s.max_lag_ns)) }
            if let Some(l) = s.latency {
                { row("request latency", "latency", format!(
                    "p50 {} · p99 {} · max {} ({} request{})",
                    measured_label(l.p50_ns), measured_label(l.p99_ns), measured_label(l.max_ns), l.count,
                    if l.count == 1 { "" } else { "s" }
                )) }
            }
        </table>
    }
}
