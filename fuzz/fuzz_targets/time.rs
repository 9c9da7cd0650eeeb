//! Times from the network: ISO-8601 timestamps (bookings, call records, call events) and the
//! `Retry-After` header (delta-seconds or an HTTP date), which decides how long the client waits.
//!
//! Input lines: `TEXT`, `NOW_MS`.
//!
//! Properties: no panic (no overflow) for any text and any clock in the JavaScript Date range;
//! an accepted ISO time is within years 1–9999 (± a zone offset) and formats back to text that
//! parses to the same instant; an HTTP date is a whole second; `Retry-After` in delta-seconds is
//! exactly that many seconds, and as a date is never negative; the retry policy never waits
//! longer than a minute for a hostile `Retry-After` nor repeats a billable call after anything but
//! a 429.
#![no_main]

use libfuzzer_sys::fuzz_target;
use proximus_api::core::http::HttpResponse;
use proximus_api::core::response::error_from_response;
use proximus_api::core::retry::{
    delay_ms, may_retry, parse_retry_after, Idempotency, BACKOFF_CAP_MS, MAX_RETRY_AFTER_MS,
};
use proximus_api::core::time::{format_iso, parse_http_date, parse_iso};
use proximus_api::ErrorCode;

/// 0001-01-01T00:00:00Z and 9999-12-31T23:59:59.999Z, widened by the largest zone offset it reads (±99:99).
const MIN_MS: i64 = -62_135_596_800_000 - 6_039 * 60_000;
const MAX_MS: i64 = 253_402_300_799_999 + 6_039 * 60_000 + 1_000; // and a leap second

fuzz_target!(|data: &[u8]| {
    let text = fuzz_support::text(data);
    let (f, _) = fuzz_support::fields(&text, 2);
    let value = f[0];
    // Date.now() is at most 8.64e15.
    let now = f[1]
        .trim()
        .parse::<u64>()
        .unwrap_or(fuzz_support::START_MS)
        .min(8_640_000_000_000_000);

    if let Some(ms) = parse_iso(value) {
        assert!((MIN_MS..=MAX_MS).contains(&ms), "{value:?} -> {ms}");
        let formatted = format_iso(ms);
        if (-62_135_596_800_000..=253_402_300_799_999).contains(&ms) {
            assert_eq!(
                parse_iso(&formatted),
                Some(ms),
                "{value:?} -> {ms} -> {formatted:?}"
            );
        }
    }
    if let Some(ms) = parse_http_date(value) {
        assert!((MIN_MS..=MAX_MS).contains(&ms));
        assert_eq!(ms.rem_euclid(1000), 0);
    }

    let retry_after = parse_retry_after(value, now);
    if let Ok(seconds) = value.trim().parse::<u64>() {
        assert_eq!(retry_after, Some(seconds.saturating_mul(1000)));
    }
    for status in [429u16, 503, 500, 400] {
        let response = HttpResponse {
            status,
            retry_after: Some(value.to_string()),
            body: String::new(),
        };
        let error = error_from_response(&response, now);
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
        if may_retry(Idempotency::Billable, &error) {
            assert_eq!(error.code(), ErrorCode::RateLimited);
        }
    }
});
