//! The console: what the lesson predicts beside what the run printed.

use yew::prelude::*;

use crate::state::Line;
use crate::timeline::measured_label;

#[derive(Debug, Properties, PartialEq)]
pub struct ConsoleProps {
    pub expected: &'static [&'static str],
    pub actual: Vec<Line>,
}

/// Expected and real output side by side; a real line that differs from its expected one
/// is marked.
#[component]
pub fn Console(props: &ConsoleProps) -> Html {
    let expected = props
        .expected
        .iter()
        .map(|line| html! { <li>{ *line }</li> });
    let actual = props.actual.iter().enumerate().map(|(i, line)| {
        let matches = props.expected.get(i) == Some(&line.text.as_str());
        html! {
            <li class={classes!((!matches).then_some("differs"))} data-testid="console-line">
                <span class="at">{ measured_label(line.t_ns) }</span>
                <span class="text">{ &line.text }</span>
            </li>
        }
    });
    html! {
        <div class="console">
            <section>
                <h3>{ "Expected output" }</h3>
                <ol class="lines expected">{ for expected }</ol>
            </section>
            <section>
                <h3>{ "Console" }</h3>
                <ol class="lines actual" data-testid="console">{ for actual }</ol>
            </section>
        </div>
    }
}
