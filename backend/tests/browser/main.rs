//! End-to-end: the real `looplab` binary serving the built page, driven through headless
//! Debian Chromium as a learner would use it. `scripts/test.sh` builds the page and installs
//! Chromium and its driver first.

mod building;
mod harness;
mod lessons;
mod load;
