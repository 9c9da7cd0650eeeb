//! Signed callback URLs. The platform does not sign the events it POSTs to a booking's callback,
//! so anyone who learns the URL can forge them. The application instead puts an HMAC in the URL
//! it registers, and the receiver checks it on every request.
//!
//! # Format
//!
//! [`sign_callback_url`] appends, in this order, `pxctx` (the optional context, e.g. a listing
//! id, percent-encoded), `pxexp` (the optional expiry, epoch milliseconds) and `pxsig`: the
//! unpadded base64url HMAC-SHA-256, under the application's secret, of
//!
//! ```text
//! proximus-api/callback-url/v1 \n <URL without px params> \n <context> \n <expiry>
//! ```
//!
//! where `<context>` is `-` when absent and `+<byte length>:<text>` when present (so no value can
//! pose as another), and `<expiry>` is `-` or the decimal number.
//!
//! "The URL without px params" is the URL with the scheme and host lowercased, a default port
//! (`:443`, `:80`) removed, an empty path written `/` (what `new URL(u).href` does), and the
//! `pxctx`, `pxexp` and `pxsig` parameters removed from the query while every other parameter
//! keeps its exact text and order (empty `&&` pieces are dropped). So the three px parameters may
//! appear anywhere in the query, but reordering, adding, removing or re-encoding any other
//! parameter, or changing the path, breaks the signature. The receiver must therefore verify the
//! public URL the platform called (behind a proxy: rebuild it from the forwarded host).
//!
//! # Errors
//!
//! - `invalid_argument`: the caller's mistake — a secret shorter than 16 bytes, a URL that is not
//!   an absolute `http(s)` URL, a URL to sign that has a fragment, characters that a URL parser
//!   would re-encode, or px parameters already, a context longer than 1024 bytes.
//! - `unauthorized`: every reason to reject a request — the signature is missing, a px parameter
//!   is repeated or malformed, the signature does not match (a tampered URL and a wrong secret
//!   are indistinguishable), or the URL has expired.

use hmac::{Hmac, KeyInit, Mac};
use serde::Serialize;
use sha2::Sha256;

use crate::core::codec::form::{base64url, decode_base64url, decode_canonical, encode};
use crate::core::codec::time::format_iso;
use crate::core::errors::quote::quoted;
use crate::core::errors::{ErrorCode, ProximusError, Result};

/// The context parameter.
pub const CONTEXT_PARAM: &str = "pxctx";
/// The expiry parameter (epoch ms).
pub const EXPIRES_PARAM: &str = "pxexp";
/// The signature parameter.
pub const SIGNATURE_PARAM: &str = "pxsig";
/// Shortest secret accepted, in bytes.
pub const MIN_SECRET_BYTES: usize = 16;
/// Longest context accepted, in bytes.
pub const MAX_CONTEXT_BYTES: usize = 1024;
/// Longest URL accepted.
pub const MAX_URL_CHARS: usize = 8192;
/// Latest expiry accepted (9999-12-31T23:59:59.999Z).
const MAX_EXPIRY_MS: i64 = 253_402_300_799_999;
/// Domain separation: a MAC made for anything else never verifies here.
const DOMAIN: &str = "proximus-api/callback-url/v1";

/// What a valid signed URL carried.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Verified {
    /// The URL without the px parameters (in the canonical form that was signed).
    pub url: String,
    /// The context given when signing.
    pub context: Option<String>,
    /// The expiry given when signing (epoch ms).
    #[serde(rename = "expiresAt")]
    pub expires_at_ms: Option<i64>,
}

/// `url` with `pxctx` (if `context`), `pxexp` (if `expires_at_ms`) and `pxsig` added; see the
/// module docs for what is signed. `secret` must be at least 16 bytes.
pub fn sign_callback_url(
    url: &str,
    secret: &[u8],
    context: Option<&str>,
    expires_at_ms: Option<i64>,
) -> Result<String> {
    check_secret(secret)?;
    let parsed = ParsedUrl::parse(url)?;
    if let Some((name, _)) = parsed.px.first() {
        return Err(ProximusError::invalid(format!(
            "the URL to sign already has a {name} parameter"
        )));
    }
    if context.is_some_and(|c| c.len() > MAX_CONTEXT_BYTES) {
        return Err(ProximusError::invalid(format!(
            "the context must be at most {MAX_CONTEXT_BYTES} bytes"
        )));
    }
    if expires_at_ms.is_some_and(|ms| !(0..=MAX_EXPIRY_MS).contains(&ms)) {
        return Err(ProximusError::invalid(
            "the expiry must be a time between 1970 and 9999 (epoch ms)",
        ));
    }
    let signature = base64url(
        &mac(secret, &parsed.canonical, context, expires_at_ms)
            .finalize()
            .into_bytes(),
    );
    let mut out = parsed.canonical;
    let mut sep = if out.contains('?') { '&' } else { '?' };
    let mut push = |name: &str, value: &str| {
        out.push(sep);
        out.push_str(name);
        out.push('=');
        out.push_str(value);
        sep = '&';
    };
    if let Some(context) = context {
        push(CONTEXT_PARAM, &encode(context));
    }
    if let Some(ms) = expires_at_ms {
        push(EXPIRES_PARAM, &ms.to_string());
    }
    push(SIGNATURE_PARAM, &signature);
    Ok(out)
}

/// Checks a signed URL at `now_ms` (constant-time comparison) and returns what it carried.
pub fn verify_callback_url(url: &str, secret: &[u8], now_ms: i64) -> Result<Verified> {
    check_secret(secret)?;
    let parsed = ParsedUrl::parse(url)?;
    let mut context = None;
    let mut expiry = None;
    let mut signature = None;
    for (name, value) in &parsed.px {
        let slot = match *name {
            CONTEXT_PARAM => &mut context,
            EXPIRES_PARAM => &mut expiry,
            _ => &mut signature,
        };
        if slot.replace(value.as_str()).is_some() {
            return Err(unauthorized(format!(
                "the {name} parameter appears more than once"
            )));
        }
    }
    let signature =
        signature.ok_or_else(|| unauthorized(format!("missing signature ({SIGNATURE_PARAM})")))?;
    let context = context
        .map(|raw| {
            decode_canonical(raw)
                .ok_or_else(|| unauthorized(format!("{CONTEXT_PARAM} is not validly encoded")))
        })
        .transpose()?;
    let expires_at_ms = expiry
        .map(|raw| {
            let valid =
                !raw.is_empty() && raw.len() <= 18 && raw.bytes().all(|b| b.is_ascii_digit());
            valid
                .then(|| raw.parse::<i64>().ok())
                .flatten()
                .ok_or_else(|| unauthorized(format!("{EXPIRES_PARAM} is not a whole number")))
        })
        .transpose()?;
    // The crate's verify compares in constant time; a tag that is not even base64url fails the
    // same way as a wrong one.
    let matches = decode_base64url(signature).is_some_and(|tag| {
        mac(secret, &parsed.canonical, context.as_deref(), expires_at_ms)
            .verify_slice(&tag)
            .is_ok()
    });
    if !matches {
        return Err(unauthorized(
            "signature does not match (tampered URL or wrong secret)",
        ));
    }
    if let Some(at) = expires_at_ms {
        if now_ms >= at {
            return Err(unauthorized(format!(
                "the signed URL expired at {}",
                format_iso(at)
            )));
        }
    }
    Ok(Verified {
        url: parsed.canonical,
        context,
        expires_at_ms,
    })
}

fn unauthorized(message: impl Into<String>) -> ProximusError {
    ProximusError::new(ErrorCode::Unauthorized, message)
}

fn check_secret(secret: &[u8]) -> Result<()> {
    if secret.len() < MIN_SECRET_BYTES {
        return Err(ProximusError::invalid(format!(
            "the signing secret must be at least {MIN_SECRET_BYTES} bytes"
        )));
    }
    Ok(())
}

/// HMAC-SHA-256 (RustCrypto) keyed with `secret`, fed the canonical string.
fn mac(
    secret: &[u8],
    url: &str,
    context: Option<&str>,
    expires_at_ms: Option<i64>,
) -> Hmac<Sha256> {
    let context = match context {
        Some(c) => format!("+{}:{c}", c.len()),
        None => "-".into(),
    };
    let expiry = expires_at_ms.map_or_else(|| "-".to_string(), |ms| ms.to_string());
    // HMAC takes a key of any length: this never fails.
    let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(secret)
        .unwrap_or_else(|_| <Hmac<Sha256> as KeyInit>::new(&Default::default()));
    mac.update(format!("{DOMAIN}\n{url}\n{context}\n{expiry}").as_bytes());
    mac
}

/// A URL split into its canonical form without px parameters, and the px parameters found.
struct ParsedUrl<'a> {
    canonical: String,
    px: Vec<(&'a str, String)>,
}

impl<'a> ParsedUrl<'a> {
    fn parse(url: &'a str) -> Result<ParsedUrl<'a>> {
        let bad = |why: &str| ProximusError::invalid(format!("callback URL: {why}"));
        let url = url.trim();
        if url.chars().count() > MAX_URL_CHARS {
            return Err(bad(&format!("longer than {MAX_URL_CHARS} characters")));
        }
        if url.contains('#') {
            return Err(bad("a fragment (#…) is never sent to the server"));
        }
        // Only characters that every URL parser keeps as they are: what is signed is what the
        // receiver sees.
        if let Some(c) = url
            .chars()
            .find(|c| !c.is_ascii_graphic() || "\"'<>\\^`{|}".contains(*c))
        {
            return Err(bad(&format!(
                "character {} must be percent-encoded",
                quoted(c.encode_utf8(&mut [0; 4]), 1)
            )));
        }
        let (scheme, rest) = url
            .split_once("://")
            .ok_or_else(|| bad("not an absolute http(s) URL"))?;
        let scheme = scheme.to_ascii_lowercase();
        let default_port = match scheme.as_str() {
            "https" => ":443",
            "http" => ":80",
            _ => return Err(bad("not an absolute http(s) URL")),
        };
        let authority_end = rest.find(['/', '?']).unwrap_or(rest.len());
        let (authority, rest) = rest.split_at(authority_end);
        let (userinfo, host) = match authority.rsplit_once('@') {
            Some((user, host)) => (Some(user), host),
            None => (None, authority),
        };
        // One host and at most one port (`example.com:443:443` would sign one URL and verify
        // another once its default port is dropped).
        super::urls::split_host(host).map_err(|why| bad(&why))?;
        let host = host.strip_suffix(default_port).unwrap_or(host);
        if host.is_empty() || host.starts_with(':') {
            return Err(bad("no host"));
        }
        let (path, query) = match rest.split_once('?') {
            Some((path, query)) => (path, Some(query)),
            None => (rest, None),
        };
        let mut canonical = format!("{scheme}://");
        if let Some(user) = userinfo {
            canonical.push_str(user);
            canonical.push('@');
        }
        canonical.push_str(&host.to_ascii_lowercase());
        canonical.push_str(if path.is_empty() { "/" } else { path });
        let mut px = Vec::new();
        let mut kept = Vec::new();
        for piece in query.unwrap_or("").split('&').filter(|p| !p.is_empty()) {
            let (name, value) = piece.split_once('=').unwrap_or((piece, ""));
            match [CONTEXT_PARAM, EXPIRES_PARAM, SIGNATURE_PARAM]
                .into_iter()
                .find(|p| *p == name)
            {
                Some(name) => px.push((name, value.to_string())),
                None => kept.push(piece),
            }
        }
        if !kept.is_empty() {
            canonical.push('?');
            canonical.push_str(&kept.join("&"));
        }
        Ok(ParsedUrl { canonical, px })
    }
}
