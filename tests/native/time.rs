//! ISO-8601 and HTTP dates, without a clock.
use proximus_api::internals::codec::time::{format_iso, parse_http_date, parse_iso};

#[test]
fn iso_round_trips() {
    let ms = parse_iso("2026-11-23T10:00:00Z").unwrap();
    assert_eq!(ms, 1_795_428_000_000);
    assert_eq!(format_iso(ms), "2026-11-23T10:00:00.000Z");
    assert_eq!(parse_iso("2026-11-23T10:00:00.5Z"), Some(ms + 500));
    assert_eq!(parse_iso("2026-11-23T11:00:00+01:00"), Some(ms));
    assert_eq!(parse_iso("2026-11-23T10:00:00"), Some(ms));
    assert_eq!(
        format_iso(parse_iso("2024-02-29T23:59:59.999Z").unwrap()),
        "2024-02-29T23:59:59.999Z"
    );
    assert_eq!(format_iso(0), "1970-01-01T00:00:00.000Z");
}

#[test]
fn iso_drops_sub_millisecond_digits_toward_the_past_also_before_1970() {
    // As Date.parse does: the instant is in the millisecond that contains it.
    assert_eq!(parse_iso("1969-12-31T23:59:59.9995Z"), Some(-1));
    assert_eq!(parse_iso("1969-12-31T23:59:59.999Z"), Some(-1));
    assert_eq!(
        parse_iso("2026-11-23T10:00:00.0009Z"),
        Some(1_795_428_000_000)
    );
}

#[test]
fn iso_rejects_junk() {
    for text in [
        "",
        "2026-11-23",
        "2026-13-01T00:00:00Z",
        "2026-02-30T00:00:00Z",
        "2025-02-29T00:00:00Z",
        "2026-11-23T24:00:00Z",
        "2026-11-23T10:00:00+1",
        "2026-11-23X10:00:00Z",
        "２０２６-11-23T10:00:00Z",
        "2026-11-23T10:00:00.Z",
    ] {
        assert_eq!(parse_iso(text), None, "{text}");
    }
}

#[test]
fn http_dates() {
    assert_eq!(
        parse_http_date("Mon, 23 Nov 2026 10:00:00 GMT"),
        Some(1_795_428_000_000)
    );
    assert_eq!(parse_http_date("Mon, 23 Nov 2026 10:00:00 UTC"), None);
    // The two obsolete forms every recipient must still accept (RFC 9110 §5.6.7).
    assert_eq!(
        parse_http_date("Monday, 23-Nov-26 10:00:00 GMT"),
        Some(1_795_428_000_000)
    );
    assert_eq!(
        parse_http_date("Mon Nov 23 10:00:00 2026"),
        Some(1_795_428_000_000)
    );
    assert_eq!(parse_http_date("yesterday"), None);
}
