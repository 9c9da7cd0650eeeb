//! `client.bookings.ensure`: the store adapter and the export.

use std::rc::Rc;

use js_sys::{Function, Promise};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

use super::args::{opt_function, opt_number, opt_string, options_object};
use super::bookings::{booking_members, plan};
use super::client::{promise, RawClient};
use super::errors::from_callback;
use super::js_values::get;
use crate::core::config::LocalFuture;
use crate::core::ensure::{BookingStore, EnsureBooking, RenewBelow};
use crate::core::error::{ProximusError, Result};
use crate::core::json::ObjectWriter;

/// A JavaScript `{ get(key), set(key, value) }` store; a Workers KV namespace (`put`) works as is.
struct JsBookingStore {
    store: JsValue,
    get: Function,
    set: Function,
}

async fn settle(returned: std::result::Result<JsValue, JsValue>, what: &str) -> Result<JsValue> {
    let value = returned.map_err(|e| from_callback(what, &e))?;
    JsFuture::from(Promise::resolve(&value))
        .await
        .map_err(|e| from_callback(what, &e))
}

impl BookingStore for JsBookingStore {
    fn get(&self, key: &str) -> LocalFuture<'_, Result<Option<String>>> {
        let returned = self.get.call1(&self.store, &key.into());
        Box::pin(async move {
            let value = settle(returned, "store.get").await?;
            if value.is_null() || value.is_undefined() {
                return Ok(None);
            }
            value
                .as_string()
                .map(Some)
                .ok_or_else(|| ProximusError::invalid("store.get must give a string or null"))
        })
    }

    fn set(&self, key: &str, booking_id: &str) -> LocalFuture<'_, Result<()>> {
        let returned = self.set.call2(&self.store, &key.into(), &booking_id.into());
        Box::pin(async move { settle(returned, "store.set").await.map(|_| ()) })
    }
}

fn store(options: &JsValue) -> Result<Rc<dyn BookingStore>> {
    let store = get(options, "store");
    let get_fn = opt_function(&store, "get").ok().flatten();
    let set_fn = opt_function(&store, "set")
        .ok()
        .flatten()
        .or_else(|| opt_function(&store, "put").ok().flatten());
    match (get_fn, set_fn) {
        (Some(get), Some(set)) => Ok(Rc::new(JsBookingStore { store, get, set })),
        _ => Err(ProximusError::invalid(
            "store must have get(key) and set(key, value) (or put) functions",
        )),
    }
}

fn renew_below(options: &JsValue) -> Result<RenewBelow> {
    let value = get(options, "renewBelow");
    let defaults = RenewBelow::default();
    if value.is_undefined() || value.is_null() {
        return Ok(defaults);
    }
    let whole = |key: &str, default: u64| -> Result<u64> {
        match opt_number(&value, key)? {
            None => Ok(default),
            Some(n) if n.fract() == 0.0 && (0.0..=1e9).contains(&n) => Ok(n as u64),
            Some(_) => Err(ProximusError::invalid(format!(
                "renewBelow.{key} must be a whole number ≥ 0"
            ))),
        }
    };
    Ok(RenewBelow {
        seconds: whole("seconds", defaults.seconds)?,
        calls: whole("calls", defaults.calls)?,
    })
}

#[wasm_bindgen]
impl RawClient {
    /// The active booking for `key`: reused, topped up when low, or booked anew.
    #[wasm_bindgen(js_name = bookingsEnsure)]
    pub fn bookings_ensure(&self, options: JsValue) -> Promise {
        let parsed = (|| {
            let options = options_object(&options, "options")?;
            let required = |key: &str| {
                opt_string(&options, key)?
                    .ok_or_else(|| ProximusError::invalid(format!("{key} is required")))
            };
            let request = EnsureBooking {
                key: required("key")?,
                destination: required("destination")?,
                usage_plan: plan(&options)?,
                callback_url: required("callbackUrl")?,
                renew_below: renew_below(&options)?,
            };
            Ok((store(&options)?, request))
        })();
        let running =
            parsed.map(|(store, request)| self.ensurer.ensure(&self.core, store, &request));
        promise(async move {
            let ensured = running?.await?;
            let mut out = String::with_capacity(256);
            let mut object = ObjectWriter::new(&mut out);
            booking_members(&ensured.booking, &mut object);
            object.str("action", ensured.action.as_str()).end();
            Ok(JsValue::from_str(&out))
        })
    }
}
