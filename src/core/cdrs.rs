//! Call detail records (`{rentedNumbersUrl}/cdr`): the calls received on temporary numbers.
//! Records are not linked to a booking (as documented): keep the call events for that.

use super::client::{Call, Client};
use super::clock::Clock;
use super::error::{ProximusError, Result};
use super::http::{HttpResponse, Method, Transport};
use super::json::Json;
use super::paging::DEFAULT_PAGE_SIZE;
use super::paging::{
    check_size, count_field, fetch_page, path_id, time_field, Page, PageQuery, Pager,
};
use super::response::json_body;
use super::time::format_iso;

/// One call received on a temporary number.
#[derive(Clone, Debug, PartialEq)]
pub struct CallRecord {
    /// The record's id.
    pub id: String,
    /// When the call came in (epoch ms).
    pub timestamp_ms: i64,
    /// Its length in seconds, if the server said.
    pub duration: Option<u64>,
    /// The caller's number, if the server said.
    pub source: Option<String>,
    /// The temporary number that was called, if the server said.
    pub service: Option<String>,
}

impl CallRecord {
    /// Reads a record; `id` and a parseable `timestamp` are required (`bad_response`), extra
    /// fields are ignored.
    pub fn from_json(json: &Json) -> Result<CallRecord> {
        if !json.is_object() {
            return Err(ProximusError::bad_response(
                "a call record must be a JSON object",
            ));
        }
        let missing =
            |what: &str| ProximusError::bad_response(format!("call record without {what}"));
        Ok(CallRecord {
            id: json.text_field("id").ok_or_else(|| missing("an id"))?,
            timestamp_ms: time_field(json, "timestamp")
                .ok_or_else(|| missing("a valid timestamp"))?,
            duration: count_field(json, "duration"),
            source: json.text_field("source"),
            service: json.text_field("service"),
        })
    }
}

/// Reads a record answer.
pub fn parse_call_record(response: &HttpResponse) -> Result<CallRecord> {
    CallRecord::from_json(&json_body(response)?).map_err(|e| e.with_status(response.status))
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

    fn parse_item(item: &Json) -> Result<CallRecord> {
        CallRecord::from_json(item)
    }
}

/// `GET {base}/cdr/{id}`.
pub fn get_call(base_url: &str, id: &str) -> Result<Call> {
    Ok(Call::new(
        Method::Get,
        format!("{base_url}/cdr/{}", path_id("call record id", id)?),
    ))
}

/// One page of call records.
pub async fn list_page<T: Transport + 'static, C: Clock + 'static>(
    client: &Client<T, C>,
    query: &ListCdrs,
) -> Result<Page<CallRecord>> {
    fetch_page(client, query, query.page).await
}

/// A lazy pager over every call record from `query.page` on (nothing is sent until asked).
pub fn list(query: ListCdrs) -> Result<Pager<ListCdrs>> {
    Pager::new(query)
}

/// One call record (`not_found` when there is none).
pub async fn get<T: Transport + 'static, C: Clock + 'static>(
    client: &Client<T, C>,
    id: &str,
) -> Result<CallRecord> {
    let call = get_call(&client.config().rented_numbers_url, id)?;
    parse_call_record(&client.send(call).await?)
}
