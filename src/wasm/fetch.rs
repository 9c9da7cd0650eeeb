//! The `fetch` transport: `fetch(url, init)`, the init holding the method, gloo-net's `Headers`,
//! the body and the `AbortSignal` of a [`Deadline`] that bounds the whole exchange (body read
//! included) and stops it when an aborted call drops it. The application's own `fetch` is handed
//! a `Request`, made from the same URL and init in one step.
//!
//! gloo-net's `RequestBuilder` is not used: its `build()` always constructs a throwaway `Request`
//! and parses the URL again through `URL` to merge query parameters we never give it, which made
//! three `Request` objects per call (undici's are costly: a single `getStatus` ran at 0.8× a
//! hand-written client). Its `send()` and `text()` are not used either: they `panic!` on a
//! rejection that is not an `Error` (a custom `fetch` may reject with anything), and a panic
//! here would trap the instance.

use std::future::Future;

use gloo_net::http::Headers;
use js_sys::{Function, Promise};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortController, AbortSignal, RequestInit, Response};

use super::clock::{clear_timeout, set_timeout};
use super::errors::thrown_cause;
use super::interop::JsJson;
use crate::core::transport::{HttpRequest, HttpResponse, Transport, TransportError};

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(catch, js_name = fetch)]
    fn global_fetch(url: &str, init: &RequestInit) -> Result<Promise, JsValue>;
}

/// The one `AbortController` of a request: aborted by a timer after `timeoutMs`, or when the
/// exchange is dropped unfinished (its call was aborted; a dropped future alone would leave the
/// `fetch` running). `AbortSignal.timeout` would do the first alone, at three times the cost in
/// Node, and a second signal joined with `AbortSignal.any` would cost again.
struct Deadline {
    controller: AbortController,
    timer: JsValue,
    finished: bool,
}

impl Deadline {
    fn start(ms: u64) -> Result<Deadline, TransportError> {
        let controller = AbortController::new()
            .map_err(|_| TransportError::Network("this runtime has no AbortController".into()))?;
        let abort = js_sys::Reflect::get(&controller, &"abort".into())
            .map_err(|_| TransportError::Network("this runtime has no AbortController".into()))?
            .unchecked_into::<Function>()
            .bind0(&controller);
        let timer = set_timeout(&abort, ms as f64);
        Ok(Deadline {
            controller,
            timer,
            finished: false,
        })
    }

    fn signal(&self) -> AbortSignal {
        self.controller.signal()
    }
}

impl Drop for Deadline {
    fn drop(&mut self) {
        clear_timeout(&self.timer);
        if !self.finished {
            self.controller.abort();
        }
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
            let mut deadline = Deadline::start(request.timeout_ms)?;
            let signal = deadline.signal();
            let init = init(&request, &signal)?;
            // The application's fetch may give anything: a promise is made of it.
            let sent = match &custom_fetch {
                Some(fetch) => web_sys::Request::new_with_str_and_init(&request.url, &init)
                    .and_then(|built| fetch.call1(&JsValue::UNDEFINED, &built))
                    .map(|answer| Promise::resolve(&answer)),
                None => global_fetch(&request.url, &init),
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
            let headers = response.headers();
            let retry_after = (!(200..300).contains(&status))
                .then(|| headers.get("retry-after").ok().flatten())
                .flatten();
            // The platform's clock (expiry is its call); cross-origin pages see it only when
            // the server exposes it.
            let date = headers.get("date").ok().flatten();
            let text = match response.text() {
                Ok(reading) => JsFuture::from(reading).await.map_err(failed)?,
                Err(thrown) => return Err(failed(thrown)),
            };
            deadline.finished = true;
            Ok(HttpResponse {
                status,
                retry_after,
                date,
                body: text.as_string().unwrap_or_default(),
            })
        }
    }
}

/// What `fetch` is given besides the URL.
fn init(request: &HttpRequest, signal: &AbortSignal) -> Result<RequestInit, TransportError> {
    let headers = Headers::new();
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
        headers.append(name, value);
    }
    let init = RequestInit::new();
    init.set_method(request.method.as_str());
    init.set_headers(&headers.into_raw());
    if let Some(body) = &request.body {
        init.set_body(&JsValue::from_str(body));
    }
    init.set_signal(Some(signal));
    Ok(init)
}
