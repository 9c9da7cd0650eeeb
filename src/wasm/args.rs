//! Checks the arguments of exported calls: wrong JavaScript types become `invalid_argument`
//! naming the argument, before anything is sent.

use js_sys::{Array, Function};
use wasm_bindgen::prelude::*;

use super::js_values::get;
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
    if !value.is_object() || Array::is_array(value) || value.is_function() {
        return Err(ProximusError::invalid(format!("{name} must be an object")));
    }
    Ok(value.clone())
}

/// An array of strings.
pub fn strings(value: &JsValue, name: &str) -> Result<Vec<String>> {
    if !Array::is_array(value) {
        return Err(ProximusError::invalid(format!(
            "{name} must be an array of strings"
        )));
    }
    let array: &Array = value.unchecked_ref();
    (0..array.length())
        .map(|i| string(&array.get(i), &format!("{name}[{i}]")))
        .collect()
}
