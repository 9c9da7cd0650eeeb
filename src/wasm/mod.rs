//! The thin JavaScript face: converts values, performs I/O with `fetch` and `setTimeout`,
//! and exports the classes. Every decision lives in [`crate::core`].

mod args;
mod bookings;
mod callbacks;
mod client;
mod ensure;
mod errors;
mod fetch_transport;
mod fmu;
mod js_clock;
mod js_values;
mod options;
mod pager;
mod safe_js;

pub use callbacks::{parse_call_event, sign_callback_url, verify_callback_url};
pub use client::RawClient;
pub use errors::register_error_class;
pub use fmu::{format_msisdn, mask_msisdn, normalize_msisdn, parse_fmu_callback};
pub use pager::RawPager;

// Talc instead of the default dlmalloc: the same job in about a third of the bytes, and faster.
#[cfg(not(target_feature = "atomics"))]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();
