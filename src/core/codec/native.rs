//! The native codec: serde_json. Text is read into a `Value` first and the type from that, so a
//! duplicated key keeps its last value, as `JSON.parse` does (a struct read straight from text
//! would refuse the document instead), and the lenient readers always see a value tree.

use serde::de::DeserializeOwned;
use serde::Serialize;

use super::{DecodeError, JsonCodec};

/// serde_json, for `cargo test` and the fuzz targets.
#[derive(Clone, Copy, Debug, Default)]
pub struct SerdeJson;

impl JsonCodec for SerdeJson {
    fn decode<T: DeserializeOwned>(text: &str) -> Result<T, DecodeError> {
        let value: serde_json::Value =
            serde_json::from_str(text).map_err(|_| DecodeError::NotJson)?;
        T::deserialize(value).map_err(|e| DecodeError::Shape(e.to_string()))
    }

    fn decode_object<T: DeserializeOwned>(text: &str) -> Result<T, DecodeError> {
        match serde_json::from_str(text).map_err(|_| DecodeError::NotJson)? {
            value @ serde_json::Value::Object(_) => {
                T::deserialize(value).map_err(|e| DecodeError::Shape(e.to_string()))
            }
            _ => Err(DecodeError::Shape("not a JSON object".into())),
        }
    }

    fn encode<T: Serialize>(value: &T) -> String {
        // The request bodies are strings and arrays of strings: writing them cannot fail.
        serde_json::to_string(value).unwrap_or_default()
    }
}
