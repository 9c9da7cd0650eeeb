//! Phone numbers (MSISDNs): reading the many ways people write them, and writing them back for
//! humans.
//!
//! The wire form is the international number without `+` (`32477121212`). Belgium is the
//! default country: a number written with a single leading `0` is a Belgian national number.
//!
//! What [`normalize`] accepts, in order:
//! - separators anywhere: Unicode spaces (NBSP, thin spaces…) and tabs, invisible formatting marks
//!   (zero-width spaces, direction marks, BOM), `.`, `/`, `-` and the Unicode dashes, `(`, `)`;
//! - `+CC…` or `00CC…`: international; `0…`: Belgian national (9 or 10 digits);
//!   anything else starting with `1`–`9`: already international;
//! - the trunk `0` after a country code, written `+32 (0)477…` or `+32 0477…` (for Belgium).
//!
//! What it refuses, saying why: no digits, letters, non-ASCII digits (`٠١٢`, fullwidth `０`:
//! they are refused rather than guessed at), control characters, a `+` anywhere but at the
//! start, fewer than 8 or more than 15 digits (E.164), a Belgian number of the wrong length.

use super::errors::privacy::hide_numbers;
use super::errors::quote;
use super::errors::{ProximusError, Result};

/// Fewest digits of an international number accepted (country code included).
pub const MIN_DIGITS: usize = 8;
/// Most digits of an international number (E.164).
pub const MAX_DIGITS: usize = 15;
/// Longest input looked at: a longer string is not a phone number.
const MAX_INPUT_CHARS: usize = 64;
/// Belgium's country code, the default country of national numbers.
const BELGIUM: &str = "32";

/// The international form without `+` (`32477121212`) of a number written any usual way;
/// `invalid_argument` saying what is wrong otherwise.
pub fn normalize(input: &str) -> Result<String> {
    let trimmed = input.trim_matches(|c: char| c.is_whitespace() || is_invisible(c));
    if trimmed.is_empty() {
        return Err(ProximusError::invalid("the phone number is empty"));
    }
    if trimmed.chars().count() > MAX_INPUT_CHARS {
        return Err(rejected(
            trimmed,
            &format!("it is longer than {MAX_INPUT_CHARS} characters"),
        ));
    }
    let (digits, plus) = scan(trimmed)?;
    if digits.is_empty() {
        return Err(rejected(trimmed, "it contains no digits"));
    }
    let international = if plus {
        if digits.starts_with('0') {
            return Err(rejected(
                trimmed,
                "a country code follows the '+', and none starts with 0",
            ));
        }
        digits
    } else if let Some(rest) = digits.strip_prefix("00") {
        if rest.starts_with('0') {
            return Err(rejected(
                trimmed,
                "a country code follows the international prefix 00, and none starts with 0",
            ));
        }
        rest.to_string()
    } else if let Some(national) = digits.strip_prefix('0') {
        if !(8..=9).contains(&national.len()) {
            return Err(rejected(
                trimmed,
                &format!(
                    "a Belgian number written with a leading 0 has 9 or 10 digits, this one has {}",
                    digits.len()
                ),
            ));
        }
        format!("{BELGIUM}{national}")
    } else {
        digits
    };
    // `+32 0477…`: the Belgian trunk 0 written after the country code (no Belgian number
    // starts with 0 after it, so dropping it is never ambiguous).
    let international = match international.strip_prefix("320") {
        Some(national) if national.starts_with('0') => {
            return Err(rejected(
                trimmed,
                "after the country code 32, at most one trunk 0 may be written",
            ));
        }
        Some(national) => format!("{BELGIUM}{national}"),
        None => international,
    };
    let count = international.len();
    if count > MAX_DIGITS {
        return Err(rejected(
            trimmed,
            &format!(
                "it has {count} digits, an international number has at most {MAX_DIGITS} (E.164)"
            ),
        ));
    }
    if count < MIN_DIGITS {
        return Err(rejected(
            trimmed,
            &format!(
                "it has {count} digits, an international number (country code included) has at least {MIN_DIGITS}"
            ),
        ));
    }
    if let Some(national) = international.strip_prefix(BELGIUM) {
        if !(8..=9).contains(&national.len()) {
            return Err(rejected(
                trimmed,
                &format!(
                    "a Belgian number (+32) has 8 or 9 digits after the country code, this one has {}",
                    national.len()
                ),
            ));
        }
    }
    Ok(international)
}

/// The digits of `text` and whether it started with `+`; refuses what is no phone number.
fn scan(text: &str) -> Result<(String, bool)> {
    let chars: Vec<char> = text.chars().collect();
    let mut digits = String::new();
    let mut plus = false;
    let mut i = 0;
    while let Some(&c) = chars.get(i) {
        match c {
            '0'..='9' => digits.push(c),
            '+' if !plus && digits.is_empty() => plus = true,
            '+' => {
                return Err(rejected(
                    text,
                    "a '+' may only stand at the start of the number",
                ))
            }
            // `+32 (0)477 …`: the trunk 0 some write after the country code.
            '(' if !digits.is_empty()
                && chars.get(i + 1) == Some(&'0')
                && chars.get(i + 2) == Some(&')') =>
            {
                i += 3;
                continue;
            }
            c if is_separator(c) => {}
            c if c.is_control() => {
                return Err(rejected(
                    text,
                    &format!("it contains the control character U+{:04X}", c as u32),
                ))
            }
            c if c.is_numeric() => {
                return Err(rejected(
                    text,
                    &format!(
                        "it contains the non-ASCII digit '{c}' (U+{:04X}): write the number with the digits 0-9",
                        c as u32
                    ),
                ))
            }
            c if c.is_alphabetic() => {
                return Err(rejected(
                    text,
                    &format!("it contains letters ('{c}'): only digits, spaces, + . / - ( ) are allowed"),
                ))
            }
            c => {
                return Err(rejected(
                    text,
                    &format!(
                        "it contains '{c}' (U+{:04X}): only digits, spaces, + . / - ( ) are allowed",
                        c as u32
                    ),
                ))
            }
        }
        i += 1;
    }
    Ok((digits, plus))
}

/// Characters that only separate groups of digits (of the control characters, only a tab:
/// a line break inside a number is more likely two numbers).
fn is_separator(c: char) -> bool {
    c == '\t'
        || (c.is_whitespace() && !c.is_control())
        || is_invisible(c)
        || matches!(
            c,
            '.' | '/' | '-' | '(' | ')' | '\u{2010}'
                ..='\u{2015}' | '\u{2212}' | '\u{FE63}' | '\u{FF0D}'
        )
}

/// Formatting marks that copy-paste brings along: zero-width spaces and joiners, direction
/// marks and isolates, the byte-order mark.
fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}'
    )
}

/// `invalid_argument`: `input` (shortened, escaped) is no phone number, and why.
fn rejected(input: &str, why: &str) -> ProximusError {
    ProximusError::invalid(format!(
        "{} is not a valid phone number: {why}",
        quoted(input)
    ))
}

/// `input` quoted and escaped for a message, at most 40 characters of it, any phone number in
/// it hidden (messages end up in logs).
fn quoted(input: &str) -> String {
    hide_numbers(&quote::quoted(input, 40))
}

/// Whether `msisdn` (normalized) is a Belgian mobile, the only numbers FMU knows: `324` and 8
/// digits. `invalid_argument` saying so otherwise.
pub fn require_belgian_mobile(msisdn: &str) -> Result<()> {
    let is_mobile = msisdn.len() == 11
        && msisdn.starts_with("324")
        && msisdn.bytes().all(|b| b.is_ascii_digit());
    if is_mobile {
        return Ok(());
    }
    let shown = mask(msisdn).unwrap_or_else(|_| quoted(msisdn));
    Err(ProximusError::invalid(format!(
        "{shown} is not a Belgian mobile number: FMU works only with Belgian mobiles (+32 4xx xx xx xx)"
    )))
}

/// The number written for humans in international form: `+32 477 12 12 12`.
///
/// Accepts any input [`normalize`] accepts. Belgian numbers follow the Belgian habit: mobiles
/// `+32 4xx xx xx xx`; the one-digit zones 2, 3, 4, 9 `+32 2 123 45 67`; `0800`/`090x`
/// `+32 800 12 345`; other zones two digits `+32 10 12 34 56`. Other countries: the country
/// code (1, 2 or 3 digits, per the ITU assignment of E.164 prefixes), then the rest in groups
/// of three, the last group of four when one digit would be left alone (`+1 202 555 0123`).
pub fn format(msisdn: &str) -> Result<String> {
    let number = normalize(msisdn)?;
    let (country, groups) = split(&number);
    Ok(format!("+{country} {}", groups.join(" ")))
}

/// The number with all but the country code, the operator or zone prefix and the last two
/// digits hidden: `+32 477 •• •• 12`. Accepts any input [`normalize`] accepts.
pub fn mask(msisdn: &str) -> Result<String> {
    let number = normalize(msisdn)?;
    let (country, groups) = split(&number);
    let digits: usize = groups.iter().map(|g| g.len()).sum();
    let mut out = format!("+{country}");
    let mut position = 0;
    for (n, group) in groups.iter().enumerate() {
        out.push(' ');
        for c in group.chars() {
            let keep = n == 0 || position + 2 >= digits;
            out.push(if keep { c } else { '•' });
            position += 1;
        }
    }
    Ok(out)
}

/// The country code and the groups of the rest, of a normalized number.
fn split(number: &str) -> (&str, Vec<&str>) {
    let cc_len = country_code_len(number);
    let (country, rest) = number.split_at(cc_len.min(number.len()));
    let sizes = if country == BELGIUM {
        belgian_groups(rest)
    } else {
        generic_groups(rest.len())
    };
    (country, cut(rest, &sizes))
}

fn belgian_groups(national: &str) -> Vec<usize> {
    let first = national.as_bytes().first().copied().unwrap_or(b'0');
    match national.len() {
        9 if first == b'4' => vec![3, 2, 2, 2],
        8 if national.starts_with("800") || national.starts_with("90") => vec![3, 2, 3],
        8 if matches!(first, b'2' | b'3' | b'4' | b'9') => vec![1, 3, 2, 2],
        8 => vec![2, 2, 2, 2],
        n => generic_groups(n),
    }
}

/// Groups of three, the last of four (not 3 + 1) or two (3 + 2).
fn generic_groups(len: usize) -> Vec<usize> {
    let mut sizes = vec![3; len / 3];
    match len % 3 {
        1 if sizes.is_empty() => sizes.push(1),
        1 => {
            if let Some(last) = sizes.last_mut() {
                *last = 4;
            }
        }
        2 => sizes.push(2),
        _ => {}
    }
    sizes
}

/// `text` cut into pieces of `sizes` (what is left over, if anything, as a last piece).
fn cut<'a>(text: &'a str, sizes: &[usize]) -> Vec<&'a str> {
    let mut pieces = Vec::new();
    let mut rest = text;
    for &size in sizes {
        if rest.is_empty() {
            break;
        }
        let (piece, tail) = rest.split_at(size.min(rest.len()));
        pieces.push(piece);
        rest = tail;
    }
    if !rest.is_empty() {
        pieces.push(rest);
    }
    pieces
}

/// How many leading digits of an international number are its country code: 1 for zones 1
/// (NANP) and 7, 2 for the two-digit codes the ITU assigned, 3 for all others.
fn country_code_len(number: &str) -> usize {
    let b = number.as_bytes();
    match (b.first(), b.get(1)) {
        (Some(b'1' | b'7'), _) => 1,
        (Some(b'2'), Some(b'0' | b'7')) => 2,
        (Some(b'3'), Some(b'0'..=b'4' | b'6' | b'9')) => 2,
        (Some(b'4'), Some(b'0' | b'1' | b'3'..=b'9')) => 2,
        (Some(b'5'), Some(b'1'..=b'8')) => 2,
        (Some(b'6'), Some(b'0'..=b'6')) => 2,
        (Some(b'8'), Some(b'1' | b'2' | b'4' | b'6')) => 2,
        (Some(b'9'), Some(b'0'..=b'5' | b'8')) => 2,
        _ => 3,
    }
}
