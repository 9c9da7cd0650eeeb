//! Reading answers: the JSON object a success answer must carry, and a `ProximusError` from any
//! failed answer, whatever its body (gateway fault, service error, OAuth error, HTML, empty,
//! junk).

use serde::de::DeserializeOwned;
use serde::Deserialize;

use super::privacy::hide_numbers;
use super::{ErrorCode, ProximusError};
use crate::core::codec::lenient::{self, Scalar};
use crate::core::codec::{DecodeError, JsonCodec};
use crate::core::log::{host, shown_request};
use crate::core::retry::parse_retry_after;
use crate::core::transport::{HttpRequest, HttpResponse, TransportError};

/// The error code a status maps to.
pub fn code_for_status(status: u16) -> ErrorCode {
    match status {
        401 => ErrorCode::Unauthorized,
        403 => ErrorCode::Forbidden,
        404 => ErrorCode::NotFound,
        409 => ErrorCode::Conflict,
        429 => ErrorCode::RateLimited,
        502..=504 => ErrorCode::Unavailable,
        400..=499 => ErrorCode::BadRequest,
        500..=599 => ErrorCode::ServerError,
        _ => ErrorCode::BadResponse,
    }
}

/// An error body, in every shape the platform and OAuth use: the gateway's
/// `{"fault":{"code":900901,"message","description"}}`, OAuth's
/// `{"error":"invalid_client","error_description"}` (RFC 6749 §5.2), the services'
/// `{"code":"VALIDATION_ERROR","message"}` and FMU's `{"errorMessage"}`.
#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct ErrorBody {
    /// The gateway's fault.
    pub fault: Option<Fault>,
    /// OAuth's error code.
    #[serde(deserialize_with = "lenient::string")]
    pub error: Option<String>,
    /// OAuth's explanation.
    #[serde(rename = "error_description", deserialize_with = "lenient::string")]
    pub error_description: Option<String>,
    /// A service's message.
    #[serde(deserialize_with = "lenient::string")]
    pub message: Option<String>,
    /// FMU's message.
    #[serde(deserialize_with = "lenient::string")]
    pub error_message: Option<String>,
    /// A service's own code.
    #[serde(deserialize_with = "lenient::string")]
    pub code: Option<String>,
}

/// The gateway's fault object.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct Fault {
    /// `900901`, as a number or a string.
    pub code: Scalar,
    /// `Invalid Credentials`.
    #[serde(deserialize_with = "lenient::string")]
    pub message: Option<String>,
    /// The details.
    #[serde(deserialize_with = "lenient::string")]
    pub description: Option<String>,
}

/// The error for a non-2xx answer, its body read with the runtime's codec `J`.
pub fn error_from_response<J: JsonCodec>(response: &HttpResponse, now_ms: u64) -> ProximusError {
    let status = response.status;
    let (detail, service_code) = describe_body::<J>(&response.body);
    let mut message = format!("HTTP {status}");
    if !detail.is_empty() {
        message.push_str(": ");
        message.push_str(&detail);
    }
    let mut error = ProximusError::new(code_for_status(status), message)
        .with_status(status)
        .with_retry_after_ms(
            response
                .retry_after
                .as_deref()
                .and_then(|v| parse_retry_after(v, now_ms)),
        );
    if let Some(code) = service_code {
        error = error.with_service_code(code);
    }
    error
}

/// What a failed answer's body says, and the service's own code.
fn describe_body<J: JsonCodec>(body: &str) -> (String, Option<String>) {
    let trimmed = body.trim();
    if trimmed.is_empty() {
        return ("empty body".into(), None);
    }
    let body: ErrorBody = match J::decode_object(trimmed) {
        Ok(body) => body,
        Err(DecodeError::Shape(_)) => return ("unrecognised JSON error body".into(), None),
        Err(DecodeError::NotJson) => return (describe_text(trimmed), None),
    };
    if let Some(fault) = body.fault {
        let message = join(fault.message.as_deref(), fault.description.as_deref());
        return (message, fault.code.text());
    }
    if let Some(error) = body.error {
        return (
            join(Some(&error), body.error_description.as_deref()),
            Some(error),
        );
    }
    let message = body.message.or(body.error_message);
    if message.is_none() && body.code.is_none() {
        return ("unrecognised JSON error body".into(), None);
    }
    (join(message.as_deref(), body.code.as_deref()), body.code)
}

/// The text of an error body's fields, as a message quotes them. (`describe_text` and `join` are
/// the two places where a server's words enter a message: a server may quote the number a
/// request was about, such as a booking's hidden one, so both hide numbers.)
fn join(first: Option<&str>, second: Option<&str>) -> String {
    let text = match (
        first.filter(|s| !s.is_empty()),
        second.filter(|s| !s.is_empty()),
    ) {
        (Some(a), Some(b)) if a != b => format!("{a} ({b})"),
        (Some(a), _) => a.to_string(),
        (None, Some(b)) => b.to_string(),
        (None, None) => String::new(),
    };
    hide_numbers(&text)
}

/// A short plain-text account of a non-JSON body: the text of an HTML page, or the start.
fn describe_text(body: &str) -> String {
    let looks_html = body.starts_with('<');
    let mut text = String::new();
    let mut in_tag = false;
    for c in body.chars().take(4096) {
        match c {
            '<' if looks_html => in_tag = true,
            '>' if looks_html => {
                in_tag = false;
                text.push(' ');
            }
            _ if in_tag => {}
            c if c.is_whitespace() || c.is_control() => text.push(' '),
            c => text.push(c),
        }
    }
    let words: Vec<&str> = text.split_whitespace().take(16).collect();
    let kind = if looks_html {
        "HTML page"
    } else {
        "non-JSON body"
    };
    if words.is_empty() {
        kind.to_string()
    } else {
        format!("{kind}: {}", hide_numbers(&words.join(" ")))
    }
}

/// The JSON object a successful answer carries, read as `T` with the runtime's codec `J`;
/// anything else (not JSON, not an object) is `bad_response`.
pub fn decode_body<J: JsonCodec, T: DeserializeOwned>(
    response: &HttpResponse,
) -> Result<T, ProximusError> {
    match J::decode_object(&response.body) {
        Ok(value) => Ok(value),
        Err(_) => {
            let body = response.body.trim();
            let what = if body.is_empty() {
                "an empty body".to_string()
            } else {
                describe_text(body)
            };
            Err(
                ProximusError::bad_response(format!("expected a JSON object, got {what}"))
                    .with_status(response.status),
            )
        }
    }
}

/// The error for a failed exchange, naming the request and where it went:
/// `POST /rentednumbers/1.0.0/bookings to 127.0.0.1:8787: connect ECONNREFUSED`.
pub fn error_from_transport(
    error: TransportError,
    request: &HttpRequest,
    timeout_ms: u64,
) -> ProximusError {
    let at = format!("{} to {}", shown_request(request), host(&request.url));
    match error {
        TransportError::Timeout => ProximusError::new(
            ErrorCode::Timeout,
            format!("{at}: no answer within {timeout_ms} ms"),
        ),
        TransportError::Network(m) => ProximusError::new(ErrorCode::Network, format!("{at}: {m}")),
        TransportError::Thrown(cause) => {
            let innermost = cause.innermost();
            // Node says `connect ECONNREFUSED 127.0.0.1:8787`: the host is already named.
            let detail = innermost
                .message
                .trim_end_matches(host(&request.url))
                .trim_end();
            let detail = hide_numbers(if detail.is_empty() {
                "fetch failed"
            } else {
                detail
            });
            ProximusError::new(ErrorCode::Network, format!("{at}: {detail}")).with_cause(cause)
        }
        TransportError::Callback(m) => ProximusError::new(
            ErrorCode::Callback,
            format!("{at}: the fetch option failed: {m}"),
        ),
    }
}
