//! What the timeline shows before the first run: the ideal schedule, said in words.

use std::rc::Rc;

use yew::prelude::*;

use crate::timeline::Schedule;

#[derive(Debug, Properties, PartialEq)]
pub struct IdealNoteProps {
    pub schedule: Rc<Schedule>,
}

/// "Ideal schedule, before running: 3.000 s in all, worked out …"; a slide or a phone shows
/// the first part only.
#[component]
pub fn IdealNote(props: &IdealNoteProps) -> Html {
    let (line, rest) = props.schedule.words();
    html! {
        <p class="predicted-note" data-testid="predicted">
            <strong>{ "Ideal schedule, before running: " }</strong>
            { line }
            <span class="long">{ rest }</span>
        </p>
    }
}
