//! A challenge's goals after each run: each met or not, with the figure measured.

use yew::prelude::*;

use crate::goals::Verdict;

#[derive(Debug, Properties, PartialEq)]
pub struct GoalListProps {
    /// Each goal in words, with its verdict on the last run.
    pub judged: Vec<(String, Verdict)>,
    /// The program changed since that run.
    pub stale: bool,
}

/// The goals, lit up as met or not once a run ends.
#[component]
pub fn GoalList(props: &GoalListProps) -> Html {
    if props.judged.is_empty() {
        return html! {};
    }
    let met = (props.judged.iter())
        .filter(|(_, v)| matches!(v, Verdict::Met(_)))
        .count();
    let pending = (props.judged.iter()).all(|(_, v)| *v == Verdict::Pending);
    let total = props.judged.len();
    let heading = if pending {
        format!("Goals ({total}): Run to check them")
    } else if met == total {
        format!("All {total} goals met")
    } else {
        format!("Goals: {met} of {total} met")
    };
    let items = props.judged.iter().map(|(words, verdict)| {
        let (state, mark, figure) = match verdict {
            Verdict::Pending => ("pending", "○", None),
            Verdict::Met(figure) => ("met", "✓", Some(figure)),
            Verdict::Missed(figure) => ("missed", "✗", Some(figure)),
        };
        html! {
            <li class={classes!("goal", state)} data-verdict={state}>
                <span class="goal-mark" aria-hidden="true">{ mark }</span>
                <span class="sr-only">{ format!("{state}: ") }</span>
                { words }
                if let Some(figure) = figure {
                    <span class="goal-figure">{ format!(" — {figure}") }</span>
                }
            </li>
        }
    });
    html! {
        <section class="goals" data-testid="goals" aria-label="Goals" aria-live="polite">
            <h3 data-testid="goals-heading">{ heading }</h3>
            if props.stale && !pending {
                <p class="hint">{ "For the last run, before your changes: Run again to check this program." }</p>
            }
            <ul>{ for items }</ul>
        </section>
    }
}
