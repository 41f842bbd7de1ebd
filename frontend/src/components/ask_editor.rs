//! The question asked before Run, as a teacher sets it in the Goals tab: its kind, its
//! choices (the last run's lines or lanes, one click each), and why the answer is what it is.

use looplab_shared::classroom::{Ask, Question};
use looplab_shared::limits::MAX_CHOICES;
use web_sys::HtmlTextAreaElement;
use yew::prelude::*;

use super::inputs::choice;
use crate::predict::{catalogue, kind_label, shareable, unseen};

#[derive(Debug, Properties, PartialEq)]
pub struct AskEditorProps {
    pub ask: Option<Ask>,
    /// The last finished run's console and lanes, to offer as choices and check them by.
    pub last_console: Option<Vec<String>>,
    pub last_lanes: Option<Vec<String>>,
    pub on_ask: Callback<Option<Ask>>,
}

const NONE: &str = "no question";

#[component]
pub fn AskEditor(props: &AskEditorProps) -> Html {
    let why = props.ask.as_ref().map_or("", |a| a.why.as_str()).to_owned();
    let kind = {
        let (on, why) = (props.on_ask.clone(), why.clone());
        let labels = std::iter::once(NONE).chain(catalogue().map(|q| kind_label(&q)));
        let now = props.ask.as_ref().map_or(NONE, |a| kind_label(&a.question));
        choice(
            "question",
            now,
            labels.map(str::to_owned).collect(),
            move |label| {
                let question = catalogue().into_iter().find(|q| kind_label(q) == label);
                on.emit(question.map(|question| Ask {
                    question,
                    why: why.clone(),
                }))
            },
        )
    };
    let Some(ask) = props.ask.clone() else {
        return html! {
            <div class="ask-editor" data-testid="ask-editor">
                <h3>{ "Predict, then run" }</h3>
                <p class="hint">{ "A question the learner answers before Run; the run checks the answer and says why." }</p>
                { kind }
            </div>
        };
    };
    let on_why = {
        let (on, ask) = (props.on_ask.clone(), ask.clone());
        Callback::from(move |e: InputEvent| {
            let why = e.target_unchecked_into::<HtmlTextAreaElement>().value();
            on.emit(Some(Ask { why, ..ask.clone() }));
        })
    };
    let choices = match &ask.question {
        Question::FirstLine { choices } | Question::FirstDone { choices } => {
            let lines = matches!(ask.question, Question::FirstLine { .. });
            let offer = if lines {
                props.last_console.clone()
            } else {
                props.last_lanes.clone()
            };
            let on_text = {
                let (on, ask) = (props.on_ask.clone(), ask.clone());
                Callback::from(move |e: InputEvent| {
                    let value = e.target_unchecked_into::<HtmlTextAreaElement>().value();
                    // Split, not `lines()`: a line break just typed stays in the box.
                    let typed = value
                        .split('\n')
                        .map(|l| l.trim_end_matches('\r').to_owned());
                    on.emit(Some(with_choices(&ask, typed.collect())));
                })
            };
            let take = offer.clone().map(|offer| {
                let (on, ask) = (props.on_ask.clone(), ask.clone());
                let onclick = Callback::from(move |_: MouseEvent| {
                    on.emit(Some(with_choices(&ask, offer.clone())))
                });
                let (label, id) = if lines {
                    ("Offer the last run's lines", "ask-take-lines")
                } else {
                    ("Offer the last run's lanes", "ask-take-lanes")
                };
                html! { <button data-testid={id} {onclick}>{ label }</button> }
            });
            let check = match &offer {
                None => {
                    Some("Run the program to check the choices against what it does.".to_owned())
                }
                Some(seen) => {
                    let (console, lanes) = if lines {
                        (seen.as_slice(), &[][..])
                    } else {
                        (&[][..], seen.as_slice())
                    };
                    let missing = unseen(&ask.question, console, lanes);
                    (!missing.is_empty()).then(|| {
                        let what = if lines {
                            "Not printed by the last run"
                        } else {
                            "Not a lane of the last run"
                        };
                        let list: Vec<String> = missing.iter().map(|m| format!("“{m}”")).collect();
                        format!(
                            "{what}: {}. A learner could never see it come first.",
                            list.join(", ")
                        )
                    })
                }
            };
            html! {
                <>
                    <label class="field">{ format!("choices, one per line (at most {MAX_CHOICES})") }
                        <textarea data-testid="ask-choices" rows="4" value={choices.join("\n")} oninput={on_text} />
                    </label>
                    { for take }
                    if let Some(check) = check {
                        <p class="hint warn" data-testid="ask-unseen">{ check }</p>
                    }
                </>
            }
        }
        Question::WallTime => html! {
            <p class="hint">{ "The learner types seconds; right within 20 % of the measured wall time (at least 0.1 s)." }</p>
        },
        Question::CoresBusy => html! {
            <p class="hint">{ "The learner types a number of cores; right if it is the most that were busy at once." }</p>
        },
    };
    let shared = match shareable(&ask) {
        Ok(_) => {
            html! { <p class="hint" data-testid="ask-status">{ "The share link carries the question." }</p> }
        }
        Err(why) => {
            html! { <p class="hint warn" data-testid="ask-status">{ format!("The share link leaves the question out until it is complete: {why}.") }</p> }
        }
    };
    html! {
        <div class="ask-editor" data-testid="ask-editor">
            <h3>{ "Predict, then run" }</h3>
            { kind }
            { choices }
            <label class="field">{ "why (shown with the answer after the run; optional)" }
                <textarea data-testid="ask-why" rows="2" value={why} oninput={on_why} />
            </label>
            { shared }
        </div>
    }
}

/// `ask` with `choices` in place of its own, at most [`MAX_CHOICES`].
fn with_choices(ask: &Ask, choices: Vec<String>) -> Ask {
    let mut next = ask.clone();
    if let Question::FirstLine { choices: c } | Question::FirstDone { choices: c } =
        &mut next.question
    {
        *c = choices.into_iter().take(MAX_CHOICES).collect();
    }
    next
}
