//! Predict, then run: the teacher's question beside Run, the learner's answer, and once the
//! run has ended, right or wrong with what was measured and why.

use looplab_shared::classroom::{Ask, Question};
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::predict::{Checked, question_words, read_answer, shown_order};
use crate::state::{Answer, Answering, Prediction};

#[derive(Debug, Properties, PartialEq)]
pub struct PredictBoxProps {
    pub ask: Ask,
    pub prediction: Prediction,
    /// The answer checked against the run it was locked for, once that run has ended.
    pub checked: Option<Checked>,
    /// Nothing runs now: a locked answer can be given up for a new one.
    pub idle: bool,
    pub on_answer: Callback<Answering>,
}

/// The question, its answer field, Skip, the verdict and "Predict again".
#[component]
pub fn PredictBox(props: &PredictBoxProps) -> Html {
    let p = &props.prediction;
    let locked = p.locked.is_some();
    let question = &props.ask.question;
    let cores = crate::cores();
    let give = props
        .on_answer
        .reform(|answer: Answer| Answering::Give(answer));
    let field = match question {
        Question::FirstLine { choices } | Question::FirstDone { choices } => {
            let radios = shown_order(choices).into_iter().map(|i| {
                let (give, c) = (give.clone(), &choices[i]);
                let checked = p.answer == Some(Answer::Choice(i));
                html! {
                    <label class="predict-choice">
                        <input type="radio" name="predict" data-testid="predict-choice" value={i.to_string()}
                            {checked} onchange={move |_| give.emit(Answer::Choice(i))} />
                        <code>{ c }</code>
                    </label>
                }
            });
            html! { <div class="predict-choices">{ for radios }</div> }
        }
        Question::WallTime | Question::CoresBusy => {
            let text = match &p.answer {
                Some(Answer::Typed(text)) => text.clone(),
                _ => String::new(),
            };
            // The text stays as typed: `0.` on the way to `0.5` is not rewritten.
            let oninput = give.reform(|e: InputEvent| {
                Answer::Typed(e.target_unchecked_into::<HtmlInputElement>().value())
            });
            let (label, mode, hint) = match question {
                Question::WallTime => ("seconds", "decimal", "such as 0.5".to_owned()),
                _ => ("cores", "numeric", format!("1 to {cores}")),
            };
            let error = (!text.trim().is_empty())
                .then(|| read_answer(question, p.answer.as_ref(), cores).err())
                .flatten();
            html! {
                <label class="field">
                    <input type="text" inputmode={mode} data-testid="predict-number" value={text} {oninput}
                        placeholder={hint} aria-invalid={error.is_some().then_some("true")} />
                    { format!(" {label}") }
                    if let Some(why) = error {
                        <span class="field-error" data-testid="predict-error">{ why }</span>
                    }
                </label>
            }
        }
    };
    let on_skip = props.on_answer.reform(|_: MouseEvent| Answering::Skip);
    let on_again = props.on_answer.reform(|_: MouseEvent| Answering::Again);
    let verdict = props.checked.as_ref().map(|c| {
        let (state, head) = match (c.right, &c.answer) {
            (Some(true), _) => ("right", "✓ Right".to_owned()),
            (Some(false), _) => ("wrong", "✗ Not this time".to_owned()),
            (None, Some(_)) => ("open", "This run cannot say".to_owned()),
            (None, None) => ("open", "You skipped the prediction".to_owned()),
        };
        let said = c.answer.as_ref().map(|a| format!(" — you said {a}."));
        html! {
            <div class={classes!("predict-verdict", state)} data-testid="predict-verdict" data-verdict={state}>
                <p><strong>{ head }</strong>{ for said }</p>
                <p data-testid="predict-measured">{ &c.measured }</p>
                if !props.ask.why.is_empty() {
                    <p data-testid="predict-why">{ format!("Why: {}", props.ask.why) }</p>
                }
            </div>
        }
    });
    html! {
        <section class={classes!("predict-box", props.checked.is_some().then_some("checked"))} data-testid="predict" aria-label="Predict, then run" aria-live="polite">
            <h3>
                { if locked { "Your prediction: " } else { "Before you run: " } }
                { question_words(question) }
            </h3>
            <fieldset disabled={locked} aria-label="Your answer">{ field }</fieldset>
            if !locked && !p.skipped {
                <button class="link" data-testid="predict-skip" onclick={on_skip}>{ "Skip: run without predicting" }</button>
            } else if !locked {
                <p class="hint" data-testid="predict-skipped">{ "Skipped: Run runs without a prediction; answer above to predict after all." }</p>
            } else if props.checked.is_none() && !props.idle {
                <p class="hint">{ "Locked in: the run will check it." }</p>
            }
            { for verdict }
            if locked && props.idle {
                <button data-testid="predict-again" onclick={on_again}>{ "Predict again" }</button>
            }
        </section>
    }
}
