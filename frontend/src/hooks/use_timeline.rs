//! The timeline's view state: where it is zoomed and scrolled to, how its rows are shown,
//! what the pointer or the keyboard is on, and the clock that makes a live run's bars grow.

use std::cell::RefCell;
use std::rc::Rc;

use gloo_timers::callback::Interval;
use looplab_shared::protocol::RunId;
use yew::prelude::*;

use crate::state::{RunStatus, RunView};
use crate::timeline::{Cursor, Shape, View};

/// How far past the last event open bars may grow, in ns.
const MAX_AHEAD_NS: u64 = 500_000_000;

/// Repaint period while a run is live.
const FRAME_MS: u32 = 50;

/// Where the pointer is over the canvas.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Pointer {
    /// On the canvas.
    pub x: f64,
    /// On the canvas.
    pub y: f64,
    /// In the window, where the details box goes.
    pub client: (f64, f64),
}

/// Handles to the timeline's view state.
#[derive(Debug, Clone, PartialEq)]
pub struct TimelineState {
    /// `None` follows the whole run; `Some` is where the learner zoomed or panned to.
    pub view: UseStateHandle<Option<View>>,
    /// The first row in view; rows are virtual, so ten thousand cost what twenty do.
    pub first_row: UseStateHandle<usize>,
    /// A row per subject or per thread, requests folded or not.
    pub shape: UseStateHandle<Shape>,
    /// The pointer, while it is over the canvas.
    pub hover: UseStateHandle<Option<Pointer>>,
    /// The keyboard's cursor, while the canvas has focus.
    pub cursor: UseStateHandle<Option<Cursor>>,
    /// Where a drag started (x) and the view it started from.
    pub drag: Rc<RefCell<Option<(f64, View)>>>,
    /// The last picture saved: its address and file name.
    pub picture: UseStateHandle<Option<(String, String)>>,
    /// The subjects whose created subjects are hidden, sorted.
    pub collapsed: UseStateHandle<Vec<usize>>,
}

/// The timeline's view state; a new run starts from the whole run again.
#[hook]
pub fn use_timeline(run_id: Option<RunId>) -> TimelineState {
    let state = TimelineState {
        view: use_state(|| None),
        first_row: use_state(|| 0),
        shape: use_state(Shape::default),
        hover: use_state(|| None),
        cursor: use_state(|| None),
        drag: use_mut_ref(|| None),
        picture: use_state(|| None),
        collapsed: use_state(Vec::new),
    };
    {
        let (view, cursor) = (state.view.clone(), state.cursor.clone());
        let collapsed = state.collapsed.clone();
        use_effect_with(run_id, move |_| {
            view.set(None);
            cursor.set(None);
            collapsed.set(Vec::new());
        });
    }
    state
}

fn performance_now() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or(0.0, |p| p.now())
}

/// The moment of `run` to show: `at` in a replay; while it is live, the page's clock since
/// the run appeared, repainting every frame; otherwise its last event.
#[hook]
pub fn use_now(run: Option<&RunView>, at: Option<u64>) -> u64 {
    let frame = use_state(|| 0u32);
    // performance.now() when this run first appeared, to extend open bars to "now".
    let origin = use_mut_ref(|| 0.0f64);
    let live = at.is_none() && run.is_some_and(|r| r.status == RunStatus::Running);
    {
        let origin = origin.clone();
        use_effect_with(run.map(|r| r.run_id), move |_| {
            *origin.borrow_mut() = performance_now();
        });
    }
    {
        let frame = frame.clone();
        use_effect_with(live, move |live| {
            let ticker =
                live.then(|| Interval::new(FRAME_MS, move || frame.set((*frame).wrapping_add(1))));
            move || drop(ticker)
        });
    }
    let Some(run) = run else { return 0 };
    match at {
        Some(at) => at,
        // The page's clock may run ahead of the run (a throttled tab, a slow socket): the
        // loop's heartbeat arrives every 10 ms, so half a second past the last event is
        // as far as a bar may be drawn without evidence.
        None if live => {
            let guess = ((performance_now() - *origin.borrow()) * 1e6) as u64;
            guess.clamp(run.last_t_ns, run.last_t_ns + MAX_AHEAD_NS)
        }
        None => run.last_t_ns,
    }
}
