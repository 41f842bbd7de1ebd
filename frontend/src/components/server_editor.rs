//! The web app in the builder: its routes (`@app.get(path)` on a coroutine) and the
//! requests that arrive for them.

use looplab_shared::model::{Route, Scenario, Server, Traffic};
use yew::prelude::*;

use super::inputs::{choice, number, saturate, text};
use crate::edit::Edit;

#[derive(Debug, Properties, PartialEq)]
pub struct ServerEditorProps {
    pub scenario: Scenario,
    pub on_edit: Callback<Edit>,
}

/// A FastAPI app, or a button to add one.
#[component]
pub fn ServerEditor(props: &ServerEditorProps) -> Html {
    let s = &props.scenario;
    let Some(server) = s.server.clone() else {
        let edit = props.on_edit.clone();
        return html! {
            <div class="server">
                <h4>{ "Web app (FastAPI)" }</h4>
                <button class="add" onclick={move |_| edit.emit(Edit::AddServer)}>{ "+ web app answering requests" }</button>
            </div>
        };
    };
    let put = {
        let edit = props.on_edit.clone();
        move |server: Server| edit.emit(Edit::Server(Some(server)))
    };
    let handlers: Vec<String> = s
        .tasks
        .iter()
        .filter(|t| t.params.is_empty())
        .map(|t| t.name.clone())
        .collect();
    let routes = server.routes.iter().enumerate().map(|(i, r)| {
        let change = |f: fn(&mut Route, String)| {
            let (server, put) = (server.clone(), put.clone());
            move |v: String| {
                let mut server = server.clone();
                f(&mut server.routes[i], v);
                put(server)
            }
        };
        let remove = {
            let (server, put) = (server.clone(), put.clone());
            Callback::from(move |_: MouseEvent| {
                let mut server = server.clone();
                server.routes.remove(i);
                put(server)
            })
        };
        html! {
            <li class="route">
                { text("path", &r.path, change(|r, v| r.path = v)) }
                { choice("handler", &r.handler, handlers.clone(), change(|r, v| r.handler = v)) }
                <button onclick={remove} title="Remove route" aria-label="Remove route">{ "✕" }</button>
            </li>
        }
    });
    let traffic = server.traffic.iter().enumerate().map(|(i, t)| {
        let number_of = |f: fn(&mut Traffic, u64)| {
            let (server, put) = (server.clone(), put.clone());
            move |v: u64| {
                let mut server = server.clone();
                f(&mut server.traffic[i], v);
                put(server)
            }
        };
        let paths: Vec<String> = server.routes.iter().map(|r| r.path.clone()).collect();
        let path = {
            let (server, put) = (server.clone(), put.clone());
            move |v: String| {
                let mut server = server.clone();
                server.traffic[i].path = v;
                put(server)
            }
        };
        let remove = {
            let (server, put) = (server.clone(), put.clone());
            Callback::from(move |_: MouseEvent| {
                let mut server = server.clone();
                server.traffic.remove(i);
                put(server)
            })
        };
        html! {
            <li class="traffic">
                { choice("GET", &t.path, paths, path) }
                { number("requests", t.count.into(), number_of(|t, v| t.count = saturate(v))) }
                { number("every ms", t.every_ms, number_of(|t, v| t.every_ms = v)) }
                { number("first at ms", t.at_ms, number_of(|t, v| t.at_ms = v)) }
                <button onclick={remove} title="Remove" aria-label="Remove these requests">{ "✕" }</button>
            </li>
        }
    });
    let add_route = {
        let (server, put, handler) = (
            server.clone(),
            put.clone(),
            handlers.first().cloned().unwrap_or_default(),
        );
        Callback::from(move |_: MouseEvent| {
            let mut server = server.clone();
            let path = format!("/route{}", server.routes.len() + 1);
            server.routes.push(Route {
                path,
                handler: handler.clone(),
            });
            put(server)
        })
    };
    let add_traffic = {
        let (server, put) = (server.clone(), put.clone());
        Callback::from(move |_: MouseEvent| {
            let mut server = server.clone();
            let path = server
                .routes
                .first()
                .map(|r| r.path.clone())
                .unwrap_or_else(|| "/".into());
            server.traffic.push(Traffic {
                path,
                at_ms: 0,
                every_ms: 100,
                count: 10,
            });
            put(server)
        })
    };
    let edit = props.on_edit.clone();
    html! {
        <div class="server">
            <h4>{ "Web app (FastAPI): it serves these requests after the module's code" }</h4>
            <ul class="routes">{ for routes }</ul>
            <button class="add" onclick={add_route}>{ "+ route" }</button>
            <ul class="traffic-list">{ for traffic }</ul>
            <button class="add" onclick={add_traffic}>{ "+ requests" }</button>
            <button onclick={move |_| edit.emit(Edit::Server(None))}>{ "Remove the web app" }</button>
        </div>
    }
}
