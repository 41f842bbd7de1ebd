//! Hooks that connect the page to the outside world.

pub mod use_socket;
