//! The one error type of the library: a stable `code`, the HTTP status where there was one,
//! whether retrying may help, and a message that never carries a secret; how answers become
//! errors; and keeping secrets and numbers out of messages.

pub mod answers;
pub mod privacy;
pub mod quote;

use std::fmt;
use std::rc::Rc;

use crate::core::fmu::bulk::BulkResult;

/// A stable, machine-readable error category (`ProximusError.code` in JavaScript).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ErrorCode {
    /// Bad input caught before anything was sent.
    InvalidArgument,
    /// The server refused the request as malformed (400 and other unclassified 4xx).
    BadRequest,
    /// Credentials or token refused (401).
    Unauthorized,
    /// Not allowed (403).
    Forbidden,
    /// No such resource (404).
    NotFound,
    /// Conflicting state (409).
    Conflict,
    /// Throttled (429).
    RateLimited,
    /// The server failed (500 and other unclassified 5xx).
    ServerError,
    /// The service is temporarily unavailable (502, 503, 504).
    Unavailable,
    /// No answer within `timeoutMs`.
    Timeout,
    /// The request could not be sent or its answer could not be read.
    Network,
    /// The server answered something the client cannot understand.
    BadResponse,
    /// The FMU platform reported an error for a number.
    FmuError,
    /// A user-supplied callback (`getToken`, `tokenStore`, `fetch`) failed.
    Callback,
    /// The call's signal was aborted.
    Aborted,
}

impl ErrorCode {
    /// The snake_case name JavaScript sees.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::InvalidArgument => "invalid_argument",
            ErrorCode::BadRequest => "bad_request",
            ErrorCode::Unauthorized => "unauthorized",
            ErrorCode::Forbidden => "forbidden",
            ErrorCode::NotFound => "not_found",
            ErrorCode::Conflict => "conflict",
            ErrorCode::RateLimited => "rate_limited",
            ErrorCode::ServerError => "server_error",
            ErrorCode::Unavailable => "unavailable",
            ErrorCode::Timeout => "timeout",
            ErrorCode::Network => "network",
            ErrorCode::BadResponse => "bad_response",
            ErrorCode::FmuError => "fmu_error",
            ErrorCode::Callback => "callback_error",
            ErrorCode::Aborted => "aborted",
        }
    }

    /// Whether an identical request may succeed later (a transient condition).
    pub fn is_transient(self) -> bool {
        matches!(
            self,
            ErrorCode::RateLimited
                | ErrorCode::Unavailable
                | ErrorCode::Timeout
                | ErrorCode::Network
        )
    }
}

/// Every failure of the library.
#[derive(Clone, Debug, PartialEq)]
pub struct ProximusError {
    code: ErrorCode,
    message: String,
    status: Option<u16>,
    retry_after_ms: Option<u64>,
    service_code: Option<String>,
    msisdn: Option<String>,
    cause: Option<Box<ErrorCause>>,
    partial: Option<Rc<BulkResult>>,
    outcome_unknown: bool,
}

/// What the runtime threw when a request failed (`TypeError: fetch failed`, and its own cause
/// `connect ECONNREFUSED …`), as plain text: kept on the error as its `cause`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ErrorCause {
    /// `TypeError`, `Error`…
    pub name: String,
    /// Its message.
    pub message: String,
    /// A system error code (`ECONNREFUSED`), if it had one.
    pub code: Option<String>,
    /// What caused it, in turn.
    pub cause: Option<Box<ErrorCause>>,
}

impl ErrorCause {
    /// The innermost message: the most precise account (`connect ECONNREFUSED 127.0.0.1:8787`
    /// rather than `fetch failed`).
    pub fn innermost(&self) -> &ErrorCause {
        let mut at = self;
        while let Some(inner) = at.cause.as_deref().filter(|c| !c.message.is_empty()) {
            at = inner;
        }
        at
    }

    fn redact(mut self, secret: &str) -> Self {
        self.message = redact_text(std::mem::take(&mut self.message), secret);
        self.cause = self.cause.map(|c| Box::new(c.redact(secret)));
        self
    }
}

/// Longest message kept from a server answer: error pages can be huge.
const MAX_MESSAGE_CHARS: usize = 300;

/// `message`, cut to [`MAX_MESSAGE_CHARS`] characters (and `…`) when longer.
fn shortened(message: String) -> String {
    if message.chars().count() <= MAX_MESSAGE_CHARS {
        return message;
    }
    message.chars().take(MAX_MESSAGE_CHARS).collect::<String>() + "…"
}

impl ProximusError {
    /// A new error with `code` and `message`.
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        ProximusError {
            code,
            message: shortened(message.into()),
            status: None,
            retry_after_ms: None,
            service_code: None,
            msisdn: None,
            cause: None,
            partial: None,
            outcome_unknown: false,
        }
    }

    /// Shorthand for an `invalid_argument` error.
    pub fn invalid(message: impl Into<String>) -> Self {
        Self::new(ErrorCode::InvalidArgument, message)
    }

    /// Shorthand for a `bad_response` error.
    pub fn bad_response(message: impl Into<String>) -> Self {
        Self::new(ErrorCode::BadResponse, message)
    }

    /// Attaches the HTTP status.
    pub fn with_status(mut self, status: u16) -> Self {
        self.status = Some(status);
        self
    }

    /// Attaches the server's `Retry-After`, in milliseconds.
    pub fn with_retry_after_ms(mut self, ms: Option<u64>) -> Self {
        self.retry_after_ms = ms;
        self
    }

    /// Attaches the service's own error code (`NO_NUMBER_AVAILABLE`, `invalid_client`, 900901…).
    pub fn with_service_code(mut self, code: impl Into<String>) -> Self {
        self.service_code = Some(code.into());
        self
    }

    /// Attaches the number an FMU error is about.
    pub fn with_msisdn(mut self, msisdn: impl Into<String>) -> Self {
        self.msisdn = Some(msisdn.into());
        self
    }

    /// The same error with another message (e.g. with a hint added).
    pub fn with_message(mut self, message: impl Into<String>) -> Self {
        self.message = shortened(message.into());
        self
    }

    /// Attaches what the runtime threw.
    pub fn with_cause(mut self, cause: ErrorCause) -> Self {
        self.cause = Some(Box::new(cause));
        self
    }

    /// Attaches what an aborted bulk call had done.
    pub fn with_partial(mut self, partial: BulkResult) -> Self {
        self.partial = Some(Rc::new(partial));
        self
    }

    /// Marks a paid request that may have taken effect (`effect` says what may exist now):
    /// repeating it could pay twice, so the error is no longer retryable.
    pub fn with_unknown_outcome(mut self, effect: &str) -> Self {
        self.message = shortened(format!(
            "{}; it may have taken effect: {effect}, so do not simply retry",
            self.message
        ));
        self.outcome_unknown = true;
        self
    }

    /// Whether the request may have reached the service and acted although this error came
    /// back (a lost answer, a timeout, a 5xx); not for a 429, refused before the service.
    pub fn may_have_acted(&self) -> bool {
        match self.code {
            ErrorCode::Timeout | ErrorCode::Network | ErrorCode::ServerError => true,
            // A 503 says the service did not take the request; a 502 or 504 comes from a
            // gateway that may have passed it on.
            ErrorCode::Unavailable => self.status != Some(503),
            _ => false,
        }
    }

    /// Replaces every occurrence of `secret` in the message and the service code (a server may
    /// echo what it got), including a start of it cut off where a long message was shortened.
    pub fn redact(mut self, secret: &str) -> Self {
        if secret.len() < 4 {
            return self;
        }
        self.message = redact_text(std::mem::take(&mut self.message), secret);
        self.service_code = self.service_code.map(|code| redact_text(code, secret));
        self.cause = self.cause.map(|cause| Box::new(cause.redact(secret)));
        self
    }

    /// The category.
    pub fn code(&self) -> ErrorCode {
        self.code
    }
    /// The human-readable message.
    pub fn message(&self) -> &str {
        &self.message
    }
    /// The HTTP status, where there was one.
    pub fn status(&self) -> Option<u16> {
        self.status
    }
    /// Whether retrying the same call later may succeed.
    pub fn retryable(&self) -> bool {
        self.code.is_transient() && !self.outcome_unknown
    }
    /// Whether this is a paid request that may have taken effect (JavaScript sees
    /// `outcome: "unknown"`).
    pub fn outcome_unknown(&self) -> bool {
        self.outcome_unknown
    }
    /// The delay the server asked for, if any.
    pub fn retry_after_ms(&self) -> Option<u64> {
        self.retry_after_ms
    }
    /// The service's own error code, if it sent one.
    pub fn service_code(&self) -> Option<&str> {
        self.service_code.as_deref()
    }
    /// The number an FMU error is about.
    pub fn msisdn(&self) -> Option<&str> {
        self.msisdn.as_deref()
    }
    /// What the runtime threw, for a network failure.
    pub fn cause(&self) -> Option<&ErrorCause> {
        self.cause.as_deref()
    }
    /// What an aborted bulk call had done before it stopped.
    pub fn partial(&self) -> Option<&BulkResult> {
        self.partial.as_deref()
    }
}

impl fmt::Display for ProximusError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code.as_str(), self.message)
    }
}

impl std::error::Error for ProximusError {}

/// The library's result type.
pub type Result<T> = std::result::Result<T, ProximusError>;

/// `text` with `secret` replaced by `[redacted]`, also where `text` was shortened (ends with
/// `…`) in the middle of it.
pub fn redact_text(text: String, secret: &str) -> String {
    let mut out = if text.contains(secret) {
        text.replace(secret, "[redacted]")
    } else {
        text // the usual case: no copy
    };
    if let Some(cut) = out.strip_suffix('…') {
        let tail = (4..secret.len())
            .rev()
            .filter(|&n| secret.is_char_boundary(n))
            .find(|&n| cut.ends_with(&secret[..n]));
        if let Some(n) = tail {
            out = format!("{}[redacted]…", &cut[..cut.len() - n]);
        }
    }
    out
}
