//! A scenario's Python, coloured and read-only: what a recorded run or an embed shows of
//! its program.

use looplab_shared::model::Scenario;
use looplab_shared::python::render;
use yew::prelude::*;

use crate::highlight::lines;

#[derive(Debug, Properties, PartialEq)]
pub struct ProgramTextProps {
    pub scenario: Scenario,
}

#[component]
pub fn ProgramText(props: &ProgramTextProps) -> Html {
    let text = use_memo(props.scenario.clone(), render);
    let coloured = lines(&text).into_iter().map(|pieces| {
        let pieces = pieces.into_iter().map(|(class, t)| match class.css() {
            "" => html! { { t } },
            css => html! { <span class={css}>{ t }</span> },
        });
        html! { <div class="code-line">{ for pieces }{ "\u{200b}" }</div> }
    });
    // Focusable, so a keyboard can scroll a program longer than its box.
    html! {
        <pre class="program-text" tabindex="0" aria-label="The program (read-only)" data-testid="program-text">
            { for coloured }
        </pre>
    }
}
