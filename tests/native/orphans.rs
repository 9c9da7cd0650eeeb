//! The clean-up of orphans: bookings no key of the store refers to are deleted once older than
//! the grace time; nothing a key refers to is ever deleted.

use crate::booking_fake::*;
use proximus_api::internals::rented_numbers::bookings::{self, CreateBooking};
use proximus_api::internals::rented_numbers::orphans::{clean_up, CleanUpOptions, CleanUpReport};

const HOUR_MS: u64 = 3_600_000;

fn run(s: &Setup, options: CleanUpOptions) -> proximus_api::Result<CleanUpReport> {
    block_on(clean_up(&s.client, &*s.store, options))
}

fn ids(bookings: &[proximus_api::internals::rented_numbers::bookings::Booking]) -> Vec<&str> {
    bookings.iter().map(|b| b.id.as_str()).collect()
}

/// Two keys with their bookings, and one booking (bk_3) that no key refers to.
fn with_an_orphan() -> Setup {
    let s = setup();
    s.ensure(&request("listing-1")).unwrap();
    s.ensure(&request("listing-2")).unwrap();
    let orphan = CreateBooking {
        destination: "0477 12 12 12".into(),
        usage_plan: UsagePlan::Small,
        callback_url: "https://example.com/calls".into(),
    };
    block_on(bookings::create(&s.client, &orphan)).unwrap();
    s
}

#[test]
fn an_orphan_waits_out_the_grace_time_then_is_deleted_and_nothing_else() {
    let s = with_an_orphan();
    let grace = CleanUpOptions {
        grace_ms: HOUR_MS,
        dry_run: false,
    };
    let first = run(&s, grace).unwrap();
    assert_eq!((first.checked, first.referenced), (3, 2));
    assert_eq!(ids(&first.waiting), vec!["bk_3"]);
    assert!(first.deleted.is_empty() && first.failed.is_empty());
    assert_eq!(s.count(Method::Delete), 0);

    s.clock.advance(2 * HOUR_MS);
    let second = run(&s, grace).unwrap();
    assert_eq!(ids(&second.deleted), vec!["bk_3"]);
    assert!(second.waiting.is_empty());
    assert_eq!(s.server.ids(), vec!["bk_1", "bk_2"]);
    assert_eq!(s.count(Method::Delete), 1);
}

#[test]
fn the_grace_time_is_judged_by_the_platform_clock() {
    let s = with_an_orphan();
    s.server.ahead_ms.set(2 * HOUR_MS as i64);
    let report = run(
        &s,
        CleanUpOptions {
            grace_ms: HOUR_MS,
            dry_run: false,
        },
    )
    .unwrap();
    assert_eq!(ids(&report.deleted), vec!["bk_3"]);
}

#[test]
fn a_dry_run_reports_and_deletes_nothing() {
    let s = with_an_orphan();
    let report = run(
        &s,
        CleanUpOptions {
            grace_ms: 0,
            dry_run: true,
        },
    )
    .unwrap();
    assert_eq!(ids(&report.deleted), vec!["bk_3"]);
    assert_eq!(s.count(Method::Delete), 0);
    assert_eq!(s.server.ids().len(), 3);
}

#[test]
fn a_key_that_moved_on_no_longer_keeps_its_old_booking() {
    let s = with_an_orphan();
    s.store
        .values
        .borrow_mut()
        .insert("listing-1".into(), "bk_3".into());
    s.store
        .values
        .borrow_mut()
        .insert("proximus:booking:bk_3".into(), "listing-1".into());
    let report = run(
        &s,
        CleanUpOptions {
            grace_ms: 0,
            dry_run: false,
        },
    )
    .unwrap();
    assert_eq!(ids(&report.deleted), vec!["bk_1"]);
    assert_eq!(s.server.ids(), vec!["bk_2", "bk_3"]);
}

#[test]
fn a_store_failure_stops_the_clean_up_before_any_delete() {
    let s = with_an_orphan();
    s.store.fail_get.set(true);
    let error = run(
        &s,
        CleanUpOptions {
            grace_ms: 0,
            dry_run: false,
        },
    )
    .unwrap_err();
    assert_eq!(error.code(), ErrorCode::Callback);
    assert_eq!(s.count(Method::Delete), 0);
    assert_eq!(s.server.ids().len(), 3);
}
