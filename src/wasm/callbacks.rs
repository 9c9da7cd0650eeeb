//! `parseCallEvent`, `signCallbackUrl` and `verifyCallbackUrl`.

use serde::Deserialize;
use wasm_bindgen::prelude::*;

use super::interop::{object, options, text, to_js_dated, Arg, Instant, JsJson};
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

/// Checks a signed callback URL: `{ url, context, expiresAt }`, or `unauthorized` saying why not.
#[wasm_bindgen(js_name = verifyCallbackUrl)]
pub fn verify_callback_url(url: JsValue, secret: JsValue) -> std::result::Result<JsValue, JsValue> {
    let url = text(&url, "url")?;
    let secret = text(&secret, "secret")?;
    let verified =
        signed_urls::verify_callback_url(&url, secret.as_bytes(), js_sys::Date::now() as i64)?;
    // `expiresAt` a `Date`, or `null` when the URL does not expire.
    Ok(to_js_dated(&verified, "expiresAt")?)
}
