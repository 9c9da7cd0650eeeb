//! The FMU (Fixed Mobile Unification) API: the status (`PRIVATE`, `PROFESSIONAL`, `ON_DUTY`) of
//! Belgian mobiles, one number at a time (synchronous, [`single`]) or 2 to 50 per request
//! (asynchronous, [`bulk`]), the outcome POSTed to a callback URL ([`callbacks`]).
//!
//! Each call is a pure request builder and a pure answer parser; the async functions only chain
//! them through `Client::send`. Every number is normalized and checked before anything is sent.

pub mod bulk;
pub mod callbacks;
pub mod single;

use std::fmt;

use serde::Serialize;

use super::errors::quote::quoted;
use super::errors::{ProximusError, Result};
use super::msisdn::{normalize, require_belgian_mobile};

pub use super::callbacks::urls::check_callback_url;
pub use bulk::{
    chunk_sizes, get_statuses, plan_chunks, set_statuses, BulkOptions, BulkResult, ChunkOutcome,
    Progress, ProgressHook,
};
pub use callbacks::parse_fmu_callback;
pub use single::{get_status, set_callback_url, set_status};

/// Most numbers the platform takes in one request.
pub const MAX_CHUNK: usize = 50;
/// Chunks in flight at once unless told otherwise.
pub const DEFAULT_CONCURRENCY: usize = 4;
/// Most chunks in flight at once.
pub const MAX_CONCURRENCY: usize = 16;

/// The FMU profile of a mobile.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
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

    pub(crate) fn from_wire(name: &str) -> Option<FmuStatus> {
        Self::ALL.into_iter().find(|s| s.as_str() == name)
    }
}

impl fmt::Display for FmuStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The status of one number.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct FmuStatusResult {
    /// The number, normalized (`32477121212`).
    pub msisdn: String,
    /// Its status.
    pub status: FmuStatus,
}

/// The outcome of setting one number's status.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct FmuSetResult {
    /// The number, normalized.
    pub msisdn: String,
    /// Always `true`: a refusal is an `fmu_error`.
    pub success: bool,
}

/// The platform's word on one number, as a callback (or a one-number bulk chunk) reports it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FmuResult {
    /// The number, as the platform wrote it.
    pub msisdn: String,
    /// Its status (a status query that succeeded).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<FmuStatus>,
    /// Whether the change was applied (a status change).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub success: Option<bool>,
    /// Why it failed (`FMU option not active`…), when it failed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error_message: Option<String>,
}

impl From<FmuStatusResult> for FmuResult {
    fn from(result: FmuStatusResult) -> Self {
        FmuResult {
            msisdn: result.msisdn,
            status: Some(result.status),
            success: None,
            error_message: None,
        }
    }
}

impl From<FmuSetResult> for FmuResult {
    fn from(result: FmuSetResult) -> Self {
        FmuResult {
            msisdn: result.msisdn,
            status: None,
            success: Some(result.success),
            error_message: None,
        }
    }
}

impl FmuResult {
    /// Whether the platform reported a failure for this number.
    pub fn is_error(&self) -> bool {
        self.error_message.is_some() || self.success == Some(false)
    }
}

/// Which request a callback answers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
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
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FmuCallback {
    /// The `requestId` the asynchronous request was answered with.
    pub request_id: String,
    /// Which request it answers.
    #[serde(rename = "type")]
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
