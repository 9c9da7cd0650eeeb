//! The OAuth2 token and revoke exchanges: pure builders and parsers.

use serde::{Deserialize, Serialize};

use super::codec::form::{base64, encode, form};
use super::codec::{lenient, JsonCodec};
use super::errors::answers::decode_body;
use super::errors::quote::quoted;
use super::errors::{ProximusError, Result};
use super::secret::Secret;
use super::transport::{HttpRequest, HttpResponse, Method};

/// A bearer token and what the server said about it.
#[derive(Clone, Debug, PartialEq)]
pub struct AccessToken {
    /// The token.
    pub value: Secret,
    /// `Bearer`.
    pub token_type: String,
    /// E.g. `openid`.
    pub scope: String,
    /// When it expires; `None` for tokens that do not (permanent, or unknown).
    pub expires_at_ms: Option<u64>,
    /// When the client asks for a fresh one (shortly before expiry).
    pub refresh_at_ms: Option<u64>,
}

/// Refresh this long before expiry, at most…
const REFRESH_MARGIN_MS: u64 = 60_000;
/// …and at most this fraction of the lifetime, so a nearly-expired token re-issued under the
/// single-active-token rule is not asked for again on every call.
const REFRESH_MARGIN_FRACTION: u64 = 10;
/// Longest lifetime believed: a wrong `expires_in` must not pin a token for years.
const MAX_LIFETIME_MS: u64 = 366 * 86_400_000;
/// Used when the server omits `expires_in` (the documented lifetime).
const DEFAULT_LIFETIME_MS: u64 = 3_600_000;

impl AccessToken {
    /// A token valid for `lifetime_ms` from `now_ms`.
    pub fn expiring(
        value: Secret,
        token_type: String,
        scope: String,
        now_ms: u64,
        lifetime_ms: u64,
    ) -> Self {
        let lifetime_ms = lifetime_ms.min(MAX_LIFETIME_MS);
        let margin = REFRESH_MARGIN_MS.min(lifetime_ms / REFRESH_MARGIN_FRACTION);
        AccessToken {
            value,
            token_type,
            scope,
            expires_at_ms: Some(now_ms + lifetime_ms),
            refresh_at_ms: Some(now_ms + lifetime_ms - margin),
        }
    }

    /// A token with no known expiry.
    pub fn lasting(value: Secret) -> Self {
        AccessToken {
            value,
            token_type: "Bearer".into(),
            scope: String::new(),
            expires_at_ms: None,
            refresh_at_ms: None,
        }
    }

    /// Whether it is still good to send at `now_ms`.
    pub fn is_fresh(&self, now_ms: u64) -> bool {
        self.refresh_at_ms.is_none_or(|at| now_ms < at)
    }
}

/// The `/token` form (RFC 6749 §4.4: `grant_type`) or the `/revoke` form (RFC 7009 §2.1:
/// `token`). The client credentials are in it unless they go as HTTP Basic (RFC 6749 §2.3.1).
#[derive(Serialize)]
struct ClientForm<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    grant_type: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    token: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    client_id: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    client_secret: Option<&'a str>,
}

/// What `/token` answers (RFC 6749 §5.1). Servers differ on numbers as strings.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct TokenAnswer {
    /// The bearer token.
    #[serde(deserialize_with = "lenient::string")]
    pub access_token: Option<String>,
    /// `Bearer`.
    #[serde(deserialize_with = "lenient::string")]
    pub token_type: Option<String>,
    /// Seconds it lives.
    #[serde(deserialize_with = "lenient::number")]
    pub expires_in: Option<f64>,
    /// E.g. `openid`.
    #[serde(deserialize_with = "lenient::string")]
    pub scope: Option<String>,
}

/// `POST /token` with the client-credentials grant.
pub fn token_request(url: &str, client_id: &str, secret: &Secret, basic: bool) -> HttpRequest {
    let form = ClientForm {
        grant_type: Some("client_credentials"),
        token: None,
        client_id: None,
        client_secret: None,
    };
    authenticated_form(url, client_id, secret, basic, form)
}

/// `POST /revoke` for `token`.
pub fn revoke_request(
    url: &str,
    client_id: &str,
    secret: &Secret,
    token: &Secret,
    basic: bool,
) -> HttpRequest {
    let form = ClientForm {
        grant_type: None,
        token: Some(token.expose()),
        client_id: None,
        client_secret: None,
    };
    authenticated_form(url, client_id, secret, basic, form)
}

/// A form POST, with the client credentials in the form, or as HTTP Basic when `basic`.
fn authenticated_form<'a>(
    url: &str,
    client_id: &'a str,
    secret: &'a Secret,
    basic: bool,
    mut fields: ClientForm<'a>,
) -> HttpRequest {
    if !basic {
        fields.client_id = Some(client_id);
        fields.client_secret = Some(secret.expose());
    }
    let mut headers = vec![
        (
            "Content-Type",
            "application/x-www-form-urlencoded".to_string(),
        ),
        ("Accept", "application/json".to_string()),
    ];
    if basic {
        headers.push(("Authorization", basic_header(client_id, secret)));
    }
    HttpRequest {
        method: Method::Post,
        url: url.to_string(),
        headers,
        body: Some(form(&fields)),
        timeout_ms: 0,
    }
}

fn basic_header(client_id: &str, secret: &Secret) -> String {
    // RFC 6749 §2.3.1: both parts form-encoded before base64.
    let pair = format!("{}:{}", encode(client_id), encode(secret.expose()));
    format!("Basic {}", base64(pair.as_bytes()))
}

/// Reads a `/token` answer with the runtime's codec `J`.
pub fn parse_token<J: JsonCodec>(response: &HttpResponse, now_ms: u64) -> Result<AccessToken> {
    let answer: TokenAnswer = decode_body::<J, _>(response)?;
    let value = answer
        .access_token
        .filter(|t| !t.trim().is_empty() && !t.chars().any(char::is_control))
        .ok_or_else(|| ProximusError::bad_response("token answer has no access_token"))?;
    let token_type = answer.token_type.unwrap_or_else(|| "Bearer".into());
    if !token_type.eq_ignore_ascii_case("bearer") {
        return Err(ProximusError::bad_response(format!(
            "unsupported token_type {}",
            quoted(&token_type, 40)
        )));
    }
    let lifetime_ms = match answer.expires_in {
        Some(s) if s > 0.0 => (s * 1000.0).min(MAX_LIFETIME_MS as f64) as u64,
        Some(_) => 0,
        None => DEFAULT_LIFETIME_MS,
    };
    Ok(AccessToken::expiring(
        Secret::new(value),
        "Bearer".into(),
        answer.scope.unwrap_or_default(),
        now_ms,
        lifetime_ms,
    ))
}
