//! `bookings.ensure` against a small fake rented-numbers server: what is sent on each path
//! (reuse, top-up, new booking), that an ambiguous failure never books, that bad input sends
//! nothing, and that concurrent ensures of one key book once.

use crate::booking_fake::*;
// ---------------------------------------------------------------------------------------------

#[test]
fn renew_below_defaults_to_300_seconds_and_2_calls() {
    assert_eq!(
        RenewBelow::default(),
        RenewBelow {
            seconds: 300,
            calls: 2
        }
    );
    assert_eq!(EnsureAction::Reused.as_str(), "reused");
    assert_eq!(EnsureAction::ToppedUp.as_str(), "topped_up");
    assert_eq!(EnsureAction::Booked.as_str(), "booked");
}

#[test]
fn first_use_books_with_the_request_and_stores_the_id() {
    let s = setup();
    let ensured = s.ensure(&request("listing-7")).unwrap();
    assert_eq!(ensured.action, EnsureAction::Booked);
    assert_eq!(ensured.booking.id, "bk_1");
    assert_eq!(ensured.store_error, None);
    assert_eq!(s.sent(), vec![post()]);
    let body = s.transport.requests().last().unwrap().body.clone();
    assert_eq!(
        body.as_deref(),
        Some(
            r#"{"destination":"32477121212","usagePlan":"SMALL","callback":"https://example.com/calls?listing=7"}"#
        )
    );
    assert_eq!(s.store.value("listing-7").as_deref(), Some("bk_1"));
}

#[test]
fn second_use_reuses_with_one_get_and_no_post() {
    let s = setup();
    s.ensure(&request("listing-7")).unwrap();
    s.forget_requests();
    let ensured = s.ensure(&request("listing-7")).unwrap();
    assert_eq!(ensured.action, EnsureAction::Reused);
    assert_eq!(ensured.booking.id, "bk_1");
    assert_eq!(ensured.booking.seconds_remaining, Some(3600));
    assert_eq!(s.sent(), vec![get("bk_1")]);
    assert_eq!(
        s.store.sets.get(),
        2,
        "nothing new to store (the owner entry, the key)"
    );
}

#[test]
fn few_seconds_left_tops_up_with_the_plan_and_keeps_the_number() {
    let s = setup();
    s.ensure(&request("listing-7")).unwrap();
    s.server.set_left("bk_1", 299, 25);
    s.forget_requests();
    let ensured = s.ensure(&request("listing-7")).unwrap();
    assert_eq!(ensured.action, EnsureAction::ToppedUp);
    assert_eq!(ensured.booking.id, "bk_1");
    assert_eq!(ensured.booking.seconds_remaining, Some(299 + 3600));
    assert_eq!(s.sent(), vec![get("bk_1"), put("bk_1")]);
    let put_body = s.transport.requests().last().unwrap().body.clone();
    assert_eq!(put_body.as_deref(), Some(r#"{"usagePlan":"SMALL"}"#));
    assert_eq!(s.store.value("listing-7").as_deref(), Some("bk_1"));
}

#[test]
fn exactly_the_threshold_is_enough() {
    let s = setup();
    s.ensure(&request("listing-7")).unwrap();
    s.server.set_left("bk_1", 300, 2);
    s.forget_requests();
    let ensured = s.ensure(&request("listing-7")).unwrap();
    assert_eq!(ensured.action, EnsureAction::Reused);
    assert_eq!(s.sent(), vec![get("bk_1")]);
}

#[test]
fn few_calls_left_tops_up() {
    let s = setup();
    s.ensure(&request("listing-7")).unwrap();
    s.server.set_left("bk_1", 3600, 1);
    s.forget_requests();
    let ensured = s.ensure(&request("listing-7")).unwrap();
    assert_eq!(ensured.action, EnsureAction::ToppedUp);
    assert_eq!(ensured.booking.calls_remaining, Some(26));
    assert_eq!(s.sent(), vec![get("bk_1"), put("bk_1")]);
}

#[test]
fn an_exhausted_booking_that_has_not_expired_is_topped_up_not_replaced() {
    let s = setup();
    s.ensure(&request("listing-7")).unwrap();
    s.server.set_left("bk_1", 0, 0);
    s.forget_requests();
    let ensured = s.ensure(&request("listing-7")).unwrap();
    assert_eq!(ensured.action, EnsureAction::ToppedUp);
    assert_eq!(s.sent(), vec![get("bk_1"), put("bk_1")]);
}

#[test]
fn custom_thresholds_are_honoured_and_zero_never_tops_up() {
    let s = setup();
    s.ensure(&request("listing-7")).unwrap();
    s.server.set_left("bk_1", 1000, 10);
    s.forget_requests();
    let eager = EnsureBooking {
        renew_below: RenewBelow {
            seconds: 1001,
            calls: 0,
        },
        ..request("listing-7")
    };
    assert_eq!(s.ensure(&eager).unwrap().action, EnsureAction::ToppedUp);
    s.server.set_left("bk_1", 0, 0);
    let never = EnsureBooking {
        renew_below: RenewBelow {
            seconds: 0,
            calls: 0,
        },
        ..request("listing-7")
    };
    assert_eq!(s.ensure(&never).unwrap().action, EnsureAction::Reused);
}

#[test]
fn an_expired_booking_is_replaced_and_the_store_holds_the_new_id() {
    let s = setup();
    s.ensure(&request("listing-7")).unwrap();
    // Past endTime, still within the 7-day grace period: GET still answers 200.
    s.clock.advance(SMALL.0);
    s.forget_requests();
    let ensured = s.ensure(&request("listing-7")).unwrap();
    assert_eq!(ensured.action, EnsureAction::Booked);
    assert_eq!(ensured.booking.id, "bk_2");
    assert_eq!(s.sent(), vec![get("bk_1"), post()]);
    assert_eq!(s.store.value("listing-7").as_deref(), Some("bk_2"));
}

#[test]
fn one_millisecond_before_the_end_the_booking_is_still_used() {
    let s = setup();
    s.ensure(&request("listing-7")).unwrap();
    s.clock.advance(SMALL.0 - 1);
    s.forget_requests();
    assert_eq!(
        s.ensure(&request("listing-7")).unwrap().action,
        EnsureAction::Reused
    );
    assert_eq!(s.sent(), vec![get("bk_1")]);
}

#[test]
fn a_deleted_booking_404_is_replaced() {
    let s = setup();
    s.ensure(&request("listing-7")).unwrap();
    s.server.bookings.borrow_mut().clear();
    s.forget_requests();
    let ensured = s.ensure(&request("listing-7")).unwrap();
    assert_eq!(ensured.action, EnsureAction::Booked);
    assert_eq!(s.sent(), vec![get("bk_1"), post()]);
    assert_eq!(s.store.value("listing-7").as_deref(), Some("bk_2"));
}

#[test]
fn a_booking_forwarding_elsewhere_is_replaced() {
    let s = setup();
    s.ensure(&request("listing-7")).unwrap();
    s.forget_requests();
    let moved = EnsureBooking {
        destination: "0478 99 99 99".into(),
        ..request("listing-7")
    };
    let ensured = s.ensure(&moved).unwrap();
    assert_eq!(ensured.action, EnsureAction::Booked);
    assert_eq!(ensured.booking.destination.as_deref(), Some("32478999999"));
    assert_eq!(s.sent(), vec![get("bk_1"), post()]);
    // The same number written another way is the same destination.
    s.forget_requests();
    let same = EnsureBooking {
        destination: "+32 (0)478 99.99.99".into(),
        ..request("listing-7")
    };
    assert_eq!(s.ensure(&same).unwrap().action, EnsureAction::Reused);
}

#[test]
fn an_unavailable_get_is_an_error_and_never_books() {
    for status in [503, 500, 401, 403] {
        let s = setup();
        s.ensure(&request("listing-7")).unwrap();
        s.server.get_status.set(Some(status));
        s.forget_requests();
        let error = s.ensure(&request("listing-7")).unwrap_err();
        assert_eq!(error.status(), Some(status), "{error}");
        assert_eq!(s.count(Method::Post), 0, "{status}: no new booking");
        assert_eq!(s.count(Method::Put), 0, "{status}: no top-up");
        assert_eq!(s.store.value("listing-7").as_deref(), Some("bk_1"));
    }
}

#[test]
fn a_timeout_on_get_never_books() {
    let s = setup();
    s.ensure(&request("listing-7")).unwrap();
    let timeouts = Rc::new(Cell::new(0));
    let seen = timeouts.clone();
    let server = s.server.clone();
    let transport = with_token_endpoint(move |req| {
        if req.method == Method::Get {
            seen.set(seen.get() + 1);
            Err(TransportError::Timeout)
        } else {
            server.handle(req)
        }
    });
    let client = client(&transport, &s.clock);
    let error = block_on(ensure(&client, &*s.store, &request("listing-7"))).unwrap_err();
    assert_eq!(error.code(), ErrorCode::Timeout);
    assert!(timeouts.get() >= 1);
    assert!(transport
        .requests()
        .iter()
        .all(|r| r.method == Method::Get || r.url.ends_with("/token")));
}

#[test]
fn ten_concurrent_ensures_of_one_key_book_once() {
    let s = setup_with(50);
    let ensurer = Ensurer::new();
    let store: Rc<dyn BookingStore> = s.store.clone();
    let runs: Vec<_> = (0..10)
        .map(|_| ensurer.ensure(&s.client, store.clone(), &request("listing-7")))
        .collect();
    assert_eq!(ensurer.in_flight(), 1);
    let results = block_on(join_all(runs));
    for result in &results {
        let ensured = result.as_ref().unwrap();
        assert_eq!(ensured.booking.id, "bk_1");
        assert_eq!(ensured.action, EnsureAction::Booked);
    }
    assert_eq!(s.sent(), vec![post()]);
    assert_eq!(s.store.gets.get(), 1);
    assert_eq!(s.store.sets.get(), 2, "the owner entry, then the key");
    assert_eq!(ensurer.in_flight(), 0, "the entry is gone once done");
    // Afterwards the key is ensured anew (a reuse), not served from a stale result.
    s.forget_requests();
    let again = block_on(ensurer.ensure(&s.client, store, &request("listing-7"))).unwrap();
    assert_eq!(again.action, EnsureAction::Reused);
    assert_eq!(s.sent(), vec![get("bk_1")]);
}

#[test]
fn without_an_ensurer_the_same_overlap_books_many_times() {
    // The control for the test above: it shows the calls do overlap.
    let s = setup_with(50);
    let req = request("listing-7");
    let runs = (0..10).map(|_| ensure(&s.client, &*s.store, &req));
    let results = block_on(join_all(runs));
    assert!(results.iter().all(Result::is_ok));
    assert_eq!(s.count(Method::Post), 10);
}

#[test]
fn concurrent_top_ups_of_one_key_put_once() {
    let s = setup_with(50);
    s.ensure(&request("listing-7")).unwrap();
    s.server.set_left("bk_1", 10, 25);
    s.forget_requests();
    let ensurer = Ensurer::new();
    let store: Rc<dyn BookingStore> = s.store.clone();
    let runs: Vec<_> = (0..10)
        .map(|_| ensurer.ensure(&s.client, store.clone(), &request("listing-7")))
        .collect();
    let results = block_on(join_all(runs));
    assert!(results
        .iter()
        .all(|r| r.as_ref().unwrap().action == EnsureAction::ToppedUp));
    assert_eq!(s.sent(), vec![get("bk_1"), put("bk_1")]);
}

#[test]
fn concurrent_callers_share_a_failure_and_the_entry_is_removed() {
    let s = setup_with(20);
    s.ensure(&request("listing-7")).unwrap();
    s.server.get_status.set(Some(503));
    s.forget_requests();
    let ensurer = Ensurer::new();
    let store: Rc<dyn BookingStore> = s.store.clone();
    let runs: Vec<_> = (0..5)
        .map(|_| ensurer.ensure(&s.client, store.clone(), &request("listing-7")))
        .collect();
    let results = block_on(join_all(runs));
    assert!(results
        .iter()
        .all(|r| r.as_ref().unwrap_err().code() == ErrorCode::Unavailable));
    assert_eq!(s.count(Method::Post), 0);
    assert_eq!(ensurer.in_flight(), 0);
    // Once the service is back, the key works again.
    s.server.get_status.set(None);
    let ok = block_on(ensurer.ensure(&s.client, store, &request("listing-7"))).unwrap();
    assert_eq!(ok.action, EnsureAction::Reused);
}

#[test]
fn two_different_keys_get_two_bookings() {
    let s = setup_with(20);
    let ensurer = Ensurer::new();
    let store: Rc<dyn BookingStore> = s.store.clone();
    let a = ensurer.ensure(&s.client, store.clone(), &request("listing-7"));
    let b = ensurer.ensure(&s.client, store.clone(), &request("listing-8"));
    assert_eq!(ensurer.in_flight(), 2);
    let results = block_on(join_all([a, b]));
    let ids: Vec<String> = results.into_iter().map(|r| r.unwrap().booking.id).collect();
    assert_ne!(ids[0], ids[1]);
    assert_eq!(s.count(Method::Post), 2);
    assert_eq!(s.store.value("listing-7"), Some(ids[0].clone()));
    assert_eq!(s.store.value("listing-8"), Some(ids[1].clone()));
}

#[test]
fn bad_input_is_invalid_argument_and_sends_nothing_even_when_it_would_reuse() {
    let s = setup();
    s.ensure(&request("listing-7")).unwrap();
    s.forget_requests();
    let gets_before = s.store.gets.get();
    let ensurer = Ensurer::new();
    let store: Rc<dyn BookingStore> = s.store.clone();
    let bad = [
        EnsureBooking {
            destination: "not a number".into(),
            ..request("listing-7")
        },
        EnsureBooking {
            destination: "".into(),
            ..request("listing-7")
        },
        EnsureBooking {
            callback_url: "http://example.com/calls".into(),
            ..request("listing-7")
        },
        EnsureBooking {
            callback_url: "".into(),
            ..request("listing-7")
        },
        EnsureBooking {
            callback_url: "ftp://example.com/calls".into(),
            ..request("listing-7")
        },
        request(""),
        request(&"k".repeat(MAX_KEY_BYTES + 1)),
        request(&"é".repeat(MAX_KEY_BYTES / 2 + 1)),
    ];
    for input in &bad {
        let error = s.ensure(input).unwrap_err();
        assert_eq!(
            error.code(),
            ErrorCode::InvalidArgument,
            "{input:?}: {error}"
        );
        let error = block_on(ensurer.ensure(&s.client, store.clone(), input)).unwrap_err();
        assert_eq!(
            error.code(),
            ErrorCode::InvalidArgument,
            "{input:?}: {error}"
        );
    }
    assert!(
        s.transport.requests().is_empty(),
        "nothing sent, not even /token"
    );
    assert_eq!(
        s.store.gets.get(),
        gets_before,
        "the store is not even read"
    );
    assert_eq!(ensurer.in_flight(), 0);
    // The longest key is accepted.
    s.ensure(&request(&"k".repeat(MAX_KEY_BYTES))).unwrap();
}

#[test]
fn a_usage_plan_is_one_of_the_known_three() {
    // The typed request cannot hold a bad plan; the JavaScript face parses with this.
    for bad in ["", "small", "HUGE", "SMALL "] {
        let error = UsagePlan::parse(bad).unwrap_err();
        assert_eq!(error.code(), ErrorCode::InvalidArgument);
    }
    let s = setup();
    let medium = EnsureBooking {
        usage_plan: UsagePlan::Medium,
        ..request("listing-7")
    };
    s.ensure(&medium).unwrap();
    let body = s.transport.requests().last().unwrap().body.clone().unwrap();
    assert!(body.contains(r#""usagePlan":"MEDIUM""#), "{body}");
}

#[test]
fn a_store_read_failure_is_returned_and_nothing_is_sent() {
    let s = setup();
    s.store.fail_get.set(true);
    let error = s.ensure(&request("listing-7")).unwrap_err();
    assert_eq!(error, store_failure());
    assert!(s.transport.requests().is_empty());
    assert_eq!(s.store.sets.get(), 0);
}

#[test]
fn a_store_write_failure_after_booking_still_returns_the_booking_and_says_so() {
    let s = setup();
    s.store.fail_set.set(true);
    let ensured = s.ensure(&request("listing-7")).unwrap();
    assert_eq!(ensured.action, EnsureAction::Booked);
    assert_eq!(ensured.booking.id, "bk_1");
    assert_eq!(ensured.store_error, Some(store_failure()));
    assert_eq!(s.count(Method::Post), 1, "booked once, not retried");
}

#[test]
fn an_unusable_stored_id_is_an_error_and_never_books() {
    let s = setup();
    for stored in ["", "   ", "bk\n1"] {
        s.store
            .values
            .borrow_mut()
            .insert("listing-7".into(), stored.into());
        let error = s.ensure(&request("listing-7")).unwrap_err();
        assert_eq!(error.code(), ErrorCode::Callback, "{stored:?}: {error}");
    }
    assert!(s.transport.requests().is_empty());
}

#[test]
fn a_failed_booking_is_returned_and_nothing_is_stored() {
    let s = setup();
    let transport = with_token_endpoint(|_| {
        json(
            503,
            r#"{"code":"NO_NUMBER_AVAILABLE","message":"no free number"}"#,
        )
    });
    let client = client(&transport, &s.clock);
    let error = block_on(ensure(&client, &*s.store, &request("listing-7"))).unwrap_err();
    assert_eq!(error.code(), ErrorCode::Unavailable);
    assert_eq!(s.store.sets.get(), 0);
    assert_eq!(s.store.value("listing-7"), None);
}

// ---------------------------------------------------------------------------------------------
// Aborts

impl Setup {
    /// The client with a signal that fires when a request of `method` arrives.
    fn aborting_on(&self, method: Method) -> Client<ScriptedTransport, FakeClock> {
        let cancel = Cancel::new();
        *self.server.abort_on.borrow_mut() = Some((method, cancel.clone()));
        self.client.with(CallOptions {
            cancel: Some(cancel),
            ..CallOptions::default()
        })
    }
}

#[test]
fn an_abort_while_booking_waits_for_the_booking_stores_it_then_rejects() {
    let s = setup_with(5);
    let client = s.aborting_on(Method::Post);
    let error = block_on(ensure(&client, &*s.store, &request("listing-7"))).unwrap_err();
    assert_eq!(error.code(), ErrorCode::Aborted);
    assert_eq!(s.sent(), vec![post()]);
    assert_eq!(
        s.store.value("listing-7").as_deref(),
        Some("bk_1"),
        "no orphan"
    );
    // The next ensure finds it.
    s.forget_requests();
    let again = s.ensure(&request("listing-7")).unwrap();
    assert_eq!(again.action, EnsureAction::Reused);
    assert_eq!(s.sent(), vec![get("bk_1")]);
}

#[test]
fn an_abort_while_topping_up_waits_for_the_top_up() {
    let s = setup_with(5);
    s.ensure(&request("listing-7")).unwrap();
    s.server.set_left("bk_1", 10, 25);
    s.forget_requests();
    let client = s.aborting_on(Method::Put);
    let error = block_on(ensure(&client, &*s.store, &request("listing-7"))).unwrap_err();
    assert_eq!(error.code(), ErrorCode::Aborted);
    assert_eq!(s.sent(), vec![get("bk_1"), put("bk_1")]);
    assert_eq!(s.server.bookings.borrow()["bk_1"].seconds, 10 + SMALL.1);
}

#[test]
fn an_abort_before_anything_paid_stops_at_once_and_books_nothing() {
    let s = setup_with(5);
    s.ensure(&request("listing-7")).unwrap();
    s.server.bookings.borrow_mut().clear(); // the stored booking is gone: ensure would book
    s.forget_requests();
    let client = s.aborting_on(Method::Get);
    let error = block_on(ensure(&client, &*s.store, &request("listing-7"))).unwrap_err();
    assert_eq!(error.code(), ErrorCode::Aborted);
    assert_eq!(s.sent(), vec![get("bk_1")], "no POST after the abort");
}

#[test]
fn one_caller_aborting_a_shared_run_leaves_the_others_their_booking() {
    let s = setup_with(20);
    let ensurer = Ensurer::new();
    let store: Rc<dyn BookingStore> = s.store.clone();
    let cancel = Cancel::new();
    let impatient = s.client.with(CallOptions {
        cancel: Some(cancel.clone()),
        ..CallOptions::default()
    });
    let first = ensurer.ensure(&impatient, store.clone(), &request("listing-7"));
    let second = ensurer.ensure(&s.client, store.clone(), &request("listing-7"));
    cancel.abort();
    let results = block_on(join_all([first, second]));
    assert_eq!(results[0].as_ref().unwrap_err().code(), ErrorCode::Aborted);
    assert_eq!(results[1].as_ref().unwrap().action, EnsureAction::Booked);
    assert_eq!(s.count(Method::Post), 1);
}

/// Three callers share one run of `listing-7`; their signal fires when a `method` request arrives.
fn three_callers_all_aborted(s: &Setup, ensurer: &Ensurer, method: Method) {
    let store: Rc<dyn BookingStore> = s.store.clone();
    let client = s.aborting_on(method);
    let runs: Vec<_> = (0..3)
        .map(|_| ensurer.ensure(&client, store.clone(), &request("listing-7")))
        .collect();
    let results = block_on(join_all(runs));
    assert!(results
        .iter()
        .all(|r| r.as_ref().unwrap_err().code() == ErrorCode::Aborted));
}

#[test]
fn when_every_caller_of_a_shared_run_aborts_before_paying_nothing_is_booked() {
    let s = setup_with(20);
    s.ensure(&request("listing-7")).unwrap();
    s.server.bookings.borrow_mut().clear();
    s.forget_requests();
    let ensurer = Ensurer::new();
    three_callers_all_aborted(&s, &ensurer, Method::Get);
    assert_eq!(s.sent(), vec![get("bk_1")]);
    assert_eq!(ensurer.in_flight(), 0, "the stopped run is forgotten");
}

#[test]
fn when_every_caller_aborts_while_booking_the_booking_is_still_stored() {
    let s = setup_with(20);
    let ensurer = Ensurer::new();
    three_callers_all_aborted(&s, &ensurer, Method::Post);
    assert_eq!(s.count(Method::Post), 1);
    assert_eq!(s.store.value("listing-7").as_deref(), Some("bk_1"));
    assert_eq!(ensurer.in_flight(), 0);
}
