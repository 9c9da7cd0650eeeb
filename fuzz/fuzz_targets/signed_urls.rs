//! Signed callback URLs (the receiver's only defence against forged call events) and the
//! callback URL check.
//!
//! Input lines: `URL`, `SECRET`, `NOW_MS`, `CONTEXT` (`-` for none), `EXPIRES_MS` (`-` for none),
//! `MUTATION` (a number: which byte of the signed URL to change, and to what).
//!
//! Properties:
//! - verifying any URL never panics, refuses with `invalid_argument` (caller's mistake) or
//!   `unauthorized` only, and accepts only unexpired URLs; what verifies re-signs to a URL that
//!   verifies to the same (url, context, expiry);
//! - sign then verify gives back the canonical URL, the context and the expiry; the signed URL
//!   is refused at and after its expiry, under another secret, with its signature changed, and
//!   with any one byte changed or removed unless the URL still means the same (url, context,
//!   expiry) — no mutation can make it carry anything else;
//! - `check_callback_url` accepts only absolute https URLs (http only to loopback) of at most
//!   2048 characters without spaces, and is idempotent.
#![no_main]

use libfuzzer_sys::fuzz_target;
use proximus_api::internals::callbacks::signed_urls::{
    sign_callback_url, verify_callback_url, Verified,
};
use proximus_api::internals::callbacks::urls::check_callback_url;
use proximus_api::ErrorCode;

fuzz_target!(|data: &[u8]| {
    let text = fuzz_support::text(data);
    let (f, _) = fuzz_support::fields(&text, 6);
    let (url, secret) = (f[0], f[1].as_bytes());
    // Realistic clocks: the JavaScript Date range (±8.64e15 ms).
    let now = f[2]
        .trim()
        .parse::<i64>()
        .unwrap_or(1_795_428_000_000)
        .clamp(-8_640_000_000_000_000, 8_640_000_000_000_000);
    let context = (f[3] != "-").then_some(f[3]);
    let expires = (f[4] != "-")
        .then(|| f[4].trim().parse::<i64>().ok())
        .flatten();
    let mutation = f[5]
        .trim()
        .parse::<u64>()
        .unwrap_or_else(|_| fuzz_support::pick(f[5], 1 << 20) as u64);

    check_verify(url, secret, now);
    check_sign(url, secret, now, context, expires, mutation);
    check_callback(url);
});

fn check_verify(url: &str, secret: &[u8], now: i64) {
    match verify_callback_url(url, secret, now) {
        Err(e) => assert!(
            matches!(
                e.code(),
                ErrorCode::InvalidArgument | ErrorCode::Unauthorized
            ),
            "{e}"
        ),
        Ok(v) => {
            assert!(
                v.expires_at_ms.is_none_or(|at| now < at),
                "an expired URL verified"
            );
            let again = sign_callback_url(&v.url, secret, v.context.as_deref(), v.expires_at_ms)
                .expect("what verifies can be signed again");
            assert_eq!(verify_callback_url(&again, secret, now).as_ref(), Ok(&v));
        }
    }
}

fn check_sign(
    url: &str,
    secret: &[u8],
    now: i64,
    context: Option<&str>,
    expires: Option<i64>,
    mutation: u64,
) {
    let signed = match sign_callback_url(url, secret, context, expires) {
        Err(e) => {
            assert_eq!(e.code(), ErrorCode::InvalidArgument, "{e}");
            return;
        }
        Ok(signed) => signed,
    };
    // The URL that was signed (the canonical form): the signed URL without the 1 to 3 px
    // parameters appended last. Signing it again must give the same URL.
    let appended = 1 + usize::from(context.is_some()) + usize::from(expires.is_some());
    let cut = signed
        .char_indices()
        .filter(|(_, c)| matches!(c, '?' | '&'))
        .map(|(i, _)| i)
        .rev()
        .nth(appended - 1)
        .expect("px parameters");
    let canonical = &signed[..cut];
    assert_eq!(
        sign_callback_url(canonical, secret, context, expires).as_deref(),
        Ok(signed.as_str()),
        "signing is not idempotent: {url:?} -> {canonical:?}"
    );
    let before = expires.map_or(now, |at| at - 1);
    let verified = verify_callback_url(&signed, secret, before)
        .unwrap_or_else(|e| panic!("a freshly signed URL does not verify: {e} ({signed:?})"));
    assert_eq!(verified.context.as_deref(), context);
    assert_eq!(verified.expires_at_ms, expires);
    // Signing the canonical form gives the same URL.
    assert_eq!(
        sign_callback_url(&verified.url, secret, context, expires).as_deref(),
        Ok(signed.as_str())
    );

    if let Some(at) = expires {
        for late in [at, at.saturating_add(1)] {
            let e = verify_callback_url(&signed, secret, late).expect_err("expired URL accepted");
            assert_eq!(e.code(), ErrorCode::Unauthorized);
        }
    }

    let mut other = secret.to_vec();
    let i = (mutation as usize) % other.len();
    other[i] ^= 1 + (mutation >> 32) as u8 % 255;
    let e = verify_callback_url(&signed, &other, before).expect_err("another secret verifies");
    assert_eq!(e.code(), ErrorCode::Unauthorized);

    // The signature itself, changed in one place.
    let sig_at = signed.rfind("pxsig=").expect("pxsig") + "pxsig=".len();
    let sig_len = signed.len() - sig_at;
    assert_eq!(sig_len, 43, "an HMAC-SHA-256 is 43 base64url characters");
    let j = sig_at + (mutation as usize) % sig_len;
    let mut forged = signed.clone().into_bytes();
    forged[j] = if forged[j] == b'A' { b'B' } else { b'A' };
    let forged = String::from_utf8(forged).expect("ascii");
    assert!(
        verify_callback_url(&forged, secret, before).is_err(),
        "a changed signature verifies"
    );

    // Any byte changed or removed: refused, or still exactly what was signed.
    let bytes = signed.as_bytes();
    let k = (mutation as usize) % bytes.len();
    let replacement = (mutation >> 24) as u8 & 0x7f;
    let mut changed = bytes.to_vec();
    changed[k] = replacement;
    let mut removed = bytes.to_vec();
    removed.remove(k);
    for candidate in [changed, removed] {
        let Ok(candidate) = String::from_utf8(candidate) else {
            continue;
        };
        if let Ok(v) = verify_callback_url(&candidate, secret, before) {
            assert_same(&v, &verified, &candidate, &signed);
        }
    }
}

fn assert_same(v: &Verified, signed: &Verified, candidate: &str, original: &str) {
    assert_eq!(
        v, signed,
        "a mutated URL verified to something else: {candidate:?} (signed {original:?})"
    );
}

fn check_callback(url: &str) {
    match check_callback_url(url) {
        Err(e) => assert_eq!(e.code(), ErrorCode::InvalidArgument),
        Ok(u) => {
            assert_eq!(u, url.trim());
            assert!(u.len() <= 2048);
            assert!(!u.chars().any(|c| c.is_whitespace() || c.is_control()));
            let lower = u.to_ascii_lowercase();
            assert!(
                lower.starts_with("https://") || lower.starts_with("http://"),
                "{u:?}"
            );
            assert_eq!(
                check_callback_url(&u).as_deref(),
                Ok(u.as_str()),
                "not idempotent"
            );
            if let Some(rest) = lower.strip_prefix("http://") {
                let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
                let host = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
                let loopback = host.starts_with("localhost")
                    || host.starts_with("127.")
                    || host.starts_with("[::1]")
                    || host.starts_with('[');
                assert!(loopback, "plain http to a non-loopback host: {u:?}");
            }
        }
    }
}
