//! `parseCallEvent`, `signCallbackUrl` and `verifyCallbackUrl`.

use serde::{Deserialize, Serialize};
use wasm_bindgen::prelude::*;

use super::interop::{date, object, options, text, to_js, to_js_dated, Arg, Instant, JsJson};
use crate::core::callbacks::signed_urls;
use crate::core::rented_numbers::call_events;

/// Reads what the platform POSTs to a booking's callback URL: its text, or the object that
/// `JSON.parse` made of it (both read alike, a repeated key included: the last one wins).
#[wasm_bindgen(js_name = parseCallEvent)]
pub fn parse_call_event(body: JsValue) -> std::result::Result<JsValue, JsValue> {
    let event = match body.as_string() {
        Some(text) => call_events::parse_call_event::<JsJson>(&text)?,
        None => call_events::call_event(object(body))?,
    };
    Ok(to_js_dated(&event, "timestamp")?)
}

/// `signCallbackUrl`'s options.
#[derive(Default, Deserialize)]
#[serde(default, rename_all = "camelCase", deny_unknown_fields)]
struct SignArgs {
    context: Arg<String>,
    expires_at: Arg<Instant>,
}

/// `url` with an HMAC signature over it, its `context` and `expiresAt`.
#[wasm_bindgen(js_name = signCallbackUrl)]
pub fn sign_callback_url(
    url: JsValue,
    secret: JsValue,
    given: JsValue,
) -> std::result::Result<String, JsValue> {
    let url = text(&url, "url")?;
    let secret = text(&secret, "secret")?;
    let args: SignArgs = options(given, "options")?;
    let context = args.context.get("context")?;
    let expires_at_ms = args.expires_at.get("expiresAt")?.map(|Instant(ms)| ms);
    Ok(signed_urls::sign_callback_url(
        &url,
        secret.as_bytes(),
        context.as_deref(),
        expires_at_ms,
    )?)
}

/// What a valid signed URL carried (`expiresAt` `null` when it does not expire).
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Verified {
    url: String,
    context: Option<String>,
    #[serde(with = "serde_wasm_bindgen::preserve")]
    expires_at: JsValue,
}

/// Checks a signed callback URL: `{ url, context, expiresAt }`, or `unauthorized` saying why not.
#[wasm_bindgen(js_name = verifyCallbackUrl)]
pub fn verify_callback_url(url: JsValue, secret: JsValue) -> std::result::Result<JsValue, JsValue> {
    let url = text(&url, "url")?;
    let secret = text(&secret, "secret")?;
    let verified =
        signed_urls::verify_callback_url(&url, secret.as_bytes(), js_sys::Date::now() as i64)?;
    Ok(to_js(&Verified {
        url: verified.url,
        context: verified.context,
        expires_at: verified
            .expires_at_ms
            .map_or(JsValue::NULL, |ms| date(ms as f64)),
    })?)
}
