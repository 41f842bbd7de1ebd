//! Whether pressing Run should scroll the page: on a short window the timeline starts below
//! the fold, and a run that fills it unseen is a run missed.

/// How much of the timeline must show for the page to stay where it is, in CSS pixels.
pub const MIN_SHOWN: f64 = 240.0;
/// Room left above the run controls once scrolled.
const ABOVE: f64 = 8.0;

/// How far to scroll down (in CSS pixels) when Run is pressed, given the tops of the run
/// controls and of the timeline in the window and the window's height; `None` when enough
/// of the timeline already shows.
pub fn reveal_by(controls_top: f64, timeline_top: f64, window_height: f64) -> Option<f64> {
    (timeline_top > window_height - MIN_SHOWN).then_some(controls_top - ABOVE)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_timeline_below_the_fold_is_scrolled_to() {
        // 1000×700: the controls at 600, the timeline at 680 (20 px of it show).
        assert_eq!(reveal_by(600.0, 680.0, 700.0), Some(592.0));
        // 1400×900: the timeline at 520 shows 380 px; nothing moves.
        assert_eq!(reveal_by(440.0, 520.0, 900.0), None);
    }
}
