//! What the page asks the server for on its own, as the state changes: the Python view's
//! text read, and a comparison's variants run one after another.

use looplab_shared::protocol::ClientMsg;
use yew::prelude::*;

use crate::state::{Action, Conn, State};

/// How long after the last keystroke the Python view's text is sent to be read: a burst of
/// typing costs one parse, and the answer still comes well within a tenth of a second.
const PARSE_AFTER_MS: u32 = 40;

/// Sends the Python view's text to the server to be read, once typing pauses; again when
/// the socket comes back before an answer did.
#[hook]
pub fn use_parse(state: &UseReducerHandle<State>, send: &Callback<ClientMsg>) {
    let ask = state
        .python
        .as_ref()
        .filter(|d| !d.answered)
        .map(|d| (d.asked, d.text.clone()));
    let deps = (ask.as_ref().map(|(id, _)| *id), state.conn);
    let send = send.clone();
    use_effect_with(deps, move |(_, conn)| {
        let timer = ask.filter(|_| *conn == Conn::Open).map(|(id, source)| {
            gloo_timers::callback::Timeout::new(PARSE_AFTER_MS, move || {
                send.emit(ClientMsg::Parse { id, source })
            })
        });
        move || drop(timer)
    });
}

/// A comparison runs its variants one after another, each once the last has ended.
#[hook]
pub fn use_comparison_runs(
    state: &UseReducerHandle<State>,
    send: &Callback<ClientMsg>,
    can_run: bool,
) {
    let (state, send) = (state.clone(), send.clone());
    let deps = (
        state.comparison.as_ref().map(|c| (c.runs.len(), c.waiting)),
        can_run,
    );
    use_effect_with(deps, move |_| {
        let next = state.comparison.as_ref().and_then(|c| c.next());
        if let Some(scenario) = next.filter(|_| can_run).cloned() {
            state.dispatch(Action::CompareNext);
            send.emit(ClientMsg::Run { scenario });
        }
    });
}
