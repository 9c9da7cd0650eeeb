//! `client.bookings.cleanUp(…)`: the clean-up of orphans (see the core's `orphans`).

use js_sys::{Array, Object, Promise, Reflect};
use serde::Deserialize;
use wasm_bindgen::prelude::*;

use super::app::{booking_store, JsStore};
use super::client::{promise, RawClient};
use super::interop::{date_items, to_js, to_js_dated, Arg, Kept};
use super::per_call::{for_call, method_options};
use crate::core::config::whole_number;
use crate::core::errors::Result;
use crate::core::rented_numbers::bookings::Booking;
use crate::core::rented_numbers::orphans::{clean_up, CleanUpOptions, CleanUpReport};

/// `bookings.cleanUp(…)`.
#[derive(Default, Deserialize)]
#[serde(default, rename_all = "camelCase", deny_unknown_fields)]
struct CleanUpArgs {
    store: Arg<Kept>,
    grace_ms: Arg<f64>,
    dry_run: Arg<bool>,
}

/// A year: more grace than that is a mistake.
const MAX_GRACE_MS: u64 = 365 * 86_400_000;

fn clean_up_request(value: JsValue) -> Result<(JsStore, CleanUpOptions)> {
    let args: CleanUpArgs = method_options(value, "options")?;
    let store = booking_store(args.store)?;
    let defaults = CleanUpOptions::default();
    let options = CleanUpOptions {
        grace_ms: whole_number("graceMs", args.grace_ms.get("graceMs")?, 0, MAX_GRACE_MS)?
            .unwrap_or(defaults.grace_ms),
        dry_run: args.dry_run.get("dryRun")?.unwrap_or(defaults.dry_run),
    };
    Ok((store, options))
}

fn bookings_to_js(bookings: &[Booking]) -> Result<JsValue> {
    let list = to_js(bookings)?;
    date_items(&list, "endTime");
    Ok(list)
}

fn report_to_js(report: CleanUpReport) -> Result<JsValue> {
    let object = Object::new();
    let set = |name: &str, value: &JsValue| {
        let _ = Reflect::set(&object, &name.into(), value);
    };
    set("checked", &(report.checked as f64).into());
    set("referenced", &(report.referenced as f64).into());
    set("waiting", &bookings_to_js(&report.waiting)?);
    set("deleted", &bookings_to_js(&report.deleted)?);
    let failed = Array::new();
    for (booking, error) in report.failed {
        let entry = Object::new();
        let _ = Reflect::set(
            &entry,
            &"booking".into(),
            &to_js_dated(&booking, "endTime")?,
        );
        let _ = Reflect::set(&entry, &"error".into(), &error.into());
        failed.push(&entry);
    }
    set("failed", &failed);
    Ok(object.into())
}

#[wasm_bindgen]
impl RawClient {
    /// Deletes the bookings no key of `store` refers to, once older than `graceMs`.
    #[wasm_bindgen(js_name = bookingsCleanUp)]
    pub fn bookings_clean_up(&self, given: JsValue, call: JsValue) -> Promise {
        let planned = for_call(&self.core, call)
            .and_then(|(core, link)| Ok((core, link, clean_up_request(given)?)));
        promise(async move {
            let (core, _link, (store, options)) = planned?;
            report_to_js(clean_up(&core, &store, options).await?)
        })
    }
}
