//! Reads the JavaScript options object into [`ClientOptions`], naming the option at fault.

use std::rc::Rc;

use js_sys::{Function, Promise};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

use super::args::{opt_function, opt_number, opt_string};
use super::errors::{from_callback, invalid, sync, to_js};
use super::js_values::{date_or_null, epoch_ms, get, object};
use crate::core::config::{
    ClientOptions, Credentials, LocalFuture, ProvidedToken, RetryEvent, TokenProvider, TokenStore,
};
use crate::core::error::{ProximusError, Result};
use crate::core::secret::Secret;

const KNOWN: &[&str] = &[
    "clientId",
    "clientSecret",
    "accessToken",
    "getToken",
    "baseUrl",
    "tokenUrl",
    "revokeUrl",
    "fmuUrl",
    "rentedNumbersUrl",
    "timeoutMs",
    "maxRetries",
    "maxConcurrentRequests",
    "fetch",
    "tokenStore",
    "onRetry",
    "clientAuth",
];

/// The options and the custom `fetch`, if any.
pub struct JsOptions {
    pub options: ClientOptions,
    pub fetch: Option<Function>,
}

/// Parses `new ProximusClient(options)`.
pub fn parse(value: &JsValue) -> std::result::Result<JsOptions, JsValue> {
    if !super::safe_js::is_options_object(value) {
        return Err(invalid("options must be an object"));
    }
    let keys = super::safe_js::keys(value).ok_or_else(|| invalid("options could not be read"))?;
    for key in keys {
        if !KNOWN.contains(&key.as_str()) {
            return Err(invalid(format!(
                "unknown option {}; known options: {}",
                crate::core::quote::quoted(&key, 40),
                KNOWN.join(", ")
            )));
        }
    }
    let mut options = ClientOptions {
        credentials: Some(credentials(value)?),
        ..Default::default()
    };
    options.base_url = string(value, "baseUrl")?;
    options.token_url = string(value, "tokenUrl")?;
    options.revoke_url = string(value, "revokeUrl")?;
    options.fmu_url = string(value, "fmuUrl")?;
    options.rented_numbers_url = string(value, "rentedNumbersUrl")?;
    options.timeout_ms = number(value, "timeoutMs")?;
    options.max_retries = number(value, "maxRetries")?;
    options.max_concurrent_requests = number(value, "maxConcurrentRequests")?;
    options.basic_auth = match string(value, "clientAuth")?.as_deref() {
        None | Some("body") => false,
        Some("basic") => true,
        Some(_) => return Err(invalid("clientAuth must be \"body\" or \"basic\"")),
    };
    options.token_store = token_store(value)?;
    options.on_retry = function(value, "onRetry")?.map(|hook| {
        Rc::new(move |event: &RetryEvent| {
            let arg = object(&[
                ("attempt", event.attempt.into()),
                ("delayMs", (event.delay_ms as f64).into()),
                ("error", to_js(&event.error)),
            ]);
            // A throwing hook must not break the call it observes.
            super::safe_js::call_hook(&hook, &arg);
        }) as Rc<dyn Fn(&RetryEvent)>
    });
    let fetch = function(value, "fetch")?;
    Ok(JsOptions { options, fetch })
}

fn credentials(value: &JsValue) -> std::result::Result<Credentials, JsValue> {
    let client_id = string(value, "clientId")?;
    let client_secret = string(value, "clientSecret")?;
    let access_token = string(value, "accessToken")?;
    let get_token = function(value, "getToken")?;
    let ways = [
        client_id.is_some() || client_secret.is_some(),
        access_token.is_some(),
        get_token.is_some(),
    ];
    match ways.iter().filter(|&&w| w).count() {
        0 => {
            return Err(invalid(
                "credentials: pass clientId and clientSecret, accessToken, or getToken",
            ))
        }
        1 => {}
        _ => {
            return Err(invalid(
                "credentials: pass only one of clientId + clientSecret, accessToken or getToken",
            ))
        }
    }
    if let Some(token) = access_token {
        return Ok(Credentials::Permanent(Secret::new(token)));
    }
    if let Some(function) = get_token {
        return Ok(Credentials::Provider(Rc::new(JsTokenProvider(function))));
    }
    match (client_id, client_secret) {
        (Some(client_id), Some(secret)) => Ok(Credentials::ClientCredentials {
            client_id,
            client_secret: Secret::new(secret),
        }),
        (None, _) => Err(invalid("clientId is required with clientSecret")),
        (_, None) => Err(invalid("clientSecret is required with clientId")),
    }
}

fn string(value: &JsValue, key: &str) -> std::result::Result<Option<String>, JsValue> {
    sync(opt_string(value, key))
}

fn number(value: &JsValue, key: &str) -> std::result::Result<Option<f64>, JsValue> {
    sync(opt_number(value, key))
}

fn function(value: &JsValue, key: &str) -> std::result::Result<Option<Function>, JsValue> {
    sync(opt_function(value, key))
}

fn token_store(value: &JsValue) -> std::result::Result<Option<Rc<dyn TokenStore>>, JsValue> {
    let store = get(value, "tokenStore");
    if store.is_undefined() {
        return Ok(None);
    }
    let (Some(get_fn), Some(set_fn)) = (
        function(&store, "get").ok().flatten(),
        function(&store, "set").ok().flatten(),
    ) else {
        return Err(invalid(
            "tokenStore must be an object with get() and set(token, expiresAt) functions",
        ));
    };
    Ok(Some(Rc::new(JsTokenStore {
        store,
        get: get_fn,
        set: set_fn,
    })))
}

/// Calls `function` on `this` and awaits its result if it is a promise.
async fn call(
    this: &JsValue,
    function: &Function,
    args: &[JsValue],
    what: &str,
) -> Result<JsValue> {
    let returned = match args {
        [] => function.call0(this),
        [a, b] => function.call2(this, a, b),
        _ => function.call1(this, &args[0]),
    }
    .map_err(|e| from_callback(what, &e))?;
    JsFuture::from(Promise::resolve(&returned))
        .await
        .map_err(|e| from_callback(what, &e))
}

/// Reads what `getToken` or `tokenStore.get` answered: a string or `{ accessToken, expiresAt }`.
fn provided(value: &JsValue, what: &str) -> Result<ProvidedToken> {
    let (token, expires) = match value.as_string() {
        Some(token) => (Some(token), JsValue::UNDEFINED),
        None => (
            get(value, "accessToken").as_string(),
            get(value, "expiresAt"),
        ),
    };
    let token = token.filter(|t| !t.trim().is_empty()).ok_or_else(|| {
        ProximusError::invalid(format!(
            "{what} must give a token string or {{ accessToken, expiresAt }}"
        ))
    })?;
    let expires_at_ms = if expires.is_undefined() || expires.is_null() {
        None
    } else {
        Some(epoch_ms(&expires).ok_or_else(|| {
            ProximusError::invalid(format!(
                "{what}: expiresAt must be a Date, epoch milliseconds or an ISO string"
            ))
        })?)
    };
    Ok(ProvidedToken {
        access_token: Secret::new(token),
        expires_at_ms,
    })
}

struct JsTokenProvider(Function);

impl TokenProvider for JsTokenProvider {
    fn token(&self) -> LocalFuture<'_, Result<ProvidedToken>> {
        Box::pin(async move {
            let value = call(&JsValue::UNDEFINED, &self.0, &[], "getToken").await?;
            provided(&value, "getToken")
        })
    }
}

struct JsTokenStore {
    store: JsValue,
    get: Function,
    set: Function,
}

impl TokenStore for JsTokenStore {
    fn get(&self) -> LocalFuture<'_, Result<Option<ProvidedToken>>> {
        Box::pin(async move {
            let value = call(&self.store, &self.get, &[], "tokenStore.get").await?;
            if value.is_undefined() || value.is_null() {
                return Ok(None);
            }
            provided(&value, "tokenStore.get").map(Some)
        })
    }

    fn set(&self, token: &ProvidedToken) -> LocalFuture<'_, Result<()>> {
        let args = [
            JsValue::from_str(token.access_token.expose()),
            date_or_null(token.expires_at_ms),
        ];
        Box::pin(async move {
            call(&self.store, &self.set, &args, "tokenStore.set").await?;
            Ok(())
        })
    }
}
