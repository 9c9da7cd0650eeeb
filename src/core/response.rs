//! Reading answers: a JSON body where one is expected, and a `ProximusError` from any failed
//! answer, whatever its body (gateway fault, service error, OAuth error, HTML, empty, junk).

use super::error::{ErrorCode, ProximusError};
use super::http::{HttpResponse, TransportError};
use super::json::Json;
use super::privacy::hide_numbers;
use super::retry::parse_retry_after;

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

/// The error for a non-2xx answer.
pub fn error_from_response(response: &HttpResponse, now_ms: u64) -> ProximusError {
    let status = response.status;
    let (detail, service_code) = describe_body(&response.body);
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

/// What a failed answer's body says, and the service's own code, in every known shape.
fn describe_body(body: &str) -> (String, Option<String>) {
    let trimmed = body.trim();
    if trimmed.is_empty() {
        return ("empty body".into(), None);
    }
    let Some(json) = Json::parse(trimmed) else {
        return (describe_text(trimmed), None);
    };
    // Gateway: {"fault":{"code":900901,"message":"…","description":"…"}}
    if let Some(fault) = json.get("fault") {
        let code = fault.get("code").and_then(|c| match c {
            Json::Number(n) => super::json::integer_text(*n),
            Json::String(s) => Some(s.clone()),
            _ => None,
        });
        return (
            join(fault.str_field("message"), fault.str_field("description")),
            code,
        );
    }
    // OAuth2 (RFC 6749 §5.2): {"error":"invalid_client","error_description":"…"}
    if let Some(error) = json.str_field("error") {
        return (
            join(Some(error), json.str_field("error_description")),
            Some(error.to_string()),
        );
    }
    // Service: {"code":"VALIDATION_ERROR","message":"…"}; FMU: {"errorMessage":"…"}
    let message = json
        .str_field("message")
        .or_else(|| json.str_field("errorMessage"));
    let code = json.str_field("code").map(str::to_string);
    if message.is_none() && code.is_none() {
        return ("unrecognised JSON error body".into(), None);
    }
    (join(message, code.as_deref()), code)
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

/// The JSON body of a successful answer; anything else is `bad_response`.
pub fn json_body(response: &HttpResponse) -> Result<Json, ProximusError> {
    Json::parse(&response.body)
        .filter(Json::is_object)
        .ok_or_else(|| {
            let what = if response.body.trim().is_empty() {
                "an empty body".to_string()
            } else {
                describe_text(response.body.trim())
            };
            ProximusError::bad_response(format!("expected a JSON object, got {what}"))
                .with_status(response.status)
        })
}

/// The error for a failed exchange.
pub fn error_from_transport(error: TransportError, timeout_ms: u64) -> ProximusError {
    match error {
        TransportError::Timeout => ProximusError::new(
            ErrorCode::Timeout,
            format!("no answer within {timeout_ms} ms"),
        ),
        TransportError::Network(m) => {
            ProximusError::new(ErrorCode::Network, format!("network error: {m}"))
        }
        TransportError::Callback(m) => {
            ProximusError::new(ErrorCode::Callback, format!("the fetch option failed: {m}"))
        }
    }
}
