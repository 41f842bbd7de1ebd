//! The page: holds the one state, opens the link it was given, wires callbacks to the socket.

use std::rc::Rc;

use looplab_shared::protocol::ClientMsg;
use looplab_shared::validate::validate;
use wasm_bindgen::JsCast;
use web_sys::HtmlElement;
use yew::prelude::*;

use super::comparison::ComparisonView;
use super::console::Console;
use super::controls::Controls;
use super::editor::Editor;
use super::embed::Embed;
use super::export::Export;
use super::goals::GoalList;
use super::header::Header;
use super::lesson::{LessonCard, LessonList};
use super::lints::LintList;
use super::predict::PredictBox;
use super::recorded::RecordedView;
use super::repeat_bar::RepeatBar;
use super::replay_bar::ReplayBar;
use super::run_file::RunFile;
use super::share::SharePanel;
use super::spread_view::SpreadView;
use super::summary::SummaryTable;
use super::timeline::Timeline;
use crate::hooks::use_ctrl_enter::use_ctrl_enter;
use crate::hooks::use_drop::{open_file, use_drop};
use crate::hooks::use_link::{embed_mode, fragment, use_link};
use crate::hooks::use_programs::{stored, use_keep_programs};
use crate::hooks::use_repeat::use_repeat;
use crate::hooks::use_requests::{use_comparison_runs, use_parse};
use crate::hooks::use_socket::use_socket;
use crate::replay::cut;
use crate::reveal::reveal_by;
use crate::state::{Action, Conn, RunStatus, State};
use crate::timeline::Schedule;
use crate::variants::variants;

/// The whole playground.
#[component]
pub fn App() -> Html {
    // The link in the address bar is read before the first render, so nothing shows (or
    // runs) the first lesson in its place for a moment.
    let state = use_reducer(|| {
        let (programs, solved) = stored();
        State::default()
            .with_programs(programs, solved)
            .open(&fragment())
    });
    use_keep_programs(state.programs.clone(), state.solved.clone(), state.saves);
    let send = use_socket(state.dispatcher());
    use_link(state.dispatcher(), state.on_link);
    let embed = *use_memo((), |_| embed_mode());
    use_drop(state.dispatcher(), !embed);
    use_effect_with((), |_| {
        // A mark for measuring the first render (`looplab:first-render`).
        if let Some(performance) = web_sys::window().and_then(|w| w.performance()) {
            let _ = performance.mark("looplab:first-render");
        }
    });
    // A run the page left behind (another lesson or link opened) is stopped, once.
    {
        let send = send.clone();
        use_effect_with(state.to_stop, move |to_stop| {
            if let Some(run_id) = *to_stop {
                send.emit(ClientMsg::Stop { run_id });
            }
        });
    }

    // Re-checked when the scenario changes, not on every frame of a live run.
    let invalid = (*use_memo(state.scenario.clone(), |s| {
        validate(s, crate::cores()).err()
    }))
    .clone();
    let hold = state.hold_with(invalid.as_ref());
    use_parse(&state, &send);
    let can_run = hold.is_none() && !state.busy() && state.recorded.is_none();
    // The reducer decides whether Run runs, with the state as it is when pressed.
    let on_run = dispatch(&state, |()| Action::PressRun);
    use_ctrl_enter(on_run.clone());
    // Each run the learner asks for is sent once, as the reducer recorded it.
    {
        let (sent, send) = (state.sent.clone(), send.clone());
        use_effect_with(sent.as_ref().map(|r| r.id), move |_| {
            if let Some(request) = sent {
                send.emit(ClientMsg::Run {
                    scenario: request.scenario,
                });
                if request.by_hand {
                    reveal_timeline();
                }
            }
        });
    }
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
            let running = state
                .run
                .as_ref()
                .filter(|r| r.status == RunStatus::Running);
            let run_id = state.queued.map(|(id, _)| id).or(running.map(|r| r.run_id));
            if let Some(run_id) = run_id {
                send.emit(ClientMsg::Stop { run_id });
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
    // The ideal schedule under the bars: of the program that ran, for the machine it ran
    // on; before any run, of the program on screen (when valid), for this browser's cores.
    let basis = match (&state.run, &state.sent) {
        _ if state.comparison.is_some() => None,
        // While the Python on screen does not read, the scenario is the last one that did:
        // its schedule would be of another program. While a link's question waits for its
        // answer, the schedule would give it away.
        (None, _) => {
            (invalid.is_none() && state.python_error().is_none() && !state.question_pending())
                .then(|| (state.scenario.clone(), crate::cores()))
        }
        (Some(run), _) if state.recorded.is_some() => Some((state.scenario.clone(), run.cores)),
        (Some(run), Some(sent)) => Some((sent.scenario.clone(), run.cores)),
        (Some(_), None) => None,
    };
    let schedule = (*use_memo(basis, |b| {
        b.as_ref()
            .and_then(|(s, cores)| Schedule::of(s, *cores))
            .map(Rc::new)
    }))
    .clone();
    let on_seek = {
        let replay = replay.clone();
        Callback::from(move |t| replay.set(t))
    };
    use_comparison_runs(&state, &send, can_run);
    let (on_repeat, on_repeat_stop) = use_repeat(&state, &send);
    let on_compare = {
        let state = state.clone();
        Callback::from(move |_: MouseEvent| {
            let compared = variants(&state.scenario, state.lesson, state.from);
            state.dispatch(Action::Compare(compared))
        })
    };
    let comparable = crate::variants::comparable(&state.scenario, state.lesson, state.from);
    let on_close = {
        let state = state.clone();
        Callback::from(move |()| state.dispatch(Action::CloseComparison))
    };
    let title = match (state.class.challenge, state.lesson, state.from) {
        (Some(challenge), ..) => challenge.title.to_owned(),
        (None, Some(lesson), _) => lesson.title.to_owned(),
        (None, None, Some(from)) => format!("Your version of “{}”", from.title),
        (None, None, None) => state.scenario.name.clone(),
    };
    // Under a comparison, the console shows the variant running or last run.
    let console_of = state.comparison.as_ref().and_then(|c| {
        let i = if c.waiting {
            c.runs.len()
        } else {
            c.runs.len().saturating_sub(1)
        };
        c.variants.get(i).map(|(label, _)| (i, label.clone()))
    });
    // A lesson's expected output is about the lesson: not about the other variants.
    let expecting = state
        .lesson
        .filter(|_| console_of.as_ref().is_none_or(|(i, _)| *i == 0));

    // The last run of the program that ran (not a comparison's), or the recorded run.
    let ran = state.ran();
    let finished_run = ran.filter(|(run, _)| !matches!(run.status, RunStatus::Running));
    // Its findings, found once: shown while the program on screen is the one that ran, and
    // judged by the goals either way.
    let findings = finished_run.map_or_else(Vec::new, |(run, s)| crate::lints::lints(run, s));
    let judged = crate::goals::judged(&state.class.goals, ran, &findings, &state.scenario);
    let lints = if state.stale() { Vec::new() } else { findings };
    let last_console =
        finished_run.map(|(run, _)| run.console.iter().map(|l| l.text.clone()).collect());
    let last_lanes = finished_run.map(|(run, _)| crate::predict::lane_names(run));
    // The teacher's question, beside Run; not over a recorded run, which nothing runs.
    // A link's question only: a teacher's own is not asked of them.
    let predict = match state.asked() {
        Some(ask) if state.recorded.is_none() => html! {
            <PredictBox ask={ask.clone()} prediction={state.class.prediction.clone()}
                checked={state.prediction_checked()} idle={!state.busy()}
                on_answer={dispatch(&state, Action::Answer)} />
        },
        _ => html! {},
    };
    // What would give the answer away stays hidden while the question waits.
    let pending = state.question_pending();
    let controls = html! {
        <Controls
            conn={state.conn}
            awaiting={state.awaiting_start}
            queued={state.queued.map(|(_, place)| place)}
            run={state.run.clone()}
            refusal={state.refusal.clone()}
            hold={hold.clone()}
            run_when_read={state.run_when_read}
            time_scale={state.scenario.time_scale}
            repeating={state.repeats.batch.as_ref().filter(|b| b.going()).map(crate::repeat_words::under_way)}
            {on_run}
            {on_stop}
        />
    };
    if embed {
        return html! {
            <Embed title={title} scenario={state.scenario.clone()} run={shown} at={finished.and(*replay)} axis_end={finished} {schedule}
                link_error={state.link_error.clone()} goals={state.class.goals.clone()} {judged}
                ask={state.class.ask.clone()} {predict} story={state.class.challenge.map(|c| c.story)}>
                { controls }
            </Embed>
        };
    }
    let on_open = {
        let dispatcher = state.dispatcher();
        Callback::from(move |file| open_file(file, dispatcher.clone()))
    };
    html! {
        <div class="app">
            <button class="skip" data-testid="skip" onclick={Callback::from(|_| focus("[data-testid=run]"))}>{ "Skip to Run" }</button>
            <Header conn={state.conn} />
            <main class="layout">
                <LessonList
                    selected={state.lesson.map(|p| p.id)}
                    from={state.from.filter(|_| state.lesson.is_none()).map(|p| p.id)}
                    on_select={dispatch(&state, Action::SelectPreset)}
                    challenge={state.class.challenge.map(|c| c.id)}
                    on_challenge={dispatch(&state, Action::OpenChallenge)}
                    solved={state.solved.clone()}
                    programs={state.programs.clone()}
                    mine={state.mine}
                    on_program={dispatch(&state, Action::OpenProgram)}
                />
                <section class="workspace">
                    if let Some(why) = &state.link_error {
                        <div class="notice error" data-testid="link-error">
                            { format!("{why}. The lesson below opened instead.") }
                        </div>
                    }
                    if let Some(note) = &state.note {
                        <div class="notice note" data-testid="teacher-note">{ note }</div>
                    }
                    <LessonCard
                        scenario={state.scenario.clone()}
                        lesson={state.lesson}
                        from={state.from}
                        kept={state.mine.is_some()}
                        challenge={state.class.challenge}
                        on_select={dispatch(&state, Action::SelectPreset)}
                        pending={pending}
                    />
                    // The question above the program, where it is seen on opening, not
                    // under the run controls held at the window's bottom.
                    { predict }
                    if let Some(why) = &state.recording_error {
                        <div class="notice error" role="alert" data-testid="recording-error">
                            { format!("This recorded run could not be opened — {why}") }
                        </div>
                    }
                    if let Some(recorded) = state.recorded.clone() {
                        <RecordedView {recorded} scenario={state.scenario.clone()}
                            on_run_yourself={Callback::from({ let s = state.clone(); move |()| s.dispatch(Action::RunYourself) })} />
                    } else {
                        <Editor
                            scenario={state.scenario.clone()}
                            preset={state.lesson}
                            error={invalid.clone()}
                            json={state.json.clone()}
                            python={state.python.clone()}
                            locked={state.python_error()}
                            on_edit={dispatch(&state, Action::Edit)}
                            on_json={dispatch(&state, Action::JsonInput)}
                            on_python={dispatch(&state, Action::PythonInput)}
                            goals={state.class.goals.clone()}
                            last_console={last_console}
                            on_goals={dispatch(&state, Action::Goals)}
                            ask={state.class.ask.clone()}
                            {last_lanes}
                            on_ask={dispatch(&state, Action::Ask)}
                        />
                        { controls }
                        <RepeatBar repeats={state.repeats.clone()} can_start={can_run && state.comparison.is_none()}
                            on_start={on_repeat} on_stop={on_repeat_stop} />
                    }
                    if let Some(comparison) = state.comparison.clone() {
                        <ComparisonView {comparison} live={state.run.clone()} {on_close} />
                    } else {
                        <button class="compare" onclick={on_compare} disabled={!can_run || !comparable}
                            title={(!comparable).then_some("Nothing to compare this program with: no lesson lists variants for it, and the GIL changes nothing here (no CPU work off the loop)")}
                            data-testid="compare">
                            { "Compare variants side by side" }
                        </button>
                        if state.stale() {
                            <div class="notice warn" data-testid="stale" role="status">
                                { "These results are from the previous program — Run again to see this one." }
                            </div>
                        }
                        <Timeline run={shown.clone()} at={finished.and(*replay)} axis_end={finished} title={title.clone()} {schedule} />
                        if let Some(end) = finished {
                            <ReplayBar {end} at={*replay} {on_seek} />
                        }
                        if let Some(run) = shown.clone() {
                            <SummaryTable run={run} />
                        }
                        <GoalList judged={judged} stale={state.stale() || state.python_error().is_some()} />
                        if let Some(figure) = state.fix_figure() {
                            <p class="notice fix-figure" data-testid="fix-figure" role="status">
                                { format!("Wall time before → after the fix: {figure}") }
                            </p>
                        }
                        <LintList lints={lints} on_fix={dispatch(&state, Action::ApplyFix)} />
                        if let Some(run) = state.run.clone() {
                            <Export {run} />
                        }
                    }
                    if let Some(batch) = state.repeats.batch.clone() {
                        <SpreadView stale={batch.scenario != state.scenario} {batch} />
                    }
                    <Console
                        lesson={expecting}
                        {pending}
                        of={console_of.map(|(_, label)| label)}
                        actual={shown.as_ref().map(|r| r.console.clone()).unwrap_or_default()}
                    />
                    <RunFile run={state.run.clone().filter(|_| state.comparison.is_none())} {on_open} />
                    <SharePanel
                        scenario={state.scenario.clone()}
                        draft={state.share.clone()}
                        on_note={dispatch(&state, Action::ShareNote)}
                        on_run_on_open={dispatch(&state, Action::ShareRunOnOpen)}
                        goals={state.class.goals.clone()}
                        ask={state.class.ask.as_ref().and_then(|a| crate::predict::shareable(a).ok())}
                    />
                </section>
            </main>
        </div>
    }
}

/// A callback that dispatches the action `to` makes of its value.
fn dispatch<T: 'static>(state: &UseReducerHandle<State>, to: fn(T) -> Action) -> Callback<T> {
    let state = state.clone();
    Callback::from(move |v| state.dispatch(to(v)))
}

/// Moves keyboard focus to the element at `css`.
fn focus(css: &str) {
    let element = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.query_selector(css).ok().flatten())
        .and_then(|e| e.dyn_into::<HtmlElement>().ok());
    if let Some(element) = element {
        let _ = element.focus();
    }
}

/// Pressing Run on a short window scrolls the run controls to the top, so the timeline
/// that is about to fill is in view; on a tall window nothing moves.
fn reveal_timeline() {
    let Some(window) = web_sys::window() else {
        return;
    };
    let rect = |css: &str| {
        let element = window.document()?.query_selector(css).ok()??;
        Some(element.get_bounding_client_rect())
    };
    let height = window.inner_height().ok().and_then(|h| h.as_f64());
    // The run controls' place in the page is where the editor ends: held at the window's
    // bottom edge, their own box says where they show, not where they are.
    if let (Some(editor), Some(timeline), Some(height)) =
        (rect(".editor"), rect(".timeline"), height)
        && let Some(by) = reveal_by(editor.bottom(), timeline.top(), height)
    {
        window.scroll_by_with_x_and_y(0.0, by);
    }
}
