//! URL and form encodings: path segments and query values percent-encoded (RFC 3986: only the
//! unreserved characters stay), form bodies by serde_urlencoded, base64 by base64ct (constant
//! time: a Basic header carries the client secret).

use percent_encoding::{percent_decode_str, utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use serde::Serialize;

/// Everything but RFC 3986's unreserved characters (`A-Z a-z 0-9 - . _ ~`).
const COMPONENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// `value`, percent-encoded for a path segment or a query value.
pub fn encode(value: &str) -> String {
    utf8_percent_encode(value, COMPONENT).to_string()
}

/// Appends `value` percent-encoded.
pub fn push_encoded(out: &mut String, value: &str) {
    out.extend(utf8_percent_encode(value, COMPONENT));
}

/// The text `value` percent-decodes to, only if `value` is exactly how [`encode`] writes it:
/// one spelling per text, so an encoded value cannot be varied without changing it.
pub fn decode_canonical(value: &str) -> Option<String> {
    let text = percent_decode_str(value).decode_utf8().ok()?;
    (encode(&text) == value).then(|| text.into_owned())
}

/// An `application/x-www-form-urlencoded` body.
pub fn form<T: Serialize>(fields: &T) -> String {
    // Strings only: serde_urlencoded refuses nothing that these forms hold.
    serde_urlencoded::to_string(fields).unwrap_or_default()
}

/// Standard base64, padded (HTTP Basic credentials).
pub fn base64(bytes: &[u8]) -> String {
    use base64ct::{Base64, Encoding};
    Base64::encode_string(bytes)
}

/// base64url without padding (signatures in URLs).
pub fn base64url(bytes: &[u8]) -> String {
    use base64ct::{Base64UrlUnpadded, Encoding};
    Base64UrlUnpadded::encode_string(bytes)
}

/// Decodes base64url without padding; `None` unless `text` is canonical.
pub fn decode_base64url(text: &str) -> Option<Vec<u8>> {
    use base64ct::{Base64UrlUnpadded, Encoding};
    Base64UrlUnpadded::decode_vec(text).ok()
}
