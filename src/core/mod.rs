//! The client logic, with no I/O of its own: it builds requests, sends them through a
//! [`Transport`](http::Transport), tells time with a [`Clock`](clock::Clock), parses answers,
//! keeps the token, retries and maps errors. It compiles and is tested natively.

pub mod bookings;
pub mod call_events;
pub mod callback_url;
pub mod cdrs;
pub mod client;
pub mod clock;
pub mod config;
pub mod encode;
pub mod ensure;
pub mod error;
pub mod fmu;
pub mod fmu_bulk;
pub mod http;
pub mod json;
pub mod msisdn;
pub mod number;
pub mod paging;
pub mod privacy;
pub mod quote;
pub mod response;
pub mod retry;
pub mod secret;
pub mod sha256;
pub mod signing;
pub mod task;
pub mod time;
pub mod tokens;
