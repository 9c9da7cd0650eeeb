//! Dates on the wire: RFC 3339 timestamps (chrono) and `Retry-After`'s HTTP dates in all three
//! forms of RFC 9110 §5.6.7 (httpdate). Nothing here reads a clock.

use std::time::{Duration, UNIX_EPOCH};

use chrono::{DateTime, Datelike, SecondsFormat};

/// `YYYY-MM-DDTHH:MM:SS[.fff…](Z|±HH:MM)` to epoch ms (fractions below a millisecond dropped);
/// without a zone the time is UTC, as the contract's servers mean it.
pub fn parse_iso(text: &str) -> Option<i64> {
    let text = text.trim();
    // ISO 8601 and RFC 3339 put a `T` between date and time (RFC 3339 also lets a space and a
    // lowercase `t` in); nothing else is taken there.
    if !matches!(text.as_bytes().get(10), Some(b'T' | b't' | b' ')) {
        return None;
    }
    // Without a zone: UTC.
    let at = DateTime::parse_from_rfc3339(text)
        .or_else(|_| DateTime::parse_from_rfc3339(&format!("{text}Z")))
        .ok()?;
    // timestamp_millis floors: .9995 s before 1970 is still in the millisecond before.
    (1..=9999)
        .contains(&at.year())
        .then(|| at.timestamp_millis())
}

/// Epoch ms as `YYYY-MM-DDTHH:MM:SS.fffZ` (what JavaScript's `toISOString` gives), for the
/// years 1 to 9999 that callers check for; outside them, the number of ms.
pub fn format_iso(ms: i64) -> String {
    match DateTime::from_timestamp_millis(ms) {
        Some(at) if (1..=9999).contains(&at.year()) => {
            at.to_rfc3339_opts(SecondsFormat::Millis, true)
        }
        _ => ms.to_string(),
    }
}

/// An HTTP date (`Sun, 06 Nov 1994 08:49:37 GMT`, `Sunday, 06-Nov-94 08:49:37 GMT` or
/// `Sun Nov  6 08:49:37 1994`) to epoch ms.
pub fn parse_http_date(text: &str) -> Option<i64> {
    let at = httpdate::parse_http_date(text.trim()).ok()?;
    let since = at.duration_since(UNIX_EPOCH).unwrap_or(Duration::ZERO);
    i64::try_from(since.as_millis()).ok()
}
