//! Bodies POSTed to the application's callback URLs, which anyone who knows the URL can send:
//! booking call events (`parseCallEvent`) and FMU asynchronous results (`parseFmuCallback`).
//!
//! Properties: no panic; a refusal is always `bad_response`; what is accepted is one of the
//! documented shapes with its required fields non-empty, and writing it back as the documented
//! JSON reads back to the same value (a time as epoch ms or as ISO-8601 alike); a leading BOM
//! changes nothing for call events; bodies over 64 KiB are refused.
//!
//! Differential: JavaScript may pass the body's text or the object `JSON.parse` made of it
//! (`parseCallEvent(text)` / `parseCallEvent(JSON.parse(text))`, the same for
//! `parseFmuCallback`). Whenever the text is JSON, both read the same: the same value, or
//! errors of the same code.
#![no_main]

use std::fmt::Debug;

use libfuzzer_sys::fuzz_target;
use proximus_api::internals::codec::time::format_iso;
use proximus_api::internals::codec::SerdeJson;
use proximus_api::internals::fmu::callbacks::{fmu_callback, parse_fmu_callback};
use proximus_api::internals::fmu::{FmuCallback, FmuCallbackKind};
use proximus_api::internals::rented_numbers::call_events::{
    call_event, parse_call_event, CallEvent,
};
use proximus_api::{ErrorCode, ProximusError};
use serde::de::DeserializeOwned;
use serde_json::{json, Value};

/// Longest body a call event is read from.
const MAX_BODY: usize = 64 * 1024;

fuzz_target!(|data: &[u8]| {
    let body = fuzz_support::text(data);
    check_call_event(&body);
    check_fmu_callback(&body);
    if body.len() <= MAX_BODY {
        if let Some(object) = js_object(&body) {
            same(parse_call_event::<SerdeJson>(&body), call_event(object));
        }
        if let Some(object) = js_object(&body) {
            same(parse_fmu_callback::<SerdeJson>(&body), fmu_callback(object));
        }
    }
});

/// What the parsers get from `JSON.parse(text)` (`None`: it throws, the parser never runs): an
/// object read as the wire type, or `None` for any other value and an object of another shape.
fn js_object<T: DeserializeOwned>(text: &str) -> Option<Option<T>> {
    match serde_json::from_str::<Value>(text).ok()? {
        value @ Value::Object(_) => Some(serde_json::from_value(value).ok()),
        _ => Some(None),
    }
}

fn same<T: PartialEq + Debug>(
    from_text: Result<T, ProximusError>,
    from_object: Result<T, ProximusError>,
) {
    match (&from_text, &from_object) {
        (Ok(a), Ok(b)) => assert_eq!(a, b, "text and object read differently"),
        (Err(a), Err(b)) => assert_eq!(a.code(), b.code(), "{a} vs {b}"),
        _ => panic!("text: {from_text:?}, object: {from_object:?}"),
    }
}

fn check_call_event(body: &str) {
    let event = match parse_call_event::<SerdeJson>(body) {
        Err(e) => {
            assert_eq!(e.code(), ErrorCode::BadResponse, "{e}");
            return;
        }
        Ok(event) => event,
    };
    assert!(body.len() <= MAX_BODY, "a body over 64 KiB was read");
    if body.len() + 3 <= MAX_BODY {
        assert_eq!(
            parse_call_event::<SerdeJson>(&format!("\u{feff}{body}")).as_ref(),
            Ok(&event)
        );
    }
    assert!(!event.booking_id().is_empty());
    let json = match &event {
        CallEvent::Completed {
            id,
            timestamp_ms,
            duration,
            source,
            destination,
            booking_id,
        } => {
            assert_eq!(event.kind(), "completed");
            for text in [id, source, destination, booking_id] {
                assert!(!text.is_empty());
            }
            assert!(*duration <= 9_007_199_254_740_991);
            json!({
                "id": id,
                "timestamp": timestamp_ms,
                "duration": duration,
                "source": source,
                "destination": destination,
                "bookingId": booking_id,
            })
        }
        CallEvent::Expired {
            timestamp_ms,
            source,
            destination,
            booking_id,
            message,
        } => {
            assert_eq!(event.kind(), "expired");
            for text in [source, destination, booking_id] {
                assert!(!text.is_empty());
            }
            json!({
                "timestamp": timestamp_ms,
                "source": source,
                "destination": destination,
                "bookingId": booking_id,
                "message": message,
            })
        }
    };
    assert_eq!(
        call_event(serde_json::from_value(json.clone()).ok()).as_ref(),
        Ok(&event),
        "round trip"
    );
    assert_eq!(
        parse_call_event::<SerdeJson>(&json.to_string()).as_ref(),
        Ok(&event),
        "round trip as text"
    );
    // The documented time is ISO-8601: the same instant written so reads the same.
    let timestamp_ms = match &event {
        CallEvent::Completed { timestamp_ms, .. } | CallEvent::Expired { timestamp_ms, .. } => {
            *timestamp_ms
        }
    };
    if (-62_135_596_800_000..=253_402_300_799_999).contains(&timestamp_ms) {
        let mut iso = json;
        iso["timestamp"] = json!(format_iso(timestamp_ms));
        assert_eq!(
            parse_call_event::<SerdeJson>(&iso.to_string()).as_ref(),
            Ok(&event),
            "timestamp as ISO-8601: {iso}"
        );
    }
}

fn check_fmu_callback(body: &str) {
    let callback = match parse_fmu_callback::<SerdeJson>(body) {
        Err(e) => {
            assert_eq!(e.code(), ErrorCode::BadResponse, "{e}");
            return;
        }
        Ok(callback) => callback,
    };
    let FmuCallback {
        request_id,
        kind,
        results,
    } = &callback;
    assert!(!request_id.trim().is_empty());
    let mut items = Vec::new();
    for r in results {
        assert!(!r.msisdn.trim().is_empty());
        let mut item = json!({ "msisdn": r.msisdn });
        match kind {
            FmuCallbackKind::GetStatus => {
                assert_eq!(r.success, None);
                assert!(r.status.is_some() != r.error_message.is_some(), "{r:?}");
                assert_eq!(r.is_error(), r.error_message.is_some());
                item["isError"] = json!(r.error_message.is_some());
                if let Some(status) = r.status {
                    item["status"] = json!(status.as_str());
                }
            }
            FmuCallbackKind::SetStatus => {
                assert_eq!(r.status, None);
                let success = r.success.expect("a SET_STATUS result without success");
                assert_eq!(r.error_message.is_some(), !success, "{r:?}");
                assert_eq!(r.is_error(), !success);
                item["success"] = json!(success);
            }
        }
        if let Some(message) = &r.error_message {
            assert!(!message.trim().is_empty());
            item["errorMessage"] = json!(message);
        }
        items.push(item);
    }
    let json = json!({
        "requestId": request_id,
        "type": kind.as_str(),
        "results": items,
    });
    assert_eq!(
        fmu_callback(serde_json::from_value(json.clone()).ok()).as_ref(),
        Ok(&callback),
        "round trip"
    );
    assert_eq!(
        parse_fmu_callback::<SerdeJson>(&json.to_string()).as_ref(),
        Ok(&callback),
        "round trip as text"
    );
}
