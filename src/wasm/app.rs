//! The application's own functions, as the core calls them: `getToken`, the stores (`tokenStore`,
//! `ensure`'s `store`) and the hooks (`onRetry`, `onProgress`). Every call is bound with `catch`
//! and its result awaited if it is a promise; `api.js` hands over only plain data from them.

use std::rc::Rc;

use js_sys::{Function, Promise, Reflect};
use serde::Deserialize;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

use super::errors::from_callback;
use super::interop::{date, object, to_js, Arg, Kept};
use crate::core::codec::lenient::Scalar;
use crate::core::config::{LocalFuture, ProvidedToken, TokenProvider, TokenStore};
use crate::core::errors::{ProximusError, Result};
use crate::core::log::{LogLevel, LogSink};
use crate::core::rented_numbers::ensure::BookingStore;
use crate::core::secret::Secret;

/// Calls `function` with `args` and awaits what it gives; a throw or a rejection is a
/// `callback_error` naming `what`.
async fn call(function: &Function, args: &[JsValue], what: &str) -> Result<JsValue> {
    let this = JsValue::UNDEFINED;
    let returned = match args {
        [] => function.call0(&this),
        [a] => function.call1(&this, a),
        [a, b, ..] => function.call2(&this, a, b),
    }
    .map_err(|e| from_callback(what, &e))?;
    JsFuture::from(Promise::resolve(&returned))
        .await
        .map_err(|e| from_callback(what, &e))
}

/// A store as api.js hands it over: `{ get, set }`, functions bound to the application's store
/// (for a Workers KV namespace, `set` is its `put`). One adapter for both kinds of store.
pub struct JsStore {
    get: Function,
    set: Function,
}

impl JsStore {
    /// The store in `value`; `invalid_argument` with `message` when it has no `get` and `set`.
    pub fn from_js(value: &JsValue, message: &str) -> Result<JsStore> {
        let function = |name: &str| {
            value
                .is_object()
                .then(|| Reflect::get(value, &name.into()).ok())
                .flatten()
                .filter(JsValue::is_function)
                .map(JsCast::unchecked_into::<Function>)
        };
        match (function("get"), function("set")) {
            (Some(get), Some(set)) => Ok(JsStore { get, set }),
            _ => Err(ProximusError::invalid(message)),
        }
    }
}

/// The `store` option of `ensure` and `cleanUp`.
pub fn booking_store(value: Arg<Kept>) -> Result<JsStore> {
    let store = value
        .get("store")?
        .map_or(JsValue::UNDEFINED, |Kept(store)| store);
    JsStore::from_js(
        &store,
        "store must have get(key) and set(key, value) (or put) functions",
    )
}

/// What `getToken` or `tokenStore.get` gives: a string, `{ accessToken, expiresAt }`, or the
/// OAuth answer as a backend forwards it, `{ access_token, expires_in }` (seconds from now).
#[derive(Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
struct Provided {
    access_token: Scalar,
    expires_at: Scalar,
    #[serde(rename = "access_token")]
    oauth_access_token: Scalar,
    #[serde(rename = "expires_in")]
    oauth_expires_in: Scalar,
}

impl Provided {
    /// The OAuth names read as ours: `expires_in` seconds from now as an instant.
    fn either_form(mut self) -> Self {
        if matches!(self.access_token, Scalar::Absent) {
            self.access_token = std::mem::take(&mut self.oauth_access_token);
            if matches!(self.expires_at, Scalar::Absent) {
                if let Some(seconds) = self.oauth_expires_in.number().filter(|n| n.is_finite()) {
                    let at = js_sys::Date::now() + seconds.max(0.0) * 1000.0;
                    self.expires_at = Scalar::Number(at.floor());
                }
            }
        }
        self
    }
}

fn provided(value: JsValue, what: &str) -> Result<ProvidedToken> {
    let (token, expires) = match value.as_string() {
        Some(token) => (Some(token), Scalar::Absent),
        None => object::<Provided>(value)
            .map(Provided::either_form)
            .map_or((None, Scalar::Absent), |o| {
                (o.access_token.string().map(str::to_string), o.expires_at)
            }),
    };
    let token = token.filter(|t| !t.trim().is_empty()).ok_or_else(|| {
        ProximusError::invalid(format!(
            "{what} must give a token string, {{ accessToken, expiresAt }} or {{ access_token, expires_in }}"
        ))
    })?;
    let expires_at_ms = match expires {
        Scalar::Absent | Scalar::Null => None,
        given => Some(
            given
                .instant()
                .or_else(|| given.number().filter(|n| n.is_finite()).map(|n| n as i64))
                .and_then(|ms| u64::try_from(ms).ok())
                .ok_or_else(|| {
                    ProximusError::invalid(format!(
                        "{what}: expiresAt must be a Date, epoch milliseconds or an ISO string"
                    ))
                })?,
        ),
    };
    Ok(ProvidedToken {
        access_token: Secret::new(token),
        expires_at_ms,
    })
}

impl TokenStore for JsStore {
    fn get(&self) -> LocalFuture<'_, Result<Option<ProvidedToken>>> {
        Box::pin(async move {
            let value = call(&self.get, &[], "tokenStore.get").await?;
            if value.is_undefined() || value.is_null() {
                return Ok(None);
            }
            provided(value, "tokenStore.get").map(Some)
        })
    }

    fn set(&self, token: &ProvidedToken) -> LocalFuture<'_, Result<()>> {
        let expires_at = token
            .expires_at_ms
            .map_or(JsValue::NULL, |ms| date(ms as f64));
        let args = [JsValue::from_str(token.access_token.expose()), expires_at];
        Box::pin(async move {
            call(&self.set, &args, "tokenStore.set").await?;
            Ok(())
        })
    }
}

impl BookingStore for JsStore {
    fn get(&self, key: &str) -> LocalFuture<'_, Result<Option<String>>> {
        let args = [JsValue::from_str(key)];
        Box::pin(async move {
            let value = call(&self.get, &args, "store.get").await?;
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
        let args = [JsValue::from_str(key), JsValue::from_str(booking_id)];
        Box::pin(async move { call(&self.set, &args, "store.set").await.map(|_| ()) })
    }
}

/// `getToken`.
pub struct JsTokenProvider(pub Function);

impl TokenProvider for JsTokenProvider {
    fn token(&self) -> LocalFuture<'_, Result<ProvidedToken>> {
        Box::pin(async move {
            let value = call(&self.0, &[], "getToken").await?;
            provided(value, "getToken")
        })
    }
}

/// Calls a hook (`onRetry`, `onProgress`) with `event` as a plain object. api.js makes hooks
/// safe to call (a throw or a rejection never reaches the call they observe); a throw left is
/// ignored here.
pub fn call_hook<E: serde::Serialize>(function: &Function, event: &E) {
    if let Ok(arg) = to_js(event) {
        let _ = function.call1(&JsValue::UNDEFINED, &arg);
    }
}

/// Where the core's log lines go: the logger's method of each line's level (api.js hands over
/// `{ error, warn, info, debug }`, each bound to the logger and unable to throw).
pub fn log_sink(Kept(logger): Kept) -> Result<LogSink> {
    let method = |name: &str| {
        Reflect::get(&logger, &name.into())
            .ok()
            .filter(JsValue::is_function)
            .map(JsCast::unchecked_into::<Function>)
            .ok_or_else(|| {
                ProximusError::invalid("logger must have debug, info, warn and error functions")
            })
    };
    let methods = [
        method("error")?,
        method("warn")?,
        method("info")?,
        method("debug")?,
    ];
    Ok(Rc::new(move |level: LogLevel, line: &str| {
        let method = match level {
            LogLevel::Off => return,
            LogLevel::Error => &methods[0],
            LogLevel::Warn => &methods[1],
            LogLevel::Info => &methods[2],
            LogLevel::Debug => &methods[3],
        };
        let _ = method.call1(&JsValue::UNDEFINED, &JsValue::from_str(line));
    }))
}
