//! Call detail records (`{rentedNumbersUrl}/cdr`): the calls received on temporary numbers.
//! Records are not linked to a booking (as documented): keep the call events for that.

use serde::{Deserialize, Serialize};

/// One page of a listing, sent (shared by bookings and call records).
pub use super::paging::list_page;
use super::paging::{check_size, path_id, PageQuery, Pager, DEFAULT_PAGE_SIZE};
use crate::core::client::{Call, Client, Exchange};
use crate::core::clock::Clock;
use crate::core::codec::lenient;
use crate::core::codec::time::format_iso;
use crate::core::codec::JsonCodec;
use crate::core::config::Config;
use crate::core::errors::answers::decode_body;
use crate::core::errors::{ProximusError, Result};
use crate::core::transport::{HttpResponse, Method, Transport};

/// One call received on a temporary number.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CallRecord {
    /// The record's id.
    pub id: String,
    /// When the call came in (epoch ms).
    #[serde(rename = "timestamp")]
    pub timestamp_ms: i64,
    /// Its length in seconds, if the server said.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub duration: Option<u64>,
    /// The caller's number, if the server said.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// The temporary number that was called, if the server said.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub service: Option<String>,
}

/// A call record as the platform sends it (ids and numbers as strings or whole numbers).
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct CallRecordWire {
    /// The record's id.
    #[serde(deserialize_with = "lenient::text")]
    pub id: Option<String>,
    /// When the call came in: ISO-8601 or epoch ms.
    #[serde(deserialize_with = "lenient::instant")]
    pub timestamp: Option<i64>,
    /// Seconds.
    #[serde(deserialize_with = "lenient::count")]
    pub duration: Option<u64>,
    /// The caller's number.
    #[serde(deserialize_with = "lenient::text")]
    pub source: Option<String>,
    /// The temporary number called.
    #[serde(deserialize_with = "lenient::text")]
    pub service: Option<String>,
}

impl CallRecord {
    /// Reads a record; `id` and a parseable `timestamp` are required (`bad_response`), extra
    /// fields are ignored.
    pub fn from_wire(wire: CallRecordWire) -> Result<CallRecord> {
        let missing =
            |what: &str| ProximusError::bad_response(format!("call record without {what}"));
        Ok(CallRecord {
            id: wire.id.ok_or_else(|| missing("an id"))?,
            timestamp_ms: wire.timestamp.ok_or_else(|| missing("a valid timestamp"))?,
            duration: wire.duration,
            source: wire.source,
            service: wire.service,
        })
    }
}

/// Reads a record answer with the runtime's codec `J`.
pub fn parse_call_record<J: JsonCodec>(response: &HttpResponse) -> Result<CallRecord> {
    let wire: CallRecordWire = decode_body::<J, _>(response)?;
    CallRecord::from_wire(wire).map_err(|e| e.with_status(response.status))
}

/// Earliest and latest instants `from`/`to` may name (years 1 to 9999, as ISO-8601 allows).
const MIN_MS: i64 = -62_135_596_800_000;
const MAX_MS: i64 = 253_402_300_799_999;

/// `GET /cdr?page=…&size=…[&from=ISO][&to=ISO]`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ListCdrs {
    /// The page to fetch (0-based); for a pager, the first one.
    pub page: u32,
    /// Items per page, 1 to 100.
    pub size: u32,
    /// Only calls at or after this instant (epoch ms).
    pub from_ms: Option<i64>,
    /// Only calls at or before this instant (epoch ms).
    pub to_ms: Option<i64>,
}

impl Default for ListCdrs {
    fn default() -> Self {
        ListCdrs {
            page: 0,
            size: DEFAULT_PAGE_SIZE,
            from_ms: None,
            to_ms: None,
        }
    }
}

fn check_instant(name: &str, ms: Option<i64>) -> Result<()> {
    match ms {
        Some(ms) if !(MIN_MS..=MAX_MS).contains(&ms) => Err(ProximusError::invalid(format!(
            "{name} must be a date between the years 1 and 9999"
        ))),
        _ => Ok(()),
    }
}

impl PageQuery for ListCdrs {
    type Item = CallRecord;
    type Wire = CallRecordWire;

    fn first_page(&self) -> u32 {
        self.page
    }

    fn size(&self) -> u32 {
        self.size
    }

    fn call(&self, base_url: &str, page: u32) -> Result<Call> {
        check_size(self.size)?;
        check_instant("from", self.from_ms)?;
        check_instant("to", self.to_ms)?;
        if let (Some(from), Some(to)) = (self.from_ms, self.to_ms) {
            if from > to {
                return Err(ProximusError::invalid("from must not be later than to"));
            }
        }
        let mut url = format!("{base_url}/cdr?page={page}&size={}", self.size);
        for (name, ms) in [("from", self.from_ms), ("to", self.to_ms)] {
            if let Some(ms) = ms {
                url.push('&');
                url.push_str(name);
                url.push('=');
                // Digits, `-`, `:`, `.`, `T` and `Z` only: all allowed as-is in a query.
                url.push_str(&format_iso(ms));
            }
        }
        Ok(Call::new(Method::Get, url))
    }

    fn parse_item(item: CallRecordWire) -> Result<CallRecord> {
        CallRecord::from_wire(item)
    }
}

/// `GET {base}/cdr/{id}`.
pub fn get_call(base_url: &str, id: &str) -> Result<Call> {
    Ok(Call::new(
        Method::Get,
        format!("{base_url}/cdr/{}", path_id("call record id", id)?),
    ))
}

/// A lazy pager over every call record from `query.page` on (nothing is sent until asked).
pub fn list(query: ListCdrs) -> Result<Pager<ListCdrs>> {
    Pager::new(query)
}

/// One call record (`not_found` when there is none).
pub fn get_exchange<J: JsonCodec>(config: &Config, id: &str) -> Result<Exchange<CallRecord>> {
    let call = get_call(&config.rented_numbers_url, id)?;
    Ok(Exchange::new(call, parse_call_record::<J>))
}

/// [`get_exchange`], sent.
pub async fn get<T: Transport + 'static, C: Clock + 'static>(
    client: &Client<T, C>,
    id: &str,
) -> Result<CallRecord> {
    client
        .exchange(get_exchange::<T::Json>(client.config(), id)?)
        .await
}
