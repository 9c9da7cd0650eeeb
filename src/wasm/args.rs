//! Checks the arguments of exported calls: wrong JavaScript types become `invalid_argument`
//! naming the argument, before anything is sent.

use js_sys::Function;
use wasm_bindgen::prelude::*;

use super::js_values::epoch_ms;
use super::safe_js::get;

/// Longest array argument read (a bulk FMU call of 100,000 numbers is already absurd).
const MAX_ITEMS: u32 = 100_000;
use crate::core::error::{ProximusError, Result};

/// A required string argument.
pub fn string(value: &JsValue, name: &str) -> Result<String> {
    value
        .as_string()
        .ok_or_else(|| ProximusError::invalid(format!("{name} must be a string")))
}

/// An optional string member of an options object.
pub fn opt_string(options: &JsValue, key: &str) -> Result<Option<String>> {
    let value = get(options, key);
    if value.is_undefined() || value.is_null() {
        return Ok(None);
    }
    string(&value, key).map(Some)
}

/// An optional number member of an options object.
pub fn opt_number(options: &JsValue, key: &str) -> Result<Option<f64>> {
    let value = get(options, key);
    if value.is_undefined() || value.is_null() {
        return Ok(None);
    }
    value
        .as_f64()
        .map(Some)
        .ok_or_else(|| ProximusError::invalid(format!("{key} must be a number")))
}

/// An optional boolean member of an options object.
pub fn opt_bool(options: &JsValue, key: &str) -> Result<Option<bool>> {
    let value = get(options, key);
    if value.is_undefined() || value.is_null() {
        return Ok(None);
    }
    value
        .as_bool()
        .map(Some)
        .ok_or_else(|| ProximusError::invalid(format!("{key} must be a boolean")))
}

/// An optional function member of an options object.
pub fn opt_function(options: &JsValue, key: &str) -> Result<Option<Function>> {
    let value = get(options, key);
    if value.is_undefined() || value.is_null() {
        return Ok(None);
    }
    value
        .dyn_into::<Function>()
        .map(Some)
        .map_err(|_| ProximusError::invalid(format!("{key} must be a function")))
}

/// An options object, or `undefined`/`null` for none.
pub fn options_object(value: &JsValue, name: &str) -> Result<JsValue> {
    if value.is_undefined() || value.is_null() {
        return Ok(JsValue::UNDEFINED);
    }
    if !super::safe_js::is_options_object(value) {
        return Err(ProximusError::invalid(format!("{name} must be an object")));
    }
    Ok(value.clone())
}

/// An array of strings.
pub fn strings(value: &JsValue, name: &str) -> Result<Vec<String>> {
    let not_strings = || ProximusError::invalid(format!("{name} must be an array of strings"));
    if super::safe_js::is_array(value) != Some(true) {
        return Err(not_strings());
    }
    let items = super::safe_js::array_items(value, MAX_ITEMS).ok_or_else(not_strings)?;
    items
        .iter()
        .enumerate()
        .map(|(i, item)| string(item, &format!("{name}[{i}]")))
        .collect()
}

/// An optional instant: a `Date`, epoch milliseconds or an ISO string.
pub fn opt_instant(options: &JsValue, key: &str) -> Result<Option<i64>> {
    let value = get(options, key);
    if value.is_undefined() || value.is_null() {
        return Ok(None);
    }
    epoch_ms(&value).map(|ms| Some(ms as i64)).ok_or_else(|| {
        ProximusError::invalid(format!(
            "{key} must be a Date, epoch milliseconds or an ISO string"
        ))
    })
}
