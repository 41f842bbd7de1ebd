//! The page: holds the one state and wires callbacks to the socket.

use looplab_shared::protocol::ClientMsg;
use yew::prelude::*;

use super::console::Console;
use super::controls::Controls;
use super::header::Header;
use super::lesson::{LessonCard, LessonList};
use super::summary::SummaryTable;
use super::timeline::Timeline;
use crate::hooks::use_socket::use_socket;
use crate::state::{Action, RunStatus, State};

/// The whole playground.
#[component]
pub fn App() -> Html {
    let state = use_reducer(State::default);
    let send = use_socket(state.dispatcher());

    let on_run = {
        let (state, send) = (state.clone(), send.clone());
        Callback::from(move |()| {
            state.dispatch(Action::RunRequested);
            send.emit(ClientMsg::Run {
                scenario: state.preset.scenario(),
            });
        })
    };
    let on_stop = {
        let state = state.clone();
        Callback::from(move |()| {
            if let Some(run) = state
                .run
                .as_ref()
                .filter(|r| r.status == RunStatus::Running)
            {
                send.emit(ClientMsg::Stop { run_id: run.run_id });
            }
        })
    };
    let on_select = {
        let state = state.clone();
        Callback::from(move |id| state.dispatch(Action::SelectPreset(id)))
    };

    html! {
        <div class="app">
            <Header conn={state.conn} />
            <main class="layout">
                <LessonList selected={state.preset.id} {on_select} />
                <section class="workspace">
                    <LessonCard preset={state.preset} />
                    <Controls
                        conn={state.conn}
                        awaiting={state.awaiting_start}
                        run={state.run.clone()}
                        refusal={state.refusal.clone()}
                        {on_run}
                        {on_stop}
                    />
                    <Timeline run={state.run.clone()} />
                    if let Some(run) = state.run.clone() {
                        <SummaryTable {run} />
                    }
                    <Console
                        expected={state.preset.expected_output}
                        actual={state.run.as_ref().map(|r| r.console.clone()).unwrap_or_default()}
                    />
                </section>
            </main>
        </div>
    }
}
