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
