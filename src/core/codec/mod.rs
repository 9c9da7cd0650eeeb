//! How bodies are read and written. The wire model is serde types (each API module declares
//! its own); turning text into them is the runtime's job: `JSON.parse`/`JSON.stringify` with
//! serde-wasm-bindgen in the wasm (the face's codec), serde_json natively (tests, fuzzing). Both
//! read a duplicated key the way `JSON.parse` does: the last one wins.

pub mod form;
pub mod lenient;
pub mod time;

#[cfg(not(target_arch = "wasm32"))]
mod native;
#[cfg(not(target_arch = "wasm32"))]
pub use native::SerdeJson;

use serde::de::DeserializeOwned;
use serde::Serialize;

/// A runtime's JSON codec: text to a serde type and back.
pub trait JsonCodec: 'static {
    /// Reads `text` as a `T`, whatever JSON value it is.
    fn decode<T: DeserializeOwned>(text: &str) -> Result<T, DecodeError>;
    /// Reads `text`, which must be a JSON object, as a `T` (an answer, a callback body): anything
    /// else is a [`DecodeError::Shape`].
    fn decode_object<T: DeserializeOwned>(text: &str) -> Result<T, DecodeError>;
    /// Writes `value` as compact JSON text.
    fn encode<T: Serialize>(value: &T) -> String;
}

/// Why a body could not be read as the type asked for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DecodeError {
    /// The text is not JSON at all.
    NotJson,
    /// It is JSON, but not of the shape asked for (serde's words).
    Shape(String),
}
