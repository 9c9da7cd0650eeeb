//! The `fetch` transport: gloo-net builds the `Request` (method, headers, body, and an
//! `AbortSignal` that bounds the whole exchange, body read included, and stops it when an
//! aborted call drops it); the global `fetch` sends it, or the application's own `fetch`, which
//! is handed that same `Request`.
//!
//! gloo-net's own `send()` and `text()` are not used: they `panic!` on a rejection that is not an
//! `Error` (a custom `fetch` may reject with anything), and a panic here would trap the instance.

use std::future::Future;

use gloo_net::http::{Method as GlooMethod, RequestBuilder};
use js_sys::{Function, Promise};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortController, AbortSignal, Response};

use super::errors::thrown_cause;
use super::interop::JsJson;
use crate::core::transport::{HttpRequest, HttpResponse, Method, Transport, TransportError};

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(catch, js_name = fetch)]
    fn global_fetch(request: &web_sys::Request) -> Result<Promise, JsValue>;
    #[wasm_bindgen(catch, js_namespace = AbortSignal, js_name = timeout)]
    fn abort_after(ms: f64) -> Result<AbortSignal, JsValue>;
    #[wasm_bindgen(catch, js_namespace = AbortSignal, js_name = any)]
    fn abort_on_any(signals: &js_sys::Array) -> Result<AbortSignal, JsValue>;
}

/// Aborts the request when the exchange is dropped before it ends (the application aborted
/// the call): a dropped future alone would leave the `fetch` running.
struct StopOnDrop(Option<AbortController>);

impl Drop for StopOnDrop {
    fn drop(&mut self) {
        if let Some(controller) = &self.0 {
            controller.abort();
        }
    }
}

/// The request's signal: its timeout, and for an abortable call also a controller stopped on
/// drop (where the runtime has `AbortSignal.any`; elsewhere the timeout alone).
fn signal_for(request: &HttpRequest) -> Result<(AbortSignal, StopOnDrop), TransportError> {
    let timeout = abort_after(request.timeout_ms as f64)
        .map_err(|_| TransportError::Network("this runtime has no AbortSignal.timeout".into()))?;
    let controller = request
        .abortable
        .then(AbortController::new)
        .and_then(Result::ok);
    let Some(controller) = controller else {
        return Ok((timeout, StopOnDrop(None)));
    };
    match abort_on_any(&js_sys::Array::of2(&timeout, &controller.signal())) {
        Ok(both) => Ok((both, StopOnDrop(Some(controller)))),
        Err(_) => Ok((timeout, StopOnDrop(None))),
    }
}

/// Sends requests with `fetch`.
#[derive(Clone, Default)]
pub struct FetchTransport {
    /// The application's `fetch`, if it passed one.
    pub custom_fetch: Option<Function>,
}

impl Transport for FetchTransport {
    type Json = JsJson;

    fn send(
        &self,
        request: HttpRequest,
    ) -> impl Future<Output = Result<HttpResponse, TransportError>> {
        let custom_fetch = self.custom_fetch.clone();
        async move {
            let (signal, mut stop) = signal_for(&request)?;
            let built = build(&request, &signal)?;
            // The application's fetch may give anything: a promise is made of it.
            let sent = match &custom_fetch {
                Some(fetch) => fetch
                    .call1(&JsValue::UNDEFINED, &built)
                    .map(|answer| Promise::resolve(&answer)),
                None => global_fetch(&built),
            };
            let failed = |thrown: JsValue| {
                if signal.aborted() {
                    TransportError::Timeout
                } else {
                    TransportError::Thrown(thrown_cause(&thrown))
                }
            };
            let answer = match sent {
                Ok(answer) => JsFuture::from(answer).await.map_err(failed)?,
                Err(thrown) => return Err(failed(thrown)),
            };
            // A Response of this realm; anything else is the `fetch` option's mistake.
            let response: Response = answer.dyn_into().map_err(|_| {
                TransportError::Callback("the fetch option did not resolve to a Response".into())
            })?;
            let status = response.status();
            // Only a refusal's wait matters (429, 503…): a success is not asked for it.
            let retry_after = (!(200..300).contains(&status))
                .then(|| response.headers().get("retry-after").ok().flatten())
                .flatten();
            let text = match response.text() {
                Ok(reading) => JsFuture::from(reading).await.map_err(failed)?,
                Err(thrown) => return Err(failed(thrown)),
            };
            stop.0 = None; // it ended: nothing to stop
            Ok(HttpResponse {
                status,
                retry_after,
                body: text.as_string().unwrap_or_default(),
            })
        }
    }
}

/// The `Request`, built by gloo-net.
fn build(request: &HttpRequest, signal: &AbortSignal) -> Result<web_sys::Request, TransportError> {
    let method = match request.method {
        Method::Get => GlooMethod::GET,
        Method::Post => GlooMethod::POST,
        Method::Put => GlooMethod::PUT,
        Method::Delete => GlooMethod::DELETE,
    };
    let mut builder = RequestBuilder::new(&request.url)
        .method(method)
        .abort_signal(Some(signal));
    for (name, value) in &request.headers {
        // `Headers` throws on a value fetch refuses (a token from `getToken` with a line break);
        // gloo-net would rethrow that through the wasm, so it is refused here first.
        if !value
            .bytes()
            .all(|b| b == b'\t' || (b' '..=b'~').contains(&b))
        {
            return Err(TransportError::Callback(format!(
                "the {name} header would hold characters fetch refuses"
            )));
        }
        builder = builder.header(name, value);
    }
    let built = match &request.body {
        Some(body) => builder.body(body.as_str()),
        None => builder.build(),
    };
    built
        .map(web_sys::Request::from)
        .map_err(|e| TransportError::Network(e.to_string()))
}
