//! Confirms a call event against the platform's own record of the call (`GET /cdr/{id}`).
//!
//! The platform does not sign its callbacks, and a signed callback URL is a capability: whoever
//! learns it can post any body to it. The call record is what the platform itself says happened,
//! fetched with our credentials, so an event that matches it is one the platform stands behind.
//! A forged event is an answer (`confirmed: false` with a reason), never an error; failures to
//! reach the platform stay errors, since they prove nothing either way.

use serde::ser::{Serialize, SerializeStruct, Serializer};

use super::call_events::CallEvent;
use super::cdrs::{self, CallRecord};
use crate::core::client::{Client, Exchange};
use crate::core::clock::Clock;
use crate::core::codec::JsonCodec;
use crate::core::config::Config;
use crate::core::errors::Result;
use crate::core::msisdn;
use crate::core::transport::{HttpResponse, Transport};

/// How far apart the event's and the record's timestamps may be: the two are written
/// separately and may round the instant differently (the sandbox floors the record's to the
/// second), while a forged time is usually off by far more.
pub const TIMESTAMP_TOLERANCE_MS: i64 = 60_000;

/// Why an event was not confirmed (stable: JavaScript sees it as `reason`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// The platform has no record with the event's id (a 404, or an id no record can have).
    NoRecord,
    /// The record differs from the event in this field.
    Mismatch(Field),
    /// A call to an expired booking: the platform keeps no record of it to check against.
    ExpiredBooking,
}

/// The field of a call event that its record contradicts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Field {
    /// The record's own id.
    Id,
    /// The caller's number.
    Source,
    /// The call's length in seconds.
    Duration,
    /// When the call came in (beyond [`TIMESTAMP_TOLERANCE_MS`]).
    Timestamp,
    /// The temporary number called, when the caller said which one to expect.
    Service,
}

impl Field {
    /// Its name as JavaScript knows it.
    pub fn as_str(self) -> &'static str {
        match self {
            Field::Id => "id",
            Field::Source => "source",
            Field::Duration => "duration",
            Field::Timestamp => "timestamp",
            Field::Service => "service",
        }
    }
}

impl Refusal {
    /// `no_record`, `mismatch` or `expired_booking`.
    pub fn as_str(self) -> &'static str {
        match self {
            Refusal::NoRecord => "no_record",
            Refusal::Mismatch(_) => "mismatch",
            Refusal::ExpiredBooking => "expired_booking",
        }
    }

    /// A sentence for people; it never quotes a number or an id from the event.
    pub fn message(self) -> String {
        match self {
            Refusal::NoRecord => "the platform has no record of this call".into(),
            Refusal::Mismatch(field) => format!(
                "the event's {} does not match the platform's record of the call",
                field.as_str()
            ),
            Refusal::ExpiredBooking => {
                "a call to an expired booking has no call record to confirm it".into()
            }
        }
    }
}

/// What [`confirm`] found: `{ confirmed: true, record }` or `{ confirmed: false, reason,
/// field (mismatches only), message }` in JavaScript.
#[derive(Clone, Debug, PartialEq)]
pub enum Confirmation {
    /// The platform's record of the call, which the event matches.
    Confirmed(CallRecord),
    /// Not confirmed, and why.
    Refused(Refusal),
}

impl Serialize for Confirmation {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        match self {
            Confirmation::Confirmed(record) => {
                let mut out = s.serialize_struct("Confirmation", 2)?;
                out.serialize_field("confirmed", &true)?;
                out.serialize_field("record", record)?;
                out.end()
            }
            Confirmation::Refused(refusal) => {
                let mut out = s.serialize_struct("Confirmation", 4)?;
                out.serialize_field("confirmed", &false)?;
                out.serialize_field("reason", refusal.as_str())?;
                if let Refusal::Mismatch(field) = refusal {
                    out.serialize_field("field", field.as_str())?;
                }
                out.serialize_field("message", &refusal.message())?;
                out.end()
            }
        }
    }
}

/// Compares a completed call's event with the record fetched by its id: the id, source and
/// duration must be equal, the timestamps within [`TIMESTAMP_TOLERANCE_MS`], and the record's
/// service the one `service` (normalized) expects when given (the event names no temporary
/// number). Numbers are compared as sent: the platform writes both in its wire form. A record
/// without one of these fields cannot back the event up: a mismatch.
pub fn compare(event: &CallEvent, record: &CallRecord, service: Option<&str>) -> Confirmation {
    let CallEvent::Completed {
        id,
        timestamp_ms,
        duration,
        source,
        ..
    } = event
    else {
        return Confirmation::Refused(Refusal::ExpiredBooking);
    };
    let checks = [
        (Field::Id, record.id == *id),
        (Field::Source, record.source.as_ref() == Some(source)),
        (Field::Duration, record.duration == Some(*duration)),
        (
            Field::Timestamp,
            record.timestamp_ms.abs_diff(*timestamp_ms) <= TIMESTAMP_TOLERANCE_MS as u64,
        ),
        (
            Field::Service,
            service.is_none_or(|want| record.service.as_deref() == Some(want)),
        ),
    ];
    match checks.iter().find(|(_, ok)| !ok) {
        Some((field, _)) => Confirmation::Refused(Refusal::Mismatch(*field)),
        None => Confirmation::Confirmed(record.clone()),
    }
}

/// What confirming an event takes: an answer known without asking, or the record to fetch.
pub enum Plan {
    /// Decided from the event alone (a call to an expired booking, an id no record can have).
    Known(Confirmation),
    /// `GET /cdr/{id}`, whose 404 reads as [`Refusal::NoRecord`].
    Ask(Exchange<Confirmation>),
}

/// Plans the confirmation of `event` (`service`: the temporary number the receiver expects the
/// call on, compared when given; `invalid_argument` when it is no number). Synchronous, like
/// every exchange: the wasm face drives the request as it drives `cdrs.get`.
pub fn plan<J: JsonCodec>(
    config: &Config,
    event: &CallEvent,
    service: Option<&str>,
) -> Result<Plan> {
    let service = service.map(msisdn::normalize).transpose()?;
    let CallEvent::Completed { id, .. } = event else {
        return Ok(Plan::Known(Confirmation::Refused(Refusal::ExpiredBooking)));
    };
    // An id that cannot be in a path names no record: nothing to ask.
    let Ok(call) = cdrs::get_call(&config.rented_numbers_url, id) else {
        return Ok(Plan::Known(Confirmation::Refused(Refusal::NoRecord)));
    };
    let event = event.clone();
    Ok(Plan::Ask(Exchange::new(
        call.absent_is_answer(),
        move |response: &HttpResponse| {
            if response.status == 404 {
                return Ok(Confirmation::Refused(Refusal::NoRecord));
            }
            let record = cdrs::parse_call_record::<J>(response)?;
            Ok(compare(&event, &record, service.as_deref()))
        },
    )))
}

/// [`plan`], carried out: a forged event is a [`Confirmation::Refused`], never an error;
/// errors reaching the platform are returned as they are (they prove nothing).
pub async fn confirm<T: Transport + 'static, C: Clock + 'static>(
    client: &Client<T, C>,
    event: &CallEvent,
    service: Option<&str>,
) -> Result<Confirmation> {
    match plan::<T::Json>(client.config(), event, service)? {
        Plan::Known(found) => client.check_aborted().map(|()| found),
        Plan::Ask(exchange) => client.exchange(exchange).await,
    }
}
