//! Secrets (client secrets, tokens) as their own type: `Debug` prints `[redacted]`, there is
//! no `Display`, and reading one is an explicit `.expose()`.

use std::fmt;

/// A string that must never reach an error, a log or a `Debug` print.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wraps a secret value.
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }
    /// The secret itself, for the one place that must send it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret([redacted])")
    }
}
