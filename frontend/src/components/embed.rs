//! The page inside another page (`?embed`): the program, Run and the timeline, fitted to
//! a 16:9 frame of a slide or a course page, with a way out to the whole playground; a
//! link's question and goals show beside the program, compactly.

use std::rc::Rc;

use looplab_shared::classroom::{Ask, Goal};
use looplab_shared::model::Scenario;
use looplab_shared::share::{Shared, encode};
use yew::prelude::*;

use super::goals::GoalList;
use super::program_text::ProgramText;
use super::timeline::Timeline;
use crate::goals::Verdict;
use crate::state::RunView;
use crate::timeline::Schedule;

#[derive(Debug, Properties, PartialEq)]
pub struct EmbedProps {
    pub title: AttrValue,
    pub scenario: Scenario,
    /// The run as shown (a replay's cut, or live).
    pub run: Option<RunView>,
    /// Where the replay stands, once the run has ended.
    pub at: Option<u64>,
    /// The finished run's end, which the axis reaches.
    pub axis_end: Option<u64>,
    /// Why the link in the frame's address could not be opened: the frame says so rather
    /// than show the first lesson as if it were the one meant.
    pub link_error: Option<String>,
    /// The ideal schedule, drawn under the bars and alone before the first run.
    pub schedule: Option<Rc<Schedule>>,
    /// The link's goals, which "open in looplab" carries on, and each with its verdict.
    pub goals: Vec<Goal>,
    pub judged: Vec<(String, Verdict)>,
    /// The link's question, carried on the same way, and its box (empty without one).
    pub ask: Option<Ask>,
    pub predict: Html,
    /// A built-in challenge's story: what to reach, which its goals check.
    #[prop_or_default]
    pub story: Option<&'static str>,
    /// The run controls.
    pub children: Html,
}

/// The whole page showing `scenario` with its goals and question, for the "open in
/// looplab" link.
fn full_page((scenario, goals, ask): &(Scenario, Vec<Goal>, Option<Ask>)) -> String {
    let page = web_sys::window()
        .map(|w| w.location())
        .and_then(|l| Some(format!("{}{}", l.origin().ok()?, l.pathname().ok()?)))
        .unwrap_or_default();
    let shared = Shared {
        scenario: scenario.clone(),
        note: String::new(),
        run_on_open: false,
        goals: goals.clone(),
        ask: ask.clone(),
    };
    format!("{page}#{}", encode(&shared))
}

#[component]
pub fn Embed(props: &EmbedProps) -> Html {
    let full = use_memo(
        (
            props.scenario.clone(),
            props.goals.clone(),
            props.ask.clone(),
        ),
        full_page,
    );
    html! {
        <div class="embed" data-testid="embed">
            <div class="embed-bar">
                <strong class="embed-title" title={props.title.clone()}>{ props.title.clone() }</strong>
                { props.children.clone() }
                <a class="embed-open" href={(*full).clone()} target="_blank" rel="noopener"
                    data-testid="open-full" title="The whole playground, in a new tab: change the program, compare, share">
                    { "Open in looplab ↗" }
                </a>
            </div>
            if let Some(why) = &props.link_error {
                <div class="notice error" role="alert" data-testid="link-error">
                    { format!("{why}. The first lesson opened instead.") }
                </div>
            }
            <div class="embed-body">
                <div class="embed-side">
                    if let Some(story) = props.story {
                        <p class="embed-story" data-testid="challenge-story">{ story }</p>
                    }
                    { props.predict.clone() }
                    <GoalList judged={props.judged.clone()} stale={false} />
                    <ProgramText scenario={props.scenario.clone()} />
                </div>
                <div class="embed-timeline">
                    <Timeline run={props.run.clone()} at={props.at} axis_end={props.axis_end} title={props.title.clone()} schedule={props.schedule.clone()} />
                </div>
            </div>
        </div>
    }
}
