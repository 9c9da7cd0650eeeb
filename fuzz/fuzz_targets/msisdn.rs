//! Phone numbers as people write them (form fields, CSV imports, copy-paste).
//!
//! Input: one number per line; the first line gets every check, all lines together go through
//! the bulk planner.
//!
//! Properties: `normalize` gives 8 to 15 ASCII digits not starting with 0, and is idempotent
//! (also through `+` and through `format`); `format` and `mask` accept exactly what `normalize`
//! accepts, `format` keeps the digits in order, `mask` has the shape of `format` with only the
//! country code, the first group and the last two digits shown; a refusal is always
//! `invalid_argument`; FMU numbers are exactly the Belgian mobiles; the bulk plan holds every
//! distinct number once, in order, in chunks of 2 to 50 (1 only when there is one number).
#![no_main]

use libfuzzer_sys::fuzz_target;
use proximus_api::internals::fmu::{fmu_number, plan_chunks, MAX_CHUNK};
use proximus_api::internals::msisdn::{
    format, mask, normalize, require_belgian_mobile, MAX_DIGITS, MIN_DIGITS,
};
use proximus_api::ErrorCode;

fuzz_target!(|data: &[u8]| {
    let text = fuzz_support::text(data);
    let first = text.split('\n').next().unwrap_or("");
    check_one(first);
    let lines: Vec<&str> = text.split('\n').take(200).collect();
    check_plan(&lines);
});

fn check_one(input: &str) {
    let normalized = normalize(input);
    let formatted = format(input);
    let masked = mask(input);
    let n = match normalized {
        Err(e) => {
            assert_eq!(e.code(), ErrorCode::InvalidArgument, "{e}");
            assert!(
                formatted.is_err() && masked.is_err(),
                "format/mask accept what normalize refuses"
            );
            assert!(fmu_number(input).is_err());
            return;
        }
        Ok(n) => n,
    };
    assert!((MIN_DIGITS..=MAX_DIGITS).contains(&n.len()), "{n:?}");
    assert!(n.bytes().all(|b| b.is_ascii_digit()), "{n:?}");
    assert!(!n.starts_with('0'), "{n:?}");
    if let Some(national) = n.strip_prefix("32") {
        assert!(
            (8..=9).contains(&national.len()),
            "Belgian number of the wrong length: {n:?}"
        );

        assert!(
            !national.starts_with('0'),
            "a Belgian number with a 0 after 32: {n:?}"
        );
    }
    assert_eq!(
        normalize(&n).as_deref(),
        Ok(n.as_str()),
        "normalize is not idempotent"
    );
    assert_eq!(normalize(&format!("+{n}")).as_deref(), Ok(n.as_str()));

    let f = formatted.expect("format refuses what normalize accepts");
    assert!(f.starts_with('+'), "{f:?}");
    let digits: String = f.chars().filter(char::is_ascii_digit).collect();
    assert_eq!(digits, n, "format changed the digits");
    assert!(
        f.chars()
            .all(|c| c == '+' || c == ' ' || c.is_ascii_digit()),
        "{f:?}"
    );
    assert!(!f.contains("  ") && !f.ends_with(' '), "{f:?}");
    assert_eq!(
        normalize(&f).as_deref(),
        Ok(n.as_str()),
        "normalize(format(x)) != normalize(x)"
    );
    assert_eq!(
        format(&f).as_deref(),
        Ok(f.as_str()),
        "format is not idempotent"
    );

    let m = masked.expect("mask refuses what normalize accepts");
    assert_eq!(m.chars().count(), f.chars().count(), "{m:?} vs {f:?}");
    let mut hidden = 0;
    for (mc, fc) in m.chars().zip(f.chars()) {
        if mc == '•' {
            assert!(fc.is_ascii_digit());
            hidden += 1;
        } else {
            assert_eq!(mc, fc, "{m:?} vs {f:?}");
        }
    }
    let shown_tail: String = m.chars().rev().filter(|c| *c != ' ').take(2).collect();
    let real_tail: String = n.chars().rev().take(2).collect();
    assert_eq!(
        shown_tail, real_tail,
        "mask hides the last two digits: {m:?}"
    );
    let (_, groups) = f.split_once(' ').expect("format has a space");
    if groups.split(' ').count() >= 3 {
        assert!(hidden > 0, "mask hides nothing: {m:?}");
    }

    let mobile = n.len() == 11 && n.starts_with("324");
    assert_eq!(require_belgian_mobile(&n).is_ok(), mobile, "{n:?}");
    match fmu_number(input) {
        Ok(m) => {
            assert!(mobile);
            assert_eq!(m, n);
        }
        Err(e) => {
            assert!(!mobile);
            assert_eq!(e.code(), ErrorCode::InvalidArgument);
        }
    }
}

fn check_plan(lines: &[&str]) {
    let plan = match plan_chunks(lines) {
        Err(e) => {
            assert_eq!(e.code(), ErrorCode::InvalidArgument);
            assert!(
                lines.iter().any(|l| fmu_number(l).is_err()),
                "plan refused good numbers: {e}"
            );
            return;
        }
        Ok(plan) => plan,
    };
    let mut distinct: Vec<String> = Vec::new();
    for line in lines {
        let n = fmu_number(line).expect("plan accepted a bad number");
        if !distinct.contains(&n) {
            distinct.push(n);
        }
    }
    let flat: Vec<String> = plan.iter().flatten().cloned().collect();
    assert_eq!(
        flat, distinct,
        "the plan is not every distinct number once, in order"
    );
    for chunk in &plan {
        assert!(chunk.len() <= MAX_CHUNK);
        assert!(
            chunk.len() >= 2 || distinct.len() == 1,
            "a lone chunk of 1: {plan:?}"
        );
    }
}
