//! The timeline by keyboard: a cursor on one bar of one row, moved with the arrows, whose
//! details show as the pointer's would; zoom and pan with keys.

use super::{Bar, Segment};

/// Something with a time span the cursor can be on: a bar, a resource lane's stretch.
pub trait Stretch {
    /// Its start and end, in ns since the run began.
    fn span(&self) -> (u64, u64);
}

impl Stretch for Bar {
    fn span(&self) -> (u64, u64) {
        (self.start, self.end)
    }
}

impl Stretch for Segment {
    fn span(&self) -> (u64, u64) {
        (self.start, self.end)
    }
}

/// What a key does on the focused timeline.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Command {
    /// `+`, `=` or `w`.
    ZoomIn,
    /// `-` or `s`.
    ZoomOut,
    /// `0`: the whole run.
    Fit,
    /// `a` or Shift+←: a fifth of the view earlier.
    PanEarlier,
    /// `d` or Shift+→: a fifth of the view later.
    PanLater,
    /// ←: the bar before.
    PrevBar,
    /// →: the bar after.
    NextBar,
    /// ↑: the row above.
    RowUp,
    /// ↓: the row below.
    RowDown,
    /// Enter or Space: open or fold the lane under the cursor.
    Toggle,
    /// Escape: hide the details.
    Leave,
}

/// The command `key` (a `KeyboardEvent.key`) stands for, with Shift held or not.
pub fn command(key: &str, shift: bool) -> Option<Command> {
    Some(match key {
        "+" | "=" | "w" | "W" => Command::ZoomIn,
        "-" | "_" | "s" | "S" => Command::ZoomOut,
        "0" => Command::Fit,
        "a" | "A" => Command::PanEarlier,
        "d" | "D" => Command::PanLater,
        "ArrowLeft" if shift => Command::PanEarlier,
        "ArrowRight" if shift => Command::PanLater,
        "ArrowLeft" => Command::PrevBar,
        "ArrowRight" => Command::NextBar,
        "ArrowUp" => Command::RowUp,
        "ArrowDown" => Command::RowDown,
        "Enter" | " " => Command::Toggle,
        "Escape" => Command::Leave,
        _ => return None,
    })
}

/// Where the keyboard cursor is: a row (counted from the top of all rows) and a time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cursor {
    /// The row.
    pub row: usize,
    /// A time within the bar it is on.
    pub t: u64,
}

/// The bar (or stretch) at time `t`, or the one nearest to it.
pub fn nearest<T: Stretch>(bars: &[T], t: u64) -> Option<usize> {
    let distance = |b: &T| {
        let (start, end) = b.span();
        if t < start {
            start - t
        } else {
            t.saturating_sub(end)
        }
    };
    (0..bars.len()).min_by_key(|&i| distance(&bars[i]))
}

/// The middle of the bar after (`forward`) or before the one at `t`; `None` at either end.
pub fn step<T: Stretch>(bars: &[T], t: u64, forward: bool) -> Option<u64> {
    let here = nearest(bars, t)?;
    let to = if forward {
        here + 1
    } else {
        here.checked_sub(1)?
    };
    bars.get(to).map(|b| {
        let (start, end) = b.span();
        start + (end - start) / 2
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state::SpanKind;

    fn bars(spans: &[(u64, u64)]) -> Vec<Bar> {
        spans
            .iter()
            .map(|&(start, end)| Bar {
                subject: 0,
                x: start as f64,
                w: (end - start) as f64,
                kind: SpanKind::Running,
                start,
                end,
                open: false,
                count: 1,
            })
            .collect()
    }

    #[test]
    fn keys_name_commands() {
        let check = |key, shift, want| assert_eq!(command(key, shift), want, "{key}");
        check("+", false, Some(Command::ZoomIn));
        check("-", false, Some(Command::ZoomOut));
        check("0", false, Some(Command::Fit));
        check("ArrowLeft", false, Some(Command::PrevBar));
        check("ArrowLeft", true, Some(Command::PanEarlier));
        check("d", false, Some(Command::PanLater));
        check("ArrowDown", false, Some(Command::RowDown));
        check("Enter", false, Some(Command::Toggle));
        check("Tab", false, None);
    }

    #[test]
    fn the_cursor_steps_from_bar_to_bar() {
        let b = bars(&[(0, 10), (10, 30), (50, 60)]);
        assert_eq!(nearest(&b, 15), Some(1));
        assert_eq!(nearest(&b, 40), Some(1), "closer to 30 than to 50");
        assert_eq!(nearest(&b, 99), Some(2));
        assert_eq!(step(&b, 5, true), Some(20));
        assert_eq!(step(&b, 20, true), Some(55));
        assert_eq!(step(&b, 55, true), None, "the last bar");
        assert_eq!(step(&b, 5, false), None, "the first bar");
        assert_eq!(step::<Bar>(&[], 5, true), None);
    }
}
