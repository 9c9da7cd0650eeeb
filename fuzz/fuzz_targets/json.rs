//! The JSON reader (every body the client reads goes through it) and its writer.
//!
//! Properties: parsing never panics; whatever parses is written back as JSON that parses again
//! to the same structure (strings and keys exactly, whole numbers below 2^53 exactly, other
//! numbers to 9 decimals, non-finite numbers as null), and writing that again gives the same
//! text (for numbers that 9 decimals do not overflow); surrounding whitespace changes nothing; trailing garbage is refused; `get` finds the
//! first member of a name.
#![no_main]

use libfuzzer_sys::fuzz_target;
use proximus_api::core::json::{integer_text, Json};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Some(value) = Json::parse(text) else {
        return;
    };

    let written = value.to_json();
    let reread = Json::parse(&written)
        .unwrap_or_else(|| panic!("to_json wrote text that does not parse: {written:?}"));
    same(&value, &reread, &written);
    // Non-integers are written with 9 decimals whatever their magnitude, so from ~1e7 on the
    // last digits are noise; numbers from 2^53 are written exactly but read back within a few
    // ulps (the reader has no float tables, to stay small in wasm). Either way the text need not
    // be a fixed point; the value still is, within the tolerance checked by `same`.
    if !has_number(&value, |n| {
        n.is_finite()
            && ((n.fract() != 0.0 && n.abs() >= 1e6) || n.abs() >= 9_007_199_254_740_992.0)
    }) {
        assert_eq!(reread.to_json(), written, "to_json is not a fixed point");
    }

    assert_eq!(
        Json::parse(&format!(" \t\r\n{text}\n ")).as_ref(),
        Some(&value)
    );
    assert_eq!(
        Json::parse(&format!("{text} x")),
        None,
        "trailing garbage accepted"
    );
    assert_eq!(
        Json::parse(&format!("{text},")),
        None,
        "trailing comma accepted"
    );

    if let Json::Object(members) = &value {
        for (key, member) in members {
            let first = members.iter().find(|(k, _)| k == key).map(|(_, v)| v);
            assert_eq!(value.get(key), first);
            let _ = member;
            let _ = (
                value.str_field(key),
                value.num_field(key),
                value.bool_field(key),
            );
            if let Some(t) = value.text_field(key) {
                assert!(!t.is_empty(), "text_field gave an empty text");
            }
        }
    }
});

fn has_number(value: &Json, test: fn(f64) -> bool) -> bool {
    match value {
        Json::Number(n) => test(*n),
        Json::Array(items) => items.iter().any(|v| has_number(v, test)),
        Json::Object(members) => members.iter().any(|(_, v)| has_number(v, test)),
        _ => false,
    }
}

/// `b` is what writing `a` and reading it back gave.
fn same(a: &Json, b: &Json, written: &str) {
    match (a, b) {
        (Json::Number(x), _) => number(*x, b, written),
        (Json::Array(xs), Json::Array(ys)) => {
            assert_eq!(xs.len(), ys.len());
            for (x, y) in xs.iter().zip(ys) {
                same(x, y, written);
            }
        }
        (Json::Object(xs), Json::Object(ys)) => {
            assert_eq!(xs.len(), ys.len());
            for ((kx, x), (ky, y)) in xs.iter().zip(ys) {
                assert_eq!(kx, ky);
                same(x, y, written);
            }
        }
        _ => assert_eq!(a, b),
    }
}

fn number(x: f64, b: &Json, written: &str) {
    if !x.is_finite() {
        assert_eq!(
            b,
            &Json::Null,
            "a non-finite number must be written as null"
        );
        return;
    }
    let Json::Number(y) = *b else {
        panic!("the number {x} came back as {b:?} (written {written:?})");
    };
    if integer_text(x).is_some() {
        assert_eq!(
            x, y,
            "a whole number below 2^53 must round-trip exactly ({written:?})"
        );
        return;
    }
    // From 2^53 the reader is within a few ulps (exact below: Clinger's fast path).
    let relative = if x.abs() >= 9_007_199_254_740_992.0 {
        1e-14
    } else {
        4e-16
    };
    let tolerance = 1e-9 + x.abs() * relative;
    assert!(
        (x - y).abs() <= tolerance,
        "the number {x} came back as {y} (written {written:?})"
    );
}
