//! Dates on the wire: RFC 3339 timestamps (the `time` crate) and `Retry-After`'s HTTP dates in
//! all three forms of RFC 9110 §5.6.7 (httpdate). Nothing here reads a clock.

use std::time::{Duration, UNIX_EPOCH};

use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

/// `YYYY-MM-DDTHH:MM:SS[.fff…](Z|±HH:MM)` to epoch ms (fractions below a millisecond dropped);
/// without a zone the time is UTC, as the contract's servers mean it.
pub fn parse_iso(text: &str) -> Option<i64> {
    let text = text.trim();
    // The time crate takes any character between date and time; ISO 8601 and RFC 3339 say `T`
    // (RFC 3339 also lets a space and a lowercase `t` in).
    if !matches!(text.as_bytes().get(10), Some(b'T' | b't' | b' ')) {
        return None;
    }
    let at = OffsetDateTime::parse(text, &Rfc3339)
        .or_else(|_| OffsetDateTime::parse(&format!("{text}Z"), &Rfc3339))
        .ok()?;
    (1..=9999)
        .contains(&at.year())
        // Floor, not toward zero: .9995 s before 1970 is still in the millisecond before.
        .then(|| at.unix_timestamp_nanos().div_euclid(1_000_000) as i64)
}

/// Epoch ms as `YYYY-MM-DDTHH:MM:SS.fffZ` (what JavaScript's `toISOString` gives), for the
/// years 1 to 9999 that callers check for; outside them, the number of ms.
pub fn format_iso(ms: i64) -> String {
    match OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000) {
        Ok(at) if (1..=9999).contains(&at.year()) => format!(
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z",
            at.year(),
            u8::from(at.month()),
            at.day(),
            at.hour(),
            at.minute(),
            at.second(),
            at.millisecond()
        ),
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
