//! `ProximusError` in JavaScript: the wrapper registers its class (a real `Error` subclass)
//! once at load; errors are built from it so `instanceof` works.

use std::cell::RefCell;

use js_sys::{Function, Reflect};
use wasm_bindgen::prelude::*;

use super::js_values::{object, opt_f64, opt_str};
use crate::core::error::{ErrorCode, ProximusError, Result};

thread_local! {
    static ERROR_CLASS: RefCell<Option<Function>> = const { RefCell::new(None) };
}

/// Called once by the package entry with the `ProximusError` class.
#[wasm_bindgen(js_name = "__registerErrorClass")]
pub fn register_error_class(class: Function) {
    ERROR_CLASS.with(|c| *c.borrow_mut() = Some(class));
}

/// The JavaScript error for `error`: `new ProximusError(message, details)`.
pub fn to_js(error: &ProximusError) -> JsValue {
    let details = object(&[
        ("code", error.code().as_str().into()),
        ("status", opt_f64(error.status().map(f64::from))),
        ("retryable", error.retryable().into()),
        (
            "retryAfterMs",
            opt_f64(error.retry_after_ms().map(|ms| ms as f64)),
        ),
        ("serviceCode", opt_str(error.service_code())),
        ("msisdn", opt_str(error.msisdn())),
    ]);
    let message = JsValue::from_str(error.message());
    let class = ERROR_CLASS.with(|c| c.borrow().clone());
    if let Some(class) = class {
        let args = js_sys::Array::of2(&message, &details);
        if let Ok(value) = Reflect::construct(&class, &args) {
            return value;
        }
    }
    // Not registered (the raw module used directly): a plain Error with the same fields.
    let plain: JsValue = js_sys::Error::new(error.message()).into();
    let _ = Reflect::set(&plain, &"name".into(), &"ProximusError".into());
    if let Ok(entries) =
        js_sys::Object::entries(details.unchecked_ref()).dyn_into::<js_sys::Array>()
    {
        for entry in entries.iter() {
            let pair: js_sys::Array = entry.unchecked_into();
            let _ = Reflect::set(&plain, &pair.get(0), &pair.get(1));
        }
    }
    plain
}

/// An `invalid_argument` error, thrown at once.
pub fn invalid(message: impl Into<String>) -> JsValue {
    to_js(&ProximusError::invalid(message))
}

/// The error for a value thrown by an application callback (`getToken`, `tokenStore`).
pub fn from_callback(what: &str, thrown: &JsValue) -> ProximusError {
    let detail = thrown_message(thrown).unwrap_or_else(|| "a non-Error value was thrown".into());
    ProximusError::new(ErrorCode::Callback, format!("{what} failed: {detail}"))
}

/// The message of a thrown JavaScript value: its `message`, or the value itself if a string.
pub fn thrown_message(thrown: &JsValue) -> Option<String> {
    super::safe_js::get(thrown, "message")
        .as_string()
        .or_else(|| thrown.as_string())
}

/// A core result as a synchronous JavaScript one: the error thrown as a `ProximusError`.
pub fn sync<T>(result: Result<T>) -> std::result::Result<T, JsValue> {
    result.map_err(|e| to_js(&e))
}
