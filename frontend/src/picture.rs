//! The timeline as a picture that stands on its own on a slide: a title and what the run
//! measured above the rows, the legend below, all on white.

/// Room for the title and its second line.
pub const HEADER: f64 = 58.0;
/// Height of one line of the legend.
pub const LEGEND_LINE: f64 = 24.0;
/// Space around the content.
pub const MARGIN: f64 = 16.0;
/// Gap between two legend entries.
const ENTRY_GAP: f64 = 18.0;

/// Where everything goes.
#[derive(Debug, Clone, PartialEq)]
pub struct Picture {
    /// Whole width.
    pub width: f64,
    /// Whole height.
    pub height: f64,
    /// Top of the rows (the timeline's axis).
    pub rows_top: f64,
    /// Each legend entry's top-left corner, in the order given.
    pub legend: Vec<(f64, f64)>,
}

/// Lays a picture `width` wide out around rows `rows_height` tall, with legend entries
/// `entry_widths` wide flowing left to right and wrapping onto more lines as needed.
pub fn picture(width: f64, rows_height: f64, entry_widths: &[f64]) -> Picture {
    let rows_top = HEADER;
    let legend_top = rows_top + rows_height + MARGIN;
    let mut legend = Vec::with_capacity(entry_widths.len());
    let (mut x, mut line) = (MARGIN, 0.0);
    for &w in entry_widths {
        if x > MARGIN && x + w > width - MARGIN {
            x = MARGIN;
            line += 1.0;
        }
        legend.push((x, legend_top + line * LEGEND_LINE));
        x += w + ENTRY_GAP;
    }
    let lines = if entry_widths.is_empty() {
        0.0
    } else {
        line + 1.0
    };
    Picture {
        width,
        height: legend_top + lines * LEGEND_LINE + MARGIN,
        rows_top,
        legend,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_legend_flows_under_the_rows_and_wraps() {
        let p = picture(400.0, 100.0, &[150.0, 150.0, 150.0]);
        let legend_top = HEADER + 100.0 + MARGIN;
        assert_eq!(
            p.legend,
            [
                (MARGIN, legend_top),
                (MARGIN + 150.0 + ENTRY_GAP, legend_top),
                (MARGIN, legend_top + LEGEND_LINE)
            ]
        );
        assert_eq!(p.height, legend_top + 2.0 * LEGEND_LINE + MARGIN);
        assert_eq!(p.rows_top, HEADER);
        // An entry wider than the picture still gets a line of its own.
        let narrow = picture(100.0, 10.0, &[300.0, 300.0]);
        assert_eq!(narrow.legend[0].0, MARGIN);
        assert_eq!(narrow.legend[1].1, narrow.legend[0].1 + LEGEND_LINE);
    }
}
