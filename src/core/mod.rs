//! The client logic, with no I/O of its own: it builds requests, sends them through a
//! [`Transport`](http::Transport), tells time with a [`Clock`](clock::Clock), parses answers,
//! keeps the token, retries and maps errors. It compiles and is tested natively.

pub mod client;
pub mod clock;
pub mod config;
pub mod encode;
pub mod error;
pub mod fmu;
pub mod http;
pub mod json;
pub mod msisdn;
pub mod response;
pub mod retry;
pub mod secret;
pub mod time;
pub mod tokens;
