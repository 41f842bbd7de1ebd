//! The scenario as Python: a program the learner can read, copy, download, or edit. What
//! they type is read by the server as they type; its problems show at their lines.

use looplab_shared::model::Scenario;
use looplab_shared::python::{Diagnostic, render};
use wasm_bindgen::JsCast;
use web_sys::{HtmlDocument, HtmlElement, HtmlTextAreaElement};
use yew::prelude::*;

use super::coded::coded;
use super::export::{download, text_url};
use crate::highlight::lines;
use crate::hooks::use_copy::{Copied, use_copy};
use crate::indent::{self, KeyEdit};
use crate::state::PythonDraft;

#[derive(Debug, Properties, PartialEq)]
pub struct PythonViewProps {
    pub scenario: Scenario,
    pub draft: Option<PythonDraft>,
    pub on_input: Callback<String>,
}

/// A file name for the program: the scenario's name, made a file name.
fn file_name(s: &Scenario) -> String {
    let stem: String = s
        .name
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    format!("{}.py", stem.trim_matches('_'))
}

/// The editor: line numbers, the coloured program under a transparent text area, and the
/// problems the server found, each a button that puts the cursor where it is.
#[component]
pub fn PythonView(props: &PythonViewProps) -> Html {
    let rendered = use_memo(props.scenario.clone(), render);
    let text = props
        .draft
        .as_ref()
        .map_or_else(|| (*rendered).clone(), |d| d.text.clone());
    let diagnostics: &[Diagnostic] = props.draft.as_ref().map_or(&[], |d| &d.diagnostics);
    let area = use_node_ref();
    let (under, gutter) = (use_node_ref(), use_node_ref());
    let oninput = {
        let on = props.on_input.clone();
        Callback::from(move |e: InputEvent| {
            on.emit(e.target_unchecked_into::<HtmlTextAreaElement>().value())
        })
    };
    // The text area scrolls; the colours and the numbers under it follow.
    let onscroll = {
        let (under, gutter) = (under.clone(), gutter.clone());
        Callback::from(move |e: Event| {
            let area = e.target_unchecked_into::<HtmlTextAreaElement>();
            if let Some(u) = under.cast::<HtmlElement>() {
                u.set_scroll_top(area.scroll_top());
                u.set_scroll_left(area.scroll_left());
            }
            if let Some(g) = gutter.cast::<HtmlElement>() {
                g.set_scroll_top(area.scroll_top());
            }
        })
    };
    let bad_lines: Vec<u32> = diagnostics.iter().map(|d| d.line).collect();
    let coloured: Vec<Html> = lines(&text).into_iter().enumerate().map(|(i, pieces)| {
        let bad = bad_lines.contains(&(i as u32 + 1));
        let pieces = pieces.into_iter().map(|(class, t)| match class.css() {
            "" => html! { { t } },
            css => html! { <span class={css}>{ t }</span> },
        });
        html! { <div class={classes!("code-line", bad.then_some("bad"))}>{ for pieces }{ "\u{200b}" }</div> }
    }).collect();
    let numbers = (1..=text.split('\n').count()).map(|n| {
        let bad = bad_lines.contains(&(n as u32));
        html! { <div class={classes!(bad.then_some("bad"))}>{ n }</div> }
    });
    let problems: Vec<Html> = diagnostics
        .iter()
        .map(|d| {
            let (area, at) = (area.clone(), offset(&text, d.line, d.column));
            let go = Callback::from(move |_: MouseEvent| {
                if let Some(a) = area.cast::<HtmlTextAreaElement>() {
                    let _ = a.focus();
                    let _ = a.set_selection_range(at, at);
                }
            });
            // Its one sure answer, made in the text as if typed: read again at once.
            let fix = d.fix.as_ref().zip(d.fixed(&text)).map(|(fix, fixed)| {
                let on = props.on_input.clone();
                let apply = Callback::from(move |_: MouseEvent| on.emit(fixed.clone()));
                html! {
                    <button class="fix" onclick={apply} data-testid="diagnostic-fix">{ coded(&fix.label) }</button>
                }
            });
            html! {
                <li><button class="diagnostic" onclick={go} data-testid="diagnostic">
                    { coded(&format!("line {}, column {}: {}", d.line, d.column, crate::words::refusal(&d.message))) }
                </button>{ for fix }</li>
            }
        })
        .collect();
    let status = match &props.draft {
        None => None,
        Some(d) if !d.answered => Some(("reading", "Reading your program…".to_owned())),
        Some(d) if d.diagnostics.is_empty() => Some((
            "ok",
            "Your program runs as written: Run runs it.".to_owned(),
        )),
        Some(d) => Some((
            "error",
            format!(
                "Run waits: {} problem{} below.",
                d.diagnostics.len(),
                if d.diagnostics.len() == 1 { "" } else { "s" }
            ),
        )),
    };
    let (copied, copy) = use_copy(text.clone());
    let copy_label = match copied {
        Copied::Idle => "Copy",
        Copied::Copying => "Copying…",
        Copied::Done => "Copied ✓",
        Copied::Failed => "Copy refused: select the text and copy it",
    };
    let onkeydown = use_code_keys();
    let save = {
        let (text, name) = (text.clone(), file_name(&props.scenario));
        Callback::from(move |_: MouseEvent| {
            if let Some(url) = text_url(&text, "text/x-python") {
                download(&url, &name);
            }
        })
    };
    let tools_keys = Callback::from(|e: KeyboardEvent| {
        let Some(here) = e.target_dyn_into::<HtmlElement>() else {
            return;
        };
        let ids = ["copy-python", "download-python"];
        let at = ids
            .iter()
            .position(|id| here.get_attribute("data-testid").as_deref() == Some(id));
        if let Some(to) = at.and_then(|i| crate::keys::roving(&e.key(), i, ids.len())) {
            e.prevent_default();
            let next = here
                .parent_element()
                .and_then(|p| {
                    p.query_selector(&format!("[data-testid={}]", ids[to]))
                        .ok()
                        .flatten()
                })
                .and_then(|n| wasm_bindgen::JsCast::dyn_into::<HtmlElement>(n).ok());
            if let Some(next) = next {
                let _ = next.focus();
            }
        }
    });
    html! {
        <div class="python-view">
            if let Some(why) = props.scenario.not_python() {
                <div class="notice warn" data-testid="not-python">{ format!("Not Python: {why}. The program below says so where it differs; CPython would not run it the same way.") }</div>
            }
            // One Tab stop for the two buttons; the arrow keys move between them.
            <div class="code-tools" role="toolbar" aria-label="The program" onkeydown={tools_keys}>
                <button onclick={copy} data-testid="copy-python" tabindex="0" aria-live="polite">{ copy_label }</button>
                <button onclick={save} data-testid="download-python" tabindex="-1">{ "Download .py" }</button>
                if let Some((class, words)) = status {
                    <span class={classes!("parse-status", class)} data-testid="parse-status" aria-live="polite">{ words }</span>
                } else {
                    <span class="hint" id="code-keys" data-testid="code-keys">{ "Editable: change the program and Run runs it. Tab indents; Esc then Tab leaves the editor." }</span>
                }
            </div>
            <div class="code-editor">
                <div class="gutter" ref={gutter} aria-hidden="true">{ for numbers }</div>
                <div class="code-stack">
                    <div class="code-under" ref={under} aria-hidden="true">{ for coloured }</div>
                    <textarea ref={area} class="code-text" data-testid="python" aria-label="The program, in Python (editable)"
                        aria-describedby="code-keys" spellcheck="false" autocomplete="off" value={text}
                        {oninput} {onscroll} {onkeydown} wrap="off" />
                </div>
            </div>
            if !diagnostics.is_empty() {
                <ol class="diagnostics" data-testid="diagnostics">{ for problems }</ol>
            }
        </div>
    }
}

/// The editor's keys: Tab and Shift+Tab indent and dedent, Enter keeps the indentation.
/// Escape hands Tab back to the browser for one press, so the keyboard can leave.
#[hook]
fn use_code_keys() -> Callback<KeyboardEvent> {
    let escaped = use_mut_ref(|| false);
    Callback::from(move |e: KeyboardEvent| {
        let key = e.key();
        if key == "Shift" {
            return;
        }
        let escaped = std::mem::replace(&mut *escaped.borrow_mut(), key == "Escape");
        if escaped || e.ctrl_key() || e.meta_key() || e.alt_key() {
            return;
        }
        let area: HtmlTextAreaElement = e.target_unchecked_into();
        let at = |n: Result<Option<u32>, _>| n.ok().flatten().unwrap_or(0);
        let (start, end) = (at(area.selection_start()), at(area.selection_end()));
        let text: Vec<u16> = area.value().encode_utf16().collect();
        let edit = match key.as_str() {
            "Tab" => indent::tab(&text, start, end, e.shift_key()),
            "Enter" => indent::enter(&text, start, end),
            _ => return,
        };
        e.prevent_default();
        type_in(&area, edit);
    })
}

/// Puts `edit` into the text area as typing would, so that undo takes it back and the
/// page hears an `input` event; where the browser cannot, it sets the text itself.
fn type_in(area: &HtmlTextAreaElement, edit: KeyEdit) {
    let _ = area.set_selection_range(edit.start, edit.end);
    let document = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.dyn_into::<HtmlDocument>().ok());
    let (command, value) = if edit.insert.is_empty() {
        ("delete", "")
    } else {
        ("insertText", edit.insert.as_str())
    };
    let typed = edit.start == edit.end && edit.insert.is_empty()
        || document
            .and_then(|d| {
                d.exec_command_with_show_ui_and_value(command, false, value)
                    .ok()
            })
            .unwrap_or(false);
    if !typed {
        let _ = area.set_range_text_with_start_and_end(&edit.insert, edit.start, edit.end);
        // Bubbling, as a typed one does: the page listens at its root.
        let init = web_sys::EventInit::new();
        init.set_bubbles(true);
        if let Ok(input) = web_sys::Event::new_with_event_init_dict("input", &init) {
            let _ = area.dispatch_event(&input);
        }
    }
    let _ = area.set_selection_range(edit.select.0, edit.select.1);
}

/// The character offset of `line` and `column` (both from 1) in `text`, where the text
/// area's cursor goes.
pub fn offset(text: &str, line: u32, column: u32) -> u32 {
    let before: usize = text
        .split('\n')
        .take(line.saturating_sub(1) as usize)
        .map(|l| l.chars().count() + 1)
        .sum();
    (before + column.saturating_sub(1) as usize) as u32
}
