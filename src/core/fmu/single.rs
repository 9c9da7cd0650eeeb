//! One number at a time: the synchronous status query and change, the default callback URL,
//! and the request builders and answer readers the bulk calls share.

use serde::{Deserialize, Serialize};

use super::{fmu_number, FmuResult, FmuSetResult, FmuStatus, FmuStatusResult};
use crate::core::callbacks::urls::check_callback_url;
use crate::core::client::{Call, Client, Exchange};
use crate::core::clock::Clock;
use crate::core::codec::form::push_encoded;
use crate::core::codec::lenient::{self, Scalar};
use crate::core::codec::JsonCodec;
use crate::core::config::Config;
use crate::core::errors::answers::decode_body;
use crate::core::errors::quote::quoted;
use crate::core::errors::{ErrorCode, ProximusError, Result};
use crate::core::msisdn;
use crate::core::transport::{HttpResponse, Method, Transport};

/// What FMU answers, in an answer or a callback: about one number `{"msisdn","isError":false,
/// "status"}`, `{"isError":true,"errorMessage"}`, `{"success":true}` or
/// `{"success":false,"errorMessage"}`; about an accepted asynchronous request `{"requestId"}`.
/// `isError`, `status` and `success` are kept as sent, so that a wrong type is refused rather
/// than guessed at.
#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct FmuAnswer {
    /// The number, as the platform wrote it.
    #[serde(deserialize_with = "lenient::string")]
    pub msisdn: Option<String>,
    /// Whether the query failed for this number.
    pub is_error: Scalar,
    /// `PRIVATE`, `PROFESSIONAL` or `ON_DUTY`.
    pub status: Scalar,
    /// Whether a change was applied.
    pub success: Scalar,
    /// Why it failed.
    #[serde(deserialize_with = "lenient::string")]
    pub error_message: Option<String>,
    /// `202 {"requestId":"…"}`: matches the callback that will carry the results.
    pub request_id: Scalar,
}

/// `PUT /status`.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SetStatusBody<'a> {
    msisdn: &'a [String],
    status: FmuStatus,
    #[serde(skip_serializing_if = "Option::is_none")]
    callback_url: Option<&'a str>,
}

/// `POST /callback`.
#[derive(Serialize)]
struct CallbackBody<'a> {
    url: &'a str,
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
pub fn set_status_call<J: JsonCodec>(
    fmu_url: &str,
    msisdns: &[String],
    status: FmuStatus,
    callback_url: Option<&str>,
) -> Call {
    let body = J::encode(&SetStatusBody {
        msisdn: msisdns,
        status,
        callback_url,
    });
    Call::json(Method::Put, format!("{fmu_url}/status"), body)
}

/// `POST {fmu}/callback` `{"url":"…"}` (safe to repeat: it only sets the default).
pub fn callback_call<J: JsonCodec>(fmu_url: &str, url: &str) -> Call {
    let body = J::encode(&CallbackBody { url });
    Call::json(Method::Post, format!("{fmu_url}/callback"), body)
}

// ---------------------------------------------------------------------------------------------
// Answers (pure)

/// The answer to a one-number status query: `{"msisdn","isError":false,"status"}`, or the
/// in-band refusal `{"isError":true,"errorMessage"}` as an [`FmuResult`] with `error_message`.
/// `msisdn` is the number asked about: the result carries it, whatever the answer echoes (the
/// documentation's own samples answer about another number than they ask).
pub fn parse_status_answer<J: JsonCodec>(
    response: &HttpResponse,
    msisdn: &str,
) -> Result<FmuResult> {
    let answer: FmuAnswer = decode_body::<J, _>(response)?;
    status_result(&answer, msisdn.to_string()).map_err(|e| e.with_status(response.status))
}

/// The answer to a one-number status change: `{"msisdn","success":true}`, or
/// `{"success":false,"errorMessage"}` as an [`FmuResult`] with `error_message`.
pub fn parse_set_answer<J: JsonCodec>(response: &HttpResponse, msisdn: &str) -> Result<FmuResult> {
    let answer: FmuAnswer = decode_body::<J, _>(response)?;
    set_result(&answer, msisdn.to_string()).map_err(|e| e.with_status(response.status))
}

/// The `requestId` of an accepted asynchronous request (`202 {"requestId":"…"}`).
pub fn parse_request_id<J: JsonCodec>(response: &HttpResponse) -> Result<String> {
    let accepted: FmuAnswer = decode_body::<J, _>(response)?;
    match accepted
        .request_id
        .text()
        .filter(|id| !id.trim().is_empty())
    {
        Some(id) => Ok(id),
        None => Err(ProximusError::bad_response(
            "the answer to an asynchronous FMU request has no requestId",
        )
        .with_status(response.status)),
    }
}

/// `{"isError":false,"status":"…"}` or `{"isError":true,"errorMessage":"…"}`.
pub(super) fn status_result(answer: &FmuAnswer, msisdn: String) -> Result<FmuResult> {
    let is_error = match &answer.is_error {
        Scalar::Absent | Scalar::Null => false,
        Scalar::Bool(b) => *b,
        _ => return Err(ProximusError::bad_response("isError is not a boolean")),
    };
    if is_error {
        return Ok(FmuResult {
            msisdn,
            status: None,
            success: None,
            error_message: Some(error_message(answer)),
        });
    }
    let status = match answer.status.string() {
        Some(s) => FmuStatus::from_wire(s).ok_or_else(|| {
            ProximusError::bad_response(format!("unknown FMU status {}", quoted(s, 40)))
        })?,
        None => return Err(ProximusError::bad_response("the FMU answer has no status")),
    };
    Ok(FmuResult {
        msisdn,
        status: Some(status),
        success: None,
        error_message: None,
    })
}

/// `{"success":true}` or `{"success":false,"errorMessage":"…"}`.
pub(super) fn set_result(answer: &FmuAnswer, msisdn: String) -> Result<FmuResult> {
    let success = answer
        .success
        .bool()
        .ok_or_else(|| ProximusError::bad_response("the FMU answer has no boolean success"))?;
    let error_message = (!success).then(|| error_message(answer));
    Ok(FmuResult {
        msisdn,
        status: None,
        success: Some(success),
        error_message,
    })
}

fn error_message(answer: &FmuAnswer) -> String {
    answer
        .error_message
        .as_deref()
        .filter(|m| !m.trim().is_empty())
        .unwrap_or("the FMU platform reported an error without a message")
        .to_string()
}

/// `fmu_error` for an in-band refusal about `msisdn`.
fn fmu_error(msisdn: &str, message: &str) -> ProximusError {
    ProximusError::new(
        ErrorCode::FmuError,
        // The number is in `msisdn`; the message, which ends up in logs, shows it masked.
        format!(
            "FMU error for {}: {message}",
            msisdn::mask(msisdn).unwrap_or_else(|_| "[number]".into())
        ),
    )
    .with_msisdn(msisdn)
}

// ---------------------------------------------------------------------------------------------
// One number

/// The status of one number (sync). Nothing is sent unless it is a Belgian mobile; an in-band
/// refusal (`FMU option not active`…) is an `fmu_error` carrying the number.
pub fn get_status_exchange<J: JsonCodec>(
    config: &Config,
    msisdn: &str,
) -> Result<Exchange<FmuStatusResult>> {
    let number = fmu_number(msisdn)?;
    let call = get_status_call(&config.fmu_url, std::slice::from_ref(&number), None);
    Ok(Exchange::new(call, move |response| {
        let result = parse_status_answer::<J>(response, &number)?;
        match (result.error_message, result.status) {
            (Some(message), _) => Err(fmu_error(&number, &message)),
            (None, Some(status)) => Ok(FmuStatusResult {
                msisdn: number,
                status,
            }),
            (None, None) => Err(ProximusError::bad_response("the FMU answer has no status")),
        }
    }))
}

/// Sets the status of one number (sync); a refusal (`success: false`) is an `fmu_error`
/// carrying the number.
pub fn set_status_exchange<J: JsonCodec>(
    config: &Config,
    msisdn: &str,
    status: FmuStatus,
) -> Result<Exchange<FmuSetResult>> {
    let number = fmu_number(msisdn)?;
    let call = set_status_call::<J>(&config.fmu_url, std::slice::from_ref(&number), status, None);
    Ok(Exchange::new(call, move |response| {
        let result = parse_set_answer::<J>(response, &number)?;
        match result.error_message {
            Some(message) => Err(fmu_error(&number, &message)),
            None => Ok(FmuSetResult {
                msisdn: number,
                success: true,
            }),
        }
    }))
}

/// Registers the default callback URL of asynchronous requests (`POST /callback`, 204).
pub fn set_callback_url_exchange<J: JsonCodec>(config: &Config, url: &str) -> Result<Exchange<()>> {
    let url = check_callback_url(url)?;
    Ok(Exchange::new(
        callback_call::<J>(&config.fmu_url, &url),
        |_| Ok(()),
    ))
}

/// [`get_status_exchange`], sent.
pub async fn get_status<T: Transport + 'static, C: Clock + 'static>(
    client: &Client<T, C>,
    msisdn: &str,
) -> Result<FmuStatusResult> {
    client
        .exchange(get_status_exchange::<T::Json>(client.config(), msisdn)?)
        .await
}

/// [`set_status_exchange`], sent.
pub async fn set_status<T: Transport + 'static, C: Clock + 'static>(
    client: &Client<T, C>,
    msisdn: &str,
    status: FmuStatus,
) -> Result<FmuSetResult> {
    client
        .exchange(set_status_exchange::<T::Json>(
            client.config(),
            msisdn,
            status,
        )?)
        .await
}

/// [`set_callback_url_exchange`], sent.
pub async fn set_callback_url<T: Transport + 'static, C: Clock + 'static>(
    client: &Client<T, C>,
    url: &str,
) -> Result<()> {
    client
        .exchange(set_callback_url_exchange::<T::Json>(client.config(), url)?)
        .await
}
