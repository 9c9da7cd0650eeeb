//! The exported client: its options, the promise every async export returns, and the tokens.

use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;

use js_sys::Promise;
use serde::{Deserialize, Serialize};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::future_to_promise;

use super::app::{call_hook, log_sink, JsStore, JsTokenProvider};
use super::clock::JsClock;
use super::fetch::FetchTransport;
use super::interop::{date, options, to_js, Arg, Kept};
use super::per_call::for_call;
use crate::core::client::{Client, Exchange};
use crate::core::config::{ClientOptions, Credentials, RetryEvent, TokenStore};
use crate::core::errors::{ProximusError, Result};
use crate::core::log::LogLevel;
use crate::core::rented_numbers::ensure::Ensurer;
use crate::core::secret::Secret;
use js_sys::Function;

pub(super) type Core = Client<FetchTransport, JsClock>;

/// The wasm side of `ProximusClient`; the package's `ProximusClient` wraps it.
#[wasm_bindgen]
pub struct RawClient {
    pub(super) core: Core,
    /// In-flight `bookings.ensure` runs, so concurrent calls for one key book once.
    pub(super) ensurer: Ensurer,
}

thread_local! {
    /// The entry's default for `maxConcurrentRequests` (Node allows more than browsers and
    /// Workers); `None` leaves the core's.
    static RUNTIME_MAX_CONCURRENT: std::cell::Cell<Option<f64>> = const { std::cell::Cell::new(None) };
    /// Set by the Workers entry: see `Config::wait_on_own_timers`.
    static RUNTIME_OWN_TIMERS: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Called once by the Workers entry: a call waiting for another call's work resumes on its own
/// timers (workerd lets a request do I/O only in its own context).
#[wasm_bindgen(js_name = "__setWaitOnOwnTimers")]
pub fn set_wait_on_own_timers() {
    RUNTIME_OWN_TIMERS.with(|m| m.set(true));
}

/// Called once by a package entry with its runtime's default `maxConcurrentRequests`.
#[wasm_bindgen(js_name = "__setDefaultMaxConcurrentRequests")]
pub fn set_default_max_concurrent_requests(max: f64) {
    RUNTIME_MAX_CONCURRENT.with(|m| m.set(Some(max)));
}

/// Runs a planned exchange as a JavaScript promise, with the call's own options `call`: the one
/// async path of every single-request call (a bad argument, found while planning, rejects it).
pub(super) fn run(core: &Core, call: JsValue, planned: Result<Exchange<JsValue>>) -> Promise {
    let per_call = for_call(core, call);
    promise(async move {
        let (core, _link) = per_call?;
        core.exchange(planned?).await
    })
}

/// Runs a core future as a JavaScript promise, its error a `ProximusError`.
pub(super) fn promise<F>(future: F) -> Promise
where
    F: Future<Output = Result<JsValue>> + 'static,
{
    boxed_promise(Box::pin(future))
}

/// One non-generic trampoline: `future_to_promise` is instantiated once, not per method.
fn boxed_promise(future: Pin<Box<dyn Future<Output = Result<JsValue>>>>) -> Promise {
    future_to_promise(async move { future.await.map_err(JsValue::from) })
}

/// `new ProximusClient(options)`.
#[derive(Default, Deserialize)]
#[serde(default, rename_all = "camelCase", deny_unknown_fields)]
struct ClientArgs {
    client_id: Arg<String>,
    client_secret: Arg<String>,
    access_token: Arg<String>,
    get_token: Arg<Function>,
    base_url: Arg<String>,
    token_url: Arg<String>,
    revoke_url: Arg<String>,
    fmu_url: Arg<String>,
    rented_numbers_url: Arg<String>,
    timeout_ms: Arg<f64>,
    max_retries: Arg<f64>,
    max_concurrent_requests: Arg<f64>,
    fetch: Arg<Function>,
    token_store: Arg<Kept>,
    on_retry: Arg<Function>,
    client_auth: Arg<String>,
    logger: Arg<Kept>,
    log_level: Arg<String>,
}

/// What `onRetry` is called with.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct RetryInfo {
    attempt: u32,
    delay_ms: u64,
    #[serde(with = "serde_wasm_bindgen::preserve")]
    error: JsValue,
}

/// The token `tokens.get()` gives (`expiresAt` `null` when it does not expire).
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct TokenInfo<'a> {
    access_token: &'a str,
    token_type: &'a str,
    scope: &'a str,
    #[serde(with = "serde_wasm_bindgen::preserve")]
    expires_at: JsValue,
}

fn credentials(args: &mut ClientArgs) -> Result<Credentials> {
    let ways = [
        args.client_id.is_given() || args.client_secret.is_given(),
        args.access_token.is_given(),
        args.get_token.is_given(),
    ];
    match ways.iter().filter(|&&w| w).count() {
        0 => {
            return Err(ProximusError::invalid(
                "credentials: pass clientId and clientSecret, accessToken, or getToken",
            ))
        }
        1 => {}
        _ => {
            return Err(ProximusError::invalid(
                "credentials: pass only one of clientId + clientSecret, accessToken or getToken",
            ))
        }
    }
    let take = |arg: &mut Arg<String>, name: &str| std::mem::take(arg).get(name);
    if let Some(token) = take(&mut args.access_token, "accessToken")? {
        return Ok(Credentials::Permanent(Secret::new(token)));
    }
    if let Some(function) = std::mem::take(&mut args.get_token).get("getToken")? {
        return Ok(Credentials::Provider(Rc::new(JsTokenProvider(function))));
    }
    let client_id = take(&mut args.client_id, "clientId")?;
    let client_secret = take(&mut args.client_secret, "clientSecret")?;
    match (client_id, client_secret) {
        (Some(client_id), Some(secret)) => Ok(Credentials::ClientCredentials {
            client_id,
            client_secret: Secret::new(secret),
        }),
        (None, _) => Err(ProximusError::invalid(
            "clientId is required with clientSecret",
        )),
        (_, None) => Err(ProximusError::invalid(
            "clientSecret is required with clientId",
        )),
    }
}

fn client_options(mut args: ClientArgs) -> Result<(ClientOptions, Option<Function>)> {
    let credentials = credentials(&mut args)?;
    let token_store = match args.token_store.get("tokenStore")? {
        Some(Kept(store)) => Some(Rc::new(JsStore::from_js(
            &store,
            "tokenStore must be an object with get() and set(token, expiresAt) functions",
        )?) as Rc<dyn TokenStore>),
        None => None,
    };
    let basic_auth = match args.client_auth.get("clientAuth")?.as_deref() {
        None | Some("body") => false,
        Some("basic") => true,
        Some(_) => {
            return Err(ProximusError::invalid(
                "clientAuth must be \"body\" or \"basic\"",
            ))
        }
    };
    let on_retry = args.on_retry.get("onRetry")?.map(|hook| {
        Rc::new(move |event: &RetryEvent| {
            let info = RetryInfo {
                attempt: event.attempt,
                delay_ms: event.delay_ms,
                error: event.error.clone().into(),
            };
            call_hook(&hook, &info);
        }) as Rc<dyn Fn(&RetryEvent)>
    });
    let options = ClientOptions {
        credentials: Some(credentials),
        base_url: args.base_url.get("baseUrl")?,
        token_url: args.token_url.get("tokenUrl")?,
        revoke_url: args.revoke_url.get("revokeUrl")?,
        fmu_url: args.fmu_url.get("fmuUrl")?,
        rented_numbers_url: args.rented_numbers_url.get("rentedNumbersUrl")?,
        timeout_ms: args.timeout_ms.get("timeoutMs")?,
        max_retries: args.max_retries.get("maxRetries")?,
        max_concurrent_requests: args
            .max_concurrent_requests
            .get("maxConcurrentRequests")?
            .or_else(|| RUNTIME_MAX_CONCURRENT.with(|m| m.get())),
        basic_auth,
        token_store,
        on_retry,
        logger: args.logger.get("logger")?.map(log_sink).transpose()?,
        log_level: args
            .log_level
            .get("logLevel")?
            .map(|level| LogLevel::parse(&level))
            .transpose()?,
        wait_on_own_timers: RUNTIME_OWN_TIMERS.with(|m| m.get()),
    };
    Ok((options, args.fetch.get("fetch")?))
}

#[wasm_bindgen]
impl RawClient {
    /// Checks the options; throws `ProximusError` (`invalid_argument`) naming the bad one.
    #[wasm_bindgen(constructor)]
    pub fn new(given: JsValue) -> std::result::Result<RawClient, JsValue> {
        if given.is_undefined() || given.is_null() {
            return Err(ProximusError::invalid("options must be an object").into());
        }
        let (options, custom_fetch) = client_options(options(given, "options")?)?;
        let core = Client::new(options, FetchTransport { custom_fetch }, JsClock)?;
        Ok(RawClient {
            core,
            ensurer: Ensurer::new(),
        })
    }

    /// `{ accessToken, tokenType, scope, expiresAt }`, from the cache or one shared fetch.
    #[wasm_bindgen(js_name = getToken)]
    pub fn get_token(&self, call: JsValue) -> Promise {
        let per_call = for_call(&self.core, call);
        promise(async move {
            let (core, _link) = per_call?;
            let token = core.token().await?;
            to_js(&TokenInfo {
                access_token: token.value.expose(),
                token_type: &token.token_type,
                scope: &token.scope,
                expires_at: token
                    .expires_at_ms
                    .map_or(JsValue::NULL, |ms| date(ms as f64)),
            })
        })
    }

    /// Revokes the active token and forgets it.
    #[wasm_bindgen(js_name = revokeToken)]
    pub fn revoke_token(&self, call: JsValue) -> Promise {
        let per_call = for_call(&self.core, call);
        promise(async move {
            let (core, _link) = per_call?;
            core.revoke().await?;
            Ok(JsValue::UNDEFINED)
        })
    }
}
