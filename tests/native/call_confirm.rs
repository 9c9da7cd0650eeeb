//! Call events confirmed against the platform's record (`GET /cdr/{id}`): a genuine event is
//! confirmed, a forged one is refused with a reason (never an error), and failures to reach the
//! platform stay errors.

use crate::support::*;
use proximus_api::internals::cancel::Cancel;
use proximus_api::internals::config::CallOptions;
use proximus_api::internals::rented_numbers::call_confirm::{
    compare, confirm, Confirmation, Field, Refusal,
};
use proximus_api::internals::rented_numbers::call_events::{parse_call_event, CallEvent};
use proximus_api::internals::rented_numbers::cdrs::CallRecord;
use proximus_api::{ErrorCode, Method, TransportError};

const RN: &str = "https://proximus.test/rentednumbers/1.0.0";
const RECORD: &str = r#"{"id":"cdr_1","timestamp":"2026-11-23T10:00:00Z","duration":42,"source":"32470000001","service":"3278000123"}"#;
const EVENT: &str = r#"{"id":"cdr_1","timestamp":"2026-11-23T10:00:00.400Z","duration":42,
  "source":"32470000001","destination":"32477121212","bookingId":"bk_1"}"#;
const EXPIRED: &str = r#"{"timestamp":"2026-11-23T10:00:00Z","source":"32470000001",
  "destination":"32477121212","bookingId":"bk_1","message":"Incoming call for expired booking"}"#;

fn event(body: &str) -> CallEvent {
    parse_call_event::<SerdeJson>(body).unwrap()
}

fn record() -> CallRecord {
    CallRecord {
        id: "cdr_1".into(),
        timestamp_ms: START_MS as i64,
        duration: Some(42),
        source: Some("32470000001".into()),
        service: Some("3278000123".into()),
    }
}

fn refused(field: Field) -> Confirmation {
    Confirmation::Refused(Refusal::Mismatch(field))
}

#[test]
fn a_genuine_event_is_confirmed_with_the_record_fetched_by_its_id() {
    let t = with_token_endpoint(|_| json(200, RECORD));
    let c = FakeClock::new();
    let found = block_on(confirm(&client(&t, &c), &event(EVENT), None)).unwrap();
    assert_eq!(found, Confirmation::Confirmed(record()));
    let sent = t.api_requests();
    assert_eq!(sent.len(), 1);
    assert_eq!(
        (sent[0].method, sent[0].url.as_str()),
        (Method::Get, format!("{RN}/cdr/cdr_1").as_str())
    );
}

#[test]
fn a_forged_duration_source_or_time_is_a_mismatch_naming_the_field() {
    let genuine = event(EVENT);
    assert_eq!(
        compare(&genuine, &record(), None),
        Confirmation::Confirmed(record())
    );
    let forged = |from: &str, to: &str| event(&EVENT.replace(from, to));
    let cases = [
        (
            forged("\"duration\":42", "\"duration\":420"),
            Field::Duration,
        ),
        (forged("32470000001", "32470000002"), Field::Source),
        (forged("10:00:00.400Z", "10:05:00Z"), Field::Timestamp),
    ];
    for (forged, field) in cases {
        assert_eq!(compare(&forged, &record(), None), refused(field));
    }
    // A record that lacks what the event claims does not back it up.
    let bare = CallRecord {
        duration: None,
        ..record()
    };
    assert_eq!(compare(&genuine, &bare, None), refused(Field::Duration));
    let other = CallRecord {
        id: "cdr_2".into(),
        ..record()
    };
    assert_eq!(compare(&genuine, &other, None), refused(Field::Id));
}

#[test]
fn the_expected_service_is_checked_and_given_any_usual_way() {
    let t = with_token_endpoint(|_| json(200, RECORD));
    let c = FakeClock::new();
    let cl = client(&t, &c);
    let genuine = event(EVENT);
    for (service, found) in [
        ("+32 78 00 01 23", Confirmation::Confirmed(record())),
        ("3278000999", refused(Field::Service)),
    ] {
        assert_eq!(
            block_on(confirm(&cl, &genuine, Some(service))).unwrap(),
            found
        );
    }
    let no_service = CallRecord {
        service: None,
        ..record()
    };
    assert_eq!(
        compare(&genuine, &no_service, Some("3278000123")),
        refused(Field::Service)
    );
    assert_eq!(
        compare(&genuine, &no_service, None),
        Confirmation::Confirmed(no_service.clone())
    );
}

#[test]
fn a_made_up_id_is_no_record_not_an_error() {
    let t = with_token_endpoint(|_| json(404, r#"{"code":"NOT_FOUND","message":"no such call"}"#));
    let c = FakeClock::new();
    let cl = client(&t, &c);
    let made_up = event(&EVENT.replace("cdr_1", "cdr_made_up"));
    assert_eq!(
        block_on(confirm(&cl, &made_up, None)).unwrap(),
        Confirmation::Refused(Refusal::NoRecord)
    );
    // An id no path can hold names no record: nothing is asked.
    let dots = event(&EVENT.replace("cdr_1", ".."));
    assert_eq!(
        block_on(confirm(&cl, &dots, None)).unwrap(),
        Confirmation::Refused(Refusal::NoRecord)
    );
    assert_eq!(t.api_requests().len(), 1);
}

#[test]
fn an_expired_booking_event_is_refused_without_a_request() {
    let t = with_token_endpoint(|_| json(200, RECORD));
    let c = FakeClock::new();
    assert_eq!(
        block_on(confirm(&client(&t, &c), &event(EXPIRED), None)).unwrap(),
        Confirmation::Refused(Refusal::ExpiredBooking)
    );
    assert!(t.requests().is_empty());
}

#[test]
fn failures_to_reach_the_platform_are_errors_not_refusals() {
    let c = FakeClock::new();
    let down = with_token_endpoint(|_| Err(TransportError::Network("connection reset".into())));
    let error = block_on(confirm(&client(&down, &c), &event(EVENT), None)).unwrap_err();
    assert_eq!(error.code(), ErrorCode::Network);
    let refused = with_token_endpoint(|_| json(403, r#"{"fault":{"code":900908}}"#));
    let error = block_on(confirm(&client(&refused, &c), &event(EVENT), None)).unwrap_err();
    assert_eq!(error.code(), ErrorCode::Forbidden);
}

#[test]
fn a_bad_service_or_an_aborted_call_sends_nothing() {
    let t = with_token_endpoint(|_| json(200, RECORD));
    let c = FakeClock::new();
    let error = block_on(confirm(
        &client(&t, &c),
        &event(EVENT),
        Some("not a number"),
    ))
    .unwrap_err();
    assert_eq!(error.code(), ErrorCode::InvalidArgument);
    let cancel = Cancel::new();
    cancel.abort();
    let aborted = client(&t, &c).with(CallOptions {
        cancel: Some(cancel),
        ..CallOptions::default()
    });
    let error = block_on(confirm(&aborted, &event(EXPIRED), None)).unwrap_err();
    assert_eq!(error.code(), ErrorCode::Aborted);
    assert!(t.requests().is_empty());
}

#[test]
fn refusals_have_stable_reasons_and_messages_without_numbers() {
    let shown = |c: &Confirmation| serde_json::to_value(c).unwrap();
    assert_eq!(
        shown(&refused(Field::Duration)),
        serde_json::json!({"confirmed": false, "reason": "mismatch", "field": "duration",
            "message": "the event's duration does not match the platform's record of the call"})
    );
    for (refusal, reason) in [
        (Refusal::NoRecord, "no_record"),
        (Refusal::ExpiredBooking, "expired_booking"),
        (Refusal::Mismatch(Field::Source), "mismatch"),
    ] {
        let value = shown(&Confirmation::Refused(refusal));
        assert_eq!(value["reason"], reason);
        assert!(!value["message"]
            .as_str()
            .unwrap()
            .chars()
            .any(|c| c.is_ascii_digit()));
    }
    let value = shown(&Confirmation::Confirmed(record()));
    assert_eq!(
        (value["confirmed"].as_bool(), value["record"]["id"].as_str()),
        (Some(true), Some("cdr_1"))
    );
}
