//! `parseCallEvent`, `signCallbackUrl` and `verifyCallbackUrl`.

use wasm_bindgen::prelude::*;

use super::args::{opt_instant, opt_string, options_object, string};
use super::errors::sync;
use super::js_values::{object, to_json};
use crate::core::call_events::{self, CallEvent};
use crate::core::signing;

fn date(ms: i64) -> JsValue {
    super::js_values::date(ms as f64)
}

/// Reads what the platform POSTs to a booking's callback URL (a string or a parsed object).
#[wasm_bindgen(js_name = parseCallEvent)]
pub fn parse_call_event(body: JsValue) -> std::result::Result<JsValue, JsValue> {
    sync((|| {
        let event = match body.as_string() {
            Some(text) => call_events::parse_call_event(&text)?,
            None => call_events::call_event_from_json(&to_json(&body)?)?,
        };
        Ok(match event {
            CallEvent::Completed {
                id,
                timestamp_ms,
                duration,
                source,
                destination,
                booking_id,
            } => object(&[
                ("kind", "completed".into()),
                ("id", id.into()),
                ("timestamp", date(timestamp_ms)),
                ("duration", (duration as f64).into()),
                ("source", source.into()),
                ("destination", destination.into()),
                ("bookingId", booking_id.into()),
            ]),
            CallEvent::Expired {
                timestamp_ms,
                source,
                destination,
                booking_id,
                message,
            } => object(&[
                ("kind", "expired".into()),
                ("timestamp", date(timestamp_ms)),
                ("source", source.into()),
                ("destination", destination.into()),
                ("bookingId", booking_id.into()),
                ("message", message.into()),
            ]),
        })
    })())
}

/// `url` with an HMAC signature over it, its `context` and `expiresAt`.
#[wasm_bindgen(js_name = signCallbackUrl)]
pub fn sign_callback_url(
    url: JsValue,
    secret: JsValue,
    options: JsValue,
) -> std::result::Result<String, JsValue> {
    sync((|| {
        let (url, secret) = (string(&url, "url")?, string(&secret, "secret")?);
        let options = options_object(&options, "options")?;
        let context = opt_string(&options, "context")?;
        let expires_at_ms = opt_instant(&options, "expiresAt")?;
        signing::sign_callback_url(&url, secret.as_bytes(), context.as_deref(), expires_at_ms)
    })())
}

/// Checks a signed callback URL: `{ context, expiresAt }`, or `unauthorized` saying why not.
#[wasm_bindgen(js_name = verifyCallbackUrl)]
pub fn verify_callback_url(url: JsValue, secret: JsValue) -> std::result::Result<JsValue, JsValue> {
    sync((|| {
        let (url, secret) = (string(&url, "url")?, string(&secret, "secret")?);
        let verified =
            signing::verify_callback_url(&url, secret.as_bytes(), js_sys::Date::now() as i64)?;
        Ok(object(&[
            ("url", verified.url.into()),
            (
                "context",
                verified.context.map_or(JsValue::NULL, JsValue::from),
            ),
            (
                "expiresAt",
                verified.expires_at_ms.map_or(JsValue::NULL, date),
            ),
        ]))
    })())
}
