//! The stretch of time on screen and how it maps to pixels.

use crate::state::RunView;
use crate::summary::Expected;

/// Width of the label column on a wide canvas.
pub const LABEL_WIDTH: f64 = 230.0;
/// The label column never gets narrower than this, on a phone.
pub const MIN_LABEL_WIDTH: f64 = 110.0;
/// Empty room right of the plot.
pub const RIGHT_PAD: f64 = 32.0;
/// The narrowest view window: zooming stops here.
pub const MIN_VIEW_NS: u64 = 1_000;

/// The label column of a canvas `width` wide: narrower on a small screen, so the plot keeps
/// most of the room.
pub fn label_width(width: f64) -> f64 {
    (width * 0.3).clamp(MIN_LABEL_WIDTH, LABEL_WIDTH)
}

/// The plot's width on a canvas `width` wide.
pub fn plot_width(width: f64) -> f64 {
    (width - label_width(width) - RIGHT_PAD).max(1.0)
}

/// The stretch of time on screen, in ns since the run began.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct View {
    /// Left edge.
    pub start: u64,
    /// Right edge.
    pub end: u64,
}

impl View {
    /// The whole run: its ideal length, stretched when the run takes longer, so the axis
    /// stays still while bars grow across it.
    /// A deadlocked run has no length to expect: its own time is the whole of it.
    pub fn fit(run: &RunView, now_ns: u64) -> Self {
        let ideal = match Expected::of(run) {
            Expected::Never => 0,
            Expected::Ideal(_) | Expected::Predicted(_) => run.ideal_wall_ns,
        };
        let end = ideal.max(run.last_t_ns).max(now_ns).max(1);
        Self { start: 0, end }
    }

    pub(super) fn span(&self) -> u64 {
        self.end.saturating_sub(self.start).max(1)
    }

    /// Zooms by `factor` (< 1 zooms in) keeping time `anchor` where it is, within `0..=total`.
    pub fn zoom(self, factor: f64, anchor: u64, total: u64) -> Self {
        let span =
            ((self.span() as f64 * factor) as u64).clamp(MIN_VIEW_NS, total.max(MIN_VIEW_NS));
        let left = (anchor.saturating_sub(self.start)) as f64 / self.span() as f64;
        let start = anchor.saturating_sub((left * span as f64) as u64);
        Self {
            start,
            end: start + span,
        }
        .within(total)
    }

    /// Zooms by `factor` around the middle of the view.
    pub fn zoom_centre(self, factor: f64, total: u64) -> Self {
        self.zoom(factor, self.start + self.span() / 2, total)
    }

    /// Moves the window by `by` ns (negative: earlier), within `0..=total`.
    pub fn pan(self, by: i64, total: u64) -> Self {
        let start = if by < 0 {
            self.start.saturating_sub(by.unsigned_abs())
        } else {
            self.start.saturating_add(by as u64)
        };
        Self {
            start,
            end: start + self.span(),
        }
        .within(total)
    }

    /// Moves the window by `fraction` of its own width (negative: earlier).
    pub fn pan_by(self, fraction: f64, total: u64) -> Self {
        self.pan((self.span() as f64 * fraction) as i64, total)
    }

    /// Moves the window as a drag of `dx` pixels on a canvas `width` wide does: the time
    /// under the pointer stays under it.
    pub fn drag(self, dx: f64, width: f64, total: u64) -> Self {
        self.pan_by(-dx / plot_width(width), total)
    }

    fn within(self, total: u64) -> Self {
        let span = self.span();
        let total = total.max(span);
        let start = self.start.min(total - span);
        Self {
            start,
            end: start + span,
        }
    }

    /// x of time `t` on a canvas `width` wide.
    pub fn x(&self, t: u64, width: f64) -> f64 {
        label_width(width) + (t as f64 - self.start as f64) / self.span() as f64 * plot_width(width)
    }

    /// Time at `x` on a canvas `width` wide.
    pub fn t(&self, x: f64, width: f64) -> u64 {
        let t =
            self.start as f64 + (x - label_width(width)) / plot_width(width) * self.span() as f64;
        t.max(0.0) as u64
    }
}
