//! The events the platform POSTs to a booking's callback URL: a completed call, or a call to an
//! expired booking. Bodies come from the network (and, since the platform does not sign them,
//! possibly from anyone): anything that is not one of the two documented shapes is
//! `bad_response`, never a panic. See [`signed_urls`](crate::core::callbacks::signed_urls) to authenticate the sender.

use serde::{Deserialize, Serialize};

use crate::core::codec::lenient::Scalar;
use crate::core::codec::{DecodeError, JsonCodec};
use crate::core::errors::{ProximusError, Result};

/// One call event; JavaScript sees its `kind` (`"completed"` or `"expired"`) beside the fields.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(
    tag = "kind",
    rename_all = "snake_case",
    rename_all_fields = "camelCase"
)]
pub enum CallEvent {
    /// A call was forwarded:
    /// `{"id","timestamp","duration","source","destination","bookingId"}`.
    Completed {
        /// The call's id (the call record's id).
        id: String,
        /// When the call came in (epoch ms).
        #[serde(rename = "timestamp")]
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
        #[serde(rename = "timestamp")]
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

/// A call event as the platform POSTs it. Every field is kept as sent: which fields are there
/// decides the kind, and the checks below say what is missing or wrong.
#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct CallEventWire {
    /// The call's id (completed calls).
    pub id: Scalar,
    /// When the call came in: ISO-8601 or epoch ms.
    pub timestamp: Scalar,
    /// Seconds (completed calls).
    pub duration: Scalar,
    /// The caller's number.
    pub source: Scalar,
    /// The hidden number.
    pub destination: Scalar,
    /// The booking.
    pub booking_id: Scalar,
    /// `Incoming call for expired booking`.
    pub message: Scalar,
}

/// Longest body read: an event is a few hundred bytes.
const MAX_BODY_BYTES: usize = 64 * 1024;

/// Parses a callback body (the request's text) with the runtime's codec `J`.
pub fn parse_call_event<J: JsonCodec>(body: &str) -> Result<CallEvent> {
    if body.len() > MAX_BODY_BYTES {
        return Err(ProximusError::bad_response(format!(
            "call event: the body is larger than {MAX_BODY_BYTES} bytes"
        )));
    }
    match J::decode_object(body.trim_start_matches('\u{feff}')) {
        Ok(wire) => call_event(Some(wire)),
        Err(DecodeError::Shape(_)) => call_event(None),
        Err(DecodeError::NotJson) => Err(ProximusError::bad_response(
            "call event: the body is not JSON",
        )),
    }
}

/// Reads an already-decoded callback body (`None`: it was no JSON object).
///
/// Which kind: an event with an `id` or a `duration` is a completed call (both then required);
/// otherwise one with a `message` is a call to an expired booking. Extra fields are ignored;
/// ids and numbers may be strings or whole numbers; `timestamp` is ISO-8601 (or epoch ms).
pub fn call_event(wire: Option<CallEventWire>) -> Result<CallEvent> {
    let Some(wire) = wire else {
        return Err(ProximusError::bad_response(
            "call event: the body is not a JSON object",
        ));
    };
    let completed = wire.id.is_present() || wire.duration.is_present();
    let kind = if completed {
        "completed call event"
    } else {
        "expired booking event"
    };
    let missing =
        |what: &str| ProximusError::bad_response(format!("{kind}: missing or invalid {what}"));
    if !completed && !wire.message.is_present() {
        return Err(ProximusError::bad_response(
            "call event: neither a completed call (id, duration) nor a call to an expired booking (message)",
        ));
    }
    let timestamp_ms = wire
        .timestamp
        .instant()
        .ok_or_else(|| missing("timestamp"))?;
    let source = wire.source.text().ok_or_else(|| missing("source"))?;
    let destination = wire
        .destination
        .text()
        .ok_or_else(|| missing("destination"))?;
    let booking_id = wire.booking_id.text().ok_or_else(|| missing("bookingId"))?;
    if completed {
        let id = wire.id.text().ok_or_else(|| missing("id"))?;
        // A duration must be a number: a negative one is refused rather than read as 0.
        let duration = wire
            .duration
            .number()
            .filter(|d| *d >= 0.0)
            .and_then(|_| wire.duration.count())
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
        let message = wire
            .message
            .string()
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
