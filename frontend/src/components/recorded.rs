//! A recorded run on screen: what it is, its program read-only, and the way to run it
//! yourself.

use looplab_shared::model::Scenario;
use yew::prelude::*;

use super::program_text::ProgramText;
use crate::state::{Recorded, recorded_when};

#[derive(Debug, Properties, PartialEq)]
pub struct RecordedViewProps {
    pub recorded: Recorded,
    pub scenario: Scenario,
    /// Leave the recording for its scenario.
    pub on_run_yourself: Callback<()>,
}

#[component]
pub fn RecordedView(props: &RecordedViewProps) -> Html {
    let cores = match props.recorded.cores {
        1 => "1 core".to_owned(),
        n => format!("{n} cores"),
    };
    let on_click = props.on_run_yourself.reform(|_: MouseEvent| ());
    html! {
        <section class="recorded" aria-label="Recorded run">
            <div class="notice note recorded-banner" role="status" data-testid="recorded-banner">
                <strong>{ format!("Recorded run ({}, a machine with {cores}) — read-only", recorded_when(&props.recorded.at)) }</strong>
                <span>{ "Everything below is the run as it was recorded: nothing runs." }</span>
                <button class="run" onclick={on_click} data-testid="run-yourself">{ "Run it yourself" }</button>
            </div>
            <ProgramText scenario={props.scenario.clone()} />
        </section>
    }
}
