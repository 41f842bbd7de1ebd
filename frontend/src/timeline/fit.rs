//! A row's label in the room its column has: on a phone the column is narrow, and a label
//! cut at the column's edge reads as a different name (`main thread · t`). What does not fit
//! is left out whole where it can be (a place's last parts), and otherwise ends in `…`, so
//! the cut shows.

/// `text` and then `keep` (an end mark such as ` (stuck)`, kept whole) in at most `room`
/// pixels, `width` telling how wide a string is drawn: `text` as it is if it fits; else
/// without its last ` · ` parts; else cut, ending in `…`.
pub fn fit(text: &str, keep: &str, room: f64, width: impl Fn(&str) -> f64) -> String {
    let fits = |s: &str| width(&format!("{s}{keep}")) <= room;
    if fits(text) {
        return format!("{text}{keep}");
    }
    let mut parts: Vec<&str> = text.split(" · ").collect();
    while parts.len() > 1 {
        parts.pop();
        let shorter = parts.join(" · ");
        if fits(&shorter) {
            return format!("{shorter}{keep}");
        }
    }
    let chars: Vec<char> = parts[0].chars().collect();
    for n in (1..chars.len()).rev() {
        let cut = format!("{}…", chars[..n].iter().collect::<String>());
        if fits(&cut) {
            return format!("{cut}{keep}");
        }
    }
    format!(
        "{}…{keep}",
        chars.first().map_or(String::new(), char::to_string)
    )
}

/// `text` whole after the first of `ends` (longest first) with which it fits in `room`;
/// else `text` cut to fit before the last, shortest one. A name is worth more than how it
/// ended: `transfer` reads where `t… (stuck)` does not.
pub fn fit_first(text: &str, ends: &[String], room: f64, width: impl Fn(&str) -> f64) -> String {
    for end in ends {
        if width(&format!("{text}{end}")) <= room {
            return format!("{text}{end}");
        }
    }
    fit(text, ends.last().map_or("", String::as_str), room, width)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Seven pixels a character, as a monospace font of 12 px draws them.
    fn mono(s: &str) -> f64 {
        7.0 * s.chars().count() as f64
    }

    #[test]
    fn a_label_too_long_loses_its_last_parts_then_ends_in_an_ellipsis() {
        let check = |text: &str, keep: &str, chars: usize, want: &str| {
            assert_eq!(
                fit(text, keep, 7.0 * chars as f64, mono),
                want,
                "{text} in {chars}"
            );
        };
        check("main", "", 10, "main");
        check("main thread · tid 28411", "", 30, "main thread · tid 28411");
        check("main thread · tid 28411", "", 15, "main thread");
        check("pool 0 · worker 1 · tid 14", "", 17, "pool 0 · worker 1");
        check("transfer", " (stuck)", 12, "tra… (stuck)");
        check("transfer", " (stuck)", 16, "transfer (stuck)");
        check("fetch(5)", "", 1, "f…");
        let ends = [" (stuck) · 6 hidden".to_owned(), " +6".to_owned()];
        let first = |chars: usize| fit_first("transfer", &ends, 7.0 * chars as f64, mono);
        assert_eq!(first(30), "transfer (stuck) · 6 hidden");
        assert_eq!(first(12), "transfer +6");
        assert_eq!(first(8), "tran… +6");
    }
}
