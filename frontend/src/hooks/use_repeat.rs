//! Run ×N's requests: a repeat of the scenario on screen, and Stop for the whole of it.

use looplab_shared::protocol::ClientMsg;
use yew::prelude::*;

use crate::state::{Action, State};

/// (start `times` runs, stop the repeat under way).
#[hook]
pub fn use_repeat(
    state: &UseReducerHandle<State>,
    send: &Callback<ClientMsg>,
) -> (Callback<u32>, Callback<()>) {
    let on_start = {
        let (state, send) = (state.clone(), send.clone());
        Callback::from(move |times| {
            state.dispatch(Action::RepeatRequested);
            send.emit(ClientMsg::Repeat {
                scenario: state.scenario.clone(),
                times,
            });
        })
    };
    let on_stop = {
        let (state, send) = (state.clone(), send.clone());
        Callback::from(move |()| {
            if let Some(batch) = state.repeats.batch.as_ref().filter(|b| b.going()) {
                send.emit(ClientMsg::Stop {
                    run_id: batch.run_id,
                });
            }
        })
    };
    (on_start, on_stop)
}
