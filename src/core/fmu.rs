//! The FMU (Fixed Mobile Unification) API: the status (`PRIVATE`, `PROFESSIONAL`, `ON_DUTY`) of
//! Belgian mobiles, one number at a time (synchronous) or 2 to 50 per request (asynchronous,
//! the outcome POSTed to a callback URL).
//!
//! Each call is a pure request builder and a pure answer parser; the async functions only chain
//! them through [`Client::send`]. Every number is normalized and checked before anything is sent.

use std::fmt;

use super::client::{Call, Client};
use super::clock::Clock;
use super::encode::push_encoded;
use super::error::{ErrorCode, ProximusError, Result};
use super::http::{HttpResponse, Method, Transport};
use super::json::Json;
use super::msisdn::{normalize, require_belgian_mobile};
use super::quote::quoted;
use super::response::json_body;

/// Most numbers the platform takes in one request.
pub const MAX_CHUNK: usize = 50;
/// Chunks in flight at once unless told otherwise.
pub const DEFAULT_CONCURRENCY: usize = 4;
/// Most chunks in flight at once.
pub const MAX_CONCURRENCY: usize = 16;

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
            ProximusError::invalid(format!(
                "status {} is not one of PRIVATE, PROFESSIONAL, ON_DUTY",
                quoted(name, 40)
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
    match json
        .text_field("requestId")
        .filter(|id| !id.trim().is_empty())
    {
        Some(id) => Ok(id),
        None => Err(ProximusError::bad_response(
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
    let request_id = json
        .text_field("requestId")
        .filter(|id| !id.trim().is_empty())
        .ok_or_else(|| bad("requestId is missing".into()))?;
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
            ProximusError::bad_response(format!("unknown FMU status {}", quoted(s, 40)))
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

pub use super::callback_url::check_callback_url;
pub use super::fmu_bulk::{
    chunk_sizes, get_statuses, plan_chunks, set_statuses, BulkOptions, BulkResult, ChunkOutcome,
    Progress, ProgressHook,
};
