//! An element's width, kept up to date as the window or the layout around it changes.

use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use web_sys::{Element, ResizeObserver};
use yew::prelude::*;

/// The element being watched, and the observer watching it.
struct Watch {
    element: Element,
    observer: ResizeObserver,
    _on_resize: Closure<dyn FnMut()>,
}

impl Drop for Watch {
    fn drop(&mut self) {
        self.observer.disconnect();
    }
}

/// The width of the element behind `node`, in CSS pixels; 0 until it is on the page. A
/// ResizeObserver sees the window, a phone turning and the layout around the element
/// change; the element itself may be replaced by a render, and is then watched anew.
#[hook]
pub fn use_width(node: NodeRef) -> f64 {
    let width = use_state_eq(|| 0.0f64);
    let watch = use_mut_ref(|| None::<Watch>);
    {
        let width = width.clone();
        use_effect(move || {
            let element = node.cast::<Element>();
            let current = watch.borrow().as_ref().map(|w| w.element.clone());
            if element != current {
                *watch.borrow_mut() = element.and_then(|element| {
                    let measure = {
                        let (element, width) = (element.clone(), width.clone());
                        move || width.set(f64::from(element.client_width()))
                    };
                    measure();
                    let on_resize = Closure::<dyn FnMut()>::new(measure);
                    let observer = ResizeObserver::new(on_resize.as_ref().unchecked_ref()).ok()?;
                    observer.observe(&element);
                    Some(Watch {
                        element,
                        observer,
                        _on_resize: on_resize,
                    })
                });
            }
        });
    }
    *width
}
