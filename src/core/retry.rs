//! When a failed attempt is tried again, and after how long.

use super::codec::time::parse_http_date;
use super::errors::{ErrorCode, ProximusError};

/// How safe a call is to repeat.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Idempotency {
    /// Repeating it changes nothing more (GET, PUT, DELETE, `/token`, `/revoke`, FMU callback).
    Safe,
    /// It costs money (`POST /bookings`): repeated only when the server certainly did not act.
    /// `effect` names what may exist after an ambiguous failure ("a booking may exist").
    Billable {
        /// What the request may have done.
        effect: &'static str,
    },
}

/// First backoff step; attempt n waits a random time in `[0, min(CAP, BASE * 2^n))`.
pub const BACKOFF_BASE_MS: u64 = 250;
/// Largest backoff step.
pub const BACKOFF_CAP_MS: u64 = 8_000;
/// A `Retry-After` longer than this is not waited for: the error goes back to the caller.
pub const MAX_RETRY_AFTER_MS: u64 = 60_000;

/// Whether `error` on a call of kind `idempotency` may be retried.
pub fn may_retry(idempotency: Idempotency, error: &ProximusError) -> bool {
    if error
        .retry_after_ms()
        .is_some_and(|ms| ms > MAX_RETRY_AFTER_MS)
    {
        return false;
    }
    match idempotency {
        Idempotency::Safe => error.code().is_transient(),
        // A 429 is refused at the gateway before the service sees it; anything else
        // (dropped connection, timeout, 502, 504) may have booked a number already.
        Idempotency::Billable { .. } => error.code() == ErrorCode::RateLimited,
    }
}

/// The delay before retry number `attempt` (0-based): the server's `Retry-After` when it sent
/// one, else exponential backoff with full jitter (`random` in `[0, 1)`).
pub fn delay_ms(attempt: u32, retry_after_ms: Option<u64>, random: f64) -> u64 {
    if let Some(ms) = retry_after_ms {
        return ms;
    }
    let ceiling = BACKOFF_BASE_MS
        .saturating_mul(1u64 << attempt.min(20))
        .min(BACKOFF_CAP_MS);
    (ceiling as f64 * random.clamp(0.0, 1.0)) as u64
}

/// A `Retry-After` header (delta-seconds, or an HTTP date in any of its three forms) as
/// milliseconds from `now_ms`.
pub fn parse_retry_after(value: &str, now_ms: u64) -> Option<u64> {
    let value = value.trim();
    if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) {
        // Too many digits for a u64 is still "a very long time".
        return Some(
            value
                .parse::<u64>()
                .map_or(u64::MAX, |s| s.saturating_mul(1000)),
        );
    }
    let at = parse_http_date(value)?;
    Some((at - now_ms as i64).max(0) as u64)
}

/// Jitter for the backoff: a seeded generator (fastrand's wyrand), so the core needs no global
/// source of randomness and a fake clock makes it repeatable.
#[derive(Debug)]
pub struct Jitter(std::cell::RefCell<fastrand::Rng>);

impl Jitter {
    /// Seeded, e.g. from the clock.
    pub fn new(seed: u64) -> Self {
        Jitter(std::cell::RefCell::new(fastrand::Rng::with_seed(seed)))
    }
    /// The next number in `[0, 1)`.
    pub fn next(&self) -> f64 {
        self.0.borrow_mut().f64()
    }
}
