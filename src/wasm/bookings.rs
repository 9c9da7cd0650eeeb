//! `client.bookings.*` and `client.cdrs.*`.

use js_sys::Promise;
use wasm_bindgen::prelude::*;

use super::args::{opt_bool, opt_instant, opt_number, opt_string, options_object, string};
use super::client::{promise, RawClient};
use super::errors::sync;
use super::js_values::json_text;
use super::pager::{page_text, raw_pager, RawPager};
use crate::core::bookings::{self, Booking, CreateBooking, ListBookings, UsagePlan};
use crate::core::cdrs::{self, CallRecord, ListCdrs};
use crate::core::config::whole_number;
use crate::core::error::{ProximusError, Result};
use crate::core::json::ObjectWriter;
use crate::core::paging::DEFAULT_PAGE_SIZE;

// Bookings and call records cross to JavaScript as one JSON text each (a page as one text),
// which api.js parses and gives its Dates: one boundary crossing instead of one per field.

/// A booking's members as api.js reads them (`endTime` in epoch ms).
pub(super) fn booking_members(b: &Booking, object: &mut ObjectWriter<'_>) {
    object
        .str("id", &b.id)
        .str("service", &b.service)
        .opt_str("destination", b.destination.as_deref())
        .opt_str("usagePlan", b.usage_plan.as_deref())
        .num("endTime", b.end_time_ms as f64)
        .opt_num("secondsRemaining", b.seconds_remaining.map(|n| n as f64))
        .opt_num("callsRemaining", b.calls_remaining.map(|n| n as f64));
}

fn write_booking(b: &Booking, out: &mut String) {
    let mut object = ObjectWriter::new(out);
    booking_members(b, &mut object);
    object.end();
}

/// A call record as api.js reads it (`timestamp` in epoch ms).
fn write_record(r: &CallRecord, out: &mut String) {
    ObjectWriter::new(out)
        .str("id", &r.id)
        .num("timestamp", r.timestamp_ms as f64)
        .opt_num("duration", r.duration.map(|n| n as f64))
        .opt_str("source", r.source.as_deref())
        .opt_str("service", r.service.as_deref())
        .end();
}

/// A whole number in `0..=max`, or `default`.
fn whole(options: &JsValue, key: &str, max: u32, default: u32) -> Result<u32> {
    Ok(whole_number(key, opt_number(options, key)?, 0, max.into())?.map_or(default, |n| n as u32))
}

pub(super) fn plan(options: &JsValue) -> Result<UsagePlan> {
    let plan = opt_string(options, "usagePlan")?
        .ok_or_else(|| ProximusError::invalid("usagePlan is required"))?;
    UsagePlan::parse(&plan)
}

fn list_bookings(options: &JsValue, size_key: &str) -> Result<ListBookings> {
    let options = options_object(options, "options")?;
    Ok(ListBookings {
        page: whole(&options, "page", u32::MAX, 0)?,
        size: whole(&options, size_key, u32::MAX, DEFAULT_PAGE_SIZE)?,
        include_expired: opt_bool(&options, "includeExpired")?.unwrap_or(false),
    })
}

fn list_cdrs(options: &JsValue, size_key: &str) -> Result<ListCdrs> {
    let options = options_object(options, "options")?;
    Ok(ListCdrs {
        page: whole(&options, "page", u32::MAX, 0)?,
        size: whole(&options, size_key, u32::MAX, DEFAULT_PAGE_SIZE)?,
        from_ms: opt_instant(&options, "from")?,
        to_ms: opt_instant(&options, "to")?,
    })
}

#[wasm_bindgen]
impl RawClient {
    /// Books a temporary number: never retried after an ambiguous failure.
    #[wasm_bindgen(js_name = bookingsCreate)]
    pub fn bookings_create(&self, options: JsValue) -> Promise {
        let core = self.core.clone();
        promise(async move {
            let options = options_object(&options, "options")?;
            let request = CreateBooking {
                destination: opt_string(&options, "destination")?
                    .ok_or_else(|| ProximusError::invalid("destination is required"))?,
                usage_plan: plan(&options)?,
                callback_url: opt_string(&options, "callbackUrl")?
                    .ok_or_else(|| ProximusError::invalid("callbackUrl is required"))?,
            };
            Ok(json_text(
                &bookings::create(&core, &request).await?,
                write_booking,
            ))
        })
    }

    /// One booking.
    #[wasm_bindgen(js_name = bookingsGet)]
    pub fn bookings_get(&self, id: JsValue) -> Promise {
        let core = self.core.clone();
        promise(async move {
            Ok(json_text(
                &bookings::get(&core, &string(&id, "id")?).await?,
                write_booking,
            ))
        })
    }

    /// Tops up a booking with `{ usagePlan }`.
    #[wasm_bindgen(js_name = bookingsUpdate)]
    pub fn bookings_update(&self, id: JsValue, options: JsValue) -> Promise {
        let core = self.core.clone();
        promise(async move {
            let id = string(&id, "id")?;
            let plan = plan(&options_object(&options, "options")?)?;
            Ok(json_text(
                &bookings::update(&core, &id, plan).await?,
                write_booking,
            ))
        })
    }

    /// Deletes a booking at once and for good.
    #[wasm_bindgen(js_name = bookingsDelete)]
    pub fn bookings_delete(&self, id: JsValue) -> Promise {
        let core = self.core.clone();
        promise(async move {
            bookings::delete(&core, &string(&id, "id")?).await?;
            Ok(JsValue::UNDEFINED)
        })
    }

    /// One page of bookings with its totals.
    #[wasm_bindgen(js_name = bookingsListPage)]
    pub fn bookings_list_page(&self, options: JsValue) -> Promise {
        let core = self.core.clone();
        promise(async move {
            let query = list_bookings(&options, "size")?;
            Ok(page_text(
                &bookings::list_page(&core, &query).await?,
                write_booking,
            ))
        })
    }

    /// A lazy walk over every booking (`{ includeExpired, pageSize }`).
    #[wasm_bindgen(js_name = bookingsPager)]
    pub fn bookings_pager(&self, options: JsValue) -> std::result::Result<RawPager, JsValue> {
        let pager = sync(list_bookings(&options, "pageSize").and_then(bookings::list))?;
        Ok(raw_pager(self.core.clone(), pager, write_booking))
    }

    /// One call record.
    #[wasm_bindgen(js_name = cdrsGet)]
    pub fn cdrs_get(&self, id: JsValue) -> Promise {
        let core = self.core.clone();
        promise(async move {
            Ok(json_text(
                &cdrs::get(&core, &string(&id, "id")?).await?,
                write_record,
            ))
        })
    }

    /// One page of call records (`{ page, size, from, to }`).
    #[wasm_bindgen(js_name = cdrsListPage)]
    pub fn cdrs_list_page(&self, options: JsValue) -> Promise {
        let core = self.core.clone();
        promise(async move {
            let query = list_cdrs(&options, "size")?;
            Ok(page_text(
                &cdrs::list_page(&core, &query).await?,
                write_record,
            ))
        })
    }

    /// A lazy walk over every call record (`{ from, to, pageSize }`).
    #[wasm_bindgen(js_name = cdrsPager)]
    pub fn cdrs_pager(&self, options: JsValue) -> std::result::Result<RawPager, JsValue> {
        let pager = sync(list_cdrs(&options, "pageSize").and_then(cdrs::list))?;
        Ok(raw_pager(self.core.clone(), pager, write_record))
    }
}
