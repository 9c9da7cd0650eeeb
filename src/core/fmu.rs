//! The FMU (Fixed Mobile Unification) API: the status (`PRIVATE`, `PROFESSIONAL`, `ON_DUTY`) of
//! Belgian mobiles, one number at a time (synchronous) or 2 to 50 per request (asynchronous,
//! the outcome POSTed to a callback URL).
//!
//! Each call is a pure request builder and a pure answer parser; the async functions only chain
//! them through [`Client::send`]. Every number is normalized and checked before anything is sent.
//!
//! ## Bulk calls
//!
//! [`get_statuses`] and [`set_statuses`] validate every number first (one bad number refuses
//! the whole call, naming it and its position), drop duplicates (first seen wins), split the
//! rest into chunks of at most 50 and send them with bounded concurrency. A chunk that fails
//! (after the client's own retries) is reported in its [`ChunkOutcome`] and does not stop the
//! others.
//!
//! The platform answers a request for **one** number synchronously, so a chunk of one is never
//! made when it can be avoided: 51 numbers become 49 + 2, 101 become 50 + 49 + 2. Only a bulk
//! call with a single (distinct) number sends a one-number request; it goes through the
//! synchronous call, its answer is in [`ChunkOutcome::results`] at once and no callback
//! follows for it.
//!
//! Progress is counted in **numbers**: after each chunk settles (succeeded or failed),
//! `on_progress` gets how many distinct numbers are settled so far out of how many in all.

use std::fmt;
use std::net::{Ipv4Addr, Ipv6Addr};
use std::rc::Rc;

use futures_util::stream::{self, StreamExt};

use super::client::{Call, Client};
use super::clock::Clock;
use super::encode::push_encoded;
use super::error::{ErrorCode, ProximusError, Result};
use super::http::{HttpResponse, Method, Transport};
use super::json::Json;
use super::msisdn::{normalize, require_belgian_mobile};
use super::response::json_body;

/// Most numbers the platform takes in one request.
pub const MAX_CHUNK: usize = 50;
/// Chunks in flight at once unless told otherwise.
pub const DEFAULT_CONCURRENCY: usize = 4;
/// Most chunks in flight at once.
pub const MAX_CONCURRENCY: usize = 16;
/// Longest callback URL accepted.
pub const MAX_CALLBACK_URL_LEN: usize = 2048;

/// The FMU profile of a mobile.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum FmuStatus {
    /// `PRIVATE`: business calls are not forwarded to the mobile.
    Private,
    /// `PROFESSIONAL`
    Professional,
    /// `ON_DUTY`
    OnDuty,
}

impl FmuStatus {
    /// Every status, in the platform's order.
    pub const ALL: [FmuStatus; 3] = [
        FmuStatus::Private,
        FmuStatus::Professional,
        FmuStatus::OnDuty,
    ];

    /// The status named exactly `PRIVATE`, `PROFESSIONAL` or `ON_DUTY`; `invalid_argument`
    /// listing them otherwise.
    pub fn parse(name: &str) -> Result<FmuStatus> {
        Self::from_wire(name).ok_or_else(|| {
            let shown: String = name.chars().take(40).collect();
            ProximusError::invalid(format!(
                "status {shown:?} is not one of PRIVATE, PROFESSIONAL, ON_DUTY"
            ))
        })
    }

    /// The name on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            FmuStatus::Private => "PRIVATE",
            FmuStatus::Professional => "PROFESSIONAL",
            FmuStatus::OnDuty => "ON_DUTY",
        }
    }

    fn from_wire(name: &str) -> Option<FmuStatus> {
        Self::ALL.into_iter().find(|s| s.as_str() == name)
    }
}

impl fmt::Display for FmuStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The status of one number.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FmuStatusResult {
    /// The number, normalized (`32477121212`).
    pub msisdn: String,
    /// Its status.
    pub status: FmuStatus,
}

/// The outcome of setting one number's status.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FmuSetResult {
    /// The number, normalized.
    pub msisdn: String,
    /// Always `true`: a refusal is an `fmu_error`.
    pub success: bool,
}

/// The platform's word on one number, as a callback (or a one-number bulk chunk) reports it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FmuResult {
    /// The number, as the platform wrote it.
    pub msisdn: String,
    /// Its status (a status query that succeeded).
    pub status: Option<FmuStatus>,
    /// Whether the change was applied (a status change).
    pub success: Option<bool>,
    /// Why it failed (`FMU option not active`…), when it failed.
    pub error_message: Option<String>,
}

impl FmuResult {
    /// Whether the platform reported a failure for this number.
    pub fn is_error(&self) -> bool {
        self.error_message.is_some() || self.success == Some(false)
    }
}

/// Which request a callback answers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum FmuCallbackKind {
    /// `GET_STATUS`
    GetStatus,
    /// `SET_STATUS`
    SetStatus,
}

impl FmuCallbackKind {
    /// The name on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            FmuCallbackKind::GetStatus => "GET_STATUS",
            FmuCallbackKind::SetStatus => "SET_STATUS",
        }
    }
}

/// The outcome of an asynchronous request, as POSTed to the callback URL.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FmuCallback {
    /// The `requestId` the asynchronous request was answered with.
    pub request_id: String,
    /// Which request it answers.
    pub kind: FmuCallbackKind,
    /// One entry per number.
    pub results: Vec<FmuResult>,
}

// ---------------------------------------------------------------------------------------------
// Validation

/// A number FMU accepts, normalized: `invalid_argument` when it is no phone number or no
/// Belgian mobile.
pub fn fmu_number(input: &str) -> Result<String> {
    let number = normalize(input)?;
    require_belgian_mobile(&number)?;
    Ok(number)
}

/// The callback URL, trimmed, if the platform will accept it: an absolute `https` URL with a
/// host, or plain `http` to a loopback host (`localhost`, `127.0.0.0/8`, `[::1]`) for local
/// development; no spaces or control characters, a valid port, at most 2048 characters.
/// `invalid_argument` saying what is wrong otherwise (the URL itself is not repeated: it may
/// carry credentials).
pub fn check_callback_url(url: &str) -> Result<String> {
    let bad = |why: &str| ProximusError::invalid(format!("callback URL: {why}"));
    let url = url.trim();
    if url.is_empty() {
        return Err(bad("it is empty"));
    }
    if url.len() > MAX_CALLBACK_URL_LEN {
        return Err(bad(&format!(
            "it is longer than {MAX_CALLBACK_URL_LEN} characters"
        )));
    }
    if url.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(bad(
            "it contains spaces or control characters (percent-encode them)",
        ));
    }
    let Some((scheme, rest)) = url.split_once("://") else {
        return Err(bad(
            "it must be an absolute URL such as https://example.com/fmu",
        ));
    };
    let https = match scheme.to_ascii_lowercase().as_str() {
        "https" => true,
        "http" => false,
        _ => return Err(bad("it must be an https URL")),
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host_port = authority
        .rsplit_once('@')
        .map_or(authority, |(_, host)| host);
    let host = split_host(host_port).map_err(|why| bad(&why))?;
    if !https && !is_loopback(host) {
        return Err(bad(
            "it must use https (plain http only to localhost, 127.0.0.0/8 or [::1])",
        ));
    }
    Ok(url.to_string())
}

/// The host of `host[:port]`, checked.
fn split_host(host_port: &str) -> std::result::Result<&str, String> {
    let (host, port) = if let Some(inner) = host_port.strip_prefix('[') {
        let Some((address, after)) = inner.split_once(']') else {
            return Err("its IPv6 host has no closing ']'".into());
        };
        if address.parse::<Ipv6Addr>().is_err() {
            return Err("its host is not a valid IPv6 address".into());
        }
        let port = match after {
            "" => None,
            _ => Some(
                after
                    .strip_prefix(':')
                    .ok_or("unexpected text after its IPv6 host")?,
            ),
        };
        (
            host_port.get(..address.len() + 2).unwrap_or(host_port),
            port,
        )
    } else {
        match host_port.split_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (host_port, None),
        }
    };
    if host.is_empty() {
        return Err("it has no host".into());
    }
    if !host.starts_with('[') {
        if !host.is_ascii() {
            return Err("write an internationalized host name in its punycode (xn--) form".into());
        }
        if !host
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_'))
        {
            return Err("its host name contains characters not allowed there".into());
        }
    }
    if let Some(port) = port.filter(|p| !p.is_empty()) {
        let valid = port.len() <= 5
            && port.bytes().all(|b| b.is_ascii_digit())
            && port.parse::<u32>().is_ok_and(|p| p <= 65_535);
        if !valid {
            return Err("its port is not a number from 0 to 65535".into());
        }
    }
    Ok(host)
}

/// `localhost`, `127.0.0.0/8` or `[::1]`.
fn is_loopback(host: &str) -> bool {
    let host = host.to_ascii_lowercase();
    if host == "localhost" || host == "localhost." {
        return true;
    }
    if let Some(inner) = host.strip_prefix('[').and_then(|h| h.strip_suffix(']')) {
        return inner.parse::<Ipv6Addr>().is_ok_and(|a| a.is_loopback());
    }
    host.parse::<Ipv4Addr>().is_ok_and(|a| a.is_loopback())
}

// ---------------------------------------------------------------------------------------------
// Requests (pure)

/// `GET {fmu}/status?msisdn=A,B,…[&callback_url=…]`: one number is answered at once, several
/// asynchronously. The numbers must be normalized (digits only: the commas are sent as they are).
pub fn get_status_call(fmu_url: &str, msisdns: &[String], callback_url: Option<&str>) -> Call {
    let mut url = format!("{fmu_url}/status?msisdn={}", msisdns.join(","));
    if let Some(callback) = callback_url {
        url.push_str("&callback_url=");
        push_encoded(&mut url, callback);
    }
    Call::new(Method::Get, url)
}

/// `PUT {fmu}/status` `{"msisdn":[…],"status":"…"[,"callbackUrl":"…"]}`.
pub fn set_status_call(
    fmu_url: &str,
    msisdns: &[String],
    status: FmuStatus,
    callback_url: Option<&str>,
) -> Call {
    let numbers = Json::Array(msisdns.iter().map(|m| Json::str(m.as_str())).collect());
    let mut members = vec![
        ("msisdn".to_string(), numbers),
        ("status".to_string(), Json::str(status.as_str())),
    ];
    if let Some(callback) = callback_url {
        members.push(("callbackUrl".to_string(), Json::str(callback)));
    }
    Call::json(
        Method::Put,
        format!("{fmu_url}/status"),
        Json::Object(members).to_json(),
    )
}

/// `POST {fmu}/callback` `{"url":"…"}` (safe to repeat: it only sets the default).
pub fn callback_call(fmu_url: &str, url: &str) -> Call {
    let body = Json::object([("url", Json::str(url))]).to_json();
    Call::json(Method::Post, format!("{fmu_url}/callback"), body)
}

// ---------------------------------------------------------------------------------------------
// Answers (pure)

/// The answer to a one-number status query: `{"msisdn","isError":false,"status"}`, or the
/// in-band refusal `{"isError":true,"errorMessage"}` as an [`FmuResult`] with `error_message`.
/// `msisdn` is the number asked about: the result carries it, whatever the answer echoes (the
/// documentation's own samples answer about another number than they ask).
pub fn parse_status_answer(response: &HttpResponse, msisdn: &str) -> Result<FmuResult> {
    let json = json_body(response)?;
    status_result(&json, msisdn.to_string()).map_err(|e| e.with_status(response.status))
}

/// The answer to a one-number status change: `{"msisdn","success":true}`, or
/// `{"success":false,"errorMessage"}` as an [`FmuResult`] with `error_message`.
pub fn parse_set_answer(response: &HttpResponse, msisdn: &str) -> Result<FmuResult> {
    let json = json_body(response)?;
    set_result(&json, msisdn.to_string()).map_err(|e| e.with_status(response.status))
}

/// The `requestId` of an accepted asynchronous request (`202 {"requestId":"…"}`).
pub fn parse_request_id(response: &HttpResponse) -> Result<String> {
    let json = json_body(response)?;
    match json.get("requestId") {
        Some(Json::String(id)) if !id.trim().is_empty() => Ok(id.clone()),
        Some(Json::Number(n)) if n.is_finite() => Ok(format!("{n}")),
        _ => Err(ProximusError::bad_response(
            "the answer to an asynchronous FMU request has no requestId",
        )
        .with_status(response.status)),
    }
}

/// A callback body (JSON text) as the platform POSTs it after an asynchronous request.
/// Anything else is `bad_response`.
pub fn parse_fmu_callback(body: &str) -> Result<FmuCallback> {
    let json = Json::parse(body.trim())
        .ok_or_else(|| ProximusError::bad_response("the FMU callback body is not JSON"))?;
    parse_fmu_callback_json(&json)
}

/// [`parse_fmu_callback`] for an already parsed body.
pub fn parse_fmu_callback_json(json: &Json) -> Result<FmuCallback> {
    let bad = |why: String| ProximusError::bad_response(format!("FMU callback: {why}"));
    if !json.is_object() {
        return Err(bad("the body is not a JSON object".into()));
    }
    let request_id = match json.get("requestId") {
        Some(Json::String(id)) if !id.trim().is_empty() => id.clone(),
        Some(Json::Number(n)) if n.is_finite() => format!("{n}"),
        _ => return Err(bad("requestId is missing".into())),
    };
    let items = json
        .get("results")
        .and_then(Json::as_array)
        .ok_or_else(|| bad("results is not an array".into()))?;
    let kind = match json.get("type") {
        Some(Json::String(t)) if t == "GET_STATUS" => FmuCallbackKind::GetStatus,
        Some(Json::String(t)) if t == "SET_STATUS" => FmuCallbackKind::SetStatus,
        // Not in the documents: told apart by the results' shape when `type` is absent.
        None | Some(Json::Null) => {
            infer_kind(items).ok_or_else(|| bad("type is missing".into()))?
        }
        Some(_) => return Err(bad("type is neither GET_STATUS nor SET_STATUS".into())),
    };
    let mut results = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        let msisdn = item
            .str_field("msisdn")
            .filter(|m| !m.trim().is_empty())
            .ok_or_else(|| bad(format!("results[{i}] has no msisdn")))?
            .to_string();
        let result = match kind {
            FmuCallbackKind::GetStatus => status_result(item, msisdn),
            FmuCallbackKind::SetStatus => set_result(item, msisdn),
        };
        results.push(result.map_err(|e| bad(format!("results[{i}]: {}", e.message())))?);
    }
    Ok(FmuCallback {
        request_id,
        kind,
        results,
    })
}

fn infer_kind(items: &[Json]) -> Option<FmuCallbackKind> {
    let first = items.first()?;
    if first.get("success").is_some() {
        Some(FmuCallbackKind::SetStatus)
    } else if first.get("status").is_some() || first.get("isError").is_some() {
        Some(FmuCallbackKind::GetStatus)
    } else {
        None
    }
}

/// `{"isError":false,"status":"…"}` or `{"isError":true,"errorMessage":"…"}`.
fn status_result(json: &Json, msisdn: String) -> Result<FmuResult> {
    if !json.is_object() {
        return Err(ProximusError::bad_response(
            "an FMU status entry is not a JSON object",
        ));
    }
    let is_error = match json.get("isError") {
        None | Some(Json::Null) => false,
        Some(Json::Bool(b)) => *b,
        Some(_) => return Err(ProximusError::bad_response("isError is not a boolean")),
    };
    if is_error {
        let message = error_message(json);
        return Ok(FmuResult {
            msisdn,
            status: None,
            success: None,
            error_message: Some(message),
        });
    }
    let status = match json.get("status") {
        Some(Json::String(s)) => FmuStatus::from_wire(s).ok_or_else(|| {
            let shown: String = s.chars().take(40).collect();
            ProximusError::bad_response(format!("unknown FMU status {shown:?}"))
        })?,
        _ => return Err(ProximusError::bad_response("the FMU answer has no status")),
    };
    Ok(FmuResult {
        msisdn,
        status: Some(status),
        success: None,
        error_message: None,
    })
}

/// `{"success":true}` or `{"success":false,"errorMessage":"…"}`.
fn set_result(json: &Json, msisdn: String) -> Result<FmuResult> {
    let success = json
        .bool_field("success")
        .ok_or_else(|| ProximusError::bad_response("the FMU answer has no boolean success"))?;
    let error_message = (!success).then(|| error_message(json));
    Ok(FmuResult {
        msisdn,
        status: None,
        success: Some(success),
        error_message,
    })
}

fn error_message(json: &Json) -> String {
    json.str_field("errorMessage")
        .filter(|m| !m.trim().is_empty())
        .unwrap_or("the FMU platform reported an error without a message")
        .to_string()
}

/// `fmu_error` for an in-band refusal about `msisdn`.
fn fmu_error(msisdn: &str, message: &str) -> ProximusError {
    ProximusError::new(
        ErrorCode::FmuError,
        format!("FMU error for {msisdn}: {message}"),
    )
    .with_msisdn(msisdn)
}

// ---------------------------------------------------------------------------------------------
// One number

/// The status of one number (sync). Nothing is sent unless it is a Belgian mobile; an in-band
/// refusal (`FMU option not active`…) is an `fmu_error` carrying the number.
pub async fn get_status<T: Transport + 'static, C: Clock + 'static>(
    client: &Client<T, C>,
    msisdn: &str,
) -> Result<FmuStatusResult> {
    let number = fmu_number(msisdn)?;
    let call = get_status_call(
        &client.config().fmu_url,
        std::slice::from_ref(&number),
        None,
    );
    let response = client.send(call).await?;
    let result = parse_status_answer(&response, &number)?;
    match (result.error_message, result.status) {
        (Some(message), _) => Err(fmu_error(&number, &message)),
        (None, Some(status)) => Ok(FmuStatusResult {
            msisdn: number,
            status,
        }),
        (None, None) => Err(ProximusError::bad_response("the FMU answer has no status")),
    }
}

/// Sets the status of one number (sync); a refusal (`success: false`) is an `fmu_error`
/// carrying the number.
pub async fn set_status<T: Transport + 'static, C: Clock + 'static>(
    client: &Client<T, C>,
    msisdn: &str,
    status: FmuStatus,
) -> Result<FmuSetResult> {
    let number = fmu_number(msisdn)?;
    let call = set_status_call(
        &client.config().fmu_url,
        std::slice::from_ref(&number),
        status,
        None,
    );
    let response = client.send(call).await?;
    let result = parse_set_answer(&response, &number)?;
    match result.error_message {
        Some(message) => Err(fmu_error(&number, &message)),
        None => Ok(FmuSetResult {
            msisdn: number,
            success: true,
        }),
    }
}

/// Registers the default callback URL of asynchronous requests (`POST /callback`, 204).
pub async fn set_callback_url<T: Transport + 'static, C: Clock + 'static>(
    client: &Client<T, C>,
    url: &str,
) -> Result<()> {
    let url = check_callback_url(url)?;
    client
        .send(callback_call(&client.config().fmu_url, &url))
        .await?;
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Many numbers

/// How far a bulk call has come, in distinct numbers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Progress {
    /// Numbers whose chunk has settled (succeeded or failed).
    pub done: usize,
    /// Distinct numbers in the call.
    pub total: usize,
}

/// Called after each chunk settles.
pub type ProgressHook = Rc<dyn Fn(Progress)>;

/// Options of [`get_statuses`] and [`set_statuses`].
#[derive(Clone, Default)]
pub struct BulkOptions {
    /// Where the platform POSTs the outcome of each chunk; `None`: the registered default
    /// (and then none is sent).
    pub callback_url: Option<String>,
    /// Chunks in flight at once: a whole number from 1 to 16, default 4 (a JavaScript number,
    /// hence `f64`).
    pub concurrency: Option<f64>,
    /// Called after each chunk settles.
    pub on_progress: Option<ProgressHook>,
}

impl fmt::Debug for BulkOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BulkOptions")
            .field("callback_url", &self.callback_url)
            .field("concurrency", &self.concurrency)
            .field(
                "on_progress",
                &self.on_progress.as_ref().map(|_| "Fn(Progress)"),
            )
            .finish()
    }
}

/// What became of one chunk.
#[derive(Clone, Debug, PartialEq)]
pub struct ChunkOutcome {
    /// Position of the chunk (0-based, in the order of the numbers).
    pub index: usize,
    /// Its numbers, normalized.
    pub msisdns: Vec<String>,
    /// The platform's id of the asynchronous request (its outcome comes to the callback).
    pub request_id: Option<String>,
    /// The answer itself, for the one-number chunk sent synchronously (see the module docs).
    pub results: Option<Vec<FmuResult>>,
    /// Why the chunk failed (after the client's retries).
    pub error: Option<ProximusError>,
}

/// What became of a bulk call.
#[derive(Clone, Debug, PartialEq)]
pub struct BulkResult {
    /// Distinct numbers sent.
    pub total: usize,
    /// Chunks that failed.
    pub failed_chunks: usize,
    /// Numbers in the chunks that failed.
    pub failed_numbers: usize,
    /// Every chunk, in order.
    pub chunks: Vec<ChunkOutcome>,
}

impl BulkResult {
    /// Whether every chunk was accepted.
    pub fn is_success(&self) -> bool {
        self.failed_chunks == 0
    }
}

/// Normalizes, checks and dedupes `numbers` (first seen wins), then splits them into the
/// chunks a bulk call sends: at most 50 each, never one alone unless there is only one.
/// One bad number refuses all, with `invalid_argument` naming its position.
pub fn plan_chunks<S: AsRef<str>>(numbers: &[S]) -> Result<Vec<Vec<String>>> {
    let mut distinct: Vec<String> = Vec::with_capacity(numbers.len());
    let mut seen = std::collections::HashSet::with_capacity(numbers.len());
    for (i, input) in numbers.iter().enumerate() {
        let number = fmu_number(input.as_ref())
            .map_err(|e| ProximusError::invalid(format!("numbers[{i}]: {}", e.message())))?;
        if seen.insert(number.clone()) {
            distinct.push(number);
        }
    }
    Ok(chunk_numbers(distinct))
}

fn chunk_numbers(numbers: Vec<String>) -> Vec<Vec<String>> {
    let sizes = chunk_sizes(numbers.len());
    let mut chunks = Vec::with_capacity(sizes.len());
    let mut rest = numbers.into_iter();
    for size in sizes {
        chunks.push(rest.by_ref().take(size).collect());
    }
    chunks
}

/// Sizes of the chunks for `n` numbers: 50s, and 49 + 2 instead of 50 + 1.
pub fn chunk_sizes(n: usize) -> Vec<usize> {
    let mut sizes = vec![MAX_CHUNK; n / MAX_CHUNK];
    match n % MAX_CHUNK {
        0 => {}
        1 if !sizes.is_empty() => {
            if let Some(last) = sizes.last_mut() {
                *last = MAX_CHUNK - 1;
            }
            sizes.push(2);
        }
        r => sizes.push(r),
    }
    sizes
}

fn check_concurrency(value: Option<f64>) -> Result<usize> {
    match value {
        None => Ok(DEFAULT_CONCURRENCY),
        Some(v) if v.fract() == 0.0 && (1.0..=MAX_CONCURRENCY as f64).contains(&v) => {
            Ok(v as usize)
        }
        Some(_) => Err(ProximusError::invalid(format!(
            "concurrency must be a whole number from 1 to {MAX_CONCURRENCY}"
        ))),
    }
}

#[derive(Clone, Copy)]
enum Operation {
    Get,
    Set(FmuStatus),
}

/// The status of many numbers: chunks of 50 sent asynchronously, outcomes to the callback.
pub async fn get_statuses<T: Transport + 'static, C: Clock + 'static, S: AsRef<str>>(
    client: &Client<T, C>,
    numbers: &[S],
    options: BulkOptions,
) -> Result<BulkResult> {
    run_bulk(client, numbers, Operation::Get, options).await
}

/// Sets the status of many numbers: chunks of 50 sent asynchronously, outcomes to the callback.
pub async fn set_statuses<T: Transport + 'static, C: Clock + 'static, S: AsRef<str>>(
    client: &Client<T, C>,
    numbers: &[S],
    status: FmuStatus,
    options: BulkOptions,
) -> Result<BulkResult> {
    run_bulk(client, numbers, Operation::Set(status), options).await
}

async fn run_bulk<T: Transport + 'static, C: Clock + 'static, S: AsRef<str>>(
    client: &Client<T, C>,
    numbers: &[S],
    operation: Operation,
    options: BulkOptions,
) -> Result<BulkResult> {
    let concurrency = check_concurrency(options.concurrency)?;
    let callback = options
        .callback_url
        .as_deref()
        .map(check_callback_url)
        .transpose()?;
    let chunks = plan_chunks(numbers)?;
    let total: usize = chunks.iter().map(Vec::len).sum();
    let fmu_url = client.config().fmu_url.as_str();
    let callback = callback.as_deref();
    let mut pending = stream::iter(chunks.into_iter().enumerate())
        .map(move |(index, msisdns)| {
            send_chunk(client, fmu_url, operation, callback, index, msisdns)
        })
        .buffer_unordered(concurrency);
    let mut outcomes = Vec::new();
    let mut done = 0;
    while let Some(outcome) = pending.next().await {
        done += outcome.msisdns.len();
        outcomes.push(outcome);
        if let Some(hook) = &options.on_progress {
            hook(Progress { done, total });
        }
    }
    outcomes.sort_by_key(|o| o.index);
    let failed: Vec<&ChunkOutcome> = outcomes.iter().filter(|o| o.error.is_some()).collect();
    Ok(BulkResult {
        total,
        failed_chunks: failed.len(),
        failed_numbers: failed.iter().map(|o| o.msisdns.len()).sum(),
        chunks: outcomes,
    })
}

async fn send_chunk<T: Transport + 'static, C: Clock + 'static>(
    client: &Client<T, C>,
    fmu_url: &str,
    operation: Operation,
    callback: Option<&str>,
    index: usize,
    msisdns: Vec<String>,
) -> ChunkOutcome {
    let mut outcome = ChunkOutcome {
        index,
        msisdns,
        request_id: None,
        results: None,
        error: None,
    };
    let single = outcome.msisdns.len() == 1;
    // One number is answered synchronously by the platform: no callback, the answer is here.
    let callback = if single { None } else { callback };
    let call = match operation {
        Operation::Get => get_status_call(fmu_url, &outcome.msisdns, callback),
        Operation::Set(status) => set_status_call(fmu_url, &outcome.msisdns, status, callback),
    };
    let answer = match client.send(call).await {
        Err(error) => Err(error),
        Ok(response) if single => {
            let number = outcome
                .msisdns
                .first()
                .map(String::as_str)
                .unwrap_or_default();
            let result = match operation {
                Operation::Get => parse_status_answer(&response, number),
                Operation::Set(_) => parse_set_answer(&response, number),
            };
            result.map(|r| outcome.results = Some(vec![r]))
        }
        Ok(response) => parse_request_id(&response).map(|id| outcome.request_id = Some(id)),
    };
    outcome.error = answer.err();
    outcome
}
