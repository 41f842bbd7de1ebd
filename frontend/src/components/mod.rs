//! The page's components, one a file.

pub mod app;
pub mod console;
pub mod controls;
pub mod export;
pub mod header;
pub mod lesson;
pub mod share;
pub mod summary;
pub mod timeline;
