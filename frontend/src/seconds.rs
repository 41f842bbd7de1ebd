//! Step durations as the builder shows them: in seconds, as the Python says them
//! (`asyncio.sleep(0.5)`), while the scenario counts whole milliseconds.

/// `ms` in seconds, as short as it can be said exactly: `0.5`, `2`, `0.001`.
pub fn seconds(ms: u64) -> String {
    let (whole, frac) = (ms / 1_000, ms % 1_000);
    if frac == 0 {
        return whole.to_string();
    }
    let frac = format!("{frac:03}");
    format!("{whole}.{}", frac.trim_end_matches('0'))
}

/// The milliseconds `text` says in seconds, or why it says none. What a person types on
/// the way to a number reads as far as it goes: `0.` is 0. Text is read as written, not
/// as a float, so `0.3` is exactly 300 ms; a decimal comma reads as a point.
pub fn read_seconds(text: &str) -> Result<u64, String> {
    let text = text.trim();
    let (whole, frac) = text.split_once(['.', ',']).unwrap_or((text, ""));
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if (whole.is_empty() && frac.is_empty()) || !digits(whole) || !digits(frac) {
        return Err("type seconds as digits, such as 0.5 or 2".into());
    }
    let ms_digits = frac.trim_end_matches('0');
    if ms_digits.len() > 3 {
        return Err(format!(
            "{text} s is not a whole number of milliseconds: steps last whole ms, such as 0.001 s"
        ));
    }
    let whole: u64 = if whole.is_empty() {
        0
    } else {
        whole.parse().map_err(|_| format!("{text} s is too long"))?
    };
    let frac: u64 = format!("{ms_digits:0<3}").parse().unwrap_or(0);
    whole
        .checked_mul(1_000)
        .and_then(|ms| ms.checked_add(frac))
        .ok_or_else(|| format!("{text} s is too long"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_show_as_seconds() {
        for (ms, shown) in [
            (0, "0"),
            (1, "0.001"),
            (500, "0.5"),
            (1_000, "1"),
            (2_250, "2.25"),
        ] {
            assert_eq!(seconds(ms), shown);
            assert_eq!(read_seconds(shown), Ok(ms), "{shown}");
        }
    }

    #[test]
    fn what_a_person_types_reads_as_they_type_it() {
        for (typed, ms) in [
            ("0", 0),
            ("0.", 0),
            (".5", 500),
            ("0.5", 500),
            ("0.50", 500),
            ("0.3", 300),
            ("1.5", 1_500),
            (" 2 ", 2_000),
            ("0.0010", 1),
            ("0,25", 250),
        ] {
            assert_eq!(read_seconds(typed), Ok(ms), "{typed}");
        }
    }

    #[test]
    fn what_is_not_whole_milliseconds_says_so() {
        assert_eq!(
            read_seconds("0.0005"),
            Err(
                "0.0005 s is not a whole number of milliseconds: steps last whole ms, such as 0.001 s"
                    .into()
            )
        );
        for bad in ["", ".", "-1", "1e3", "1.2.3", "1,2.3"] {
            let e = read_seconds(bad).unwrap_err();
            assert!(e.starts_with("type seconds"), "{bad}: {e}");
        }
        assert!(read_seconds("99999999999999999999").is_err());
    }
}
