//! Showing a caller's or a server's text inside a message: in double quotes, shortened, with
//! quotes, backslashes and control characters escaped, as `{:?}` writes ordinary text. Own code
//! because `{:?}` would bring `Debug`'s Unicode printability tables (about 6 KB of wasm) for
//! messages that need none of them.

use std::fmt::Write;

/// `text` in double quotes, at most `max_chars` characters of it (then `…`), escaped.
pub fn quoted(text: &str, max_chars: usize) -> String {
    let mut out = String::with_capacity(text.len().min(max_chars) + 2);
    out.push('"');
    let mut chars = text.chars();
    for c in chars.by_ref().take(max_chars) {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{{{:x}}}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    if chars.next().is_some() {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::quoted;

    #[test]
    fn quotes_like_debug_for_ordinary_text() {
        for s in [
            "",
            "abc",
            "say \"hi\"",
            "a\\b",
            "tab\there",
            "line\nbreak",
            "\u{7}",
            "ünï",
        ] {
            assert_eq!(quoted(s, 40), format!("{s:?}"), "{s:?}");
        }
    }

    #[test]
    fn shortens_after_max_chars() {
        assert_eq!(quoted("abcdef", 3), "\"abc\"…");
        assert_eq!(quoted("abc", 3), "\"abc\"");
    }
}
