//! Time as an argument: the core never reads the system clock (it panics on wasm32) and never
//! sleeps on its own, so tests run on a fake clock.

use std::future::Future;

/// The time source and timer of a runtime.
pub trait Clock {
    /// Milliseconds since the Unix epoch.
    fn now_ms(&self) -> u64;
    /// Resolves after `ms` milliseconds.
    fn sleep(&self, ms: u64) -> impl Future<Output = ()>;
}
