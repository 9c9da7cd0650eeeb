//! Bodies POSTed to the application's callback URLs, which anyone who knows the URL can send:
//! booking call events (`parseCallEvent`) and FMU asynchronous results (`parseFmuCallback`).
//!
//! Properties: no panic; a refusal is always `bad_response`; what is accepted is one of the
//! documented shapes with its required fields non-empty, and writing it back as the documented
//! JSON reads back to the same value; a leading BOM changes nothing for call events; bodies over
//! 64 KiB are refused.
#![no_main]

use libfuzzer_sys::fuzz_target;
use proximus_api::core::call_events::{call_event_from_json, parse_call_event, CallEvent};
use proximus_api::core::fmu::{
    parse_fmu_callback, parse_fmu_callback_json, FmuCallback, FmuCallbackKind,
};
use proximus_api::core::json::Json;
use proximus_api::ErrorCode;

fuzz_target!(|data: &[u8]| {
    let body = fuzz_support::text(data);
    check_call_event(&body);
    check_fmu_callback(&body);
});

fn check_call_event(body: &str) {
    let event = match parse_call_event(body) {
        Err(e) => {
            assert_eq!(e.code(), ErrorCode::BadResponse, "{e}");
            return;
        }
        Ok(event) => event,
    };
    assert!(body.len() <= 64 * 1024, "a body over 64 KiB was read");
    if body.len() + 3 <= 64 * 1024 {
        assert_eq!(
            parse_call_event(&format!("\u{feff}{body}")).as_ref(),
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
            Json::object([
                ("id", Json::str(id.as_str())),
                ("timestamp", Json::Number(*timestamp_ms as f64)),
                ("duration", Json::Number(*duration as f64)),
                ("source", Json::str(source.as_str())),
                ("destination", Json::str(destination.as_str())),
                ("bookingId", Json::str(booking_id.as_str())),
            ])
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
            Json::object([
                ("timestamp", Json::Number(*timestamp_ms as f64)),
                ("source", Json::str(source.as_str())),
                ("destination", Json::str(destination.as_str())),
                ("bookingId", Json::str(booking_id.as_str())),
                ("message", Json::str(message.as_str())),
            ])
        }
    };
    assert_eq!(
        call_event_from_json(&json).as_ref(),
        Ok(&event),
        "round trip"
    );
    assert_eq!(
        parse_call_event(&json.to_json()).as_ref(),
        Ok(&event),
        "round trip as text"
    );
}

fn check_fmu_callback(body: &str) {
    let callback = match parse_fmu_callback(body) {
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
        let mut item = vec![("msisdn".to_string(), Json::str(r.msisdn.as_str()))];
        match kind {
            FmuCallbackKind::GetStatus => {
                assert_eq!(r.success, None);
                assert!(r.status.is_some() != r.error_message.is_some(), "{r:?}");
                assert_eq!(r.is_error(), r.error_message.is_some());
                item.push(("isError".into(), Json::Bool(r.error_message.is_some())));
                if let Some(status) = r.status {
                    item.push(("status".into(), Json::str(status.as_str())));
                }
            }
            FmuCallbackKind::SetStatus => {
                assert_eq!(r.status, None);
                let success = r.success.expect("a SET_STATUS result without success");
                assert_eq!(r.error_message.is_some(), !success, "{r:?}");
                assert_eq!(r.is_error(), !success);
                item.push(("success".into(), Json::Bool(success)));
            }
        }
        if let Some(message) = &r.error_message {
            assert!(!message.trim().is_empty());
            item.push(("errorMessage".into(), Json::str(message.as_str())));
        }
        items.push(Json::Object(item));
    }
    let json = Json::object([
        ("requestId", Json::str(request_id.as_str())),
        ("type", Json::str(kind.as_str())),
        ("results", Json::Array(items)),
    ]);
    assert_eq!(
        parse_fmu_callback_json(&json).as_ref(),
        Ok(&callback),
        "round trip"
    );
    assert_eq!(
        parse_fmu_callback(&json.to_json()).as_ref(),
        Ok(&callback),
        "round trip as text"
    );
}
