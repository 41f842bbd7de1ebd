//! The Goals tab: the goals each run is checked against, which a teacher sets and shares in
//! the link, making the scenario a challenge.

use looplab_shared::classroom::Goal;
use looplab_shared::limits::{MAX_GOAL_LINES, MAX_GOALS};
use web_sys::HtmlTextAreaElement;
use yew::prelude::*;

use super::inputs::{check, number, saturate, seconds};
use crate::goals::kind_label;

#[derive(Debug, Properties, PartialEq)]
pub struct GoalEditorProps {
    pub goals: Vec<Goal>,
    /// The console of the last finished run of the program on screen, which a console goal
    /// can take as what it expects.
    pub last_console: Option<Vec<String>>,
    pub on_goals: Callback<Vec<Goal>>,
}

/// Each goal with its figure, a button to remove it, and a button per kind to add one.
#[component]
pub fn GoalEditor(props: &GoalEditorProps) -> Html {
    let goals = &props.goals;
    // The whole list with goal `i` replaced (or removed): each change sends the list.
    let set = |i: usize, goal: Option<Goal>| {
        let mut next = goals.clone();
        match goal {
            Some(goal) => next[i] = goal,
            None => {
                next.remove(i);
            }
        }
        next
    };
    let rows = goals.iter().enumerate().map(|(i, goal)| {
        let on = props.on_goals.clone();
        let field = {
            let (on, all) = (on.clone(), goals.clone());
            let change = move |goal: Goal| {
                let mut next = all.clone();
                next[i] = goal;
                on.emit(next);
            };
            match goal {
                Goal::WallUnder { ms } => seconds("seconds", *ms, move |ms| change(Goal::WallUnder { ms: ms.max(1) })),
                Goal::LagUnder { ms } => seconds("seconds", *ms, move |ms| change(Goal::LagUnder { ms: ms.max(1) })),
                Goal::P99Under { ms, route } => {
                    let route = route.clone();
                    seconds("seconds", *ms, move |ms| change(Goal::P99Under { ms: ms.max(1), route: route.clone() }))
                }
                Goal::CoresAtLeast { cores } => number("cores", u64::from(*cores), move |n| {
                    change(Goal::CoresAtLeast { cores: saturate(n).max(1) })
                }),
                Goal::Console { lines, any_order } => console_fields(lines, *any_order, props.last_console.clone(), change),
                Goal::Completes | Goal::NoFinding | Goal::Python => html! {},
            }
        };
        let remove = set(i, None);
        html! {
            <li class="goal-row" data-goal={i.to_string()}>
                <span class="goal-kind">{ kind_label(goal) }</span>
                { field }
                <button class="link" data-testid="goal-remove" aria-label={format!("Remove the goal “{}”", kind_label(goal))}
                    onclick={move |_| on.emit(remove.clone())}>{ "Remove" }</button>
            </li>
        }
    });
    let full = goals.len() >= MAX_GOALS;
    let adds = Goal::catalogue().into_iter().map(|goal| {
        let (on, mut next) = (props.on_goals.clone(), goals.clone());
        let label = kind_label(&goal);
        next.push(goal);
        html! {
            <button data-testid="goal-add" data-kind={label} disabled={full} onclick={move |_| on.emit(next.clone())}>
                { format!("+ {label}") }
            </button>
        }
    });
    html! {
        <div class="goal-editor" data-testid="goal-editor">
            <p class="hint">
                { "Goals make this scenario a challenge: each run is checked against them, and a share link carries them. " }
                { format!("At most {MAX_GOALS} goals.") }
            </p>
            if goals.is_empty() {
                <p class="hint" data-testid="no-goals">{ "No goals yet." }</p>
            } else {
                <ol class="goal-rows">{ for rows }</ol>
            }
            <div class="goal-adds" role="group" aria-label="Add a goal">{ for adds }</div>
        </div>
    }
}

/// A console goal's lines, one per line of a text box, its order switch, and the last
/// run's console to take.
fn console_fields(
    lines: &[String],
    any_order: bool,
    last: Option<Vec<String>>,
    change: impl Fn(Goal) + Clone + 'static,
) -> Html {
    let text = lines.join("\n");
    let on_text = {
        let change = change.clone();
        Callback::from(move |e: InputEvent| {
            let value = e.target_unchecked_into::<HtmlTextAreaElement>().value();
            // Split, not `lines()`: a line break just typed stays in the box.
            let lines = value
                .split('\n')
                .take(MAX_GOAL_LINES)
                .map(|l| l.trim_end_matches('\r').to_owned())
                .collect();
            change(Goal::Console { lines, any_order });
        })
    };
    let order = {
        let (change, lines) = (change.clone(), lines.to_vec());
        check("in any order", any_order, move |any_order| {
            change(Goal::Console {
                lines: lines.clone(),
                any_order,
            })
        })
    };
    let take = last.map(|last| {
        let onclick = Callback::from(move |_: MouseEvent| {
            change(Goal::Console {
                lines: last.iter().take(MAX_GOAL_LINES).cloned().collect(),
                any_order,
            })
        });
        html! { <button data-testid="goal-take-console" {onclick}>{ "Expect the last run's console" }</button> }
    });
    html! {
        <>
            <label class="field">{ "lines, one per line" }
                <textarea data-testid="goal-lines" rows="4" value={text} oninput={on_text} />
            </label>
            { order }
            { for take }
        </>
    }
}
