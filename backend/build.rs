//! The page (`dist/`, which `scripts/build-ui.sh` builds) is compiled into the binary
//! (`src/page.rs`): recompile whenever it changes.
//!
//! Cargo watches a folder by scanning it; a path that does not exist counts as changed on every
//! build, which would recompile the backend each time on a machine that has not built the page
//! yet. So an empty `dist/` is made first (it is ignored by git, and Trunk fills it): the binary
//! then carries the page-missing notice until the page is built, and is rebuilt once it is.

use std::path::Path;

fn main() {
    let dist = Path::new(env!("CARGO_MANIFEST_DIR")).join("../dist");
    // A read-only source tree cannot have it made: cargo then re-checks every build instead.
    let _ = std::fs::create_dir_all(&dist);
    println!("cargo::rerun-if-changed={}", dist.display());
    println!("cargo::rerun-if-changed=build.rs");
}
