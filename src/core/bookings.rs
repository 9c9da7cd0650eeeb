//! Bookings of temporary numbers (`{rentedNumbersUrl}/bookings`): pure request builders and
//! answer parsers, and the async calls that chain them through a [`Client`].
//!
//! Money: `POST /bookings` books (and bills) a number, and `PUT /bookings/{id}` adds a usage
//! plan's seconds and calls to what remains. Both are [`Call::billable`]: repeated after a 429
//! (refused before the service saw it) but never after an ambiguous failure (a dropped
//! connection, a timeout, a 502 or 504), which may already have booked or topped up.

use std::fmt;

use super::callback_url::check_callback_url;
use super::client::{Call, Client};
use super::clock::Clock;
use super::error::{ProximusError, Result};
use super::http::{HttpResponse, Method, Transport};
use super::json::Json;
use super::msisdn;
use super::paging::DEFAULT_PAGE_SIZE;
use super::paging::{
    check_size, count_field, fetch_page, path_id, time_field, Page, PageQuery, Pager,
};
use super::quote::quoted;
use super::response::json_body;

/// A usage plan: how many days, seconds and calls a booking (or a top-up) buys.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum UsagePlan {
    /// `SMALL`
    Small,
    /// `MEDIUM`
    Medium,
    /// `LARGE`
    Large,
}

impl UsagePlan {
    /// Every plan, smallest first.
    pub const ALL: [UsagePlan; 3] = [UsagePlan::Small, UsagePlan::Medium, UsagePlan::Large];

    /// The name on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            UsagePlan::Small => "SMALL",
            UsagePlan::Medium => "MEDIUM",
            UsagePlan::Large => "LARGE",
        }
    }

    /// Strictly `SMALL`, `MEDIUM` or `LARGE`; anything else is `invalid_argument` listing them.
    pub fn parse(text: &str) -> Result<UsagePlan> {
        UsagePlan::ALL
            .into_iter()
            .find(|plan| plan.as_str() == text)
            .ok_or_else(|| {
                let shown: String = text.chars().take(40).filter(|c| !c.is_control()).collect();
                ProximusError::invalid(format!(
                    "usagePlan must be one of SMALL, MEDIUM, LARGE, got {}",
                    quoted(&shown, 40)
                ))
            })
    }
}

impl fmt::Display for UsagePlan {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A booking: a temporary number (`service`) forwarding to a hidden one (`destination`).
#[derive(Clone, Debug, PartialEq)]
pub struct Booking {
    /// The booking's id.
    pub id: String,
    /// The temporary number.
    pub service: String,
    /// The hidden number calls are forwarded to, if the server said.
    pub destination: Option<String>,
    /// The plan as the server names it (`SMALL`, `MEDIUM`, `LARGE`; kept verbatim, so a plan
    /// added later still reads), if it said.
    pub usage_plan: Option<String>,
    /// When calls stop being forwarded (epoch ms).
    pub end_time_ms: i64,
    /// Seconds of calls left (`secondsRemaining`, or `minutesRemaining` × 60), if it said.
    pub seconds_remaining: Option<u64>,
    /// Calls left, if it said.
    pub calls_remaining: Option<u64>,
}

impl Booking {
    /// Reads a booking; `id`, `service` and a parseable `endTime` are required (`bad_response`),
    /// other fields are optional and extra fields are ignored.
    pub fn from_json(json: &Json) -> Result<Booking> {
        if !json.is_object() {
            return Err(ProximusError::bad_response(
                "a booking must be a JSON object",
            ));
        }
        let missing = |what: &str| ProximusError::bad_response(format!("booking without {what}"));
        let id = json.text_field("id").ok_or_else(|| missing("an id"))?;
        let service = json
            .text_field("service")
            .ok_or_else(|| missing("a service number"))?;
        let end_time_ms = time_field(json, "endTime").ok_or_else(|| missing("a valid endTime"))?;
        // The prose says secondsRemaining, the sample minutesRemaining: either is read.
        let seconds_remaining = count_field(json, "secondsRemaining").or_else(|| {
            let minutes = json
                .num_field("minutesRemaining")
                .filter(|m| m.is_finite())?;
            Some((minutes * 60.0).round().clamp(0.0, 9_007_199_254_740_991.0) as u64)
        });
        Ok(Booking {
            id,
            service,
            destination: json.text_field("destination"),
            usage_plan: json
                .str_field("usagePlan")
                .filter(|p| !p.is_empty())
                .map(str::to_string),
            end_time_ms,
            seconds_remaining,
            calls_remaining: count_field(json, "callsRemaining"),
        })
    }

    /// The plan, if the server named a known one.
    pub fn plan(&self) -> Option<UsagePlan> {
        self.usage_plan
            .as_deref()
            .and_then(|p| UsagePlan::parse(p).ok())
    }

    /// Whether calls are still forwarded at `now_ms` (before `endTime`).
    pub fn is_active(&self, now_ms: i64) -> bool {
        now_ms < self.end_time_ms
    }
}

/// Reads a booking answer (`bad_response` for anything but a booking object).
pub fn parse_booking(response: &HttpResponse) -> Result<Booking> {
    Booking::from_json(&json_body(response)?).map_err(|e| e.with_status(response.status))
}

/// What `POST /bookings` needs.
#[derive(Clone, Debug, PartialEq)]
pub struct CreateBooking {
    /// The hidden number, in any form [`msisdn::normalize`] accepts.
    pub destination: String,
    /// The plan to buy.
    pub usage_plan: UsagePlan,
    /// Where the platform POSTs call events: `https` (plain `http` only on loopback).
    pub callback_url: String,
}

/// `POST {base}/bookings` `{"destination","usagePlan","callback"}`, billable; the number and
/// the callback URL are checked first (`invalid_argument`).
pub fn create_call(base_url: &str, booking: &CreateBooking) -> Result<Call> {
    let destination = msisdn::normalize(&booking.destination)?;
    let callback = check_callback_url(&booking.callback_url)?;
    let body = Json::object([
        ("destination", Json::str(destination)),
        ("usagePlan", Json::str(booking.usage_plan.as_str())),
        ("callback", Json::str(callback)),
    ]);
    Ok(Call::json(Method::Post, format!("{base_url}/bookings"), body.to_json()).billable())
}

/// `GET {base}/bookings/{id}`.
pub fn get_call(base_url: &str, id: &str) -> Result<Call> {
    Ok(Call::new(
        Method::Get,
        format!("{base_url}/bookings/{}", path_id("booking id", id)?),
    ))
}

/// `PUT {base}/bookings/{id}` `{"usagePlan"}`, billable (a top-up adds to what remains).
pub fn update_call(base_url: &str, id: &str, plan: UsagePlan) -> Result<Call> {
    let url = format!("{base_url}/bookings/{}", path_id("booking id", id)?);
    let body = Json::object([("usagePlan", Json::str(plan.as_str()))]);
    Ok(Call::json(Method::Put, url, body.to_json()).billable())
}

/// `DELETE {base}/bookings/{id}`.
pub fn delete_call(base_url: &str, id: &str) -> Result<Call> {
    Ok(Call::new(
        Method::Delete,
        format!("{base_url}/bookings/{}", path_id("booking id", id)?),
    )
    .gone_is_done())
}

/// Books a temporary number forwarding to `booking.destination` (201 booking).
pub async fn create<T: Transport + 'static, C: Clock + 'static>(
    client: &Client<T, C>,
    booking: &CreateBooking,
) -> Result<Booking> {
    let call = create_call(&client.config().rented_numbers_url, booking)?;
    parse_booking(&client.send(call).await?)
}

/// One booking (`not_found` once it is gone).
pub async fn get<T: Transport + 'static, C: Clock + 'static>(
    client: &Client<T, C>,
    id: &str,
) -> Result<Booking> {
    let call = get_call(&client.config().rented_numbers_url, id)?;
    parse_booking(&client.send(call).await?)
}

/// Tops up or renews a booking with `plan`; returns the booking as it now is.
pub async fn update<T: Transport + 'static, C: Clock + 'static>(
    client: &Client<T, C>,
    id: &str,
    plan: UsagePlan,
) -> Result<Booking> {
    let call = update_call(&client.config().rented_numbers_url, id, plan)?;
    parse_booking(&client.send(call).await?)
}

/// Deletes a booking: the number is gone at once and for good. Any 2xx is success; its body is
/// ignored.
pub async fn delete<T: Transport + 'static, C: Clock + 'static>(
    client: &Client<T, C>,
    id: &str,
) -> Result<()> {
    let call = delete_call(&client.config().rented_numbers_url, id)?;
    client.send(call).await.map(|_| ())
}

/// `GET /bookings?includeExpired=…&page=…&size=…`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ListBookings {
    /// The page to fetch (0-based); for a pager, the first one.
    pub page: u32,
    /// Items per page, 1 to 100.
    pub size: u32,
    /// Also list bookings in their grace period.
    pub include_expired: bool,
}

impl Default for ListBookings {
    fn default() -> Self {
        ListBookings {
            page: 0,
            size: DEFAULT_PAGE_SIZE,
            include_expired: false,
        }
    }
}

impl PageQuery for ListBookings {
    type Item = Booking;

    fn first_page(&self) -> u32 {
        self.page
    }

    fn size(&self) -> u32 {
        self.size
    }

    fn call(&self, base_url: &str, page: u32) -> Result<Call> {
        check_size(self.size)?;
        let url = format!(
            "{base_url}/bookings?includeExpired={}&page={page}&size={}",
            self.include_expired, self.size
        );
        Ok(Call::new(Method::Get, url))
    }

    fn parse_item(item: &Json) -> Result<Booking> {
        Booking::from_json(item)
    }
}

/// One page of bookings.
pub async fn list_page<T: Transport + 'static, C: Clock + 'static>(
    client: &Client<T, C>,
    query: &ListBookings,
) -> Result<Page<Booking>> {
    fetch_page(client, query, query.page).await
}

/// A lazy pager over every booking from `query.page` on (nothing is sent until asked).
pub fn list(query: ListBookings) -> Result<Pager<ListBookings>> {
    Pager::new(query)
}
