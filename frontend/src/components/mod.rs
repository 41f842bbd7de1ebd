//! The page's components, one a file.

pub mod app;
pub mod body_editor;
pub mod builder;
pub mod call_fields;
pub mod comparison;
pub mod console;
pub mod controls;
pub mod editor;
pub mod export;
pub mod expr_input;
pub mod field;
pub mod header;
pub mod inputs;
pub mod json_view;
pub mod lesson;
pub mod lints;
pub mod python_view;
pub mod replay_bar;
pub mod server_editor;
pub mod share;
pub mod step_editor;
pub mod step_fields;
pub mod summary;
pub mod timeline;
pub mod timeline_tip;
pub mod timeline_tools;
