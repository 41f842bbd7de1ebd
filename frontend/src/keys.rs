//! Keyboard moves that are plain arithmetic: arrows within a group of buttons (one Tab stop
//! for the whole group), and the replay's scrubber.

/// Where focus goes from button `index` of `len` when `key` is pressed: arrows step and wrap,
/// Home and End jump. `None` for any other key.
pub fn roving(key: &str, index: usize, len: usize) -> Option<usize> {
    if len == 0 {
        return None;
    }
    match key {
        "ArrowDown" | "ArrowRight" => Some((index + 1) % len),
        "ArrowUp" | "ArrowLeft" => Some((index + len - 1) % len),
        "Home" => Some(0),
        "End" => Some(len - 1),
        _ => None,
    }
}

/// Where the replay goes from `at` in a run `end` long when `key` is pressed on its
/// scrubber: arrows move a hundredth of the run, Page keys a tenth, Home and End to either
/// end. The slider's own step would be a nanosecond.
pub fn scrub(key: &str, at: u64, end: u64) -> Option<u64> {
    let small = (end / 100).max(1);
    let large = (end / 10).max(1);
    Some(match key {
        "ArrowRight" | "ArrowUp" => at.saturating_add(small).min(end),
        "ArrowLeft" | "ArrowDown" => at.saturating_sub(small),
        "PageUp" => at.saturating_add(large).min(end),
        "PageDown" => at.saturating_sub(large),
        "Home" => 0,
        "End" => end,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arrows_move_within_a_group_and_wrap() {
        assert_eq!(roving("ArrowDown", 0, 18), Some(1));
        assert_eq!(roving("ArrowDown", 17, 18), Some(0));
        assert_eq!(roving("ArrowUp", 0, 18), Some(17));
        assert_eq!(roving("ArrowRight", 1, 3), Some(2));
        assert_eq!(roving("End", 3, 18), Some(17));
        assert_eq!(roving("Home", 3, 18), Some(0));
        assert_eq!(roving("Enter", 3, 18), None);
        assert_eq!(roving("ArrowDown", 0, 0), None);
    }

    #[test]
    fn the_scrubber_moves_by_a_share_of_the_run() {
        const S: u64 = 1_000_000_000;
        assert_eq!(scrub("ArrowRight", 0, 2 * S), Some(20_000_000));
        assert_eq!(scrub("ArrowLeft", S, 2 * S), Some(S - 20_000_000));
        assert_eq!(scrub("ArrowLeft", 5, 2 * S), Some(0));
        assert_eq!(scrub("PageUp", 2 * S - 1, 2 * S), Some(2 * S));
        assert_eq!(scrub("End", 0, 2 * S), Some(2 * S));
        assert_eq!(scrub("Home", S, 2 * S), Some(0));
        assert_eq!(scrub("a", S, 2 * S), None);
    }
}
