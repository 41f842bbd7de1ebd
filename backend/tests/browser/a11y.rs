//! axe-core, injected into the page as it stands: the accessibility rules it breaks.

use std::path::PathBuf;

use crate::harness::Browser;

/// Where `scripts/ensure-tools.sh --test` installs axe-core.
fn axe_path() -> PathBuf {
    let home = std::env::var_os("HOME").expect("HOME is set");
    PathBuf::from(home).join(".local/lib/looplab-axe/node_modules/axe-core/axe.min.js")
}

/// Runs axe-core on the page as it is now and returns its serious and critical violations,
/// one line each: the rule, what it asks, and where.
pub(crate) async fn serious_violations(browser: &Browser) -> Vec<String> {
    let path = axe_path();
    let source = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "{}: {e}; scripts/ensure-tools.sh --test installs axe-core",
            path.display()
        )
    });
    browser.client.execute(&source, vec![]).await.unwrap();
    let run = r#"
        const done = arguments[0];
        axe.run(document, { resultTypes: ['violations'] }).then(r => done(
            r.violations
                .filter(v => v.impact === 'serious' || v.impact === 'critical')
                .map(v => `${v.id} (${v.impact}): ${v.help} — ` +
                    v.nodes.map(n => n.target.join(' ')).join(', '))
        ), e => done([`axe failed: ${e}`]));
    "#;
    let found = browser.client.execute_async(run, vec![]).await.unwrap();
    found
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_owned())
        .collect()
}

/// Fails with axe's words if the page breaks a serious or critical rule; `when` says which
/// state of the page it was checked in.
pub(crate) async fn assert_accessible(browser: &Browser, when: &str) {
    let found = serious_violations(browser).await;
    assert!(
        found.is_empty(),
        "{} serious or critical accessibility violations {when}:\n{}",
        found.len(),
        found.join("\n")
    );
}
