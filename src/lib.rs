//! # proximus-api
//!
//! The client for Proximus API Solutions — OAuth2 tokens, the FMU API and the Rented numbers
//! API — written as a plain-Rust core generic over its transport and clock, and compiled to
//! WebAssembly for every runtime that has `fetch` (browsers, Node, Cloudflare Workers).
//!
//! The [`core`] module holds every decision and is tested natively; the `wasm` module (built
//! only for `wasm32`) is the thin JavaScript face: the fetch transport, the JS clock, and the
//! exported functions.
#![deny(missing_docs)]

pub mod core;

pub use crate::core::client::{Call, Client};
pub use crate::core::clock::Clock;
pub use crate::core::config::{
    ClientOptions, Credentials, LocalFuture, ProvidedToken, RetryEvent, TokenProvider, TokenStore,
};
pub use crate::core::error::{ErrorCode, ProximusError, Result};
pub use crate::core::http::{HttpRequest, HttpResponse, Method, Transport, TransportError};
pub use crate::core::secret::Secret;
pub use crate::core::tokens::AccessToken;

#[cfg(target_arch = "wasm32")]
pub mod wasm;
