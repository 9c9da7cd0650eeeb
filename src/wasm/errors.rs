//! `ProximusError` in JavaScript: the package registers its class (a real `Error` subclass) once
//! at load, and every error crosses the boundary through one conversion,
//! `From<ProximusError> for JsValue`, so exports return `Result` and use `?`.

use std::cell::RefCell;

use js_sys::{Function, Reflect};
use serde::Serialize;
use wasm_bindgen::prelude::*;

use super::fmu::bulk_to_js;
use super::interop::to_js;
use crate::core::errors::{ErrorCause, ErrorCode, ProximusError};

thread_local! {
    static ERROR_CLASS: RefCell<Option<Function>> = const { RefCell::new(None) };
}

/// Called once by the package entry with the `ProximusError` class.
#[wasm_bindgen(js_name = "__registerErrorClass")]
pub fn register_error_class(class: Function) {
    ERROR_CLASS.with(|c| *c.borrow_mut() = Some(class));
}

/// What `new ProximusError(message, details)` takes.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Details<'a> {
    code: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    status: Option<u16>,
    retryable: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    retry_after_ms: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    service_code: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    msisdn: Option<&'a str>,
    /// `"unknown"`: a paid request that may have taken effect.
    #[serde(skip_serializing_if = "Option::is_none")]
    outcome: Option<&'a str>,
    #[serde(
        skip_serializing_if = "JsValue::is_undefined",
        with = "serde_wasm_bindgen::preserve"
    )]
    cause: JsValue,
    #[serde(
        skip_serializing_if = "JsValue::is_undefined",
        with = "serde_wasm_bindgen::preserve"
    )]
    partial: JsValue,
}

impl From<ProximusError> for JsValue {
    fn from(error: ProximusError) -> JsValue {
        let details = to_js(&Details {
            code: error.code().as_str(),
            status: error.status(),
            retryable: error.retryable(),
            retry_after_ms: error.retry_after_ms(),
            service_code: error.service_code(),
            msisdn: error.msisdn(),
            outcome: error.outcome_unknown().then_some("unknown"),
            cause: error.cause().map_or(JsValue::UNDEFINED, cause_to_js),
            partial: error
                .partial()
                .and_then(|partial| bulk_to_js(partial).ok())
                .unwrap_or(JsValue::UNDEFINED),
        })
        .unwrap_or(JsValue::UNDEFINED);
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
        let _ = js_sys::Object::assign(
            plain.unchecked_ref::<js_sys::Object>(),
            details.unchecked_ref::<js_sys::Object>(),
        );
        plain
    }
}

/// What the runtime threw, rebuilt from its scrubbed text: an `Error` of the same name, message
/// and `code`, and its own cause.
fn cause_to_js(cause: &ErrorCause) -> JsValue {
    let error = js_sys::Error::new(&cause.message);
    error.set_name(&cause.name);
    if let Some(code) = &cause.code {
        let _ = Reflect::set(&error, &"code".into(), &code.into());
    }
    if let Some(inner) = &cause.cause {
        let _ = Reflect::set(&error, &"cause".into(), &cause_to_js(inner));
    }
    error.into()
}

/// What a runtime threw, as text: its name, message, `code` and (a few levels of) cause.
pub fn thrown_cause(thrown: &JsValue) -> ErrorCause {
    thrown_cause_at(thrown, 3)
}

fn thrown_cause_at(thrown: &JsValue, depth: u8) -> ErrorCause {
    let inner = (depth > 0)
        .then(|| member(thrown, "cause"))
        .flatten()
        .filter(|c| !c.is_undefined() && !c.is_null());
    ErrorCause {
        name: text_member(thrown, "name").unwrap_or_else(|| "Error".into()),
        message: thrown_message(thrown).unwrap_or_default(),
        code: text_member(thrown, "code"),
        cause: inner.map(|c| Box::new(thrown_cause_at(&c, depth - 1))),
    }
}

/// Member `key` of a thrown object (read with `Reflect`, which is bound with `catch`: a thrown
/// Proxy cannot throw again here); `None` for anything that is no object.
fn member(thrown: &JsValue, key: &str) -> Option<JsValue> {
    thrown
        .is_object()
        .then(|| Reflect::get(thrown, &key.into()).ok())
        .flatten()
}

fn text_member(thrown: &JsValue, key: &str) -> Option<String> {
    member(thrown, key).and_then(|v| v.as_string())
}

/// The error for a value thrown by an application callback (`getToken`, a store).
pub fn from_callback(what: &str, thrown: &JsValue) -> ProximusError {
    let detail = thrown_message(thrown).unwrap_or_else(|| "a non-Error value was thrown".into());
    ProximusError::new(ErrorCode::Callback, format!("{what} failed: {detail}"))
}

/// The message of a thrown JavaScript value: its `message`, or the value itself if a string.
pub fn thrown_message(thrown: &JsValue) -> Option<String> {
    text_member(thrown, "message").or_else(|| thrown.as_string())
}
