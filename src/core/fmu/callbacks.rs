//! What the FMU platform POSTs to the callback URL after an asynchronous request.

use serde::Deserialize;

use super::single::{set_result, status_result, FmuAnswer};
use super::{FmuCallback, FmuCallbackKind};
use crate::core::codec::lenient::Scalar;
use crate::core::codec::{DecodeError, JsonCodec};
use crate::core::errors::{ProximusError, Result};

/// `{"requestId","type":"GET_STATUS"|"SET_STATUS","results":[…]}`.
#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct FmuCallbackBody {
    /// The id the asynchronous request was answered with.
    pub request_id: Scalar,
    /// Which request it answers.
    #[serde(rename = "type")]
    pub kind: Scalar,
    /// One entry per number.
    pub results: Option<Vec<FmuAnswer>>,
}

/// A callback body (JSON text, read with the runtime's codec `J`). Anything else is
/// `bad_response`.
pub fn parse_fmu_callback<J: JsonCodec>(body: &str) -> Result<FmuCallback> {
    match J::decode_object(body.trim()) {
        Ok(body) => fmu_callback(Some(body)),
        Err(DecodeError::NotJson) => Err(ProximusError::bad_response(
            "the FMU callback body is not JSON",
        )),
        Err(DecodeError::Shape(_)) => fmu_callback(None),
    }
}

/// Reads a callback body already decoded (by the runtime, or an object handed over as is);
/// `None`: it was no object of the documented shape.
pub fn fmu_callback(body: Option<FmuCallbackBody>) -> Result<FmuCallback> {
    let bad = |why: String| ProximusError::bad_response(format!("FMU callback: {why}"));
    let body = body.ok_or_else(|| {
        bad(
            "the body is not a JSON object of the documented shape (requestId, type, results)"
                .into(),
        )
    })?;
    let request_id = body
        .request_id
        .text()
        .filter(|id| !id.trim().is_empty())
        .ok_or_else(|| bad("requestId is missing".into()))?;
    let items = body
        .results
        .as_deref()
        .ok_or_else(|| bad("results is not an array".into()))?;
    let kind = match &body.kind {
        Scalar::Text(t) if t == "GET_STATUS" => FmuCallbackKind::GetStatus,
        Scalar::Text(t) if t == "SET_STATUS" => FmuCallbackKind::SetStatus,
        // Not in the documents: told apart by the results' shape when `type` is absent.
        Scalar::Absent | Scalar::Null => {
            infer_kind(items).ok_or_else(|| bad("type is missing".into()))?
        }
        _ => return Err(bad("type is neither GET_STATUS nor SET_STATUS".into())),
    };
    let mut results = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        let msisdn = item
            .msisdn
            .as_deref()
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

fn infer_kind(items: &[FmuAnswer]) -> Option<FmuCallbackKind> {
    let first = items.first()?;
    if first.success.is_present() {
        Some(FmuCallbackKind::SetStatus)
    } else if first.status.is_present() || first.is_error.is_present() {
        Some(FmuCallbackKind::GetStatus)
    } else {
        None
    }
}
