//! The `fetch` transport: one exchange per call, done by `fetch_exchange.js` (fetch builds the
//! request; `AbortSignal.timeout` bounds it, the body read included), so a call crosses the
//! wasm boundary a handful of times instead of once per header and setter. Uses the global
//! `fetch` unless the application passed its own.

use std::future::Future;

use js_sys::{Array, Function, Promise};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

use crate::core::http::{HttpRequest, HttpResponse, Transport, TransportError};

#[wasm_bindgen(module = "/src/wasm/fetch_exchange.js")]
extern "C" {
    fn exchange(
        custom_fetch: &JsValue,
        method: &str,
        url: &str,
        header_lines: &str,
        body: Option<String>,
        timeout_ms: f64,
    ) -> Promise;
}

/// Sends requests with `fetch`.
#[derive(Clone, Default)]
pub struct FetchTransport {
    /// The application's `fetch`, if it passed one.
    pub custom_fetch: Option<Function>,
}

impl Transport for FetchTransport {
    fn send(
        &self,
        request: HttpRequest,
    ) -> impl Future<Output = Result<HttpResponse, TransportError>> {
        let mut header_lines = String::new();
        for (name, value) in &request.headers {
            header_lines.push_str(name);
            header_lines.push('\n');
            header_lines.push_str(value);
            header_lines.push('\n');
        }
        let custom = self
            .custom_fetch
            .as_ref()
            .map_or(JsValue::UNDEFINED, |f| f.into());
        let pending = exchange(
            &custom,
            request.method.as_str(),
            &request.url,
            &header_lines,
            request.body,
            request.timeout_ms as f64,
        );
        async move {
            let outcome: Array = JsFuture::from(pending)
                .await
                .map_err(|_| TransportError::Network("fetch failed".into()))?
                .unchecked_into();
            let text = |i: u32| outcome.get(i).as_string();
            match outcome.get(0).as_f64() {
                Some(0.0) => Ok(HttpResponse {
                    status: outcome.get(1).as_f64().unwrap_or(0.0) as u16,
                    retry_after: text(2),
                    body: text(3).unwrap_or_default(),
                }),
                Some(1.0) => Err(TransportError::Timeout),
                Some(3.0) => Err(TransportError::Callback(text(1).unwrap_or_default())),
                _ => Err(TransportError::Network(
                    text(1).unwrap_or_else(|| "fetch failed".into()),
                )),
            }
        }
    }
}
