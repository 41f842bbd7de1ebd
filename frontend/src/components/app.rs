//! The page: holds the one state, opens the link it was given, wires callbacks to the socket.

use std::cell::RefCell;
use std::rc::Rc;

use looplab_shared::protocol::ClientMsg;
use looplab_shared::share;
use looplab_shared::validate::validate;
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use yew::prelude::*;

use super::comparison::ComparisonView;
use super::console::Console;
use super::controls::Controls;
use super::editor::Editor;
use super::export::Export;
use super::header::Header;
use super::lesson::{LessonCard, LessonList};
use super::replay_bar::ReplayBar;
use super::share::SharePanel;
use super::summary::SummaryTable;
use super::timeline::Timeline;
use crate::hooks::use_socket::use_socket;
use crate::replay::cut;
use crate::state::{Action, Conn, RunStatus, State};
use crate::variants::variants;

/// The whole playground.
#[component]
pub fn App() -> Html {
    let state = use_reducer(State::default);
    let send = use_socket(state.dispatcher());

    // The link in the address bar, once; and a mark for measuring the first render
    // (`looplab:first-render` in the page's performance timeline).
    {
        let dispatcher = state.dispatcher();
        use_effect_with((), move |_| {
            if let Some(performance) = web_sys::window().and_then(|w| w.performance()) {
                let _ = performance.mark("looplab:first-render");
            }
            let hash = web_sys::window()
                .and_then(|w| w.location().hash().ok())
                .unwrap_or_default();
            if hash.len() > 1 {
                dispatcher.dispatch(Action::OpenLink(
                    share::decode(&hash).map_err(|e| e.to_string()),
                ));
            }
        });
    }

    // Re-checked when the scenario changes, not on every frame of a live run.
    let invalid = (*use_memo(state.scenario.clone(), |s| validate(s).err())).clone();
    let can_run = invalid.is_none()
        && state.conn == Conn::Open
        && !state.awaiting_start
        && !state
            .run
            .as_ref()
            .is_some_and(|r| r.status == RunStatus::Running);
    let on_run = {
        let (state, send) = (state.clone(), send.clone());
        Callback::from(move |()| {
            if can_run {
                state.dispatch(Action::RunRequested);
                send.emit(ClientMsg::Run {
                    scenario: state.scenario.clone(),
                });
            }
        })
    };
    // Ctrl+Enter runs; the listener lives as long as the page and calls the newest callback.
    let latest_run = use_mut_ref(|| on_run.clone());
    *latest_run.borrow_mut() = on_run.clone();
    use_effect_with((), {
        let latest_run = latest_run.clone();
        move |_| ctrl_enter(latest_run)
    });
    // A link that asks to run does so once the socket is open.
    use_effect_with((state.conn, state.run_on_open), {
        let on_run = on_run.clone();
        move |(conn, run_on_open)| {
            if *conn == Conn::Open && *run_on_open {
                on_run.emit(());
            }
        }
    });
    let on_stop = {
        let (state, send) = (state.clone(), send.clone());
        Callback::from(move |()| {
            if let Some((run_id, _)) = state.queued {
                send.emit(ClientMsg::Stop { run_id });
            } else if let Some(run) = state
                .run
                .as_ref()
                .filter(|r| r.status == RunStatus::Running)
            {
                send.emit(ClientMsg::Stop { run_id: run.run_id });
            }
        })
    };
    // Replay: where the finished run is shown; reset by every new run.
    let replay = use_state(|| None::<u64>);
    {
        let replay = replay.clone();
        use_effect_with(state.run.as_ref().map(|r| r.run_id), move |_| {
            replay.set(None)
        });
    }
    let finished = state.run.as_ref().and_then(|r| match r.status {
        RunStatus::Ended { wall_ns, .. } => Some(wall_ns.max(r.last_t_ns)),
        RunStatus::Running => None,
    });
    let shown = match (&state.run, *replay) {
        (Some(run), Some(t)) if finished.is_some() => Some(cut(run, t)),
        (run, _) => run.clone(),
    };
    let on_seek = {
        let replay = replay.clone();
        Callback::from(move |t| replay.set(t))
    };
    // A comparison runs its variants one after another, each once the last has ended.
    {
        let (state, send) = (state.clone(), send.clone());
        let deps = (
            state.comparison.as_ref().map(|c| (c.runs.len(), c.waiting)),
            can_run,
        );
        use_effect_with(deps, move |_| {
            if let Some(next) = state
                .comparison
                .as_ref()
                .and_then(|c| c.next())
                .filter(|_| can_run)
            {
                let scenario = next.clone();
                state.dispatch(Action::CompareNext);
                send.emit(ClientMsg::Run { scenario });
            }
        });
    }
    let on_compare = {
        let state = state.clone();
        Callback::from(move |_: MouseEvent| {
            state.dispatch(Action::Compare(variants(&state.scenario, state.preset)))
        })
    };
    let on_close = {
        let state = state.clone();
        Callback::from(move |()| state.dispatch(Action::CloseComparison))
    };
    let on_select = {
        let state = state.clone();
        Callback::from(move |id| state.dispatch(Action::SelectPreset(id)))
    };

    html! {
        <div class="app">
            <Header conn={state.conn} />
            <main class="layout">
                <LessonList selected={state.preset.map(|p| p.id)} {on_select} />
                <section class="workspace">
                    if let Some(why) = &state.link_error {
                        <div class="notice error" data-testid="link-error">
                            { format!("{why}. The lesson below opened instead.") }
                        </div>
                    }
                    if let Some(note) = &state.note {
                        <div class="notice note" data-testid="teacher-note">{ note }</div>
                    }
                    <LessonCard scenario={state.scenario.clone()} preset={state.preset} />
                    <Editor
                        scenario={state.scenario.clone()}
                        preset={state.preset}
                        error={invalid.clone()}
                        on_edit={let s = state.clone(); Callback::from(move |e| s.dispatch(Action::Edit(e)))}
                        on_replace={let s = state.clone(); Callback::from(move |sc| s.dispatch(Action::Replace(sc)))}
                    />
                    <Controls
                        conn={state.conn}
                                                awaiting={state.awaiting_start}
                        queued={state.queued.map(|(_, place)| place)}
                        run={state.run.clone()}
                        refusal={state.refusal.clone()}
                        invalid={invalid.is_some()}
                        {on_run}
                        {on_stop}
                    />
                    if let Some(comparison) = state.comparison.clone() {
                        <ComparisonView {comparison} live={state.run.clone()} {on_close} />
                    } else {
                        <button class="compare" onclick={on_compare} disabled={!can_run} data-testid="compare">
                            { "Compare variants side by side" }
                        </button>
                        <Timeline run={shown.clone()} at={finished.and(*replay)} axis_end={finished} />
                        if let Some(end) = finished {
                            <ReplayBar {end} at={*replay} {on_seek} />
                        }
                        if let Some(run) = shown.clone() {
                            <SummaryTable run={run} />
                        }
                        if let Some(run) = state.run.clone() {
                            <Export {run} />
                        }
                    }
                    <Console
                        preset={state.preset}
                        actual={shown.as_ref().map(|r| r.console.clone()).unwrap_or_default()}
                    />
                    <SharePanel scenario={state.scenario.clone()} />
                </section>
            </main>
        </div>
    }
}

/// Listens for Ctrl+Enter (or Cmd+Enter) on the page; the returned function stops listening.
fn ctrl_enter(run: Rc<RefCell<Callback<()>>>) -> impl FnOnce() {
    let document = web_sys::window().and_then(|w| w.document());
    let listener =
        Closure::<dyn Fn(web_sys::KeyboardEvent)>::new(move |e: web_sys::KeyboardEvent| {
            if e.key() == "Enter" && (e.ctrl_key() || e.meta_key()) {
                e.prevent_default();
                run.borrow().emit(());
            }
        });
    if let Some(document) = &document {
        let _ =
            document.add_event_listener_with_callback("keydown", listener.as_ref().unchecked_ref());
    }
    move || {
        if let Some(document) = document {
            let _ = document
                .remove_event_listener_with_callback("keydown", listener.as_ref().unchecked_ref());
        }
    }
}
