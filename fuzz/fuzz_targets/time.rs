//! Times from the network: ISO-8601 timestamps (bookings, call records, call events) and the
//! `Retry-After` header (delta-seconds or an HTTP date), which decides how long the client waits.
//!
//! Input lines: `TEXT`, `NOW_MS`, `INSTANT` (epoch ms; anything else picks one from the text).
//!
//! Properties: no panic (no overflow) for any text and any clock in the JavaScript Date range;
//! an accepted ISO time is within years 1–9999 (± a zone offset) and formats back to text that
//! parses to the same instant; a fraction of a second with more than 3 digits reads as the
//! same fraction cut to milliseconds (as `Date.parse` reads it); an HTTP date is a whole second
//! from 1970 on; `Retry-After` in delta-seconds (digits only) is exactly that many seconds,
//! anything else is an HTTP date or nothing, never negative; the retry policy never waits
//! longer than a minute for a hostile `Retry-After` nor repeats a billable call after anything
//! but a 429.
//!
//! Differential, from `INSTANT` (written here with the `time` crate, read by the core with
//! `time` and `httpdate`): `format_iso` then `parse_iso` gives it back (years 1–9999), and so
//! does the same instant written with a zone offset; the IMF-fixdate, RFC 850 and asctime forms
//! of its second read to that second (RFC 850 only for the years its two digits name:
//! 1970–2069), the IMF form is the one httpdate writes, and all three give the same
//! `Retry-After`.
#![no_main]

use std::time::{Duration, UNIX_EPOCH};

use fuzz_support::{fields, pick};
use libfuzzer_sys::fuzz_target;
use proximus_api::internals::codec::time::{format_iso, parse_http_date, parse_iso};
use proximus_api::internals::codec::SerdeJson;
use proximus_api::internals::errors::answers::error_from_response;
use proximus_api::internals::retry::{
    delay_ms, may_retry, parse_retry_after, Idempotency, BACKOFF_CAP_MS, MAX_RETRY_AFTER_MS,
};
use proximus_api::internals::testing::START_MS;
use proximus_api::{ErrorCode, HttpResponse};
use time::{OffsetDateTime, UtcOffset};

/// 0001-01-01T00:00:00Z and 9999-12-31T23:59:59.999Z.
const FIRST_MS: i64 = -62_135_596_800_000;
const LAST_MS: i64 = 253_402_300_799_999;
/// Widened by the largest zone offset the reader takes (the `time` crate's: ±25:59).
const MIN_MS: i64 = FIRST_MS - 26 * 3_600_000;
const MAX_MS: i64 = LAST_MS + 26 * 3_600_000;

fuzz_target!(|data: &[u8]| {
    let text = fuzz_support::text(data);
    let (f, _) = fields(&text, 3);
    let value = f[0];
    // Date.now() is at most 8.64e15.
    let now = f[1]
        .trim()
        .parse::<u64>()
        .unwrap_or(START_MS)
        .min(8_640_000_000_000_000);
    let instant = f[2]
        .trim()
        .parse::<i64>()
        .unwrap_or_else(|_| FIRST_MS + pick(&text, (LAST_MS - FIRST_MS) as usize + 1) as i64);

    check_text(value, now);
    if (FIRST_MS..=LAST_MS).contains(&instant) {
        check_iso_forms(instant, f[1]);
        // httpdate's range: 1970 to 9999.
        if instant >= 0 {
            check_http_forms(instant.div_euclid(1000), now);
        }
    }
});

fn check_text(value: &str, now: u64) {
    if let Some(ms) = parse_iso(value) {
        assert!((MIN_MS..=MAX_MS).contains(&ms), "{value:?} -> {ms}");
        let formatted = format_iso(ms);
        if (FIRST_MS..=LAST_MS).contains(&ms) {
            assert_eq!(
                parse_iso(&formatted),
                Some(ms),
                "{value:?} -> {ms} -> {formatted:?}"
            );
        }
    }
    // Fractions below a millisecond are dropped (floored, as `Date.parse` does).
    if let Some(cut) = cut_to_ms(value) {
        assert_eq!(parse_iso(value), parse_iso(&cut), "{value:?} vs {cut:?}");
    }
    if let Some(ms) = parse_http_date(value) {
        assert!((0..=LAST_MS).contains(&ms), "{value:?} -> {ms}");
        assert_eq!(ms.rem_euclid(1000), 0);
    }

    let retry_after = parse_retry_after(value, now);
    let trimmed = value.trim();
    if !trimmed.is_empty() && trimmed.bytes().all(|b| b.is_ascii_digit()) {
        // delay-seconds = 1*DIGIT (RFC 9110 §10.2.3); more than a u64 holds is a very long time.
        let seconds = trimmed.parse::<u64>().unwrap_or(u64::MAX);
        assert_eq!(retry_after, Some(seconds.saturating_mul(1000)));
    } else {
        // No sign, no fraction: anything else must be an HTTP date.
        let until = parse_http_date(value).map(|at| (at - now as i64).max(0) as u64);
        assert_eq!(retry_after, until, "{value:?}");
    }
    for status in [429u16, 503, 500, 400] {
        let response = HttpResponse {
            status,
            retry_after: Some(value.to_string()),
            date: Some(value.to_string()),
            body: String::new(),
        };
        let error = error_from_response::<SerdeJson>(&response, now);
        assert_eq!(error.retry_after_ms(), retry_after);
        for attempt in 0..4 {
            if may_retry(Idempotency::Safe, &error) {
                let wait = delay_ms(attempt, error.retry_after_ms(), 0.999);
                assert!(
                    wait <= MAX_RETRY_AFTER_MS.max(BACKOFF_CAP_MS),
                    "waits {wait} ms"
                );
            }
        }
        if may_retry(
            Idempotency::Billable {
                effect: "a booking may exist",
            },
            &error,
        ) {
            assert_eq!(error.code(), ErrorCode::RateLimited);
        }
    }
}

/// `ms` (years 1–9999) as `toISOString` writes it, and with a zone offset picked from `seed`.
fn check_iso_forms(ms: i64, seed: &str) {
    let iso = format_iso(ms);
    assert_eq!(parse_iso(&iso), Some(ms), "{ms} -> {iso:?}");

    let minutes = pick(seed, 2 * 1439 + 1) as i32 - 1439; // up to ±23:59, as RFC 3339 allows
    let offset = UtcOffset::from_whole_seconds(minutes * 60).expect("within ±23:59");
    let local = at(ms)
        .checked_to_offset(offset)
        .filter(|t| (1..=9999).contains(&t.year()));
    let Some(local) = local else {
        return; // the local year is out of range: nothing to compare
    };
    let (sign, m) = if minutes < 0 {
        ('-', -minutes)
    } else {
        ('+', minutes)
    };
    let text = format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}{sign}{:02}:{:02}",
        local.year(),
        u8::from(local.month()),
        local.day(),
        local.hour(),
        local.minute(),
        local.second(),
        local.millisecond(),
        m / 60,
        m % 60
    );
    assert_eq!(parse_iso(&text), Some(ms), "{iso:?} written as {text:?}");
}

/// Second `secs` (1970–9999) in the three forms of RFC 9110 §5.6.7.
fn check_http_forms(secs: i64, now: u64) {
    let t = at(secs * 1000);
    let weekday = &format!("{}", t.weekday());
    let month = &format!("{}", t.month())[..3];
    let (day, year) = (t.day(), t.year());
    let clock = format!("{:02}:{:02}:{:02}", t.hour(), t.minute(), t.second());

    let imf = format!("{}, {day:02} {month} {year} {clock} GMT", &weekday[..3]);
    let asctime = format!("{} {month} {day:>2} {clock} {year}", &weekday[..3]);
    let rfc850 = format!("{weekday}, {day:02}-{month}-{:02} {clock} GMT", year % 100);

    let written = httpdate::fmt_http_date(UNIX_EPOCH + Duration::from_secs(secs as u64));
    assert_eq!(imf, written, "IMF-fixdate written here and by httpdate");
    let expected = Some(secs * 1000);
    assert_eq!(parse_http_date(&imf), expected, "{imf:?}");
    assert_eq!(
        parse_http_date(&asctime),
        expected,
        "{asctime:?} (asctime of {imf:?})"
    );
    if year < 2070 {
        assert_eq!(
            parse_http_date(&rfc850),
            expected,
            "{rfc850:?} (RFC 850 of {imf:?})"
        );
    }
    let retry_after = parse_retry_after(&imf, now);
    assert_eq!(parse_retry_after(&asctime, now), retry_after);
    if year < 2070 {
        assert_eq!(parse_retry_after(&rfc850, now), retry_after);
    }
}

/// `text` with the fraction of its seconds cut to 3 digits, if it has more.
fn cut_to_ms(text: &str) -> Option<String> {
    let text = text.trim();
    if text.as_bytes().get(19) != Some(&b'.') {
        return None;
    }
    let digits = text
        .get(20..)?
        .bytes()
        .take_while(u8::is_ascii_digit)
        .count();
    (digits > 3).then(|| format!("{}{}", &text[..23], &text[20 + digits..]))
}

fn at(ms: i64) -> OffsetDateTime {
    OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000).expect("years 1-9999")
}
