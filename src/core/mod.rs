//! The client logic, with no I/O of its own: it builds requests, sends them through a
//! [`Transport`](transport::Transport), tells time with a [`Clock`](clock::Clock), reads answers
//! with the transport's JSON codec, keeps the token, retries and maps errors. It compiles and
//! is tested natively.
//!
//! By role: the client machinery (`client`, `config`, `retry`, `transport`, `clock`, `gate`,
//! `tokens`, `errors`, `secret`), the APIs (`fmu`, `rented_numbers`), signed callback URLs
//! (`callbacks`), phone numbers (`msisdn`) and the codecs (`codec`).

pub mod callbacks;
pub mod cancel;
pub mod client;
pub mod clock;
pub mod codec;
pub mod config;
pub mod errors;
pub mod fmu;
pub mod gate;
pub mod log;
pub mod msisdn;
pub mod rented_numbers;
pub mod retry;
pub mod secret;
#[cfg(not(target_arch = "wasm32"))]
pub mod testing;
pub mod tokens;
pub mod transport;
