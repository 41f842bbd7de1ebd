fn main() {
    yew::Renderer::<looplab_frontend::components::app::App>::new().render();
}
