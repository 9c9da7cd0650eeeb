//! The exported client: each method converts its arguments, runs the core, converts back.

use std::future::Future;
use std::pin::Pin;

use js_sys::Promise;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::future_to_promise;

use super::errors::{sync, to_js};
use super::fetch_transport::FetchTransport;
use super::js_clock::JsClock;
use super::js_values::{date_or_null, object};
use super::options;
use crate::core::client::Client;
use crate::core::ensure::Ensurer;
use crate::core::error::Result;

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
}

/// Called once by a package entry with its runtime's default `maxConcurrentRequests`.
#[wasm_bindgen(js_name = "__setDefaultMaxConcurrentRequests")]
pub fn set_default_max_concurrent_requests(max: f64) {
    RUNTIME_MAX_CONCURRENT.with(|m| m.set(Some(max)));
}

/// Runs a core future as a JavaScript promise, its error as a `ProximusError`.
pub(super) fn promise<F>(future: F) -> Promise
where
    F: Future<Output = Result<JsValue>> + 'static,
{
    boxed_promise(Box::pin(future))
}

/// One non-generic trampoline: `future_to_promise` is instantiated once, not per method.
fn boxed_promise(future: Pin<Box<dyn Future<Output = Result<JsValue>>>>) -> Promise {
    future_to_promise(async move { future.await.map_err(|e| to_js(&e)) })
}

#[wasm_bindgen]
impl RawClient {
    /// Checks the options; throws `ProximusError` (`invalid_argument`) naming the bad one.
    #[wasm_bindgen(constructor)]
    pub fn new(options: JsValue) -> std::result::Result<RawClient, JsValue> {
        let mut parsed = options::parse(&options)?;
        if parsed.options.max_concurrent_requests.is_none() {
            parsed.options.max_concurrent_requests = RUNTIME_MAX_CONCURRENT.with(|m| m.get());
        }
        let transport = FetchTransport {
            custom_fetch: parsed.fetch,
        };
        let core = sync(Client::new(parsed.options, transport, JsClock))?;
        Ok(RawClient {
            core,
            ensurer: Ensurer::new(),
        })
    }

    /// `{ accessToken, tokenType, scope, expiresAt }`, from the cache or one shared fetch.
    #[wasm_bindgen(js_name = getToken)]
    pub fn get_token(&self) -> Promise {
        let core = self.core.clone();
        promise(async move {
            let token = core.token().await?;
            Ok(object(&[
                ("accessToken", token.value.expose().into()),
                ("tokenType", token.token_type.as_str().into()),
                ("scope", token.scope.as_str().into()),
                ("expiresAt", date_or_null(token.expires_at_ms)),
            ]))
        })
    }

    /// Revokes the active token and forgets it.
    #[wasm_bindgen(js_name = revokeToken)]
    pub fn revoke_token(&self) -> Promise {
        let core = self.core.clone();
        promise(async move {
            core.revoke().await?;
            Ok(JsValue::UNDEFINED)
        })
    }
}
