//! Bookings of temporary numbers (`{rentedNumbersUrl}/bookings`): pure request builders and
//! answer parsers, and the async calls that chain them through a [`Client`].
//!
//! Money: `POST /bookings` books (and bills) a number, and `PUT /bookings/{id}` adds a usage
//! plan's seconds and calls to what remains. Both are [`Call::billable`]: repeated after a 429
//! (refused before the service saw it) but never after an ambiguous failure (a dropped
//! connection, a timeout, a 502 or 504), which may already have booked or topped up.

use std::fmt;

use serde::{Deserialize, Serialize};

/// One page of a listing, sent (shared by bookings and call records).
pub use super::paging::list_page;
use super::paging::{check_size, path_id, PageQuery, Pager, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE};
use crate::core::callbacks::urls::check_callback_url;
use crate::core::client::{Call, Client, Exchange};
use crate::core::clock::Clock;
use crate::core::codec::lenient::{self, MAX_EXACT};
use crate::core::codec::JsonCodec;
use crate::core::config::Config;
use crate::core::errors::answers::decode_body;
use crate::core::errors::quote::quoted;
use crate::core::errors::{ProximusError, Result};
use crate::core::msisdn;
use crate::core::transport::{HttpResponse, Method, Transport};

/// A usage plan: how many days, seconds and calls a booking (or a top-up) buys.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
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

    /// How long a booking on this plan lasts, in ms: the sandbox's figures (7, 30 and 90 days),
    /// as the real ones are on a price page the contract could not read. Only the recognition
    /// of a booking's age uses them (adoption, clean-up), and a wrong guess errs on the safe
    /// side: no adoption (a new booking), or a later clean-up.
    pub fn duration_ms(self) -> i64 {
        const DAY_MS: i64 = 86_400_000;
        match self {
            UsagePlan::Small => 7 * DAY_MS,
            UsagePlan::Medium => 30 * DAY_MS,
            UsagePlan::Large => 90 * DAY_MS,
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
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Booking {
    /// The booking's id.
    pub id: String,
    /// The temporary number.
    pub service: String,
    /// The hidden number calls are forwarded to, if the server said.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub destination: Option<String>,
    /// The plan as the server names it (`SMALL`, `MEDIUM`, `LARGE`; kept verbatim, so a plan
    /// added later still reads), if it said.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub usage_plan: Option<String>,
    /// When calls stop being forwarded (epoch ms).
    #[serde(rename = "endTime")]
    pub end_time_ms: i64,
    /// Seconds of calls left (`secondsRemaining`, or `minutesRemaining` × 60), if it said.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub seconds_remaining: Option<u64>,
    /// Calls left, if it said.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub calls_remaining: Option<u64>,
}

/// A booking as the platform sends it. Ids and numbers may come as strings or whole numbers,
/// counts as numbers or numeric strings, `endTime` as ISO-8601 or epoch ms. The prose of the
/// documentation says `secondsRemaining`, its sample `minutesRemaining`: both are read (an
/// `alias` cannot do it, minutes must be multiplied).
#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct BookingWire {
    /// The booking's id.
    #[serde(deserialize_with = "lenient::text")]
    pub id: Option<String>,
    /// The temporary number.
    #[serde(deserialize_with = "lenient::text")]
    pub service: Option<String>,
    /// The hidden number.
    #[serde(deserialize_with = "lenient::text")]
    pub destination: Option<String>,
    /// The plan.
    #[serde(deserialize_with = "lenient::string")]
    pub usage_plan: Option<String>,
    /// When calls stop being forwarded.
    #[serde(deserialize_with = "lenient::instant")]
    pub end_time: Option<i64>,
    /// Seconds of calls left.
    #[serde(deserialize_with = "lenient::count")]
    pub seconds_remaining: Option<u64>,
    /// Minutes of calls left (the documentation's sample).
    #[serde(deserialize_with = "lenient::number")]
    pub minutes_remaining: Option<f64>,
    /// Calls left.
    #[serde(deserialize_with = "lenient::count")]
    pub calls_remaining: Option<u64>,
}

impl Booking {
    /// Reads a booking; `id`, `service` and a parseable `endTime` are required (`bad_response`),
    /// other fields are optional and extra fields are ignored.
    pub fn from_wire(wire: BookingWire) -> Result<Booking> {
        let missing = |what: &str| ProximusError::bad_response(format!("booking without {what}"));
        let id = wire.id.ok_or_else(|| missing("an id"))?;
        let service = wire.service.ok_or_else(|| missing("a service number"))?;
        let end_time_ms = wire.end_time.ok_or_else(|| missing("a valid endTime"))?;
        let seconds_remaining = wire.seconds_remaining.or_else(|| {
            let minutes = wire.minutes_remaining.filter(|m| m.is_finite())?;
            Some((minutes * 60.0).round().clamp(0.0, MAX_EXACT) as u64)
        });
        Ok(Booking {
            id,
            service,
            destination: wire.destination,
            usage_plan: wire.usage_plan.filter(|p| !p.is_empty()),
            end_time_ms,
            seconds_remaining,
            calls_remaining: wire.calls_remaining,
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

    /// When it was booked (or last topped up), judged from its `endTime` and plan; a plan the
    /// client does not know counts as the shortest, which makes the booking look younger.
    pub fn booked_at_ms(&self) -> i64 {
        let plan = self
            .usage_plan
            .as_deref()
            .and_then(|p| UsagePlan::parse(p).ok());
        let length = plan.unwrap_or(UsagePlan::Small).duration_ms();
        self.end_time_ms.saturating_sub(length)
    }
}

/// Reads a booking answer with the runtime's codec `J` (`bad_response` for anything but a
/// booking object).
pub fn parse_booking<J: JsonCodec>(response: &HttpResponse) -> Result<Booking> {
    let wire: BookingWire = decode_body::<J, _>(response)?;
    Booking::from_wire(wire).map_err(|e| e.with_status(response.status))
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

/// `POST /bookings`.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct CreateBody<'a> {
    destination: &'a str,
    usage_plan: UsagePlan,
    callback: &'a str,
}

/// `PUT /bookings/{id}`.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct UpdateBody {
    usage_plan: UsagePlan,
}

/// `POST {base}/bookings` `{"destination","usagePlan","callback"}`, billable; the number and
/// the callback URL are checked first (`invalid_argument`).
pub fn create_call<J: JsonCodec>(base_url: &str, booking: &CreateBooking) -> Result<Call> {
    let destination = msisdn::normalize(&booking.destination)?;
    let callback = check_callback_url(&booking.callback_url)?;
    let body = J::encode(&CreateBody {
        destination: &destination,
        usage_plan: booking.usage_plan,
        callback: &callback,
    });
    Ok(
        Call::json(Method::Post, format!("{base_url}/bookings"), body)
            .billable("a booking may exist"),
    )
}

/// `GET {base}/bookings/{id}`.
pub fn get_call(base_url: &str, id: &str) -> Result<Call> {
    Ok(Call::new(
        Method::Get,
        format!("{base_url}/bookings/{}", path_id("booking id", id)?),
    ))
}

/// `PUT {base}/bookings/{id}` `{"usagePlan"}`, billable (a top-up adds to what remains).
pub fn update_call<J: JsonCodec>(base_url: &str, id: &str, plan: UsagePlan) -> Result<Call> {
    let url = format!("{base_url}/bookings/{}", path_id("booking id", id)?);
    let body = J::encode(&UpdateBody { usage_plan: plan });
    Ok(Call::json(Method::Put, url, body).billable("the top-up may have been applied"))
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
pub fn create_exchange<J: JsonCodec>(
    config: &Config,
    booking: &CreateBooking,
) -> Result<Exchange<Booking>> {
    let call = create_call::<J>(&config.rented_numbers_url, booking)?;
    Ok(Exchange::new(call, parse_booking::<J>))
}

/// One booking (`not_found` once it is gone).
pub fn get_exchange<J: JsonCodec>(config: &Config, id: &str) -> Result<Exchange<Booking>> {
    let call = get_call(&config.rented_numbers_url, id)?;
    Ok(Exchange::new(call, parse_booking::<J>))
}

/// Tops up or renews a booking with `plan`; gives the booking as it now is.
pub fn update_exchange<J: JsonCodec>(
    config: &Config,
    id: &str,
    plan: UsagePlan,
) -> Result<Exchange<Booking>> {
    let call = update_call::<J>(&config.rented_numbers_url, id, plan)?;
    Ok(Exchange::new(call, parse_booking::<J>))
}

/// Deletes a booking: the number is gone at once and for good. Any 2xx is success; its body is
/// ignored.
pub fn delete_exchange(config: &Config, id: &str) -> Result<Exchange<()>> {
    let call = delete_call(&config.rented_numbers_url, id)?;
    Ok(Exchange::new(call, |_| Ok(())))
}

/// [`create_exchange`], sent.
pub async fn create<T: Transport + 'static, C: Clock + 'static>(
    client: &Client<T, C>,
    booking: &CreateBooking,
) -> Result<Booking> {
    client
        .exchange(create_exchange::<T::Json>(client.config(), booking)?)
        .await
}

/// [`get_exchange`], sent.
pub async fn get<T: Transport + 'static, C: Clock + 'static>(
    client: &Client<T, C>,
    id: &str,
) -> Result<Booking> {
    client
        .exchange(get_exchange::<T::Json>(client.config(), id)?)
        .await
}

/// [`update_exchange`], sent.
pub async fn update<T: Transport + 'static, C: Clock + 'static>(
    client: &Client<T, C>,
    id: &str,
    plan: UsagePlan,
) -> Result<Booking> {
    client
        .exchange(update_exchange::<T::Json>(client.config(), id, plan)?)
        .await
}

/// [`delete_exchange`], sent.
pub async fn delete<T: Transport + 'static, C: Clock + 'static>(
    client: &Client<T, C>,
    id: &str,
) -> Result<()> {
    client.exchange(delete_exchange(client.config(), id)?).await
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

impl ListBookings {
    /// Every booking, in pages of the largest size (a walk over the whole account).
    pub fn all(include_expired: bool) -> Self {
        ListBookings {
            page: 0,
            size: MAX_PAGE_SIZE,
            include_expired,
        }
    }
}

impl PageQuery for ListBookings {
    type Item = Booking;
    type Wire = BookingWire;

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

    fn parse_item(item: BookingWire) -> Result<Booking> {
        Booking::from_wire(item)
    }
}

/// A lazy pager over every booking from `query.page` on (nothing is sent until asked).
pub fn list(query: ListBookings) -> Result<Pager<ListBookings>> {
    Pager::new(query)
}
