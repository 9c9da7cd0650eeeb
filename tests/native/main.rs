//! The core's integration tests, natively and in one binary: what the client sends, what it
//! makes of every answer, and what it does about failures, on a scripted transport and a fake
//! clock (`proximus_api::internals::testing`). Native only: the wasm face has its own tests
//! (`tests/wasm_client.rs`, `tests/js/`).
#![cfg(not(target_arch = "wasm32"))]

mod adoption;
mod booking_fake;
mod bookings;
mod call_confirm;
mod call_events;
mod cancel;
mod cdrs;
mod codec;
mod ensure;
mod errors;
mod fmu;
mod logging;
mod msisdn;
mod options;
mod orphans;
mod own_timers;
mod retries;
mod signing;
mod support;
mod time;
mod tokens;
