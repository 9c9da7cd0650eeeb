//! `client.bookings.*` and `client.cdrs.*`.

use std::rc::Rc;

use js_sys::Promise;
use serde::{Deserialize, Serialize};
use wasm_bindgen::prelude::*;

use super::app::booking_store;
use super::client::{promise, run, RawClient};
use super::interop::JsJson;
use super::interop::{date_items, object, options, text, to_js, to_js_dated, Arg, Instant, Kept};
use super::pager::{raw_pager, RawPager};
use super::per_call::{for_call, method_options};
use crate::core::client::Exchange;
use crate::core::config::{whole_number, Config};
use crate::core::errors::{ProximusError, Result};
use crate::core::rented_numbers::bookings::{
    self, Booking, CreateBooking, ListBookings, UsagePlan,
};
use crate::core::rented_numbers::call_confirm::{self, Confirmation, Plan};
use crate::core::rented_numbers::call_events::{self, CallEvent};
use crate::core::rented_numbers::cdrs::{self, ListCdrs};
use crate::core::rented_numbers::ensure::{check_request, BookingStore, EnsureBooking, RenewBelow};
use crate::core::rented_numbers::paging::{page_exchange, PageQuery, DEFAULT_PAGE_SIZE};

/// `bookings.create(…)`.
#[derive(Default, Deserialize)]
#[serde(default, rename_all = "camelCase", deny_unknown_fields)]
struct CreateArgs {
    destination: Arg<String>,
    usage_plan: Arg<String>,
    callback_url: Arg<String>,
}

/// `bookings.update(id, …)`.
#[derive(Default, Deserialize)]
#[serde(default, rename_all = "camelCase", deny_unknown_fields)]
struct UpdateArgs {
    usage_plan: Arg<String>,
}

/// `bookings.list(…)` and `bookings.listPage(…)`: the page size is `pageSize` in both (`size`,
/// the name `listPage` had, still reads).
#[derive(Default, Deserialize)]
#[serde(default, rename_all = "camelCase", deny_unknown_fields)]
struct ListBookingsArgs {
    page: Arg<f64>,
    #[serde(alias = "size")]
    page_size: Arg<f64>,
    include_expired: Arg<bool>,
}

/// `cdrs.list(…)` and `cdrs.listPage(…)`.
#[derive(Default, Deserialize)]
#[serde(default, rename_all = "camelCase", deny_unknown_fields)]
struct ListCdrsArgs {
    page: Arg<f64>,
    #[serde(alias = "size")]
    page_size: Arg<f64>,
    from: Arg<Instant>,
    to: Arg<Instant>,
}

/// `cdrs.confirm(event, …)`.
#[derive(Default, Deserialize)]
#[serde(default, rename_all = "camelCase", deny_unknown_fields)]
struct ConfirmArgs {
    service: Arg<String>,
}

/// `bookings.ensure(…)`.
#[derive(Default, Deserialize)]
#[serde(default, rename_all = "camelCase", deny_unknown_fields)]
struct EnsureArgs {
    key: Arg<String>,
    store: Arg<Kept>,
    destination: Arg<String>,
    usage_plan: Arg<String>,
    callback_url: Arg<String>,
    renew_below: Arg<Kept>,
}

/// `ensure`'s `renewBelow`.
#[derive(Default, Deserialize)]
#[serde(default, rename_all = "camelCase", deny_unknown_fields)]
struct RenewBelowArgs {
    seconds: Arg<f64>,
    calls: Arg<f64>,
}

fn plan(value: Arg<String>) -> Result<UsagePlan> {
    UsagePlan::parse(&value.required("usagePlan")?)
}

/// A page or page size: a whole number, or `default`.
fn whole(value: Arg<f64>, name: &str, default: u32) -> Result<u32> {
    Ok(whole_number(name, value.get(name)?, 0, u32::MAX.into())?.map_or(default, |n| n as u32))
}

fn list_bookings(value: JsValue) -> Result<ListBookings> {
    let args: ListBookingsArgs = method_options(value, "options")?;
    Ok(ListBookings {
        page: whole(args.page, "page", 0)?,
        size: whole(args.page_size, "pageSize", DEFAULT_PAGE_SIZE)?,
        include_expired: args.include_expired.get("includeExpired")?.unwrap_or(false),
    })
}

fn list_cdrs(value: JsValue) -> Result<ListCdrs> {
    let args: ListCdrsArgs = method_options(value, "options")?;
    Ok(ListCdrs {
        page: whole(args.page, "page", 0)?,
        size: whole(args.page_size, "pageSize", DEFAULT_PAGE_SIZE)?,
        from_ms: args.from.get("from")?.map(|Instant(ms)| ms),
        to_ms: args.to.get("to")?.map(|Instant(ms)| ms),
    })
}

/// A call event as `parseCallEvent` gave it (its `Date` as epoch ms): read again by the same
/// rules, and its `kind` must be the one its fields make.
fn given_event(value: JsValue) -> Result<CallEvent> {
    let kind = js_sys::Reflect::get(&value, &"kind".into())
        .ok()
        .and_then(|kind| kind.as_string());
    let not_an_event = |why: &str| {
        ProximusError::invalid(format!(
            "event must be a call event from parseCallEvent: {why}"
        ))
    };
    let event = call_events::call_event(object(value)).map_err(|e| not_an_event(e.message()))?;
    if kind.as_deref() != Some(event.kind()) {
        return Err(not_an_event(
            "its kind is missing or does not fit its fields",
        ));
    }
    Ok(event)
}

fn renew_below(value: Arg<Kept>) -> Result<RenewBelow> {
    let defaults = RenewBelow::default();
    let Some(Kept(value)) = value.get("renewBelow")? else {
        return Ok(defaults);
    };
    let args: RenewBelowArgs = options(value, "renewBelow")?;
    let whole = |n: Arg<f64>, name: &str, default: u64| match n.get(name)? {
        None => Ok(default),
        Some(n) if n.fract() == 0.0 && (0.0..=1e9).contains(&n) => Ok(n as u64),
        Some(_) => Err(ProximusError::invalid(format!(
            "{name} must be a whole number ≥ 0"
        ))),
    };
    Ok(RenewBelow {
        seconds: whole(args.seconds, "renewBelow.seconds", defaults.seconds)?,
        calls: whole(args.calls, "renewBelow.calls", defaults.calls)?,
    })
}

fn ensure_request(value: JsValue) -> Result<(Rc<dyn BookingStore>, EnsureBooking)> {
    let mut args: EnsureArgs = method_options(value, "options")?;
    let store = booking_store(std::mem::take(&mut args.store))?;
    Ok((Rc::new(store), ensure_booking(args)?))
}

fn ensure_booking(args: EnsureArgs) -> Result<EnsureBooking> {
    Ok(EnsureBooking {
        key: args.key.required("key")?,
        destination: args.destination.required("destination")?,
        usage_plan: plan(args.usage_plan)?,
        callback_url: args.callback_url.required("callbackUrl")?,
        renew_below: renew_below(args.renew_below)?,
    })
}

/// Checks what `bookings.ensure` is asked before a coordinator runs it elsewhere (the options
/// without `store` or the call's own): bad input is refused here, before any request.
#[wasm_bindgen(js_name = checkEnsureOptions)]
pub fn check_ensure_options(given: JsValue) -> std::result::Result<(), JsValue> {
    let args: EnsureArgs = options(given, "options")?;
    check_request(&ensure_booking(args)?)?;
    Ok(())
}

/// A booking exchange whose result is the booking for JavaScript.
fn dated_booking(exchange: Exchange<Booking>) -> Exchange<JsValue> {
    exchange.map(|booking| to_js_dated(&booking, "endTime"))
}

/// A confirmation for JavaScript, the record's timestamp a `Date`.
fn shown(found: Confirmation) -> Result<JsValue> {
    let object = to_js(&found)?;
    if let Confirmation::Confirmed(record) = &found {
        let _ = js_sys::Reflect::set(
            &object,
            &"record".into(),
            &to_js_dated(record, "timestamp")?,
        );
    }
    Ok(object)
}

/// The exchange for `query`'s page, its items' instants `key` as `Date`s.
fn dated_page<Q>(config: &Config, query: Result<Q>, key: &'static str) -> Result<Exchange<JsValue>>
where
    Q: PageQuery,
    Q::Item: Serialize,
{
    let query = query?;
    let exchange = page_exchange::<JsJson, _>(config, &query, query.first_page())?;
    Ok(exchange.map(move |page| {
        let object = to_js(&page)?;
        if let Ok(items) = js_sys::Reflect::get(&object, &"items".into()) {
            date_items(&items, key);
        }
        Ok(object)
    }))
}

#[wasm_bindgen]
impl RawClient {
    /// Books a temporary number: never retried after an ambiguous failure.
    #[wasm_bindgen(js_name = bookingsCreate)]
    pub fn bookings_create(&self, given: JsValue, call: JsValue) -> Promise {
        let planned = options::<CreateArgs>(given, "options").and_then(|args| {
            let request = CreateBooking {
                destination: args.destination.required("destination")?,
                usage_plan: plan(args.usage_plan)?,
                callback_url: args.callback_url.required("callbackUrl")?,
            };
            bookings::create_exchange::<JsJson>(self.core.config(), &request)
        });
        run(&self.core, call, planned.map(dated_booking))
    }

    /// One booking.
    #[wasm_bindgen(js_name = bookingsGet)]
    pub fn bookings_get(&self, id: JsValue, call: JsValue) -> Promise {
        let planned = text(&id, "id")
            .and_then(|id| bookings::get_exchange::<JsJson>(self.core.config(), &id));
        run(&self.core, call, planned.map(dated_booking))
    }

    /// Tops up a booking with `{ usagePlan }`.
    #[wasm_bindgen(js_name = bookingsUpdate)]
    pub fn bookings_update(&self, id: JsValue, given: JsValue, call: JsValue) -> Promise {
        let planned = text(&id, "id").and_then(|id| {
            let args: UpdateArgs = options(given, "options")?;
            bookings::update_exchange::<JsJson>(self.core.config(), &id, plan(args.usage_plan)?)
        });
        run(&self.core, call, planned.map(dated_booking))
    }

    /// Deletes a booking at once and for good.
    #[wasm_bindgen(js_name = bookingsDelete)]
    pub fn bookings_delete(&self, id: JsValue, call: JsValue) -> Promise {
        let planned =
            text(&id, "id").and_then(|id| bookings::delete_exchange(self.core.config(), &id));
        run(
            &self.core,
            call,
            planned.map(|x| x.map(|()| Ok(JsValue::UNDEFINED))),
        )
    }

    /// One page of bookings with its totals (`{ page, pageSize, includeExpired }`).
    #[wasm_bindgen(js_name = bookingsListPage)]
    pub fn bookings_list_page(&self, given: JsValue, call: JsValue) -> Promise {
        run(
            &self.core,
            call,
            dated_page(self.core.config(), list_bookings(given), "endTime"),
        )
    }

    /// A lazy walk over every booking (`{ page, pageSize, includeExpired }`).
    #[wasm_bindgen(js_name = bookingsPager)]
    pub fn bookings_pager(
        &self,
        given: JsValue,
        call: JsValue,
    ) -> std::result::Result<RawPager, JsValue> {
        let pager = bookings::list(list_bookings(given)?)?;
        Ok(raw_pager(for_call(&self.core, call)?, pager, "endTime"))
    }

    /// The active booking for `key`: reused, topped up when low, or booked anew.
    #[wasm_bindgen(js_name = bookingsEnsure)]
    pub fn bookings_ensure(&self, given: JsValue, call: JsValue) -> Promise {
        let running = for_call(&self.core, call).and_then(|(core, link)| {
            let (store, request) = ensure_request(given)?;
            Ok((self.ensurer.ensure(&core, store, &request), link))
        });
        promise(async move {
            let (running, _link) = running?;
            let ensured = running.await?;
            // The booking as every booking result, and what was done.
            let booking = to_js_dated(&ensured.booking, "endTime")?;
            let action = JsValue::from_str(ensured.action.as_str());
            let _ = js_sys::Reflect::set(&booking, &"action".into(), &action);
            if let Some(error) = ensured.store_error {
                let _ = js_sys::Reflect::set(&booking, &"storeError".into(), &error.into());
            }
            Ok(booking)
        })
    }

    /// One call record.
    #[wasm_bindgen(js_name = cdrsGet)]
    pub fn cdrs_get(&self, id: JsValue, call: JsValue) -> Promise {
        let planned =
            text(&id, "id").and_then(|id| cdrs::get_exchange::<JsJson>(self.core.config(), &id));
        run(
            &self.core,
            call,
            planned.map(|x| x.map(|record| to_js_dated(&record, "timestamp"))),
        )
    }

    /// Checks a call event against the platform's record of the call (`{ service }`: the
    /// temporary number it must have been made to): `{ confirmed, record | reason }`.
    #[wasm_bindgen(js_name = cdrsConfirm)]
    pub fn cdrs_confirm(&self, event: JsValue, given: JsValue, call: JsValue) -> Promise {
        let planned = given_event(event).and_then(|event| {
            let args: ConfirmArgs = method_options(given, "options")?;
            let service = args.service.get("service")?;
            call_confirm::plan::<JsJson>(self.core.config(), &event, service.as_deref())
        });
        let known = match planned {
            Ok(Plan::Ask(exchange)) => return run(&self.core, call, Ok(exchange.map(shown))),
            Ok(Plan::Known(found)) => for_call(&self.core, call)
                .and_then(|(core, _link)| core.check_aborted())
                .and_then(|()| shown(found)),
            Err(error) => Err(error),
        };
        match known {
            Ok(found) => Promise::resolve(&found),
            Err(error) => Promise::reject(&error.into()),
        }
    }

    /// One page of call records (`{ page, pageSize, from, to }`).
    #[wasm_bindgen(js_name = cdrsListPage)]
    pub fn cdrs_list_page(&self, given: JsValue, call: JsValue) -> Promise {
        run(
            &self.core,
            call,
            dated_page(self.core.config(), list_cdrs(given), "timestamp"),
        )
    }

    /// A lazy walk over every call record (`{ page, pageSize, from, to }`).
    #[wasm_bindgen(js_name = cdrsPager)]
    pub fn cdrs_pager(
        &self,
        given: JsValue,
        call: JsValue,
    ) -> std::result::Result<RawPager, JsValue> {
        let pager = cdrs::list(list_cdrs(given)?)?;
        Ok(raw_pager(for_call(&self.core, call)?, pager, "timestamp"))
    }
}
