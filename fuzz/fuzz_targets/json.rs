//! The native codec (`SerdeJson`: serde_json) reading any text as the wire types the client
//! reads: token, error, FMU and booking answers, call records, pages and callback bodies, and
//! the lenient readers they are made of.
//!
//! Properties, for each wire type: decoding never panics; text that is no JSON is `NotJson`
//! (with trailing garbage or a trailing comma too), JSON never is; a differential check:
//! `SerdeJson` (text → `Value` → type, a repeated key keeps its last value as with `JSON.parse`)
//! gives what the type read from a `Value` parsed here gives, and, for documents without a
//! repeated key, what serde_json gives reading the type straight from the text; a key repeated
//! before an object's members changes nothing (the last value wins); `decode_object`
//! is `decode` for objects and a `Shape` error for anything else; whatever decodes reads the same
//! again from `serde_json::to_string` of its `Value` (a fixed point); surrounding whitespace
//! changes nothing; a type made of lenient fields only reads every JSON object.
#![no_main]

use std::collections::HashSet;
use std::fmt::{self, Debug};

use libfuzzer_sys::fuzz_target;
use proximus_api::internals::codec::lenient::{List, Scalar};
use proximus_api::internals::codec::{DecodeError, JsonCodec, SerdeJson};
use proximus_api::internals::errors::answers::ErrorBody;
use proximus_api::internals::fmu::callbacks::FmuCallbackBody;
use proximus_api::internals::fmu::single::FmuAnswer;
use proximus_api::internals::rented_numbers::bookings::BookingWire;
use proximus_api::internals::rented_numbers::call_events::CallEventWire;
use proximus_api::internals::rented_numbers::cdrs::CallRecordWire;
use proximus_api::internals::rented_numbers::paging::PageObject;
use proximus_api::internals::tokens::TokenAnswer;
use serde::de::{DeserializeOwned, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer};
use serde_json::Value;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let value = serde_json::from_str::<Value>(text).ok();
    let doc = Doc {
        text,
        unique: value.is_some() && serde_json::from_str::<Unique>(text).is_ok_and(|u| u.0),
        shadowed: value.as_ref().and_then(|v| shadowed(text, v)),
        value,
    };

    if doc.value.is_some() {
        for junk in [" x", ","] {
            assert_eq!(
                SerdeJson::decode::<Scalar>(&format!("{text}{junk}")),
                Err(DecodeError::NotJson),
                "trailing {junk:?} accepted"
            );
        }
    }

    // Lenient: every field is a `Scalar` or read by a `lenient::` reader.
    doc.check::<TokenAnswer>(true);
    doc.check::<FmuAnswer>(true);
    doc.check::<BookingWire>(true);
    doc.check::<CallRecordWire>(true);
    doc.check::<CallEventWire>(true);
    doc.check::<Scalar>(false);
    // Not lenient: `fault`, `results` and `content` must have their shape.
    doc.check::<ErrorBody>(false);
    doc.check::<FmuCallbackBody>(false);
    doc.check::<PageObject<BookingWire>>(false);
    doc.check::<PageObject<CallRecordWire>>(false);
    doc.check::<Vec<BookingWire>>(false);
    doc.check::<Vec<CallRecordWire>>(false);
    doc.check::<List<Scalar>>(false);
});

/// An input, and what serde_json made of it.
struct Doc<'a> {
    text: &'a str,
    /// The document, if it is JSON.
    value: Option<Value>,
    /// It is JSON, and no object in it repeats a key.
    unique: bool,
    /// For a non-empty object: the same object with each key said once before, as `[0,{}]`.
    shadowed: Option<String>,
}

/// `text`, an object, with every top-level key repeated before its own members.
fn shadowed(text: &str, value: &Value) -> Option<String> {
    let members = value.as_object().filter(|m| !m.is_empty())?;
    let keys: String = members
        .keys()
        .map(|k| format!("{}:[0,{{}}],", Value::from(k.as_str())))
        .collect();
    // JSON's whitespace; what follows it is the object's `{`.
    let object = text.trim_start_matches([' ', '\t', '\r', '\n']);
    Some(format!("{{{keys}{}", &object[1..]))
}

/// A decoding compared by its `Debug` text (the wire types have no `PartialEq`).
type Outcome = Result<String, DecodeError>;

fn outcome<T: Debug>(result: Result<T, DecodeError>) -> Outcome {
    result.map(|t| format!("{t:?}"))
}

impl Doc<'_> {
    fn check<T: DeserializeOwned + Debug>(&self, lenient: bool) {
        let name = std::any::type_name::<T>();
        let text = self.text;
        let decoded = outcome(SerdeJson::decode::<T>(text));
        let object = outcome(SerdeJson::decode_object::<T>(text));

        let Some(value) = &self.value else {
            assert_eq!(decoded, Err(DecodeError::NotJson), "{name}");
            assert_eq!(object, Err(DecodeError::NotJson), "{name}");
            return;
        };

        // Differential: the same value tree, built here.
        let own =
            outcome(T::deserialize(value.clone()).map_err(|e| DecodeError::Shape(e.to_string())));
        assert_eq!(decoded, own, "{name}: SerdeJson differs from Value → T");
        if self.unique {
            let straight = serde_json::from_str::<T>(text)
                .map(|t| format!("{t:?}"))
                .map_err(|_| ());
            assert_eq!(
                decoded.clone().map_err(|_| ()),
                straight,
                "{name}: SerdeJson differs from serde_json::from_str::<T>"
            );
        }

        if value.is_object() {
            assert_eq!(object, decoded, "{name}: decode_object differs from decode");
            if lenient {
                assert!(
                    object.is_ok(),
                    "{name}: a lenient type refused an object: {object:?}"
                );
            }
        } else {
            assert!(
                matches!(object, Err(DecodeError::Shape(_))),
                "{name}: {object:?}"
            );
        }

        if decoded.is_ok() {
            let written = serde_json::to_string(value).expect("a Value is written");
            assert_eq!(
                outcome(SerdeJson::decode::<T>(&written)),
                decoded,
                "{name}: not a fixed point: {written:?}"
            );
        }

        if let Some(shadowed) = &self.shadowed {
            assert_eq!(
                outcome(SerdeJson::decode::<T>(shadowed)),
                decoded,
                "{name}: a repeated key does not keep its last value: {shadowed:?}"
            );
        }

        let padded = format!(" \t\r\n{text}\n ");
        assert_eq!(outcome(SerdeJson::decode::<T>(&padded)), decoded, "{name}");
        assert_eq!(
            outcome(SerdeJson::decode_object::<T>(&padded)),
            object,
            "{name}"
        );
    }
}

/// Whether a JSON document has no object that repeats a key, at any depth.
struct Unique(bool);

impl<'de> Deserialize<'de> for Unique {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(UniqueVisitor)
    }
}

struct UniqueVisitor;

impl<'de> Visitor<'de> for UniqueVisitor {
    type Value = Unique;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_bool<E>(self, _: bool) -> Result<Unique, E> {
        Ok(Unique(true))
    }
    fn visit_i64<E>(self, _: i64) -> Result<Unique, E> {
        Ok(Unique(true))
    }
    fn visit_u64<E>(self, _: u64) -> Result<Unique, E> {
        Ok(Unique(true))
    }
    fn visit_f64<E>(self, _: f64) -> Result<Unique, E> {
        Ok(Unique(true))
    }
    fn visit_str<E>(self, _: &str) -> Result<Unique, E> {
        Ok(Unique(true))
    }
    fn visit_unit<E>(self) -> Result<Unique, E> {
        Ok(Unique(true))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Unique, A::Error> {
        let mut unique = true;
        while let Some(Unique(u)) = seq.next_element()? {
            unique &= u;
        }
        Ok(Unique(unique))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Unique, A::Error> {
        let (mut unique, mut keys) = (true, HashSet::new());
        while let Some(key) = map.next_key::<String>()? {
            unique &= keys.insert(key);
            unique &= map.next_value::<Unique>()?.0;
        }
        Ok(Unique(unique))
    }
}
