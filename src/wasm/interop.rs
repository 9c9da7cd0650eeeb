//! Every conversion between JavaScript values and Rust ones, in one place and one convention:
//! - arguments come in as plain data (`api.js` copies them first, so no getter or Proxy trap
//!   runs here) and serde-wasm-bindgen reads them into the argument types, strictly;
//! - results go out through serde-wasm-bindgen as plain objects, their instants as `Date`s;
//! - bodies on the wire are read and written with the runtime's `JSON.parse`/`JSON.stringify`.

use js_sys::{Array, Object, Reflect, JSON};
use serde::de::{self, DeserializeOwned, Visitor};
use serde::{Deserialize, Deserializer, Serialize};
use serde_wasm_bindgen::Serializer;
use wasm_bindgen::prelude::*;

use crate::core::codec::lenient::Scalar;
use crate::core::codec::time::parse_iso;
use crate::core::codec::{DecodeError, JsonCodec};
use crate::core::errors::quote::quoted;
use crate::core::errors::{ProximusError, Result};

/// Results: `None` as `null` (pages' unknown totals, a signed URL without context).
const RESULTS: Serializer = Serializer::new().serialize_missing_as_null(true);

/// A result as a plain JavaScript object.
pub fn to_js<T: Serialize + ?Sized>(value: &T) -> Result<JsValue> {
    // Numbers are clamped to 2^53 in the core: the one thing this serializer refuses.
    value
        .serialize(&RESULTS)
        .map_err(|e| ProximusError::bad_response(format!("a result could not be converted: {e}")))
}

/// A result whose instant `key` (epoch ms in the core's types) becomes a `Date`.
pub fn to_js_dated<T: Serialize + ?Sized>(value: &T, key: &str) -> Result<JsValue> {
    let object = to_js(value)?;
    date_member(&object, &JsValue::from_str(key));
    Ok(object)
}

/// A list of results (a page's `items`, or the list itself) whose instants `key` become `Date`s.
pub fn date_items(list: &JsValue, key: &str) {
    // The key crosses once per list, not once per item.
    let key = JsValue::from_str(key);
    for item in Array::from(list).iter() {
        date_member(&item, &key);
    }
}

fn date_member(object: &JsValue, key: &JsValue) {
    if let Some(ms) = Reflect::get(object, key).ok().and_then(|v| v.as_f64()) {
        let _ = Reflect::set(object, key, &date(ms));
    }
}

/// The runtime's codec: `JSON.parse`, then serde-wasm-bindgen into the wire type; the body
/// out through serde-wasm-bindgen and `JSON.stringify`. No JSON or float parser in the wasm.
pub struct JsJson;

impl JsonCodec for JsJson {
    fn decode<T: DeserializeOwned>(text: &str) -> std::result::Result<T, DecodeError> {
        let value = JSON::parse(text).map_err(|_| DecodeError::NotJson)?;
        serde_wasm_bindgen::from_value(value).map_err(|e| DecodeError::Shape(e.to_string()))
    }

    fn decode_object<T: DeserializeOwned>(text: &str) -> std::result::Result<T, DecodeError> {
        let value = JSON::parse(text).map_err(|_| DecodeError::NotJson)?;
        object(value).ok_or_else(|| DecodeError::Shape("not a JSON object".into()))
    }

    fn encode<T: Serialize>(value: &T) -> String {
        to_js(value)
            .ok()
            .and_then(|v| JSON::stringify(&v).ok())
            .and_then(|s| s.as_string())
            .unwrap_or_default()
    }
}

/// `value`, a plain object (from `JSON.parse`, or copied by api.js), read as a `T`; `None` when
/// it is no object or not of that shape. Objects are read by serde-wasm-bindgen's struct access:
/// only the declared fields, each looked up by name.
pub fn object<T: DeserializeOwned>(value: JsValue) -> Option<T> {
    if !value.is_object() || Array::is_array(&value) {
        return None;
    }
    serde_wasm_bindgen::from_value(value).ok()
}

/// Reads options object `name` (`undefined` and `null` count as `{}`) as a `T`. Every key must
/// be one of its fields: serde-wasm-bindgen reads only the declared fields, so
/// `deny_unknown_fields` never sees a misspelled one (its issue #39); the keys are checked here
/// against the names serde derived. The fields are [`Arg`]s, which never fail: the caller names
/// each one as it takes it.
pub fn options<T: DeserializeOwned>(value: JsValue, name: &str) -> Result<T> {
    options_besides(value, name, &[])
}

/// [`options`] whose unknown-key message also names `also`, options taken out before (the
/// call's own options, which api.js splits off a method's options object).
pub fn options_besides<T: DeserializeOwned>(
    value: JsValue,
    name: &str,
    also: &[&str],
) -> Result<T> {
    if value.is_undefined() || value.is_null() {
        return decoded(Object::new().into(), name);
    }
    if !value.is_object() || Array::is_array(&value) {
        return Err(ProximusError::invalid(format!("{name} must be an object")));
    }
    let keys = object_keys(&value)
        .map_err(|_| ProximusError::invalid(format!("{name} could not be read")))?;
    let fields = fields_of::<T>().unwrap_or(&[]);
    if let Some(unknown) = keys
        .iter()
        .filter_map(|k| k.as_string())
        .find(|k| !fields.contains(&k.as_str()))
    {
        return Err(ProximusError::invalid(format!(
            "unknown option {}; known options: {}",
            quoted(&unknown, 40),
            fields
                .iter()
                .chain(also)
                .copied()
                .collect::<Vec<_>>()
                .join(", ")
        )));
    }
    decoded(value, name)
}

fn decoded<T: DeserializeOwned>(value: JsValue, name: &str) -> Result<T> {
    serde_wasm_bindgen::from_value(value)
        .map_err(|_| ProximusError::invalid(format!("{name} could not be read")))
}

/// A string argument.
pub fn text(value: &JsValue, name: &str) -> Result<String> {
    value
        .as_string()
        .ok_or_else(|| ProximusError::invalid(format!("{name} must be a string")))
}

/// An array of strings (`numbers[3] must be a string`).
pub fn texts(value: JsValue, name: &str) -> Result<Vec<String>> {
    let items: Vec<Scalar> = Array::is_array(&value)
        .then(|| serde_wasm_bindgen::from_value(value).ok())
        .flatten()
        .ok_or_else(|| ProximusError::invalid(format!("{name} must be an array of strings")))?;
    items
        .into_iter()
        .enumerate()
        .map(|(i, item)| match item {
            Scalar::Text(text) => Ok(text),
            _ => Err(ProximusError::invalid(format!(
                "{name}[{i}] must be a string"
            ))),
        })
        .collect()
}

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = Object, js_name = keys, catch)]
    fn object_keys(value: &JsValue) -> std::result::Result<Array, JsValue>;
}

/// The field names serde derived for `T`, when `T` is a struct: what its `Deserialize` hands to
/// `deserialize_struct` (aliases included). serde has no public list; serde-aux's
/// `serde_introspect` asks the same way, but brings serde_json along.
pub fn fields_of<T: DeserializeOwned>() -> Option<&'static [&'static str]> {
    struct Probe;
    #[derive(Debug)]
    struct Found(Option<&'static [&'static str]>);
    impl std::fmt::Display for Found {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("probed")
        }
    }
    impl std::error::Error for Found {}
    impl de::Error for Found {
        fn custom<M: std::fmt::Display>(_: M) -> Self {
            Found(None)
        }
    }
    impl<'de> Deserializer<'de> for Probe {
        type Error = Found;
        fn deserialize_any<V: Visitor<'de>>(self, _: V) -> std::result::Result<V::Value, Found> {
            Err(Found(None))
        }
        fn deserialize_struct<V: Visitor<'de>>(
            self,
            _: &'static str,
            fields: &'static [&'static str],
            _: V,
        ) -> std::result::Result<V::Value, Found> {
            Err(Found(Some(fields)))
        }
        serde::forward_to_deserialize_any! {
            bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
            option unit unit_struct newtype_struct seq tuple tuple_struct map enum identifier
            ignored_any
        }
    }
    match T::deserialize(Probe) {
        Err(Found(fields)) => fields,
        Ok(_) => None,
    }
}

/// A member of an options object as given: absent (missing, `undefined` or `null`), of the type
/// asked for, or of another. Reading one never fails; taking it names it: `timeoutMs must be a
/// number`.
#[derive(Clone, Debug, Default)]
pub enum Arg<T> {
    /// Not given.
    #[default]
    Absent,
    /// Given, of the right type.
    Given(T),
    /// Given, but not what was asked for (`a string`, `a number`…).
    Wrong(&'static str),
}

impl<T> Arg<T> {
    /// The value if given; `invalid_argument` naming `name` when of the wrong type.
    pub fn get(self, name: &str) -> Result<Option<T>> {
        match self {
            Arg::Absent => Ok(None),
            Arg::Given(value) => Ok(Some(value)),
            Arg::Wrong(expected) => {
                Err(ProximusError::invalid(format!("{name} must be {expected}")))
            }
        }
    }

    /// The value; `invalid_argument` naming `name` when missing or of the wrong type.
    pub fn required(self, name: &str) -> Result<T> {
        self.get(name)?
            .ok_or_else(|| ProximusError::invalid(format!("{name} is required")))
    }

    /// Whether something was given (of any type).
    pub fn is_given(&self) -> bool {
        !matches!(self, Arg::Absent)
    }
}

/// What an [`Arg`] may hold, read from a scalar.
pub trait Kind: Sized {
    /// `a string`, `a number`…
    const EXPECTED: &'static str;
    /// The value, if the scalar is one.
    fn read(scalar: Scalar) -> Option<Self>;
}

impl Kind for String {
    const EXPECTED: &'static str = "a string";
    fn read(scalar: Scalar) -> Option<String> {
        match scalar {
            Scalar::Text(text) => Some(text),
            _ => None,
        }
    }
}

impl Kind for f64 {
    const EXPECTED: &'static str = "a number";
    fn read(scalar: Scalar) -> Option<f64> {
        match scalar {
            Scalar::Number(n) => Some(n),
            _ => None,
        }
    }
}

impl Kind for bool {
    const EXPECTED: &'static str = "a boolean";
    fn read(scalar: Scalar) -> Option<bool> {
        scalar.bool()
    }
}

/// An instant in epoch ms: a `Date` (which api.js hands over as epoch ms), epoch milliseconds
/// or an ISO-8601 string.
#[derive(Clone, Copy, Debug)]
pub struct Instant(pub i64);

impl Kind for Instant {
    const EXPECTED: &'static str = "a Date, epoch milliseconds or an ISO string";
    fn read(scalar: Scalar) -> Option<Instant> {
        match scalar {
            Scalar::Number(n) if n.is_finite() && n >= 0.0 => Some(Instant(n as i64)),
            Scalar::Text(text) => parse_iso(&text).map(Instant),
            _ => None,
        }
    }
}

impl<'de, T: Kind> Deserialize<'de> for Arg<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        Ok(match Scalar::deserialize(d)? {
            Scalar::Absent | Scalar::Null => Arg::Absent,
            given => T::read(given).map_or(Arg::Wrong(T::EXPECTED), Arg::Given),
        })
    }
}

/// A JavaScript value kept as it is: a function (checked by `typeof`, since `instanceof` would
/// run a Proxy's traps) or a store object, read later with care.
#[derive(Clone, Debug)]
pub struct Kept(pub JsValue);

impl<'de> Deserialize<'de> for Arg<Kept> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let value: JsValue = serde_wasm_bindgen::preserve::deserialize(d)?;
        Ok(if value.is_undefined() || value.is_null() {
            Arg::Absent
        } else {
            Arg::Given(Kept(value))
        })
    }
}

impl<'de> Deserialize<'de> for Arg<js_sys::Function> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        Ok(match Arg::<Kept>::deserialize(d)? {
            Arg::Given(Kept(value)) if value.is_function() => Arg::Given(value.unchecked_into()),
            Arg::Given(_) => Arg::Wrong("a function"),
            _ => Arg::Absent,
        })
    }
}

/// A `Date` for epoch ms.
pub fn date(ms: f64) -> JsValue {
    js_sys::Date::new(&JsValue::from_f64(ms)).into()
}
