//! What a server writes in an error message may quote a phone number, such as the hidden real
//! number behind a booking. Messages from servers pass through [`hide_numbers`] before they
//! reach an error, so no number ever lands in a log through the library.

/// `text` with every phone-number-like run replaced by `[number]`: 8 or more digits, optionally
/// after `+`, in groups separated by single spaces (or by `.`, `/` or `-`, the ways people write
/// numbers, with 9 digits or more: a date such as `2026-11-23` has 8), not part of a word (so
/// ids such as `bk_12345678` stay as they are). A longer run is several numbers side by side.
pub fn hide_numbers(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    let mut i = 0;
    while i < bytes.len() {
        let start = i;
        let word_before = start > 0 && is_word(bytes[start - 1]);
        let digits_from = if bytes[i] == b'+' { i + 1 } else { i };
        if word_before || !bytes.get(digits_from).is_some_and(u8::is_ascii_digit) {
            i += 1;
            continue;
        }
        let run = digit_run(bytes, digits_from);
        let word_after = bytes.get(run.end).is_some_and(|&b| is_word(b));
        let least = if run.punctuated { 9 } else { 8 };
        if run.digits >= least && !word_after {
            out.push_str(&text[copied..start]);
            out.push_str("[number]");
            copied = run.end;
        }
        i = run.end.max(start + 1);
    }
    out.push_str(&text[copied..]);
    out
}

/// A run of digit groups.
struct Run {
    /// Where it ends (after its last digit).
    end: usize,
    /// How many digits it holds.
    digits: usize,
    /// Whether a group was separated by `.`, `/` or `-` rather than a space.
    punctuated: bool,
}

/// From `from` (a digit): the run of digits and single separators that ends on a digit.
fn digit_run(bytes: &[u8], from: usize) -> Run {
    let mut run = Run {
        end: from,
        digits: 0,
        punctuated: false,
    };
    let mut i = from;
    while i < bytes.len() {
        if bytes[i].is_ascii_digit() {
            run.digits += 1;
            i += 1;
            run.end = i;
        } else if matches!(bytes[i], b' ' | b'.' | b'/' | b'-')
            && bytes.get(i + 1).is_some_and(u8::is_ascii_digit)
        {
            run.punctuated |= bytes[i] != b' ';
            i += 1;
        } else {
            break;
        }
    }
    run
}

fn is_word(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'-' || b == b'/' || b == b':'
}

#[cfg(test)]
mod tests {
    use super::hide_numbers;

    #[test]
    fn hides_numbers_in_every_usual_format() {
        for number in [
            "32479123987",
            "+32479123987",
            "0479123987",
            "0032479123987",
            "+32 479 12 39 87",
            "0479 12 39 87",
            "0479/12.39.87",
            "0479.12.39.87",
            "0479-12-39-87",
            "32479123987 32471123987",
            "+32 479 12 39 87 0471 12 39 87",
        ] {
            let text = format!("destination {number} is not reachable");
            assert_eq!(hide_numbers(&text), "destination [number] is not reachable");
            assert_eq!(hide_numbers(number), "[number]");
        }
    }

    #[test]
    fn leaves_ids_dates_counts_and_short_numbers() {
        for text in [
            "booking bk_12345678 not found",
            "endTime 2026-11-23T10:00:00Z is in the past",
            "HTTP 404: 3600 seconds, 25 calls",
            "code 900901",
            "id abc12345678",
            "on 2026-11-23 at noon",
            "version 1.0.0, 127.0.0.1",
        ] {
            assert_eq!(hide_numbers(text), text);
        }
    }
}
