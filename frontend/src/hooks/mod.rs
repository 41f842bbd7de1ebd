//! Hooks that connect the page to the outside world, and the view state of components that
//! have more of it than a line or two.

pub mod use_copy;
pub mod use_ctrl_enter;
pub mod use_drop;
pub mod use_link;
pub mod use_programs;
pub mod use_repeat;
pub mod use_requests;
pub mod use_socket;
pub mod use_timeline;
pub mod use_width;
