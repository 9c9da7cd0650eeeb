//! The native codec (serde_json) and the lenient readers the wire types use: correct on valid
//! documents, a `DecodeError` (never a panic) on anything else, duplicated keys read the way
//! `JSON.parse` reads them.
use proximus_api::internals::codec::lenient::{self, List, Object, Scalar, Shape};
use proximus_api::internals::codec::{DecodeError, JsonCodec};
use serde::{Deserialize, Serialize};

use crate::support::SerdeJson;

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
struct Answer {
    #[serde(deserialize_with = "lenient::string")]
    msisdn: Option<String>,
    is_error: Scalar,
    #[serde(deserialize_with = "lenient::number")]
    n: Option<f64>,
    a: List<Object<Inner>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Inner {
    b: Scalar,
}

#[test]
fn parses_the_documented_shapes() {
    let answer: Answer = SerdeJson::decode(
        r#" {"msisdn":"32477121212","isError":false,"status":"PRIVATE","n":-1.5e2,"a":[1,{"b":null}]} "#,
    )
    .unwrap();
    assert_eq!(answer.msisdn.as_deref(), Some("32477121212"));
    assert_eq!(answer.is_error.bool(), Some(false));
    assert_eq!(answer.n, Some(-150.0));
    let items = answer.a.array().unwrap();
    assert!(matches!(items[0], Shape::Scalar(Scalar::Number(_))));
    assert_eq!(items[1].object().unwrap().b, Scalar::Null);
    assert!(!Answer::default().is_error.is_present());
}

#[test]
fn decodes_escapes_and_unicode() {
    let text: String = SerdeJson::decode(r#""a\"b\\c\/d\n\u00e9\ud83d\ude00""#).unwrap();
    assert_eq!(text, "a\"b\\c/d\né😀");
    let text: String = SerdeJson::decode("\"Brussel·Bruxelles\"").unwrap();
    assert_eq!(text, "Brussel·Bruxelles");
}

#[test]
fn numeric_strings_are_accepted_as_numbers() {
    #[derive(Deserialize)]
    #[allow(dead_code)]
    struct Token {
        #[serde(default, deserialize_with = "lenient::number")]
        expires_in: Option<f64>,
        #[serde(default, deserialize_with = "lenient::number")]
        bad: Option<f64>,
    }
    let token: Token = SerdeJson::decode(r#"{"expires_in":"3600","bad":"x"}"#).unwrap();
    assert_eq!(token.expires_in, Some(3600.0));
    assert_eq!(token.bad, None);
}

#[test]
fn whole_numbers_read_as_text_but_not_fractions() {
    let id: Scalar = SerdeJson::decode("12345").unwrap();
    assert_eq!(id.text().as_deref(), Some("12345"));
    let id: Scalar = SerdeJson::decode("1.5").unwrap();
    assert_eq!(id.text(), None);
    let id: Scalar = SerdeJson::decode("9007199254740993").unwrap();
    assert_eq!(id.text(), None, "beyond 2^53 a number is not an exact id");
}

#[test]
fn taking_a_scalars_text_reads_as_copying_it() {
    for scalar in [
        Scalar::Text("bk_1".into()),
        Scalar::Text(String::new()),
        Scalar::Number(12345.0),
        Scalar::Number(1.5),
        Scalar::Number(9_007_199_254_740_993.0),
        Scalar::Bool(true),
        Scalar::Null,
        Scalar::Absent,
        Scalar::Nested,
    ] {
        assert_eq!(scalar.clone().into_text(), scalar.text(), "{scalar:?}");
    }
}

#[test]
fn a_duplicated_key_keeps_its_last_value_as_json_parse_does() {
    let answer: Answer = SerdeJson::decode(r#"{"msisdn":"1","msisdn":"2","n":1,"n":"7"}"#).unwrap();
    assert_eq!(answer.msisdn.as_deref(), Some("2"));
    assert_eq!(answer.n, Some(7.0));
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
        assert_eq!(
            SerdeJson::decode::<Scalar>(text),
            Err(DecodeError::NotJson),
            "{text:.40}"
        );
    }
}

#[test]
fn a_shape_that_does_not_fit_is_told_apart_from_junk() {
    assert!(matches!(
        SerdeJson::decode::<String>("42"),
        Err(DecodeError::Shape(_))
    ));
    // The lenient shapes never refuse a valid document: the API modules say what they expected.
    assert_eq!(
        SerdeJson::decode::<Object<Inner>>("[1]").map(|o| o.object().is_some()),
        Ok(false)
    );
}

#[test]
fn writes_compact_escaped_json() {
    #[derive(Serialize)]
    struct Body<'a> {
        msisdn: &'a [&'a str],
        status: &'a str,
        note: &'a str,
    }
    let text = SerdeJson::encode(&Body {
        msisdn: &["32471121212"],
        status: "PRIVATE",
        note: "quote \" backslash \\ newline \n tab \t bell \u{7}",
    });
    assert_eq!(
        text,
        r#"{"msisdn":["32471121212"],"status":"PRIVATE","note":"quote \" backslash \\ newline \n tab \t bell \u0007"}"#
    );
}
