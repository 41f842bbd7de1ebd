//! Where a bar's details box goes: beside the pointer (or the keyboard cursor), inside the
//! window, never cut off by the timeline's own box.

/// The box's room, in CSS pixels: wide enough for its longest line, tall enough for six.
pub const TIP_SIZE: (f64, f64) = (300.0, 140.0);
/// Distance from the pointer.
const GAP: f64 = 12.0;

/// The box's top-left corner, in window coordinates, for a pointer at `at` in a window
/// `window` big: below and right of the pointer, flipped to the other side where the window
/// ends.
pub fn tip_position(at: (f64, f64), window: (f64, f64)) -> (f64, f64) {
    let place = |p: f64, size: f64, room: f64| {
        let after = p + GAP;
        let before = p - GAP - size;
        let chosen = if after + size <= room || before < 0.0 {
            after
        } else {
            before
        };
        chosen.min(room - size).max(0.0)
    };
    (
        place(at.0, TIP_SIZE.0, window.0),
        place(at.1, TIP_SIZE.1, window.1),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_box_stays_inside_the_window() {
        let window = (1000.0, 700.0);
        assert_eq!(tip_position((100.0, 100.0), window), (112.0, 112.0));
        // Near the right and bottom edges it flips to the pointer's other side.
        assert_eq!(tip_position((900.0, 650.0), window), (588.0, 498.0));
        // On a phone narrower than the box it sits at the left edge.
        let (x, _) = tip_position((200.0, 100.0), (250.0, 800.0));
        assert_eq!(x, 0.0);
        for at in [(0.0, 0.0), (999.0, 699.0), (500.0, 350.0)] {
            let (x, y) = tip_position(at, window);
            assert!(x >= 0.0 && x + TIP_SIZE.0 <= window.0, "{at:?}");
            assert!(y >= 0.0 && y + TIP_SIZE.1 <= window.1, "{at:?}");
        }
    }
}
