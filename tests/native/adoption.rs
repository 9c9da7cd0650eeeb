//! `ensure` after a `POST /bookings` whose outcome is unknown (the booking is adopted, never
//! made twice), and expiry judged by the platform's clock (the answers' `Date`).

use crate::booking_fake::*;

fn lose_the_next_booking_answer(s: &Setup) {
    s.server.lose_post_answer.set(true);
}

#[test]
fn a_lost_booking_answer_is_recorded_then_its_booking_adopted_without_a_second_post() {
    let s = setup();
    lose_the_next_booking_answer(&s);
    let error = s.ensure(&request("listing-7")).unwrap_err();
    assert_eq!(error.code(), ErrorCode::Network);
    assert!(error.outcome_unknown() && !error.retryable(), "{error}");
    assert!(error.message().contains("a booking may exist"), "{error}");
    assert!(
        error
            .message()
            .contains("the next ensure of this key adopts it"),
        "{error}"
    );
    assert!(s
        .store
        .value("listing-7")
        .unwrap()
        .contains("unconfirmedBooking"));
    assert_eq!(s.server.ids(), vec!["bk_1"], "the platform did book");

    s.clock.advance(30_000);
    let ensured = s.ensure(&request("listing-7")).unwrap();
    assert_eq!(ensured.action, EnsureAction::Adopted);
    assert_eq!(ensured.booking.id, "bk_1");
    assert_eq!(s.count(Method::Post), 1, "no second booking");
    assert_eq!(s.store.value("listing-7").as_deref(), Some("bk_1"));
    assert_eq!(
        s.store.value("proximus:booking:bk_1").as_deref(),
        Some("listing-7")
    );
    // And from then on, the adopted booking is simply reused.
    s.forget_requests();
    assert_eq!(
        s.ensure(&request("listing-7")).unwrap().action,
        EnsureAction::Reused
    );
    assert_eq!(s.sent(), vec![get("bk_1")]);
}

#[test]
fn a_booking_another_key_refers_to_is_never_adopted() {
    let s = setup();
    // Same seller, same plan, same moment: only the owner entries tell the bookings apart.
    assert_eq!(s.ensure(&request("listing-1")).unwrap().booking.id, "bk_1");
    lose_the_next_booking_answer(&s);
    s.ensure(&request("listing-2")).unwrap_err();
    let ensured = s.ensure(&request("listing-2")).unwrap();
    assert_eq!(
        (ensured.action, ensured.booking.id.as_str()),
        (EnsureAction::Adopted, "bk_2")
    );
    assert_eq!(s.store.value("listing-1").as_deref(), Some("bk_1"));
}

#[test]
fn an_attempt_for_another_number_is_not_adopted() {
    let s = setup();
    lose_the_next_booking_answer(&s);
    s.ensure(&request("listing-7")).unwrap_err();
    let moved = EnsureBooking {
        destination: "0471 12 12 12".into(),
        ..request("listing-7")
    };
    let ensured = s.ensure(&moved).unwrap();
    assert_eq!(
        (ensured.action, ensured.booking.id.as_str()),
        (EnsureAction::Booked, "bk_2")
    );
}

#[test]
fn a_booking_made_long_after_the_attempt_is_not_adopted() {
    let s = setup();
    lose_the_next_booking_answer(&s);
    s.ensure(&request("listing-7")).unwrap_err();
    // The lost booking is deleted; a day later, someone books for the same seller by hand.
    s.server.bookings.borrow_mut().clear();
    s.clock.advance(DAY_MS);
    s.ensure(&request("unrelated")).unwrap();
    s.store.values.borrow_mut().remove("proximus:booking:bk_2");
    let ensured = s.ensure(&request("listing-7")).unwrap();
    assert_eq!(
        (ensured.action, ensured.booking.id.as_str()),
        (EnsureAction::Booked, "bk_3")
    );
}

#[test]
fn a_failure_the_platform_certainly_refused_records_nothing() {
    let s = setup();
    s.server.get_status.set(None);
    let t = with_token_endpoint(|req| {
        if req.method == Method::Post {
            json(
                503,
                r#"{"code":"NO_NUMBER_AVAILABLE","message":"no free number"}"#,
            )
        } else {
            json(404, "{}")
        }
    });
    let c = FakeClock::new();
    let store = MemoryStore::default();
    let error = block_on(ensure(&client(&t, &c), &store, &request("listing-7"))).unwrap_err();
    assert!(!error.outcome_unknown() && error.retryable(), "{error}");
    assert_eq!(store.value("listing-7"), None);
}

#[test]
fn expiry_is_judged_by_the_platform_clock_not_the_local_one() {
    let s = setup();
    s.ensure(&request("listing-7")).unwrap();
    // The platform is eight days on (its SMALL booking expired a day ago); this machine is not.
    s.server.ahead_ms.set(8 * DAY_MS as i64);
    let ensured = s.ensure(&request("listing-7")).unwrap();
    assert_eq!(
        (ensured.action, ensured.booking.id.as_str()),
        (EnsureAction::Booked, "bk_2")
    );

    // The other way round: this machine's clock runs eight days fast, the platform's does not.
    let s = setup();
    s.ensure(&request("listing-7")).unwrap();
    s.clock.advance(8 * DAY_MS);
    s.server.ahead_ms.set(-8 * DAY_MS as i64);
    assert_eq!(
        s.ensure(&request("listing-7")).unwrap().action,
        EnsureAction::Reused
    );
}

#[test]
fn an_unreadable_or_extreme_entry_never_panics() {
    let s = setup();
    for entry in [
        r#"{"unconfirmedBooking":{"from":-9223372036854775808,"to":9223372036854775807,"destination":"32477121212","usagePlan":"SMALL"}}"#,
        r#"{"unconfirmedBooking":{"from":1,"to":2,"destination":"32477121212","usagePlan":"HUGE"}}"#,
        r#"{"something":"else"}"#,
    ] {
        s.store
            .values
            .borrow_mut()
            .insert("listing-7".into(), entry.into());
        match s.ensure(&request("listing-7")) {
            Ok(ensured) => assert_eq!(ensured.action, EnsureAction::Booked, "{entry}"),
            Err(e) => assert_eq!(e.code(), ErrorCode::Callback, "{entry}: {e}"),
        }
    }
}
