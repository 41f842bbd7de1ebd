//! The run's figures in one table.

use yew::prelude::*;

use crate::state::{RunStatus, RunView};
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
    let row = |label: String, key: &'static str, value: String| {
        html! { <tr><th>{ label }</th><td data-summary={key}>{ value }</td></tr> }
    };
    let so_far = if matches!(props.run.status, RunStatus::Running) {
        " so far"
    } else {
        ""
    };
    let wall = format!(
        "{}{so_far} ({})",
        measured_label(s.wall_ns),
        s.expected.label()
    );
    let lag = s
        .max_lag_ns
        .map_or_else(|| "— (no event loop)".to_owned(), measured_label);
    html! {
        <table class="summary">
            <tr title={s.expected.meaning()}>
                <th>{ "wall time" }</th><td data-summary="wall">{ wall }</td>
            </tr>
            { row("CPU time".into(), "cpu", measured_label(s.cpu_ns)) }
            { row("parallelism".into(), "parallelism", format!("{:.2} cores busy on average", s.parallelism)) }
            { row("largest loop lag".into(), "lag", lag) }
            { for s.latency.iter().map(|(route, l)| row(
                format!("latency {route}"),
                "latency",
                format!(
                    "p50 {} · p99 {} · max {} ({} request{})",
                    measured_label(l.p50_ns), measured_label(l.p99_ns), measured_label(l.max_ns), l.count,
                    if l.count == 1 { "" } else { "s" }
                ),
            )) }
        </table>
    }
}
