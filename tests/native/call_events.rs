//! Call events POSTed to a booking's callback: both documented kinds, and junk.

use proximus_api::internals::rented_numbers::call_events::{
    call_event, parse_call_event, CallEvent,
};
use proximus_api::ErrorCode;
use serde_json::{json, Value};

use crate::support::{SerdeJson, START_MS};

const COMPLETED: &str = r#"{ "id": "call_1", "timestamp": "2026-11-23T10:00:00Z", "duration": 42,
  "source": "32470000001", "destination": "32477121212", "bookingId": "bk_1" }"#;

const EXPIRED: &str = r#"{ "timestamp": "2026-11-23T10:00:00Z", "source": "32470000001",
  "destination": "32477121212", "bookingId": "bk_1", "message": "Incoming call for expired booking" }"#;

#[test]
fn a_completed_call_is_read() {
    let event = parse_call_event::<SerdeJson>(COMPLETED).unwrap();
    assert_eq!(
        event,
        CallEvent::Completed {
            id: "call_1".into(),
            timestamp_ms: START_MS as i64,
            duration: 42,
            source: "32470000001".into(),
            destination: "32477121212".into(),
            booking_id: "bk_1".into(),
        }
    );
    assert_eq!((event.kind(), event.booking_id()), ("completed", "bk_1"));
}

#[test]
fn a_call_to_an_expired_booking_is_read() {
    let event = parse_call_event::<SerdeJson>(EXPIRED).unwrap();
    assert_eq!(
        event,
        CallEvent::Expired {
            timestamp_ms: START_MS as i64,
            source: "32470000001".into(),
            destination: "32477121212".into(),
            booking_id: "bk_1".into(),
            message: "Incoming call for expired booking".into(),
        }
    );
    assert_eq!(event.kind(), "expired");
}

#[test]
fn events_tolerate_extra_fields_numbers_for_ids_and_a_bom() {
    let body = COMPLETED.replace(
        r#""id": "call_1""#,
        r#""id": 991, "service": "3278000123", "x": [null]"#,
    );
    let body = format!(
        "\u{feff}{}",
        body.replace(r#""source": "32470000001""#, r#""source": 32470000001"#)
    );
    match parse_call_event::<SerdeJson>(&body).unwrap() {
        CallEvent::Completed { id, source, .. } => {
            assert_eq!((id.as_str(), source.as_str()), ("991", "32470000001"))
        }
        other => panic!("{other:?}"),
    }
    let json: Value = serde_json::from_str(EXPIRED).unwrap();
    assert_eq!(
        call_event(serde_json::from_value(json).unwrap()).unwrap(),
        parse_call_event::<SerdeJson>(EXPIRED).unwrap()
    );
    // A completed event that also carries a message is still a completed call.
    let both = COMPLETED.replace(r#""duration": 42"#, r#""duration": 0, "message": "hi""#);
    assert!(matches!(
        parse_call_event::<SerdeJson>(&both).unwrap(),
        CallEvent::Completed { duration: 0, .. }
    ));
}

#[test]
fn junk_is_a_bad_response_never_a_panic() {
    let mut junk: Vec<String> = [
        "",
        "   ",
        "not json",
        "null",
        "42",
        "\"text\"",
        "[]",
        "[{}]",
        "{}",
        r#"{"id":"x"}"#,
        r#"{"message":"Incoming call for expired booking"}"#,
        "{\"id\":",
        "<html><body>hello</body></html>",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    // Every documented field missing, emptied, or of the wrong type, in both kinds.
    for (base, fields) in [
        (
            COMPLETED,
            &[
                "id",
                "timestamp",
                "duration",
                "source",
                "destination",
                "bookingId",
            ][..],
        ),
        (
            EXPIRED,
            &["timestamp", "source", "destination", "bookingId", "message"][..],
        ),
    ] {
        let json: Value = serde_json::from_str(base).unwrap();
        for field in fields {
            for replacement in [
                None,
                Some(json!(null)),
                Some(json!(true)),
                Some(json!([])),
                Some(json!("")),
            ] {
                if *field == "message" && replacement == Some(json!("")) {
                    continue; // an empty message is still a message (tested below)
                }
                let mut members = json.as_object().cloned().unwrap_or_default();
                match &replacement {
                    None => {
                        members.remove(*field);
                    }
                    Some(v) => {
                        if let Some(old) = members.get_mut(*field) {
                            *old = v.clone();
                        }
                    }
                }
                junk.push(Value::Object(members).to_string());
            }
        }
    }
    junk.push(COMPLETED.replace("42", "-1"));
    junk.push(COMPLETED.replace("2026-11-23T10:00:00Z", "2026-13-23T10:00:00Z"));
    junk.push(EXPIRED.replace("\"Incoming call for expired booking\"", "7"));
    junk.push("[".repeat(100_000));
    junk.push(format!("{{\"pad\":\"{}\"}}", "x".repeat(100_000)));
    for body in &junk {
        let err = parse_call_event::<SerdeJson>(body).unwrap_err();
        assert_eq!(
            err.code(),
            ErrorCode::BadResponse,
            "{}",
            &body[..body.len().min(200)]
        );
    }
}

#[test]
fn an_empty_message_string_still_names_the_kind() {
    // The message text is informational; only its presence decides the kind.
    let body = EXPIRED.replace("Incoming call for expired booking", "");
    assert!(matches!(
        parse_call_event::<SerdeJson>(&body).unwrap(),
        CallEvent::Expired { .. }
    ));
}
