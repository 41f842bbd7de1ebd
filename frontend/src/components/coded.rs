//! Words that quote code between backticks (`` `limit` ``, `` `queue.join()` ``) as the page
//! shows them: each quote set as code, no backtick left on screen.

use yew::prelude::*;

/// `text` with its quoted parts as `<code>`; a quote left open at the end is code too.
pub fn coded(text: &str) -> Html {
    text.split('`')
        .enumerate()
        .map(|(i, part)| {
            if i % 2 == 1 {
                html! { <code>{ part.to_owned() }</code> }
            } else {
                html! { { part.to_owned() } }
            }
        })
        .collect()
}
