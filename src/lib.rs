//! # proximus-api
//!
//! The client for Proximus API Solutions — OAuth2 tokens, the FMU API and the Rented numbers
//! API — written as a plain-Rust core generic over its transport and clock, and compiled to
//! WebAssembly for every runtime that has `fetch` (browsers, Node, Cloudflare Workers).
//!
//! The core holds every decision and is tested natively; the wasm face (built only for
//! `wasm32`) converts JavaScript values with serde-wasm-bindgen, fetches with gloo-net and
//! exports the functions the npm package wraps. This crate's Rust API is what the root and
//! the modules [`fmu`], [`rented_numbers`] and [`callbacks`] export.
#![deny(missing_docs)]

mod core;
#[cfg(target_arch = "wasm32")]
mod wasm;

pub use crate::core::client::{Call, Client};
pub use crate::core::clock::Clock;
pub use crate::core::codec::{DecodeError, JsonCodec};
pub use crate::core::config::{
    ClientOptions, Credentials, LocalFuture, ProvidedToken, RetryEvent, TokenProvider, TokenStore,
};
pub use crate::core::errors::{ErrorCode, ProximusError, Result};
pub use crate::core::msisdn::{
    format as format_msisdn, mask as mask_msisdn, normalize as normalize_msisdn,
};
pub use crate::core::secret::Secret;
pub use crate::core::tokens::AccessToken;
pub use crate::core::transport::{HttpRequest, HttpResponse, Method, Transport, TransportError};

/// The FMU API: the status of Belgian mobiles, one at a time or any number in chunks of 50.
pub mod fmu {
    pub use crate::core::fmu::{
        get_status, get_statuses, parse_fmu_callback, set_callback_url, set_status, set_statuses,
        BulkOptions, BulkResult, ChunkOutcome, FmuCallback, FmuCallbackKind, FmuResult,
        FmuSetResult, FmuStatus, FmuStatusResult, Progress, ProgressHook,
    };
}

/// The Rented numbers API: bookings, call records, `ensure` and call events.
pub mod rented_numbers {
    pub use crate::core::rented_numbers::bookings::{
        create, delete, get, list, list_page, update, Booking, CreateBooking, ListBookings,
        UsagePlan,
    };
    pub use crate::core::rented_numbers::call_events::{parse_call_event, CallEvent};
    pub use crate::core::rented_numbers::cdrs::{self, CallRecord, ListCdrs};
    pub use crate::core::rented_numbers::ensure::{
        ensure, BookingStore, EnsureAction, EnsureBooking, Ensured, Ensurer, RenewBelow,
    };
    pub use crate::core::rented_numbers::paging::{Page, Pager};
}

/// Signed callback URLs.
pub mod callbacks {
    pub use crate::core::callbacks::signed_urls::{
        sign_callback_url, verify_callback_url, Verified,
    };
}

/// The core's internals, for the integration tests and the fuzz targets only: not an API.
#[doc(hidden)]
pub mod internals {
    pub use crate::core::*;
    #[cfg(target_arch = "wasm32")]
    pub use crate::wasm::RawClient;
}
