//! The console: what the lesson predicts beside what the run printed.

use std::rc::Rc;

use looplab_shared::presets::Preset;
use yew::prelude::*;

use crate::state::Line;
use crate::timeline::measured_label;

/// Lines rendered at most: the page stays quick when a run prints thousands.
const MAX_LINES: usize = 1_000;

#[derive(Debug, Properties, PartialEq)]
pub struct ConsoleProps {
    /// The lesson whose output is expected, if the scenario is one as written.
    pub lesson: Option<&'static Preset>,
    /// Under a comparison: the variant whose run this is.
    #[prop_or_default]
    pub of: Option<String>,
    /// A question waits for the learner's answer, which the expected output would give.
    #[prop_or_default]
    pub pending: bool,
    pub actual: Rc<Vec<Line>>,
}

/// Expected and real output side by side; a real line that differs from its expected one
/// is marked. A scenario that is no lesson has nothing to expect, and nothing is marked.
#[component]
pub fn Console(props: &ConsoleProps) -> Html {
    let expected = props.lesson.map(|p| {
        if props.pending {
            return html! {
                <section>
                    <h3>{ "Expected output" }</h3>
                    <p class="hint" data-testid="expected-held">{ "Shown after you answer the question above." }</p>
                </section>
            };
        }
        let lines = p
            .expected_output
            .iter()
            .map(|line| html! { <li>{ *line }</li> });
        html! {
            <section>
                <h3>{ "Expected output" }</h3>
                <ol class="lines expected" data-testid="expected">{ for lines }</ol>
            </section>
        }
    });
    // Without a lesson there is nothing to differ from.
    let fits = props.lesson.map(|p| {
        let printed: Vec<&str> = props.actual.iter().map(|l| l.text.as_str()).collect();
        p.fits(&printed)
    });
    let actual = props
        .actual
        .iter()
        .take(MAX_LINES)
        .enumerate()
        .map(|(i, line)| {
            let matches = fits
                .as_ref()
                .is_none_or(|f| f.get(i).copied().unwrap_or(true));
            html! {
                <li class={classes!((!matches).then_some("differs"))} data-testid="console-line">
                    <span class="at">{ measured_label(line.t_ns) }</span>
                    <span class="text">{ &line.text }</span>
                </li>
            }
        });
    html! {
        <div class={classes!("console", expected.is_none().then_some("alone"))}>
            { for expected }
            <section>
                <h3 data-testid="console-title">{ match &props.of {
                    Some(variant) => format!("Console — {variant}"),
                    None => "Console".to_owned(),
                } }</h3>
                <ol class="lines actual" data-testid="console">{ for actual }</ol>
                if props.actual.len() > MAX_LINES {
                    <p class="hint">{ format!("… and {} more lines (the trace export has them all)", props.actual.len() - MAX_LINES) }</p>
                }
            </section>
        </div>
    }
}
