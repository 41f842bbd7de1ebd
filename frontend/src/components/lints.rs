//! What the finished run shows about its program, each finding with a button that makes
//! the change answering it.

use looplab_shared::model::Scenario;
use yew::prelude::*;

use super::coded::coded;
use crate::lints::Lint;

#[derive(Debug, Properties, PartialEq)]
pub struct LintsProps {
    /// The findings of the run on screen, for the program on screen.
    pub lints: Vec<Lint>,
    /// Takes the changed program.
    pub on_fix: Callback<Scenario>,
}

/// A finding a line, in words with its measured figure, and its fix.
#[component]
pub fn LintList(props: &LintsProps) -> Html {
    if props.lints.is_empty() {
        return html! {};
    }
    html! {
        <section class="lints" data-testid="lints" aria-label="What this run shows">
            <h3>{ "What this run shows" }</h3>
            { for props.lints.iter().map(|lint| {
                let fixed = lint.fixed.clone();
                let on_fix = props.on_fix.clone();
                html! {
                    <div class="lint" data-lint={lint.kind.key()}>
                        <p>{ coded(&lint.text) }</p>
                        <button data-testid="lint-fix" onclick={move |_| on_fix.emit(fixed.clone())}>
                            { coded(&lint.fix_label) }
                        </button>
                    </div>
                }
            }) }
        </section>
    }
}
