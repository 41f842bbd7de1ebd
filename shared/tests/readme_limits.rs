//! The README's limits table lists every constant of `limits.rs` with its value, so the two
//! cannot drift apart.

#[test]
fn readme_lists_every_limit_with_its_value() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let limits = std::fs::read_to_string(root.join("src/limits.rs")).unwrap();
    let readme = std::fs::read_to_string(root.join("../README.md")).unwrap();
    let mut seen = 0;
    for line in limits.lines().filter(|l| l.starts_with("pub const ")) {
        let (name, rest) = line["pub const ".len()..].split_once(':').unwrap();
        let value = rest.split_once('=').unwrap().1.trim().trim_end_matches(';');
        let row = format!("| `{name}` | `{value}` |");
        let setting = format!("`{name}` = `{value}`");
        assert!(
            readme.contains(&row) || readme.contains(&setting),
            "README.md lacks the row {row}"
        );
        seen += 1;
    }
    assert!(seen >= 10, "only {seen} limits found");
}
