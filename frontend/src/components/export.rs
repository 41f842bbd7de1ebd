//! Export: the run as a Chrome trace (for Perfetto or chrome://tracing). The timeline's own
//! tools save it as a picture.

use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Blob, BlobPropertyBag, HtmlAnchorElement, Url};
use yew::prelude::*;

use crate::state::RunView;
use crate::trace::chrome_trace;

#[derive(Debug, Properties, PartialEq)]
pub struct ExportProps {
    pub run: RunView,
}

/// Starts a download of `href` as `name`.
pub(crate) fn download(href: &str, name: &str) {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    if let Some(a) = document
        .create_element("a")
        .ok()
        .and_then(|a| a.dyn_into::<HtmlAnchorElement>().ok())
    {
        a.set_href(href);
        a.set_download(name);
        a.click();
    }
}

/// An object URL for `text` as a file of type `mime`.
pub(crate) fn text_url(text: &str, mime: &str) -> Option<String> {
    let parts = js_sys_array(text);
    let options = BlobPropertyBag::new();
    options.set_type(mime);
    let blob = Blob::new_with_str_sequence_and_options(&parts, &options).ok()?;
    Url::create_object_url_with_blob(&blob).ok()
}

fn js_sys_array(text: &str) -> JsValue {
    let array = web_sys::js_sys::Array::new();
    array.push(&JsValue::from_str(text));
    array.into()
}

/// The trace export button, and a link to the last trace made.
#[component]
pub fn Export(props: &ExportProps) -> Html {
    let trace_url = use_state(|| None::<String>);
    let file = format!("looplab-{}-run{}", props.run.name, props.run.run_id);
    let on_trace = {
        let (run, trace_url, file) = (props.run.clone(), trace_url.clone(), file.clone());
        Callback::from(move |_: MouseEvent| {
            if let Some(url) = text_url(&chrome_trace(&run).to_string(), "application/json") {
                download(&url, &format!("{file}.trace.json"));
                trace_url.set(Some(url));
            }
        })
    };
    html! {
        <div class="export">
            <button onclick={on_trace} data-testid="export-trace">{ "Export trace (Perfetto)" }</button>
            if let Some(url) = (*trace_url).clone() {
                <a href={url} data-testid="trace-link" target="_blank">{ "last trace" }</a>
            }
        </div>
    }
}
