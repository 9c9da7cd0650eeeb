//! The clean-up of orphans: bookings the platform holds (and bills) that no key of a
//! [`BookingStore`] refers to. They appear when a process died between the platform's answer to
//! `POST /bookings` and the write of its id, or when that answer was lost and the key was never
//! ensured again. Run it on a schedule (a Workers Cron Trigger).
//!
//! Every booking of the account that no key refers to counts: run it only where all bookings
//! go through `ensure` with this store. It never deletes a booking a key refers to, nor one
//! younger than the grace time (a key's write may be on its way, an ambiguous attempt may be
//! adopted), and it stops at the first store failure, before deleting anything.

use futures_util::stream::{self, StreamExt};

use super::bookings::{self, Booking, ListBookings};
use super::ensure::{is_referenced, BookingStore};
use super::paging::Pager;
use crate::core::client::Client;
use crate::core::clock::Clock;
use crate::core::errors::{ProximusError, Result};
use crate::core::transport::Transport;

/// Store lookups in flight at once.
const LOOKUPS_AT_ONCE: usize = 16;

/// How the clean-up runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CleanUpOptions {
    /// Orphans booked (or topped up) less than this long ago are kept for a later run.
    pub grace_ms: u64,
    /// Report what would be deleted, delete nothing.
    pub dry_run: bool,
}

impl Default for CleanUpOptions {
    /// One hour of grace, deleting.
    fn default() -> Self {
        CleanUpOptions {
            grace_ms: 3_600_000,
            dry_run: false,
        }
    }
}

/// What the clean-up found and did.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CleanUpReport {
    /// Bookings listed (those in their grace period after expiry included).
    pub checked: u64,
    /// Bookings a key refers to: kept.
    pub referenced: u64,
    /// Orphans younger than the grace time: kept for a later run.
    pub waiting: Vec<Booking>,
    /// Orphans deleted (or, in a dry run, to delete).
    pub deleted: Vec<Booking>,
    /// Orphans whose `DELETE` failed, with why.
    pub failed: Vec<(Booking, ProximusError)>,
}

/// Finds the orphans of `store` and deletes those older than the grace time.
pub async fn clean_up<T: Transport + 'static, C: Clock + 'static>(
    client: &Client<T, C>,
    store: &dyn BookingStore,
    options: CleanUpOptions,
) -> Result<CleanUpReport> {
    let mut report = CleanUpReport::default();
    let mut old = Vec::new();
    let mut pager = Pager::new(ListBookings::all(true))?;
    // Listed in full before any DELETE: deleting while paging would shift the pages.
    while let Some(page) = pager.next_page(client).await? {
        // A page's store lookups side by side (KV answers in milliseconds, one by one adds up).
        let checked: Vec<_> = stream::iter(page.items)
            .map(|booking| async move {
                let owned = is_referenced(store, &booking.id).await;
                (booking, owned)
            })
            .buffer_unordered(LOOKUPS_AT_ONCE)
            .collect()
            .await;
        let now = client.platform_now_ms();
        for (booking, owned) in checked {
            report.checked += 1;
            if owned? {
                report.referenced += 1;
            } else if now.saturating_sub(booking.booked_at_ms()) >= grace(options) {
                old.push(booking);
            } else {
                report.waiting.push(booking);
            }
        }
    }
    for booking in old {
        if options.dry_run {
            report.deleted.push(booking);
            continue;
        }
        match bookings::delete(client, &booking.id).await {
            Ok(()) => report.deleted.push(booking),
            Err(e) => report.failed.push((booking, e)),
        }
    }
    Ok(report)
}

fn grace(options: CleanUpOptions) -> i64 {
    i64::try_from(options.grace_ms).unwrap_or(i64::MAX)
}
