//! The events the platform POSTs to a booking's callback URL: a completed call, or a call to an
//! expired booking. Bodies come from the network (and, since the platform does not sign them,
//! possibly from anyone): anything that is not one of the two documented shapes is
//! `bad_response`, never a panic. See [`signing`](super::signing) to authenticate the sender.

use super::error::{ProximusError, Result};
use super::json::Json;
use super::paging::{count_field, time_field};

/// One call event.
#[derive(Clone, Debug, PartialEq)]
pub enum CallEvent {
    /// A call was forwarded:
    /// `{"id","timestamp","duration","source","destination","bookingId"}`.
    Completed {
        /// The call's id (the call record's id).
        id: String,
        /// When the call came in (epoch ms).
        timestamp_ms: i64,
        /// Its length in seconds.
        duration: u64,
        /// The caller's number.
        source: String,
        /// The hidden number the call was forwarded to.
        destination: String,
        /// The booking the temporary number belongs to.
        booking_id: String,
    },
    /// A call reached a booking past its `endTime` and was not forwarded:
    /// `{"timestamp","source","destination","bookingId","message"}`.
    Expired {
        /// When the call came in (epoch ms).
        timestamp_ms: i64,
        /// The caller's number.
        source: String,
        /// The hidden number the booking forwarded to.
        destination: String,
        /// The expired booking.
        booking_id: String,
        /// The platform's text (`Incoming call for expired booking`).
        message: String,
    },
}

impl CallEvent {
    /// `"completed"` or `"expired"` (the `kind` JavaScript sees).
    pub fn kind(&self) -> &'static str {
        match self {
            CallEvent::Completed { .. } => "completed",
            CallEvent::Expired { .. } => "expired",
        }
    }

    /// The booking the event is about.
    pub fn booking_id(&self) -> &str {
        match self {
            CallEvent::Completed { booking_id, .. } | CallEvent::Expired { booking_id, .. } => {
                booking_id
            }
        }
    }
}

/// Longest body read: an event is a few hundred bytes.
const MAX_BODY_BYTES: usize = 64 * 1024;

/// Parses a callback body (the request's text).
pub fn parse_call_event(body: &str) -> Result<CallEvent> {
    if body.len() > MAX_BODY_BYTES {
        return Err(ProximusError::bad_response(format!(
            "call event: the body is larger than {MAX_BODY_BYTES} bytes"
        )));
    }
    let json = Json::parse(body.trim_start_matches('\u{feff}'))
        .ok_or_else(|| ProximusError::bad_response("call event: the body is not JSON"))?;
    call_event_from_json(&json)
}

/// Reads an already-parsed callback body.
///
/// Which kind: an event with an `id` or a `duration` is a completed call (both then required);
/// otherwise one with a `message` is a call to an expired booking. Extra fields are ignored;
/// ids and numbers may be strings or whole numbers; `timestamp` is ISO-8601 (or epoch ms).
pub fn call_event_from_json(json: &Json) -> Result<CallEvent> {
    if !json.is_object() {
        return Err(ProximusError::bad_response(
            "call event: the body is not a JSON object",
        ));
    }
    let completed = json.get("id").is_some() || json.get("duration").is_some();
    let kind = if completed {
        "completed call event"
    } else {
        "expired booking event"
    };
    let missing =
        |what: &str| ProximusError::bad_response(format!("{kind}: missing or invalid {what}"));
    if !completed && json.get("message").is_none() {
        return Err(ProximusError::bad_response(
            "call event: neither a completed call (id, duration) nor a call to an expired booking (message)",
        ));
    }
    let timestamp_ms = time_field(json, "timestamp").ok_or_else(|| missing("timestamp"))?;
    let source = json.text_field("source").ok_or_else(|| missing("source"))?;
    let destination = json
        .text_field("destination")
        .ok_or_else(|| missing("destination"))?;
    let booking_id = json
        .text_field("bookingId")
        .ok_or_else(|| missing("bookingId"))?;
    if completed {
        let id = json.text_field("id").ok_or_else(|| missing("id"))?;
        // A duration must be a number: a negative one is refused rather than read as 0.
        let duration = json
            .num_field("duration")
            .filter(|d| *d >= 0.0)
            .and_then(|_| count_field(json, "duration"))
            .ok_or_else(|| missing("duration"))?;
        Ok(CallEvent::Completed {
            id,
            timestamp_ms,
            duration,
            source,
            destination,
            booking_id,
        })
    } else {
        let message = json
            .str_field("message")
            .ok_or_else(|| missing("message"))?
            .to_string();
        Ok(CallEvent::Expired {
            timestamp_ms,
            source,
            destination,
            booking_id,
            message,
        })
    }
}
