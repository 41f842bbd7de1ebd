//! JSON indented as `serde_json::to_string_pretty` indents it, from compact JSON text. The
//! page serialises a scenario one way only (compact, as links and messages carry it) and
//! indents the text for the JSON view: a second serialiser for the whole model would add
//! to every learner's download.

/// `compact`, indented by two spaces a level.
pub fn pretty(compact: &str) -> String {
    let mut out = String::with_capacity(compact.len() * 2);
    let mut depth = 0usize;
    let (mut in_string, mut escaped) = (false, false);
    let mut chars = compact.chars().peekable();
    let newline = |out: &mut String, depth: usize| {
        out.push('\n');
        out.push_str(&"  ".repeat(depth));
    };
    while let Some(c) = chars.next() {
        if in_string {
            out.push(c);
            match (escaped, c) {
                (true, _) => escaped = false,
                (false, '\\') => escaped = true,
                (false, '"') => in_string = false,
                (false, _) => {}
            }
            continue;
        }
        match c {
            '"' => {
                in_string = true;
                out.push(c);
            }
            '{' | '[' => {
                out.push(c);
                let close = if c == '{' { '}' } else { ']' };
                if chars.peek() == Some(&close) {
                    out.push(close);
                    chars.next();
                } else {
                    depth += 1;
                    newline(&mut out, depth);
                }
            }
            '}' | ']' => {
                depth = depth.saturating_sub(1);
                newline(&mut out, depth);
                out.push(c);
            }
            ',' => {
                out.push(',');
                newline(&mut out, depth);
            }
            ':' => out.push_str(": "),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn indents_as_serde_json_does() {
        for p in looplab_shared::presets::all() {
            let s = p.scenario();
            let compact = serde_json::to_string(&s).unwrap();
            assert_eq!(
                pretty(&compact),
                serde_json::to_string_pretty(&s).unwrap(),
                "{}",
                p.id
            );
        }
        let tricky = r#"{"a":"x,{y}:\"z\"","b":[],"c":{},"d":[1,[2]]}"#;
        let value: serde_json::Value = serde_json::from_str(tricky).unwrap();
        assert_eq!(
            pretty(tricky),
            serde_json::to_string_pretty(&value).unwrap()
        );
    }
}
