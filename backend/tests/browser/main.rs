//! End-to-end: the real `looplab` binary serving the built page, driven through headless
//! Debian Chromium as a learner would use it. `scripts/test.sh` builds the page and installs
//! Chromium and its driver first.

mod a11y;
mod building;
mod cause;
mod challenges;
mod classroom;
mod editing;
mod flows;
mod ghost;
mod harness;
mod keyboard;
mod layouts;
mod lessons;
mod lints;
mod load;
mod many;
#[path = "../it/nginx.rs"]
mod nginx;
mod picture;
mod predict;
mod programs;
mod proxy;
mod python;
mod running;
mod security;
mod sharing;
