//! The Python editor's keys, as a code editor has them: Tab indents by four spaces and
//! Shift+Tab takes them away, on the line or on every line selected; Enter starts the next
//! line at the same indentation, one level deeper after a line that ends in `:`.
//!
//! Positions are the text area's own: UTF-16 code units, as `selectionStart` counts them.

/// One level of indentation, as Python's style guide has it.
pub const INDENT: u32 = 4;

/// What a key does to the text: `start..end` becomes `insert`, then `select` is selected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyEdit {
    pub start: u32,
    pub end: u32,
    pub insert: String,
    pub select: (u32, u32),
}

const NEWLINE: u16 = b'\n' as u16;
const SPACE: u16 = b' ' as u16;

/// Where the line holding `at` starts.
fn line_start(text: &[u16], at: u32) -> u32 {
    let at = (at as usize).min(text.len());
    text[..at]
        .iter()
        .rposition(|&c| c == NEWLINE)
        .map_or(0, |i| i as u32 + 1)
}

/// Where the line holding `at` ends (its newline, or the end of the text).
fn line_end(text: &[u16], at: u32) -> u32 {
    let at = (at as usize).min(text.len());
    text[at..]
        .iter()
        .position(|&c| c == NEWLINE)
        .map_or(text.len(), |i| at + i) as u32
}

/// The spaces a line starts with.
fn leading(line: &[u16]) -> u32 {
    line.iter().take_while(|&&c| c == SPACE).count() as u32
}

/// How many spaces Shift+Tab takes from a line that starts with `lead`: back to the
/// indentation level before.
fn dedent_by(lead: u32) -> u32 {
    match lead % INDENT {
        0 => lead.min(INDENT),
        r => r,
    }
}

/// Tab (or Shift+Tab, `back`) with `start..end` selected in `text`.
pub fn tab(text: &[u16], start: u32, end: u32, back: bool) -> KeyEdit {
    let first = line_start(text, start);
    let within_line = !text[start as usize..end as usize].contains(&NEWLINE);
    if !back && within_line {
        // To the next indentation level, in place of what is selected.
        let n = INDENT - (start - first) % INDENT;
        let at = start + n;
        return KeyEdit {
            start,
            end,
            insert: " ".repeat(n as usize),
            select: (at, at),
        };
    }
    // A selection that ends at the start of a line does not take that line in.
    let last = if end > start && line_start(text, end) == end {
        end - 1
    } else {
        end
    };
    let stop = line_end(text, last);
    let region = &text[first as usize..stop as usize];
    let mut out: Vec<u16> = Vec::with_capacity(region.len());
    // How far the caret's own line moved, for a caret that stays on one line.
    let mut moved = 0u32;
    for (i, line) in region.split(|&c| c == NEWLINE).enumerate() {
        if i > 0 {
            out.push(NEWLINE);
        }
        let rest: &[u16] = if back {
            let cut = dedent_by(leading(line));
            if i == 0 {
                moved = cut;
            }
            &line[cut as usize..]
        } else {
            if !line.is_empty() {
                out.extend(std::iter::repeat_n(SPACE, INDENT as usize));
            }
            line
        };
        out.extend_from_slice(rest);
    }
    let new_stop = first + out.len() as u32;
    let select = if within_line {
        let keep = |at: u32| first + (at - first).saturating_sub(moved);
        (keep(start), keep(end))
    } else {
        (first, new_stop)
    };
    KeyEdit {
        start: first,
        end: stop,
        insert: String::from_utf16_lossy(&out),
        select,
    }
}

/// Enter with `start..end` selected in `text`: a new line at the indentation of the one
/// before, one level deeper after a `:`.
pub fn enter(text: &[u16], start: u32, end: u32) -> KeyEdit {
    let first = line_start(text, start);
    let before = &text[first as usize..start as usize];
    let mut spaces = leading(before);
    let opens = String::from_utf16_lossy(before).trim_end().ends_with(':');
    if opens {
        spaces += INDENT;
    }
    let insert = format!("\n{}", " ".repeat(spaces as usize));
    let at = start + 1 + spaces;
    KeyEdit {
        start,
        end,
        insert,
        select: (at, at),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `text` with `|` marking the selection's ends (one `|` for a caret), the key, and the
    /// text after it with its selection marked the same way.
    fn check(before: &str, key: &str, after: &str) {
        let marks: Vec<usize> = before.match_indices('|').map(|(i, _)| i).collect();
        let plain = before.replace('|', "");
        let units: Vec<u16> = plain.encode_utf16().collect();
        let at = |byte: usize, k: usize| plain[..byte - k].encode_utf16().count() as u32;
        let (start, end) = match marks[..] {
            [a] => (at(a, 0), at(a, 0)),
            [a, b] => (at(a, 0), at(b, 1)),
            _ => panic!("mark the selection in {before:?}"),
        };
        let edit = match key {
            "Tab" => tab(&units, start, end, false),
            "Shift+Tab" => tab(&units, start, end, true),
            _ => enter(&units, start, end),
        };
        let mut result: Vec<u16> = units[..edit.start as usize].to_vec();
        result.extend(edit.insert.encode_utf16());
        result.extend_from_slice(&units[edit.end as usize..]);
        let (a, b) = (edit.select.0 as usize, edit.select.1 as usize);
        let mut shown = String::from_utf16_lossy(&result[..a]);
        shown.push('|');
        if b > a {
            shown.push_str(&String::from_utf16_lossy(&result[a..b]));
            shown.push('|');
        }
        shown.push_str(&String::from_utf16_lossy(&result[b..]));
        assert_eq!(shown, after, "{key} on {before:?}");
    }

    #[test]
    fn tab_indents_to_the_next_level() {
        check("|x = 1", "Tab", "    |x = 1");
        check("  |x", "Tab", "    |x");
        check("print(\"é\")|", "Tab", "print(\"é\")  |");
        // A selection within a line is replaced, as typing would.
        check("a |bc| d", "Tab", "a   | d");
    }

    #[test]
    fn tab_on_lines_indents_each_of_them() {
        check(
            "|def f():\n    pass\n\nx = 1|",
            "Tab",
            "|    def f():\n        pass\n\n    x = 1|",
        );
        // The line the selection ends at the start of is left alone.
        check("|a\nb\n|c", "Tab", "|    a\n    b|\nc");
    }

    #[test]
    fn shift_tab_takes_a_level_away() {
        check("        x|", "Shift+Tab", "    x|");
        check("      |x", "Shift+Tab", "    |x");
        check("  |  x", "Shift+Tab", "|x");
        check("x|", "Shift+Tab", "x|");
        check("|    a\n        b\nc|", "Shift+Tab", "|a\n    b\nc|");
    }

    #[test]
    fn enter_keeps_the_indentation_and_opens_a_block_after_a_colon() {
        check("    x = 1|", "Enter", "    x = 1\n    |");
        check("async def main():|", "Enter", "async def main():\n    |");
        check("    with pool:  |", "Enter", "    with pool:  \n        |");
        check("    a|b", "Enter", "    a\n    |b");
        check("  |  x", "Enter", "  \n  |  x");
        check("x = |old|", "Enter", "x = \n|");
    }
}
