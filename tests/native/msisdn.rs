//! Phone numbers: normalization (the ways people write them, and what is refused and why),
//! the Belgian-mobile check, formatting and masking.

use proximus_api::internals::msisdn::{format, mask, normalize, require_belgian_mobile};
use proximus_api::ErrorCode;

/// Inputs that normalize, and to what.
const VALID: &[(&str, &str)] = &[
    ("+32 477 12 12 12", "32477121212"),
    ("0477/12.12.12", "32477121212"),
    ("0477 12 12 12", "32477121212"),
    ("0032477121212", "32477121212"),
    ("32477121212", "32477121212"),
    ("(0477) 12-12-12", "32477121212"),
    ("+32477121212", "32477121212"),
    ("  0477121212  ", "32477121212"),
    ("0477\u{a0}12\u{a0}12\u{a0}12", "32477121212"), // NBSP
    ("0477\u{202f}12\u{2009}12\u{2007}12", "32477121212"), // narrow, thin, figure spaces
    ("\u{feff}+32\u{200b}477121212", "32477121212"), // BOM, zero-width space
    ("\u{200e}+32 477 12 12 12\u{200f}", "32477121212"), // direction marks
    ("0477\u{2013}12\u{2013}12\u{2013}12", "32477121212"), // en dashes
    ("+32 (0)477 12 12 12", "32477121212"),
    ("+32 0477 12 12 12", "32477121212"),
    ("0032 (0) 477 12 12 12", "32477121212"),
    ("(+32) 477 12 12 12", "32477121212"),
    ("+ 32 477 12 12 12", "32477121212"),
    ("02 123 45 67", "3221234567"),
    ("+32 2 123 45 67", "3221234567"),
    ("010/12.34.56", "3210123456"),
    ("0800 12 345", "3280012345"),
    ("+33 6 12 34 56 78", "33612345678"),
    ("0033612345678", "33612345678"),
    ("+1 (202) 555-0123", "12025550123"),
    ("+31 6 12345678", "31612345678"),
    ("+352 621 123 456", "352621123456"),
    ("+49 30 1234567", "49301234567"),
    ("+123456789012345", "123456789012345"),
    ("0471\t12 12 12", "32471121212"),
];

/// Inputs that are refused, and a word the reason must contain.
const INVALID: &[(&str, &str)] = &[
    ("", "empty"),
    ("   \u{a0} ", "empty"),
    ("abc", "letters"),
    ("0477 12 12 1X", "letters"),
    ("tel:+32477121212", "letters"),
    ("0477 12 12 12 ext 5", "letters"),
    ("٠٤٧٧١٢١٢١٢", "non-ASCII digit"),
    ("０４７７１２１２１２", "non-ASCII digit"),
    ("0477 ١٢ ١٢ ١٢", "non-ASCII digit"),
    ("+32 477 12+12 12", "'+'"),
    ("32+477121212", "'+'"),
    ("++32477121212", "'+'"),
    ("+0477121212", "country code"),
    ("000477121212", "country code"),
    ("+32 1234", "at least 8"),
    ("1234567", "at least 8"),
    ("+1234567890123456", "at most 15"),
    ("00123456789012345678", "at most 15"),
    ("0477 12 12", "9 or 10 digits"),
    ("04771212121", "9 or 10 digits"),
    ("+32 4771 2121 21", "8 or 9 digits"),
    ("+32 477", "at least 8"),
    ("0477_12_12_12", "'_'"),
    ("0477*121212", "'*'"),
    ("0477\u{0}121212", "control character"),
    ("0477\n121212", "control character"),
    ("- . / ( )", "no digits"),
    ("+", "no digits"),
];

#[test]
fn normalizes_every_usual_way_of_writing_a_number() {
    for (input, expected) in VALID {
        match normalize(input) {
            Ok(got) => assert_eq!(&got, expected, "normalize({input:?})"),
            Err(e) => panic!("normalize({input:?}) failed: {e}"),
        }
    }
}

#[test]
fn refuses_what_is_not_a_number_and_says_why() {
    for (input, why) in INVALID {
        let error = normalize(input).expect_err(input);
        assert_eq!(error.code(), ErrorCode::InvalidArgument, "{input:?}");
        assert!(
            error.message().contains(why),
            "normalize({input:?}): {:?} should say {why:?}",
            error.message()
        );
    }
    assert!(VALID.len() + INVALID.len() >= 50);
}

#[test]
fn refusal_names_the_input_without_echoing_a_huge_string() {
    let error = normalize("abc").unwrap_err();
    assert!(error.message().contains("\"abc\""), "{}", error.message());
    let long = "1".repeat(10_000);
    let error = normalize(&long).unwrap_err();
    assert!(
        error.message().contains("longer than 64"),
        "{}",
        error.message()
    );
    assert!(error.message().chars().count() < 200);
}

#[test]
fn never_panics_on_odd_input() {
    let odd = [
        "\u{10FFFF}",
        "𝟘𝟙𝟚",
        "+\u{301}32",
        "(((",
        "((0))",
        "(0)",
        "32(0)",
        "00",
        "0",
        "+0",
        "٫",
        "½",
        "\u{2028}0477121212",
        "0477121212\u{0}",
        "🙂0477121212",
        "0x477121212",
        "-0477121212",
    ];
    for input in odd {
        let _ = normalize(input);
        let _ = format(input);
        let _ = mask(input);
        let _ = require_belgian_mobile(input);
    }
}

#[test]
fn belgian_mobiles_are_324_and_eight_digits() {
    assert!(require_belgian_mobile("32477121212").is_ok());
    assert!(require_belgian_mobile("32499000000").is_ok());
    for not_mobile in [
        "3221234567",
        "33612345678",
        "3247712121",
        "324771212123",
        "3247712121a",
        "",
        "32477 121212",
    ] {
        let error = require_belgian_mobile(not_mobile).expect_err(not_mobile);
        assert_eq!(error.code(), ErrorCode::InvalidArgument);
        assert!(
            error.message().contains("not a Belgian mobile"),
            "{}",
            error.message()
        );
    }
    // The message shows the number masked (messages end up in logs) when it is one.
    let error = require_belgian_mobile("3221234567").unwrap_err();
    assert!(
        error.message().starts_with("+32 2 ••• •• 67 is not"),
        "{}",
        error.message()
    );
}

#[test]
fn formats_numbers_for_humans() {
    let cases = [
        ("32477121212", "+32 477 12 12 12"),
        ("0477/12.12.12", "+32 477 12 12 12"),
        ("3221234567", "+32 2 123 45 67"),
        ("3231234567", "+32 3 123 45 67"),
        ("3291234567", "+32 9 123 45 67"),
        ("3210123456", "+32 10 12 34 56"),
        ("3280012345", "+32 800 12 345"),
        ("33612345678", "+33 612 345 678"),
        ("12025550123", "+1 202 555 0123"),
        ("79161234567", "+7 916 123 4567"),
        ("352621123456", "+352 621 123 456"),
        ("49301234567", "+49 301 234 567"),
        ("4930123456", "+49 301 234 56"),
        ("971501234567", "+971 501 234 567"),
    ];
    for (input, expected) in cases {
        assert_eq!(format(input).unwrap(), expected, "format({input:?})");
    }
    assert_eq!(
        format("abc").unwrap_err().code(),
        ErrorCode::InvalidArgument
    );
}

#[test]
fn masks_all_but_country_prefix_and_last_two_digits() {
    let cases = [
        ("32477121212", "+32 477 •• •• 12"),
        ("+32 477 98 76 54", "+32 477 •• •• 54"),
        ("3221234567", "+32 2 ••• •• 67"),
        ("33612345678", "+33 612 ••• •78"),
        ("12025550123", "+1 202 ••• ••23"),
    ];
    for (input, expected) in cases {
        assert_eq!(mask(input).unwrap(), expected, "mask({input:?})");
    }
    assert_eq!(mask("").unwrap_err().code(), ErrorCode::InvalidArgument);
}

/// Found by fuzzing: `+32 0 0477…` (the trunk 0 twice) normalized to a number that
/// `normalize` itself refuses.
#[test]
fn the_trunk_zero_after_32_is_accepted_once_only() {
    assert_eq!(normalize("+32 0477 12 12 12").unwrap(), "32477121212");
    for twice in [
        "+32 0 0477/-1477/",
        "+32 0 0477 1477",
        "0032 00 477 12 12 12",
    ] {
        assert_eq!(
            normalize(twice).unwrap_err().code(),
            ErrorCode::InvalidArgument,
            "{twice}"
        );
    }
}
