//! The JSON reader: correct on valid documents, `None` (never a panic) on anything else.
use proximus_api::core::json::Json;

#[test]
fn parses_the_documented_shapes() {
    let json = Json::parse(r#" {"msisdn":"32477121212","isError":false,"status":"PRIVATE","n":-1.5e2,"a":[1,{"b":null}]} "#).unwrap();
    assert_eq!(json.str_field("msisdn"), Some("32477121212"));
    assert_eq!(json.bool_field("isError"), Some(false));
    assert_eq!(json.num_field("n"), Some(-150.0));
    assert_eq!(
        json.get("a").unwrap().as_array().unwrap()[1].get("b"),
        Some(&Json::Null)
    );
    assert_eq!(json.get("missing"), None);
}

#[test]
fn decodes_escapes_and_unicode() {
    let json = Json::parse(r#""a\"b\\c\/d\n\u00e9\ud83d\ude00""#).unwrap();
    assert_eq!(json.as_str(), Some("a\"b\\c/d\né😀"));
    assert_eq!(
        Json::parse("\"Brussel·Bruxelles\"").unwrap().as_str(),
        Some("Brussel·Bruxelles")
    );
}

#[test]
fn numeric_strings_are_accepted_as_numbers() {
    let json = Json::parse(r#"{"expires_in":"3600","bad":"x"}"#).unwrap();
    assert_eq!(json.num_field("expires_in"), Some(3600.0));
    assert_eq!(json.num_field("bad"), None);
}

#[test]
fn rejects_invalid_documents() {
    let deep = "[".repeat(100_000);
    for text in [
        "",
        " ",
        "{",
        "}",
        "[1,]",
        "{\"a\":1,}",
        "{\"a\" 1}",
        "{a:1}",
        "'x'",
        "01",
        "1.",
        ".5",
        "-",
        "1e",
        "tru",
        "nul",
        "\"unterminated",
        "\"bad \\x escape\"",
        "\"\\ud800\"",
        "\"\\udc00x\"",
        "\"\\u12\"",
        "\"raw\ncontrol\"",
        "[1] [2]",
        "NaN",
        "Infinity",
        "{\"msisdn\": \"3247",
        &deep,
    ] {
        assert_eq!(Json::parse(text), None, "{text:.40}");
    }
}

#[test]
fn writes_compact_escaped_json() {
    let json = Json::object([
        ("msisdn", Json::Array(vec![Json::str("32471121212")])),
        ("status", Json::str("PRIVATE")),
        (
            "note",
            Json::str("quote \" backslash \\ newline \n tab \t bell \u{7}"),
        ),
        ("n", Json::Number(42.0)),
        ("nan", Json::Number(f64::NAN)),
    ]);
    let text = json.to_json();
    assert_eq!(
        text,
        r#"{"msisdn":["32471121212"],"status":"PRIVATE","note":"quote \" backslash \\ newline \n tab \t bell \u0007","n":42,"nan":null}"#
    );
    assert_eq!(
        Json::parse(&text).unwrap().str_field("note"),
        json.str_field("note")
    );
}

#[test]
fn numbers_are_written_without_float_formatting() {
    let cases = [
        (42.0, "42"),
        (-7.0, "-7"),
        (1.5, "1.5"),
        (-0.25, "-0.25"),
        (3600.125, "3600.125"),
        (1e-12, "0"),
        (f64::INFINITY, "null"),
    ];
    for (n, text) in cases {
        assert_eq!(Json::Number(n).to_json(), text, "{n}");
    }
    assert_eq!(
        Json::parse(r#"{"requestId":12345}"#)
            .unwrap()
            .text_field("requestId")
            .as_deref(),
        Some("12345")
    );
    assert_eq!(
        Json::parse(r#"{"requestId":1.5}"#)
            .unwrap()
            .text_field("requestId"),
        None
    );
}

#[test]
fn numbers_are_written_exactly_at_any_size() {
    for (n, text) in [
        (1e20, "100000000000000000000"),
        (-1e30, "-1000000000000000019884624838656"),
        (9_007_199_254_740_992.0, "9007199254740992"),
        (0.5, "0.5"),
        (-0.25, "-0.25"),
        (1.999_999_999_9, "2"),
        (-0.0, "0"),
        (1e300, "1000000000000000052504760255204420248704468581108159154915854115511802457988908195786371375080447864043704443832883878176942523235360430575644792184786706982848387200926575803737830233794788090059368953234970799945081119038967640880074652742780142494579258788820056842838115669472196386865459400540160"),
    ] {
        let written = Json::Number(n).to_json();
        assert_eq!(written, text, "{n}");
        let back = Json::parse(&written).and_then(|j| j.as_f64()).unwrap();
        assert!((back - n).abs() <= n.abs() * 1e-15 + 1e-9, "{n}: {back}");
    }
}

#[test]
fn strings_are_written_with_the_escapes_json_needs() {
    let text = Json::str("plain \"quoted\" back\\slash\nline\ttab\r\u{1}\u{1f} é 😀").to_json();
    assert_eq!(
        text,
        "\"plain \\\"quoted\\\" back\\\\slash\\nline\\ttab\\r\\u0001\\u001f é 😀\""
    );
    assert_eq!(
        Json::parse(&text).unwrap().as_str(),
        Some("plain \"quoted\" back\\slash\nline\ttab\r\u{1}\u{1f} é 😀")
    );
}
