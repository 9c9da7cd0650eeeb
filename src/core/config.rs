//! The client's options, checked once at construction.

use std::rc::Rc;

use super::cancel::Cancel;
use super::errors::{ProximusError, Result};
use super::log::{Log, LogLevel, LogSink};
use super::secret::Secret;

/// A boxed, non-`Send` future (JavaScript is single-threaded).
pub type LocalFuture<'a, T> = futures_util::future::LocalBoxFuture<'a, T>;

/// A token handed over by the application (`getToken`, `tokenStore`).
#[derive(Clone, Debug, PartialEq)]
pub struct ProvidedToken {
    /// The bearer token.
    pub access_token: Secret,
    /// When it stops working; `None` when unknown (kept until the server refuses it).
    pub expires_at_ms: Option<u64>,
}

/// Supplies tokens from elsewhere (a backend, a token broker): the `getToken` option.
pub trait TokenProvider {
    /// A token to use now.
    fn token(&self) -> LocalFuture<'_, Result<ProvidedToken>>;
}

/// Shares the one active token between isolates (e.g. Workers KV): the `tokenStore` option.
pub trait TokenStore {
    /// The stored token, if any.
    fn get(&self) -> LocalFuture<'_, Result<Option<ProvidedToken>>>;
    /// Stores a fresh token.
    fn set(&self, token: &ProvidedToken) -> LocalFuture<'_, Result<()>>;
}

/// How the client authenticates: exactly one way.
#[derive(Clone)]
pub enum Credentials {
    /// OAuth2 client credentials: tokens come from `/token`.
    ClientCredentials {
        /// The application key.
        client_id: String,
        /// The application secret.
        client_secret: Secret,
    },
    /// A permanent token made in the portal: never refreshed.
    Permanent(Secret),
    /// Tokens from the application's own function.
    Provider(Rc<dyn TokenProvider>),
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Credentials::ClientCredentials { client_id, .. } => {
                write!(
                    f,
                    "ClientCredentials {{ client_id: {client_id:?}, client_secret: [redacted] }}"
                )
            }
            Credentials::Permanent(_) => f.write_str("Permanent([redacted])"),
            Credentials::Provider(_) => f.write_str("Provider(getToken)"),
        }
    }
}

/// What a retry looked like, for the `onRetry` hook.
#[derive(Clone, Debug)]
pub struct RetryEvent {
    /// 1 for the first retry.
    pub attempt: u32,
    /// How long the client waits before it.
    pub delay_ms: u64,
    /// The failure that caused it.
    pub error: ProximusError,
}

/// Called before each retry.
pub type RetryHook = Rc<dyn Fn(&RetryEvent)>;

/// Everything the application may set; `None` means the default.
#[derive(Clone, Default)]
pub struct ClientOptions {
    /// How to authenticate (required).
    pub credentials: Option<Credentials>,
    /// Default `https://api.enco.io`.
    pub base_url: Option<String>,
    /// Default `{base}/token`.
    pub token_url: Option<String>,
    /// Default `{base}/revoke`.
    pub revoke_url: Option<String>,
    /// Default `{base}/fmu/1.0.0`.
    pub fmu_url: Option<String>,
    /// Default `{base}/rentednumbers/1.0.0`.
    pub rented_numbers_url: Option<String>,
    /// Per attempt; default 10 s.
    pub timeout_ms: Option<f64>,
    /// Default 2.
    pub max_retries: Option<f64>,
    /// Requests in flight at once; default 6.
    pub max_concurrent_requests: Option<f64>,
    /// Send client credentials as HTTP Basic instead of in the form body.
    pub basic_auth: bool,
    /// Shared token storage.
    pub token_store: Option<Rc<dyn TokenStore>>,
    /// Called before each retry.
    pub on_retry: Option<RetryHook>,
    /// Where log lines go (none natively unless given).
    pub logger: Option<LogSink>,
    /// How much is logged; default [`LogLevel::Warn`].
    pub log_level: Option<LogLevel>,
    /// See [`Config::wait_on_own_timers`] (set by the Workers entry).
    pub wait_on_own_timers: bool,
}

/// One call's own settings (`{ signal, timeoutMs, maxRetries }`): they override the client's
/// for that call, and for every request of a call that makes several.
#[derive(Clone, Debug, Default)]
pub struct CallOptions {
    /// Fired when the application aborts the call.
    pub cancel: Option<Cancel>,
    /// Per attempt, instead of the client's `timeoutMs`.
    pub timeout_ms: Option<u64>,
    /// Instead of the client's `maxRetries`.
    pub max_retries: Option<u32>,
}

impl CallOptions {
    /// Whether the call's signal has fired.
    pub fn is_aborted(&self) -> bool {
        self.cancel.as_ref().is_some_and(Cancel::is_aborted)
    }

    /// Checked as the client's options of the same names are.
    pub fn checked(
        cancel: Option<Cancel>,
        timeout_ms: Option<f64>,
        max_retries: Option<f64>,
    ) -> Result<CallOptions> {
        Ok(CallOptions {
            cancel,
            timeout_ms: check_timeout(timeout_ms)?,
            max_retries: check_retries(max_retries)?,
        })
    }
}

fn check_timeout(value: Option<f64>) -> Result<Option<u64>> {
    whole_number("timeoutMs", value, 1, 600_000)
}

fn check_retries(value: Option<f64>) -> Result<Option<u32>> {
    Ok(whole_number("maxRetries", value, 0, 10)?.map(|n| n as u32))
}

/// The production host.
pub const DEFAULT_BASE_URL: &str = "https://api.enco.io";
/// Default per-attempt timeout.
pub const DEFAULT_TIMEOUT_MS: u64 = 10_000;
/// Default retries after the first attempt.
pub const DEFAULT_MAX_RETRIES: u32 = 2;
/// Default requests in flight at once: what browsers (HTTP/1.1, per host) and Workers allow
/// before they queue.
pub const DEFAULT_MAX_CONCURRENT_REQUESTS: usize = 6;

/// Checked options.
#[derive(Clone)]
pub struct Config {
    /// How to authenticate.
    pub credentials: Credentials,
    /// Token endpoint.
    pub token_url: String,
    /// Revoke endpoint.
    pub revoke_url: String,
    /// FMU API root.
    pub fmu_url: String,
    /// Rented numbers API root.
    pub rented_numbers_url: String,
    /// Per attempt.
    pub timeout_ms: u64,
    /// Retries after the first attempt.
    pub max_retries: u32,
    /// Requests in flight at once.
    pub max_concurrent_requests: usize,
    /// HTTP Basic for `/token` and `/revoke`.
    pub basic_auth: bool,
    /// Shared token storage.
    pub token_store: Option<Rc<dyn TokenStore>>,
    /// Called before each retry.
    pub on_retry: Option<RetryHook>,
    /// The application's logger and level.
    pub log: Log,
    /// A call waiting for work another call started (the shared `/token` request, a place
    /// behind the gate, a shared `ensure`) resumes on timers of its own, never woken by that
    /// work. Workers need it: a request may do I/O only in its own context, and one woken by
    /// another request's I/O would do its own there (or, with nothing of its own pending, be
    /// cancelled as hung).
    pub wait_on_own_timers: bool,
}

impl Config {
    /// Validates `options`; the error names the offending option.
    pub fn new(options: ClientOptions) -> Result<Config> {
        let credentials = options.credentials.ok_or_else(|| {
            ProximusError::invalid(
                "credentials: pass exactly one of clientId + clientSecret, accessToken or getToken",
            )
        })?;
        match &credentials {
            Credentials::ClientCredentials {
                client_id,
                client_secret,
            } => {
                non_empty("clientId", client_id)?;
                non_empty("clientSecret", client_secret.expose())?;
            }
            Credentials::Permanent(token) => non_empty("accessToken", token.expose())?,
            Credentials::Provider(_) => {}
        }
        let base = match options.base_url {
            Some(url) => check_url("baseUrl", &url)?,
            None => DEFAULT_BASE_URL.to_string(),
        };
        let url = |name: &str, value: Option<String>, default: String| match value {
            Some(v) => check_url(name, &v),
            None => Ok(default),
        };
        Ok(Config {
            token_url: url("tokenUrl", options.token_url, format!("{base}/token"))?,
            revoke_url: url("revokeUrl", options.revoke_url, format!("{base}/revoke"))?,
            fmu_url: url("fmuUrl", options.fmu_url, format!("{base}/fmu/1.0.0"))?,
            rented_numbers_url: url(
                "rentedNumbersUrl",
                options.rented_numbers_url,
                format!("{base}/rentednumbers/1.0.0"),
            )?,
            timeout_ms: check_timeout(options.timeout_ms)?.unwrap_or(DEFAULT_TIMEOUT_MS),
            max_retries: check_retries(options.max_retries)?.unwrap_or(DEFAULT_MAX_RETRIES),
            max_concurrent_requests: whole_number(
                "maxConcurrentRequests",
                options.max_concurrent_requests,
                1,
                1000,
            )?
            .map_or(DEFAULT_MAX_CONCURRENT_REQUESTS, |n| n as usize),
            credentials,
            basic_auth: options.basic_auth,
            token_store: options.token_store,
            on_retry: options.on_retry,
            log: Log::new(options.log_level.unwrap_or(LogLevel::Warn), options.logger),
            wait_on_own_timers: options.wait_on_own_timers,
        })
    }
}

fn non_empty(name: &str, value: &str) -> Result<()> {
    if value.trim().is_empty() {
        return Err(ProximusError::invalid(format!(
            "{name} must be a non-empty string"
        )));
    }
    if value.chars().any(char::is_control) {
        return Err(ProximusError::invalid(format!(
            "{name} must not contain control characters"
        )));
    }
    Ok(())
}

/// `value` as a whole number in `min..=max`, `None` when not given; `invalid_argument` naming
/// `name` otherwise (options of the client and of its calls).
pub fn whole_number(name: &str, value: Option<f64>, min: u64, max: u64) -> Result<Option<u64>> {
    match value {
        None => Ok(None),
        Some(v) if v.fract() == 0.0 && (min as f64..=max as f64).contains(&v) => Ok(Some(v as u64)),
        Some(_) => Err(ProximusError::invalid(format!(
            "{name} must be a whole number from {min} to {max}"
        ))),
    }
}

/// An absolute `http(s)` URL without a trailing slash, query or fragment. (A check, not a
/// parser: the url crate's IDNA tables would weigh more than the whole client.)
fn check_url(name: &str, url: &str) -> Result<String> {
    let trimmed = url.trim().trim_end_matches('/');
    let rest = trimmed
        .strip_prefix("https://")
        .or_else(|| trimmed.strip_prefix("http://"))
        .ok_or_else(|| ProximusError::invalid(format!("{name} must be an http(s) URL")))?;
    let host = rest.split('/').next().unwrap_or("");
    if host.is_empty() || rest.contains(['?', '#', ' ']) || rest.chars().any(|c| c.is_control()) {
        return Err(ProximusError::invalid(format!("{name} is not a valid URL")));
    }
    Ok(trimmed.to_string())
}
