//! The thin JavaScript face: converts values (`interop`), performs I/O with `fetch` and
//! `setTimeout`, calls the application's functions (`app`), and exports the classes. Every
//! decision lives in the core.

mod app;
mod callbacks;
mod client;
mod clock;
mod errors;
mod fetch;
mod fmu;
mod interop;
mod orphans;
mod pager;
mod per_call;
mod rented_numbers;

pub use client::RawClient;

// Talc instead of the default dlmalloc: the same job in about a third of the bytes, and faster.
#[cfg(not(target_feature = "atomics"))]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();
