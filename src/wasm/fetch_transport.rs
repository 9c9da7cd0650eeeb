//! The `fetch` transport: one exchange per call, aborted by an `AbortController` after the
//! request's timeout (the body read included). Uses the global `fetch` unless the application
//! passed its own.

use std::cell::Cell;
use std::future::Future;
use std::rc::Rc;

use gloo_net::http::{Method as GlooMethod, Request, RequestBuilder, Response};
use js_sys::{Function, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::AbortController;

use super::js_clock::{clear_timeout, set_timeout};
use crate::core::http::{HttpRequest, HttpResponse, Method, Transport, TransportError};

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

async fn exchange(
    request: HttpRequest,
    controller: &AbortController,
    custom_fetch: Option<&Function>,
) -> Result<HttpResponse, TransportError> {
    let method = match request.method {
        Method::Get => GlooMethod::GET,
        Method::Post => GlooMethod::POST,
        Method::Put => GlooMethod::PUT,
        Method::Delete => GlooMethod::DELETE,
    };
    let mut builder = RequestBuilder::new(&request.url)
        .method(method)
        .abort_signal(Some(&controller.signal()));
    for (name, value) in &request.headers {
        builder = builder.header(name, value);
    }
    let built = match request.body {
        Some(body) => builder.body(body),
        None => builder.build(),
    }
    .map_err(|e| TransportError::Network(e.to_string()))?;
    let response = match custom_fetch {
        None => built
            .send()
            .await
            .map_err(|e| TransportError::Network(e.to_string()))?,
        Some(fetch) => call_custom_fetch(fetch, built).await?,
    };
    let status = response.status();
    let retry_after = response.headers().get("retry-after");
    let body = response
        .text()
        .await
        .map_err(|e| TransportError::Network(e.to_string()))?;
    Ok(HttpResponse {
        status,
        retry_after,
        body,
    })
}

async fn call_custom_fetch(fetch: &Function, request: Request) -> Result<Response, TransportError> {
    let raw: web_sys::Request = request.into();
    let returned = fetch
        .call1(&JsValue::UNDEFINED, &raw)
        .map_err(|e| network(&e))?;
    let answer = JsFuture::from(Promise::resolve(&returned))
        .await
        .map_err(|e| network(&e))?;
    // Duck-typed: a Response from another realm or polyfill is fine if it has what we read.
    let looks_like_response = answer.is_instance_of::<web_sys::Response>()
        || (Reflect::get(&answer, &"status".into()).is_ok_and(|s| s.as_f64().is_some())
            && Reflect::get(&answer, &"text".into()).is_ok_and(|t| t.is_function()));
    if !looks_like_response {
        return Err(TransportError::Callback(
            "the fetch option did not resolve to a Response".into(),
        ));
    }
    Ok(Response::from(answer.unchecked_into::<web_sys::Response>()))
}

fn network(error: &JsValue) -> TransportError {
    let message = Reflect::get(error, &"message".into())
        .ok()
        .and_then(|m| m.as_string())
        .or_else(|| error.as_string())
        .unwrap_or_else(|| "fetch failed".into());
    TransportError::Network(message)
}
