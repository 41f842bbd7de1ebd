//! The title bar and the connection badge.

use yew::prelude::*;

use crate::state::Conn;

#[derive(Debug, Properties, PartialEq)]
pub struct HeaderProps {
    pub conn: Conn,
}

/// The title and whether the server is reachable.
#[component]
pub fn Header(props: &HeaderProps) -> Html {
    let class = match props.conn {
        Conn::Connecting => "badge connecting",
        Conn::Open => "badge open",
        Conn::Lost => "badge lost",
    };
    let text = crate::words::conn(props.conn).0;
    html! {
        <header class="topbar">
            <span class="brand">{ "looplab" }</span>
            <span class="tagline">{ "watch concurrency happen — for real" }</span>
            <span class={class} data-conn={text}>{ text }</span>
        </header>
    }
}
