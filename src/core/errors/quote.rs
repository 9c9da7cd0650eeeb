//! Showing a caller's or a server's text inside a message: quoted and escaped as Rust's `Debug`
//! writes strings, and shortened.

/// `text` in double quotes, at most `max_chars` characters of it (then `…`), escaped.
pub fn quoted(text: &str, max_chars: usize) -> String {
    match text.char_indices().nth(max_chars) {
        Some((cut, _)) => format!("{:?}…", &text[..cut]),
        None => format!("{text:?}"),
    }
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
