//! One HTTP exchange as the core sees it, and the `Transport` that performs it.

use std::future::Future;

use super::codec::JsonCodec;
use super::errors::ErrorCause;

/// The HTTP methods this client uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Method {
    /// GET
    Get,
    /// POST
    Post,
    /// PUT
    Put,
    /// DELETE
    Delete,
}

impl Method {
    /// The method's name on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Delete => "DELETE",
        }
    }
}

/// A request, fully built: the transport only sends it.
#[derive(Clone, Debug, PartialEq)]
pub struct HttpRequest {
    /// The method.
    pub method: Method,
    /// The absolute URL, query included.
    pub url: String,
    /// Header names and values.
    pub headers: Vec<(&'static str, String)>,
    /// The body, if any.
    pub body: Option<String>,
    /// Abort the exchange (answer body included) after this long.
    pub timeout_ms: u64,
}

impl HttpRequest {
    /// The value of header `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// An answer, whatever its status.
#[derive(Clone, Debug, PartialEq)]
pub struct HttpResponse {
    /// The status code.
    pub status: u16,
    /// The `Retry-After` header, if present.
    pub retry_after: Option<String>,
    /// The `Date` header, if present: the platform's clock.
    pub date: Option<String>,
    /// The body as text (empty when there was none).
    pub body: String,
}

impl HttpResponse {
    /// An answer with `status` and `body`.
    pub fn new(status: u16, body: impl Into<String>) -> Self {
        HttpResponse {
            status,
            retry_after: None,
            date: None,
            body: body.into(),
        }
    }
    /// Whether the status is 2xx.
    pub fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }
}

/// Why no answer arrived.
#[derive(Clone, Debug, PartialEq)]
pub enum TransportError {
    /// `timeout_ms` elapsed.
    Timeout,
    /// The request failed to send or the answer failed to arrive (message for humans).
    Network(String),
    /// The same, with what the runtime threw (`fetch failed`, caused by `connect ECONNREFUSED`).
    Thrown(ErrorCause),
    /// A user-supplied `fetch` threw something that is not a network failure.
    Callback(String),
}

/// Sends one request and returns the answer. Implementations must not retry: the core decides.
/// The core drops an exchange it no longer waits for (its call was aborted): the transport should
/// then stop the request itself.
pub trait Transport {
    /// How bodies are read and written on this runtime (`JSON.parse` in the wasm, serde_json
    /// natively): the transport brings the runtime's codec along with its `fetch`.
    type Json: JsonCodec;
    /// Performs one exchange.
    fn send(
        &self,
        request: HttpRequest,
    ) -> impl Future<Output = Result<HttpResponse, TransportError>>;
}
