//! Colours for Python source in the editor. This only paints: the server's parser reads
//! the program, and a text this scanner misjudges is still read correctly there.

/// What a piece of source is, for its colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Class {
    /// Anything else: names, operators, spaces.
    Plain,
    /// `async`, `def`, `await`...
    Keyword,
    /// `print`, `sum`, `range`, `None`, `True`...
    Builtin,
    /// A string literal, quotes and prefix included.
    String,
    /// A number literal.
    Number,
    /// A comment.
    Comment,
    /// A `# looplab:` directive comment.
    Directive,
    /// `@app.get(...)`'s name.
    Decorator,
    /// The name a `def` defines.
    Definition,
}

impl Class {
    /// The CSS class that colours it.
    pub fn css(self) -> &'static str {
        match self {
            Class::Plain => "",
            Class::Keyword => "kw",
            Class::Builtin => "bi",
            Class::String => "st",
            Class::Number => "nu",
            Class::Comment => "co",
            Class::Directive => "di",
            Class::Decorator => "de",
            Class::Definition => "df",
        }
    }
}

const KEYWORDS: [&str; 35] = [
    "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class", "continue",
    "def", "del", "elif", "else", "except", "finally", "for", "from", "global", "if", "import",
    "in", "is", "lambda", "nonlocal", "not", "or", "pass", "raise", "return", "try", "while",
    "with", "yield",
];

const BUILTINS: [&str; 6] = ["print", "sum", "range", "len", "str", "int"];

/// The source cut into lines, each a list of pieces with their class; pieces never span
/// lines, so each line renders on its own.
pub fn lines(source: &str) -> Vec<Vec<(Class, String)>> {
    let mut out: Vec<Vec<(Class, String)>> = vec![Vec::new()];
    for (class, text) in tokens(source) {
        for (k, piece) in text.split('\n').enumerate() {
            if k > 0 {
                out.push(Vec::new());
            }
            if !piece.is_empty() {
                let line = out.last_mut().expect("one line at least");
                match line.last_mut() {
                    Some((c, t)) if *c == class => t.push_str(piece),
                    _ => line.push((class, piece.to_owned())),
                }
            }
        }
    }
    out
}

fn tokens(source: &str) -> Vec<(Class, &str)> {
    let bytes = source.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    let mut after_def = false;
    let mut line_start = true;
    while i < source.len() {
        let rest = &source[i..];
        let c = rest.chars().next().unwrap_or(' ');
        let (class, len) = if c == '#' {
            let len = rest.find('\n').unwrap_or(rest.len());
            let class = if rest.starts_with(looplab_shared::python::DIRECTIVE) {
                Class::Directive
            } else {
                Class::Comment
            };
            (class, len)
        } else if let Some(len) = string_len(rest) {
            (Class::String, len)
        } else if c.is_ascii_digit()
            || (c == '.' && rest[1..].starts_with(|d: char| d.is_ascii_digit()))
        {
            let len = rest
                .find(|ch: char| !(ch.is_ascii_alphanumeric() || ch == '_' || ch == '.'))
                .unwrap_or(rest.len());
            (Class::Number, len)
        } else if c == '@' && line_start {
            let len = 1 + rest[1..]
                .find(|ch: char| !(ch.is_alphanumeric() || ch == '_' || ch == '.'))
                .unwrap_or(rest.len() - 1);
            (Class::Decorator, len)
        } else if c.is_alphabetic() || c == '_' {
            let len = rest
                .find(|ch: char| !(ch.is_alphanumeric() || ch == '_'))
                .unwrap_or(rest.len());
            let word = &rest[..len];
            let class = if after_def {
                Class::Definition
            } else if KEYWORDS.contains(&word) {
                Class::Keyword
            } else if BUILTINS.contains(&word) {
                Class::Builtin
            } else {
                Class::Plain
            };
            after_def = word == "def" || word == "class";
            (class, len)
        } else {
            (Class::Plain, c.len_utf8())
        };
        if !c.is_whitespace() {
            line_start = false;
        }
        if c == '\n' {
            line_start = true;
        }
        out.push((class, &source[i..i + len]));
        i += len;
        debug_assert!(i <= bytes.len());
    }
    out
}

/// The length of the string literal `rest` starts with, prefix included, if it starts
/// with one: up to its closing quote, or the end of the line (or text) if it has none.
fn string_len(rest: &str) -> Option<usize> {
    let prefix = rest
        .find(|c: char| !matches!(c, 'r' | 'R' | 'b' | 'B' | 'f' | 'F' | 'u' | 'U'))
        .unwrap_or(rest.len());
    if prefix > 2 {
        return None;
    }
    let body = &rest[prefix..];
    let quote = body.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    let triple: String = std::iter::repeat_n(quote, 3).collect();
    let raw = rest[..prefix].contains(['r', 'R']);
    if body.starts_with(&triple) {
        let inner = &body[3..];
        let end = find_close(inner, &triple, raw, true).map_or(inner.len(), |e| e + 3);
        return Some(prefix + 3 + end);
    }
    let inner = &body[1..];
    let end = find_close(inner, &quote.to_string(), raw, false)
        .map_or_else(|| inner.find('\n').unwrap_or(inner.len()), |e| e + 1);
    Some(prefix + 1 + end)
}

/// Where `close` first closes the string `inner` (its start), skipping escapes.
fn find_close(inner: &str, close: &str, raw: bool, multiline: bool) -> Option<usize> {
    let mut chars = inner.char_indices();
    while let Some((i, c)) = chars.next() {
        if c == '\\' && !raw {
            chars.next();
        } else if c == '\n' && !multiline {
            return None;
        } else if inner[i..].starts_with(close) {
            return Some(i);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn classes(source: &str) -> Vec<(Class, &str)> {
        tokens(source)
            .into_iter()
            .filter(|(c, t)| *c != Class::Plain || !t.trim().is_empty())
            .collect()
    }

    #[test]
    fn keywords_strings_numbers_and_comments_get_their_colours() {
        use Class::*;
        assert_eq!(
            classes("async def main():  # go\n    await x(10_000, f\"{n}\\\"\")"),
            [
                (Keyword, "async"),
                (Keyword, "def"),
                (Definition, "main"),
                (Plain, "("),
                (Plain, ")"),
                (Plain, ":"),
                (Comment, "# go"),
                (Keyword, "await"),
                (Plain, "x"),
                (Plain, "("),
                (Number, "10_000"),
                (Plain, ","),
                (String, "f\"{n}\\\"\""),
                (Plain, ")"),
            ]
        );
        assert_eq!(classes("@app.get(\"/\")")[0], (Decorator, "@app.get"));
        assert_eq!(classes("# looplab: scenario()")[0].0, Directive);
        assert_eq!(
            classes("x = a @ b")[3],
            (Plain, "@"),
            "an operator, not a decorator"
        );
    }

    #[test]
    fn multi_line_and_unclosed_strings_end_where_they_should() {
        let l = lines("s = \"\"\"one\ntwo\"\"\"\nprint('open\nx = 1");
        assert_eq!(l.len(), 4);
        assert_eq!(l[1], [(Class::String, "two\"\"\"".to_owned())]);
        assert_eq!(l[2][2], (Class::String, "'open".to_owned()));
        assert_eq!(l[3][0], (Class::Plain, "x = ".to_owned()));
    }
}
