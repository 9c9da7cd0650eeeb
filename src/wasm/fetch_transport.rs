//! The `fetch` transport: one exchange per call, aborted by an `AbortController` after the
//! request's timeout (the body read included). Uses the global `fetch` unless the application
//! passed its own. Bound directly with web-sys: no HTTP crate in between, fewer bytes.

use std::cell::Cell;
use std::future::Future;
use std::rc::Rc;

use js_sys::{Function, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortController, Headers, Request, RequestInit, Response};

use super::errors::thrown_message;
use super::js_clock::{clear_timeout, set_timeout};
use crate::core::http::{HttpRequest, HttpResponse, Transport, TransportError};

#[wasm_bindgen]
extern "C" {
    /// The global `fetch` (browsers, Node 18+, workerd), looked up at call time.
    #[wasm_bindgen(js_name = fetch, catch)]
    fn global_fetch(request: &Request) -> Result<Promise, JsValue>;
}

/// Sends requests with `fetch`.
#[derive(Clone, Default)]
pub struct FetchTransport {
    /// The application's `fetch`, if it passed one.
    pub custom_fetch: Option<Function>,
}

/// Clears the abort timer however the exchange ends (including the future being dropped).
struct Timer {
    id: JsValue,
    _callback: Closure<dyn FnMut()>,
}

impl Drop for Timer {
    fn drop(&mut self) {
        clear_timeout(&self.id);
    }
}

impl Transport for FetchTransport {
    fn send(
        &self,
        request: HttpRequest,
    ) -> impl Future<Output = Result<HttpResponse, TransportError>> {
        let custom_fetch = self.custom_fetch.clone();
        async move {
            let controller = AbortController::new().map_err(|e| network(&e))?;
            let timed_out = Rc::new(Cell::new(false));
            let callback = {
                let (controller, timed_out) = (controller.clone(), timed_out.clone());
                Closure::<dyn FnMut()>::new(move || {
                    timed_out.set(true);
                    controller.abort();
                })
            };
            let _timer = Timer {
                id: set_timeout(callback.as_ref().unchecked_ref(), request.timeout_ms as f64),
                _callback: callback,
            };
            let outcome = exchange(request, &controller, custom_fetch.as_ref()).await;
            outcome.map_err(|error| {
                if timed_out.get() {
                    TransportError::Timeout
                } else {
                    error
                }
            })
        }
    }
}

fn build(request: &HttpRequest, controller: &AbortController) -> Result<Request, JsValue> {
    let headers = Headers::new()?;
    for (name, value) in &request.headers {
        headers.set(name, value)?;
    }
    let init = RequestInit::new();
    init.set_method(request.method.as_str());
    init.set_headers(&headers);
    init.set_signal(Some(&controller.signal()));
    if let Some(body) = &request.body {
        init.set_body(&JsValue::from_str(body));
    }
    Request::new_with_str_and_init(&request.url, &init)
}

async fn exchange(
    request: HttpRequest,
    controller: &AbortController,
    custom_fetch: Option<&Function>,
) -> Result<HttpResponse, TransportError> {
    let raw = build(&request, controller).map_err(|e| network(&e))?;
    let returned = match custom_fetch {
        None => global_fetch(&raw),
        Some(fetch) => fetch
            .call1(&JsValue::UNDEFINED, &raw)
            .map(|value| Promise::resolve(&value)),
    }
    .map_err(|e| network(&e))?;
    let answer = JsFuture::from(returned).await.map_err(|e| network(&e))?;
    // Duck-typed: a Response from another realm or polyfill is fine if it has what we read.
    // (No `instanceof`: it would run a proxy's traps outside a `catch`.)
    let looks_like_response = Reflect::get(&answer, &"status".into())
        .is_ok_and(|s| s.as_f64().is_some())
        && Reflect::get(&answer, &"text".into()).is_ok_and(|t| t.is_function());
    if !looks_like_response {
        return Err(TransportError::Callback(
            "the fetch option did not resolve to a Response".into(),
        ));
    }
    let response: Response = answer.unchecked_into();
    let status = response.status();
    let retry_after = response.headers().get("retry-after").ok().flatten();
    let text = response.text().map_err(|e| network(&e))?;
    let body = JsFuture::from(text)
        .await
        .map_err(|e| network(&e))?
        .as_string()
        .unwrap_or_default();
    Ok(HttpResponse {
        status,
        retry_after,
        body,
    })
}

fn network(error: &JsValue) -> TransportError {
    TransportError::Network(thrown_message(error).unwrap_or_else(|| "fetch failed".into()))
}
