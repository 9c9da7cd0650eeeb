//! Small conversions between JavaScript values and Rust ones.

use js_sys::{Object, Reflect};
use wasm_bindgen::prelude::*;

/// A plain object from `(key, value)` pairs.
pub fn object(members: &[(&str, JsValue)]) -> JsValue {
    let obj = Object::new();
    for (key, value) in members {
        let _ = Reflect::set(&obj, &JsValue::from_str(key), value);
    }
    obj.into()
}

/// A result for api.js: `value` written as one JSON text.
pub fn json_text<T>(value: &T, write: fn(&T, &mut String)) -> JsValue {
    let mut out = String::with_capacity(256);
    write(value, &mut out);
    JsValue::from_str(&out)
}

/// A number or `undefined`.
pub fn opt_f64(value: Option<f64>) -> JsValue {
    value.map_or(JsValue::UNDEFINED, JsValue::from_f64)
}

/// A string or `undefined`.
pub fn opt_str(value: Option<&str>) -> JsValue {
    value.map_or(JsValue::UNDEFINED, JsValue::from_str)
}

/// A `Date` for epoch ms.
pub fn date(ms: f64) -> JsValue {
    js_sys::Date::new(&JsValue::from_f64(ms)).into()
}

/// A `Date` for epoch ms, or `null`.
pub fn date_or_null(ms: Option<u64>) -> JsValue {
    ms.map_or(JsValue::NULL, |ms| date(ms as f64))
}

pub use super::safe_js::get;

/// Epoch ms from a `Date`, a number of ms, or an ISO-8601 string.
pub fn epoch_ms(value: &JsValue) -> Option<u64> {
    // A Date (or anything with getTime), found without `instanceof`, which runs proxy traps.
    let ms = if let Some(time) = value
        .is_object()
        .then(|| super::safe_js::call_method(value, "getTime"))
        .flatten()
    {
        time.as_f64()?
    } else if let Some(n) = value.as_f64() {
        n
    } else if let Some(s) = value.as_string() {
        crate::core::time::parse_iso(&s)? as f64
    } else {
        return None;
    };
    (ms.is_finite() && ms >= 0.0).then_some(ms as u64)
}

/// A JavaScript value as [`Json`], via `JSON.stringify` (objects handed to the parsers).
pub fn to_json(value: &JsValue) -> crate::core::error::Result<crate::core::json::Json> {
    let text = js_sys::JSON::stringify(value)
        .ok()
        .and_then(|s| s.as_string())
        .ok_or_else(|| {
            crate::core::error::ProximusError::bad_response("the body is not JSON-serializable")
        })?;
    crate::core::json::Json::parse(&text)
        .ok_or_else(|| crate::core::error::ProximusError::bad_response("the body is not JSON"))
}
