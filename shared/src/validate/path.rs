//! Where in a JSON text serde stopped, as a path (`tasks[0].steps[1].ms`): read from the
//! text itself up to the error's line and column, so that one deserializer serves every
//! reader. A wrapper that tracks the path as it deserializes would compile every type's
//! reader a second time, and the page's download would carry both.

/// The path of the value being read where `e` stopped reading `text`: keys joined by `.`,
/// array elements as `[i]`; empty at the top. For an object that ended without a field it
/// needs, the object's own path.
pub fn json_path(text: &str, e: &serde_json::Error) -> String {
    let start_of_line: usize = text
        .split_inclusive('\n')
        .take(e.line().saturating_sub(1))
        .map(str::len)
        .sum();
    let end = (start_of_line + e.column()).min(text.len());
    let read = text
        .as_bytes()
        .get(..end)
        .unwrap_or_default()
        .trim_ascii_end();
    // serde places an error raised after a value was read whole (a shape that checks its
    // fields together) where the container went on: past the `,` after the value or the
    // `]` that closed its list. An error at an opening bracket is the value's it opens.
    let read = match read.last() {
        Some(b',' | b']' | b'[' | b'{') => &read[..read.len() - 1],
        _ => read,
    };
    path_at(read)
}

enum Frame {
    /// An object, and the key of the member being read, once its key has been read.
    Object(Option<String>),
    /// An array, and the index of the element being read.
    Array(usize),
}

/// The path of the value being read after `text`.
fn path_at(text: &[u8]) -> String {
    // A missing field is reported just after its object's `}`: the member or element that
    // held the object is still the one being read, so the path is the object's.
    let mut stack: Vec<Frame> = Vec::new();
    let mut i = 0;
    while i < text.len() {
        let b = text[i];
        i += 1;
        if b != b'"' {
            match b {
                b'{' => stack.push(Frame::Object(None)),
                b'[' => stack.push(Frame::Array(0)),
                b'}' | b']' => {
                    stack.pop();
                }
                b',' => match stack.last_mut() {
                    Some(Frame::Object(key)) => *key = None,
                    Some(Frame::Array(index)) => *index += 1,
                    None => {}
                },
                _ => {}
            }
            continue;
        }
        let from = i;
        while i < text.len() && text[i] != b'"' {
            i += if text[i] == b'\\' { 2 } else { 1 };
        }
        let string = &text[from..i.min(text.len())];
        i += 1;
        // A string where an object expects a key is the key.
        if let Some(Frame::Object(key @ None)) = stack.last_mut() {
            *key = Some(String::from_utf8_lossy(string).into_owned());
        }
    }
    let mut path = String::new();
    let mut push = |frame: &Frame| match frame {
        Frame::Object(Some(key)) => {
            if !path.is_empty() {
                path.push('.');
            }
            path.push_str(key);
        }
        Frame::Object(None) => {}
        Frame::Array(index) => path.push_str(&format!("[{index}]")),
    };
    stack.iter().for_each(&mut push);
    path
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;

    use super::json_path;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Step {
        ms: u64,
        #[serde(default)]
        note: String,
    }

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Task {
        name: String,
        steps: Vec<Step>,
    }

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Doc {
        tasks: Vec<Task>,
    }

    fn path(text: &str) -> String {
        let e = serde_json::from_str::<Doc>(text).unwrap_err();
        json_path(text, &e)
    }

    #[test]
    fn a_wrong_value_is_found_at_its_key() {
        let text = r#"{"tasks": [{"name": "a", "steps": [{"ms": 1}, {"ms": "x"}]}]}"#;
        assert_eq!(path(text), "tasks[0].steps[1].ms");
        let text =
            "{\n  \"tasks\": [\n    {\"name\": \"a\", \"steps\": []},\n    {\"name\": 7}\n  ]\n}";
        assert_eq!(path(text), "tasks[1].name");
    }

    #[test]
    fn an_unknown_key_is_named_and_brackets_in_strings_do_not_count() {
        let text = r#"{"tasks": [{"name": "a[{,\"", "steps": [{"ms": 1, "nope": 2}]}]}"#;
        assert_eq!(path(text), "tasks[0].steps[0].nope");
    }

    #[test]
    fn a_missing_field_is_the_objects() {
        let text = r#"{"tasks": [{"name": "a", "steps": [{"note": "n"}]}]}"#;
        assert_eq!(path(text), "tasks[0].steps[0]");
        assert_eq!(path("{}"), "");
    }
}
