//! Signed callback URLs, and the SHA-256 / HMAC-SHA-256 beneath them: RustCrypto's `sha2` and
//! `hmac`, checked here against the FIPS 180-4 examples and the RFC 4231 vectors.

use hmac::{Hmac, KeyInit, Mac};
use proximus_api::internals::callbacks::signed_urls::{
    sign_callback_url, verify_callback_url, Verified,
};
use proximus_api::ErrorCode;
use sha2::{Digest, Sha256};

fn sha256(data: &[u8]) -> Vec<u8> {
    Sha256::digest(data).to_vec()
}

fn hmac_sha256(key: &[u8], data: &[u8]) -> Vec<u8> {
    let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(key).unwrap();
    mac.update(data);
    mac.finalize().into_bytes().to_vec()
}

/// What the signing module does with a tag: the crate's constant-time comparison.
fn constant_time_eq(key: &[u8], data: &[u8], tag: &[u8]) -> bool {
    let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(key).unwrap();
    mac.update(data);
    mac.verify_slice(tag).is_ok()
}

const KEY: &[u8] = b"0123456789abcdef0123456789abcdef";
const URL: &str = "https://example.com/calls?listing=7";
/// 2026-11-23T11:00:00Z
const EXP: i64 = 1_795_431_600_000;
const NOW: i64 = EXP - 3_600_000;

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

// SHA-256 and HMAC.

#[test]
fn sha256_matches_the_fips_180_4_examples() {
    assert_eq!(
        hex(&sha256(b"abc")),
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    );
    assert_eq!(
        hex(&sha256(b"")),
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    );
    assert_eq!(
        hex(&sha256(
            b"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"
        )),
        "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
    );
    assert_eq!(
        hex(&sha256(b"abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu")),
        "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1"
    );
    assert_eq!(
        hex(&sha256(&vec![b'a'; 1_000_000])),
        "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"
    );
}

#[test]
fn sha256_in_pieces_equals_sha256_at_once() {
    let data: Vec<u8> = (0..1000u32).map(|i| (i * 7 + 3) as u8).collect();
    // Every length around the block and padding boundaries, fed in uneven pieces.
    for len in [0, 1, 55, 56, 57, 63, 64, 65, 119, 120, 128, 999, 1000] {
        let mut hasher = Sha256::new();
        for chunk in data[..len].chunks(13) {
            hasher.update(chunk);
        }
        assert_eq!(
            hasher.finalize().to_vec(),
            sha256(&data[..len]),
            "length {len}"
        );
    }
}

#[test]
fn hmac_sha256_matches_rfc_4231() {
    let aa131 = [0xaa; 131];
    let key4: Vec<u8> = (1..=25).collect();
    let cases: [(&[u8], &[u8], &str); 7] = [
        (&[0x0b; 20], b"Hi There", "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"),
        (b"Jefe", b"what do ya want for nothing?", "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"),
        (&[0xaa; 20], &[0xdd; 50], "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe"),
        (&key4, &[0xcd; 50], "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b"),
        // Test case 5 is truncated to 128 bits.
        (&[0x0c; 20], b"Test With Truncation", "a3b6167473100ee06e0c796c2955552b"),
        (
            &aa131,
            b"Test Using Larger Than Block-Size Key - Hash Key First",
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54",
        ),
        (
            &aa131,
            b"This is a test using a larger than block-size key and a larger than block-size data. The key needs to be hashed before being used by the HMAC algorithm.",
            "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2",
        ),
    ];
    for (i, (key, data, expected)) in cases.iter().enumerate() {
        let mac = hex(&hmac_sha256(key, data));
        assert_eq!(
            &mac[..expected.len()],
            *expected,
            "RFC 4231 test case {}",
            i + 1
        );
    }
}

#[test]
fn constant_time_eq_compares_bytes() {
    let tag = hmac_sha256(b"key", b"abc");
    assert!(constant_time_eq(b"key", b"abc", &tag));
    let mut flipped = tag.clone();
    flipped[31] ^= 1;
    assert!(!constant_time_eq(b"key", b"abc", &flipped));
    assert!(!constant_time_eq(b"key", b"abc", &tag[..31]));
    assert!(!constant_time_eq(b"key", b"abc", b""));
}

// Signing.

fn signed() -> String {
    sign_callback_url(URL, KEY, Some("bk_1"), Some(EXP)).unwrap()
}

fn rejected(url: &str, secret: &[u8], now: i64) -> (ErrorCode, String) {
    let err = verify_callback_url(url, secret, now).unwrap_err();
    (err.code(), err.message().to_string())
}

const MISMATCH: &str = "signature does not match (tampered URL or wrong secret)";

#[test]
fn a_signed_url_carries_the_context_expiry_and_a_known_signature() {
    // The signature is pinned so that other implementations (the receiver's) can match it:
    // base64url(HMAC-SHA-256(secret, "proximus-api/callback-url/v1\n<url>\n+4:bk_1\n<expiry>")).
    assert_eq!(
        signed(),
        "https://example.com/calls?listing=7&pxctx=bk_1&pxexp=1795431600000&pxsig=VhQAFX9CkfzxJDm5xMEZe6WGRCyvwK-Lr4oid5OHmP4"
    );
    assert_eq!(
        sign_callback_url("https://example.com", KEY, None, None).unwrap(),
        "https://example.com/?pxsig=_9f5pEO3aasa7d2gjx7zC2LExXaNyjGKHKheZctRcnc"
    );
}

#[test]
fn a_signed_url_verifies_and_returns_what_it_carried() {
    assert_eq!(
        verify_callback_url(&signed(), KEY, NOW).unwrap(),
        Verified {
            url: URL.into(),
            context: Some("bk_1".into()),
            expires_at_ms: Some(EXP)
        }
    );
    let plain = sign_callback_url("https://example.com/cb", KEY, None, None).unwrap();
    assert_eq!(
        verify_callback_url(&plain, KEY, i64::MAX).unwrap(),
        Verified {
            url: "https://example.com/cb".into(),
            context: None,
            expires_at_ms: None
        }
    );
}

#[test]
fn any_context_text_round_trips() {
    for context in [
        "",
        "listing 42 & more=yes",
        "100%",
        "ünïcødé ☎",
        "line\nbreak",
        "+/?#",
    ] {
        let url = sign_callback_url(URL, KEY, Some(context), None).unwrap();
        let verified = verify_callback_url(&url, KEY, NOW).unwrap();
        assert_eq!(verified.context.as_deref(), Some(context));
    }
}

#[test]
fn the_px_parameters_may_move_but_nothing_else_may() {
    let url = sign_callback_url(
        "https://example.com/calls?a=1&b=2",
        KEY,
        Some("c"),
        Some(EXP),
    )
    .unwrap();
    let (base, px) = url.split_once("&pxctx").unwrap();
    let px = format!("pxctx{px}");
    let parts: Vec<&str> = px.split('&').collect();
    let moved = format!(
        "https://example.com/calls?{}&a=1&{}&b=2&{}",
        parts[2], parts[0], parts[1]
    );
    assert!(verify_callback_url(&moved, KEY, NOW).is_ok(), "{moved}");
    let reordered = url.replace("a=1&b=2", "b=2&a=1");
    assert_eq!(base, "https://example.com/calls?a=1&b=2");
    assert_eq!(
        rejected(&reordered, KEY, NOW),
        (ErrorCode::Unauthorized, MISMATCH.into())
    );
}

#[test]
fn tampering_with_any_part_is_detected() {
    let url = signed();
    let sig = url.rsplit_once("pxsig=").unwrap().1.to_string();
    let mut flipped = sig.clone();
    let last = if flipped.ends_with('A') { "B" } else { "A" };
    flipped.replace_range(flipped.len() - 1.., last);
    let tampered = [
        ("path", url.replace("/calls?", "/calls2?")),
        ("path appended", url.replace("/calls?", "/calls/x?")),
        ("host", url.replace("example.com", "evil.example")),
        ("scheme", url.replace("https://", "http://")),
        ("port", url.replace("example.com", "example.com:8443")),
        ("query value", url.replace("listing=7", "listing=8")),
        ("query added", url.replace("listing=7", "listing=7&admin=1")),
        ("query added at the end", format!("{url}&admin=1")),
        ("query removed", url.replace("listing=7&", "")),
        ("query re-encoded", url.replace("listing=7", "listing=%37")),
        ("context", url.replace("pxctx=bk_1", "pxctx=bk_2")),
        ("context removed", url.replace("pxctx=bk_1&", "")),
        ("context emptied", url.replace("pxctx=bk_1", "pxctx=")),
        (
            "expiry",
            url.replace("pxexp=1795431600000", "pxexp=1895431600000"),
        ),
        ("expiry removed", url.replace("pxexp=1795431600000&", "")),
        ("signature", url.replace(&sig, &flipped)),
        (
            "signature truncated",
            url.replace(&sig, &sig[..sig.len() - 1]),
        ),
        ("signature emptied", url.replace(&sig, "")),
        (
            "signature of another URL",
            url.replace(&sig, "_9f5pEO3aasa7d2gjx7zC2LExXaNyjGKHKheZctRcnc"),
        ),
    ];
    for (what, url) in tampered {
        assert_eq!(
            rejected(&url, KEY, NOW),
            (ErrorCode::Unauthorized, MISMATCH.into()),
            "{what}: {url}"
        );
    }
}

#[test]
fn a_wrong_secret_is_a_mismatch() {
    assert_eq!(
        rejected(&signed(), b"0123456789abcdef0123456789abcdeF", NOW),
        (ErrorCode::Unauthorized, MISMATCH.into())
    );
}

#[test]
fn an_expired_url_is_refused_after_its_signature_checks() {
    assert!(verify_callback_url(&signed(), KEY, EXP - 1).is_ok());
    for now in [EXP, EXP + 1, i64::MAX] {
        let (code, message) = rejected(&signed(), KEY, now);
        assert_eq!(code, ErrorCode::Unauthorized);
        assert_eq!(
            message,
            "the signed URL expired at 2026-11-23T11:00:00.000Z"
        );
    }
}

#[test]
fn a_missing_repeated_or_malformed_px_parameter_is_refused() {
    let url = signed();
    let unsigned = url.split("&pxsig=").next().unwrap().to_string();
    assert_eq!(
        rejected(&unsigned, KEY, NOW),
        (ErrorCode::Unauthorized, "missing signature (pxsig)".into())
    );
    assert_eq!(rejected(URL, KEY, NOW).1, "missing signature (pxsig)");
    for (bad, name) in [
        (format!("{url}&pxsig=abc"), "pxsig"),
        (
            format!("{url}&pxsig={}", url.rsplit_once("pxsig=").unwrap().1),
            "pxsig",
        ),
        (url.replace("pxctx=bk_1", "pxctx=bk_1&pxctx=bk_2"), "pxctx"),
        (url.replace("pxctx=bk_1", "pxctx=bk_1&pxctx=bk_1"), "pxctx"),
        (
            url.replace("pxexp=1795431600000", "pxexp=1795431600000&pxexp=1"),
            "pxexp",
        ),
    ] {
        let expected = format!("the {name} parameter appears more than once");
        assert_eq!(
            rejected(&bad, KEY, NOW),
            (ErrorCode::Unauthorized, expected),
            "{bad}"
        );
    }
    let cases = [
        url.replace("pxexp=1795431600000", "pxexp=soon"),
        url.replace("pxexp=1795431600000", "pxexp=-5"),
        url.replace("pxexp=1795431600000", "pxexp="),
        url.replace("pxexp=1795431600000", "pxexp=99999999999999999999999"),
        url.replace("pxctx=bk_1", "pxctx=%zz"),
        url.replace("pxctx=bk_1", "pxctx=%ff"),
        url.replace("pxctx=bk_1", "pxctx=%4"),
    ];
    for bad in cases {
        assert_eq!(rejected(&bad, KEY, NOW).0, ErrorCode::Unauthorized, "{bad}");
    }
}

#[test]
fn scheme_host_case_and_default_ports_do_not_matter() {
    let url = sign_callback_url(
        "HTTPS://Example.COM:443/calls?listing=7",
        KEY,
        Some("bk_1"),
        Some(EXP),
    )
    .unwrap();
    assert_eq!(
        url,
        signed(),
        "the signed URL is written in the canonical form"
    );
    let as_received = signed().replace("https://example.com/", "https://EXAMPLE.com:443/");
    assert!(verify_callback_url(&as_received, KEY, NOW).is_ok());
    let http = sign_callback_url("http://localhost:80/cb", KEY, None, None).unwrap();
    assert!(http.starts_with("http://localhost/cb?pxsig="));
    assert!(verify_callback_url(&http.replace("localhost/", "localhost:80/"), KEY, NOW).is_ok());
}

#[test]
fn caller_mistakes_are_invalid_arguments() {
    let short = b"fifteen-bytes!!";
    assert_eq!(
        sign_callback_url(URL, short, None, None)
            .unwrap_err()
            .code(),
        ErrorCode::InvalidArgument
    );
    assert_eq!(
        verify_callback_url(&signed(), short, NOW)
            .unwrap_err()
            .code(),
        ErrorCode::InvalidArgument
    );
    assert!(sign_callback_url(URL, b"sixteen-bytes!!!", None, None).is_ok());
    let long_context = "x".repeat(1025);
    for (url, context, expiry) in [
        ("example.com/calls", None, None),
        ("ftp://example.com/calls", None, None),
        ("https:///calls", None, None),
        ("https://:443/calls", None, None),
        ("https://example.com/calls#top", None, None),
        ("https://example.com/my calls", None, None),
        ("https://example.com/calls?q=\"x\"", None, None),
        ("https://exämple.com/calls", None, None),
        ("https://example.com/calls?pxsig=abc", None, None),
        ("https://example.com/calls?a=1&pxctx=abc", None, None),
        (URL, Some(long_context.as_str()), None),
        (URL, None, Some(-1)),
        (URL, None, Some(i64::MAX)),
        ("", None, None),
    ] {
        let err = sign_callback_url(url, KEY, context, expiry).unwrap_err();
        assert_eq!(err.code(), ErrorCode::InvalidArgument, "{url}");
    }
    assert_eq!(
        verify_callback_url("not a url", KEY, NOW)
            .unwrap_err()
            .code(),
        ErrorCode::InvalidArgument
    );
}

#[test]
fn junk_never_panics() {
    let junk = [
        "",
        "?",
        "&",
        "https://",
        "https://?",
        "https://a?&&&",
        "https://a?pxsig",
        "https://a?pxsig=%",
        "https://a?pxctx=%e2%82&pxsig=x",
        "https://a?=&=&pxsig==",
        "http://[::1]:80?pxexp=0&pxsig=-",
        "https://a@b@c/?pxsig=x",
        "https://a/%%%?pxsig=%%",
    ];
    for url in junk {
        let err = verify_callback_url(url, KEY, NOW).unwrap_err();
        assert!(
            matches!(
                err.code(),
                ErrorCode::Unauthorized | ErrorCode::InvalidArgument
            ),
            "{url}"
        );
    }
}

/// Found by fuzzing: `host:443:443` signed a URL that could never verify.
#[test]
fn an_authority_with_two_ports_is_refused() {
    for url in [
        "https://example.com:443:443/cb",
        "https://[:443:443/cb",
        "https://example.com:x/cb",
    ] {
        let err = sign_callback_url(url, KEY, None, None).unwrap_err();
        assert_eq!(err.code(), ErrorCode::InvalidArgument, "{url}");
    }
    assert!(sign_callback_url("https://example.com:443/cb", KEY, None, None).is_ok());
    assert!(sign_callback_url("https://[::1]:8443/cb", KEY, None, None).is_ok());
}
