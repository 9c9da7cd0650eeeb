//! Tolerance, declared on the wire types. Servers differ on whether an id is `"7"` or `7`, a
//! count `3600` or `"3600"`, a time an ISO string or epoch milliseconds; and a wrong type in a
//! field the client can do without must not lose the whole answer. So the wire types read their
//! fields with the readers here (`#[serde(default, deserialize_with = "lenient::text")]`, or a
//! field of type [`Scalar`] or [`Shape`]): none of them fails, what does not fit is absent, and
//! the API modules decide what a missing field means.
//!
//! Values are read from a value tree (the result of `JSON.parse`, or serde_json's `Value`), never
//! from a stream, so giving up on a value leaves nothing half-read.

use std::fmt;
use std::marker::PhantomData;

use serde::de::value::{MapAccessDeserializer, SeqAccessDeserializer};
use serde::de::{IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer};

/// Largest whole number a JSON number (an f64) holds exactly: 2^53 − 1.
pub const MAX_EXACT: f64 = 9_007_199_254_740_991.0;

/// One JSON value as a server sent it, by kind; arrays and objects are skipped.
#[derive(Clone, Debug, Default, PartialEq)]
pub enum Scalar {
    /// The member was not there (the `#[serde(default)]`).
    #[default]
    Absent,
    /// `null`
    Null,
    /// `true` / `false`
    Bool(bool),
    /// Any number.
    Number(f64),
    /// A string.
    Text(String),
    /// An array, an object, or a value JSON does not have.
    Nested,
}

impl Scalar {
    /// Whether the member was there at all (even as `null`).
    pub fn is_present(&self) -> bool {
        !matches!(self, Scalar::Absent)
    }

    /// A non-empty string, or a whole number written as one (ids, numbers, request ids).
    pub fn text(&self) -> Option<String> {
        self.clone().into_text()
    }

    /// [`Scalar::text`], taking the string rather than copying it (the wire readers own theirs).
    pub fn into_text(self) -> Option<String> {
        match self {
            Scalar::Text(s) if !s.is_empty() => Some(s),
            Scalar::Number(n) => integer_text(n),
            _ => None,
        }
    }

    /// A string, as it is.
    pub fn string(&self) -> Option<&str> {
        match self {
            Scalar::Text(s) => Some(s),
            _ => None,
        }
    }

    /// A number, or a string holding a whole number (`"3600"`).
    pub fn number(&self) -> Option<f64> {
        match self {
            Scalar::Number(n) => Some(*n),
            // Whole numbers only: a decimal string would need a float parser in the wasm.
            Scalar::Text(s) => s.trim().parse::<i64>().ok().map(|n| n as f64),
            _ => None,
        }
    }

    /// A count (seconds, calls, a duration): a number, rounded; negative values read as 0.
    pub fn count(&self) -> Option<u64> {
        let n = self.number().filter(|n| n.is_finite())?;
        Some(n.round().clamp(0.0, MAX_EXACT) as u64)
    }

    /// An instant in epoch ms: an ISO-8601 string, or whole epoch milliseconds.
    pub fn instant(&self) -> Option<i64> {
        match self {
            Scalar::Text(s) => super::time::parse_iso(s),
            Scalar::Number(n) if n.is_finite() && n.fract() == 0.0 && n.abs() < 9e15 => {
                Some(*n as i64)
            }
            _ => None,
        }
    }

    /// A boolean.
    pub fn bool(&self) -> Option<bool> {
        match self {
            Scalar::Bool(b) => Some(*b),
            _ => None,
        }
    }
}

static ABSENT: Scalar = Scalar::Absent;

/// Whole numbers exactly representable in an f64, as decimal text.
pub fn integer_text(n: f64) -> Option<String> {
    (n.is_finite() && n.fract() == 0.0 && n.abs() <= MAX_EXACT).then(|| (n as i64).to_string())
}

impl<'de> Deserialize<'de> for Scalar {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        // A value the deserializer cannot even describe (a JS function, a symbol) is no scalar.
        Ok(deserializer
            .deserialize_any(ScalarVisitor)
            .unwrap_or(Scalar::Nested))
    }
}

struct ScalarVisitor;

impl<'de> Visitor<'de> for ScalarVisitor {
    type Value = Scalar;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Scalar, E> {
        Ok(Scalar::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Scalar, E> {
        Ok(Scalar::Number(v as f64))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Scalar, E> {
        Ok(Scalar::Number(v as f64))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Scalar, E> {
        Ok(Scalar::Number(v))
    }
    fn visit_str<E>(self, v: &str) -> Result<Scalar, E> {
        Ok(Scalar::Text(v.to_string()))
    }
    fn visit_string<E>(self, v: String) -> Result<Scalar, E> {
        Ok(Scalar::Text(v))
    }
    fn visit_unit<E>(self) -> Result<Scalar, E> {
        Ok(Scalar::Null)
    }
    fn visit_none<E>(self) -> Result<Scalar, E> {
        Ok(Scalar::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Scalar, D::Error> {
        Scalar::deserialize(d)
    }
    fn visit_bytes<E>(self, _: &[u8]) -> Result<Scalar, E> {
        Ok(Scalar::Nested)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Scalar, A::Error> {
        IgnoredAny.visit_seq(seq)?;
        Ok(Scalar::Nested)
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Scalar, A::Error> {
        IgnoredAny.visit_map(map)?;
        Ok(Scalar::Nested)
    }
}

/// A value that is an array (read as `A`), an object (read as `O`) or a [`Scalar`]; a shape the
/// API cannot use is not an error here, so the caller can say what it expected.
#[derive(Clone, Debug, PartialEq)]
pub enum Shape<A, O> {
    /// An array.
    Array(A),
    /// An object.
    Object(O),
    /// Anything else, absent included.
    Scalar(Scalar),
}

impl<A, O> Default for Shape<A, O> {
    fn default() -> Self {
        Shape::Scalar(Scalar::Absent)
    }
}

/// An object read as `T`, or not an object.
pub type Object<T> = Shape<IgnoredAny, T>;
/// An array of `T`, or not an array.
pub type List<T> = Shape<Vec<T>, IgnoredAny>;

impl<A, O> Shape<A, O> {
    /// The object, if it was one.
    pub fn object(&self) -> Option<&O> {
        match self {
            Shape::Object(o) => Some(o),
            _ => None,
        }
    }
    /// The array, if it was one.
    pub fn array(&self) -> Option<&A> {
        match self {
            Shape::Array(a) => Some(a),
            _ => None,
        }
    }
    /// The scalar, if it was one (absent when it was an array or an object).
    pub fn scalar(&self) -> &Scalar {
        match self {
            Shape::Scalar(s) => s,
            _ => &ABSENT,
        }
    }
}

impl<'de, A: Deserialize<'de>, O: Deserialize<'de>> Deserialize<'de> for Shape<A, O> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(ShapeVisitor(PhantomData))
    }
}

struct ShapeVisitor<A, O>(PhantomData<(A, O)>);

impl<'de, A: Deserialize<'de>, O: Deserialize<'de>> Visitor<'de> for ShapeVisitor<A, O> {
    type Value = Shape<A, O>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_seq<S: SeqAccess<'de>>(self, seq: S) -> Result<Self::Value, S::Error> {
        A::deserialize(SeqAccessDeserializer::new(seq)).map(Shape::Array)
    }
    fn visit_map<M: MapAccess<'de>>(self, map: M) -> Result<Self::Value, M::Error> {
        O::deserialize(MapAccessDeserializer::new(map)).map(Shape::Object)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        Shape::deserialize(d)
    }
    fn visit_bool<E>(self, v: bool) -> Result<Self::Value, E> {
        Ok(Shape::Scalar(Scalar::Bool(v)))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Self::Value, E> {
        Ok(Shape::Scalar(Scalar::Number(v as f64)))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Self::Value, E> {
        Ok(Shape::Scalar(Scalar::Number(v as f64)))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Self::Value, E> {
        Ok(Shape::Scalar(Scalar::Number(v)))
    }
    fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Shape::Scalar(Scalar::Text(v.to_string())))
    }
    fn visit_string<E>(self, v: String) -> Result<Self::Value, E> {
        Ok(Shape::Scalar(Scalar::Text(v)))
    }
    fn visit_bytes<E>(self, _: &[u8]) -> Result<Self::Value, E> {
        Ok(Shape::Scalar(Scalar::Nested))
    }
    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(Shape::Scalar(Scalar::Null))
    }
    fn visit_none<E>(self) -> Result<Self::Value, E> {
        Ok(Shape::Scalar(Scalar::Null))
    }
}

macro_rules! readers {
    ($($(#[$doc:meta])* $name:ident -> $out:ty = $read:expr;)*) => {$(
        $(#[$doc])*
        pub fn $name<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<$out>, D::Error> {
            let read: fn(Scalar) -> Option<$out> = $read;
            Ok(read(Scalar::deserialize(deserializer)?))
        }
    )*};
}

readers! {
    /// [`Scalar::text`]: a non-empty string or a whole number as text.
    text -> String = Scalar::into_text;
    /// A string, as it is; anything else is absent.
    string -> String = |s| match s { Scalar::Text(s) => Some(s), _ => None };
    /// [`Scalar::number`].
    number -> f64 = |s| s.number();
    /// [`Scalar::count`].
    count -> u64 = |s| s.count();
    /// [`Scalar::instant`].
    instant -> i64 = |s| s.instant();
}
