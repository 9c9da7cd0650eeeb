//! Which failures are retried, how often, and after how long.

use std::cell::RefCell;
use std::rc::Rc;

use crate::support::*;
use proximus_api::internals::config::CallOptions;
use proximus_api::{
    Call, Client, ClientOptions, ErrorCode, HttpResponse, Method, RetryEvent, TransportError,
};

fn get() -> Call {
    Call::new(
        Method::Get,
        format!("{BASE}/rentednumbers/1.0.0/bookings/bk_1"),
    )
}

fn book() -> Call {
    Call::json(
        Method::Post,
        format!("{BASE}/rentednumbers/1.0.0/bookings"),
        r#"{"destination":"32477121212"}"#.into(),
    )
    .billable("a booking may exist")
}

/// Answers `/token`, then serves `answers` to API calls in order.
fn api_answers(answers: Vec<Result<HttpResponse, TransportError>>) -> ScriptedTransport {
    let mut queue = answers.into_iter();
    with_token_endpoint(move |_| queue.next().expect("no more scripted answers"))
}

fn status(code: u16) -> Result<HttpResponse, TransportError> {
    json(
        code,
        r#"{"fault":{"code":101503,"message":"Runtime Error"}}"#,
    )
}

fn retry_after(code: u16, value: &str) -> Result<HttpResponse, TransportError> {
    let mut response = HttpResponse::new(
        code,
        r#"{"fault":{"code":900800,"message":"Message throttled out"}}"#,
    );
    response.retry_after = Some(value.into());
    Ok(response)
}

#[test]
fn transient_failures_of_a_get_are_retried_until_success() {
    for failure in [
        status(502),
        status(503),
        status(504),
        status(429),
        Err(TransportError::Timeout),
        Err(TransportError::Network("reset".into())),
    ] {
        let transport = api_answers(vec![failure.clone(), failure, json(200, "{}")]);
        let clock = FakeClock::new();
        block_on(client(&transport, &clock).send(get())).unwrap();
        assert_eq!(transport.count("/bookings"), 3);
        assert_eq!(clock.sleeps().len(), 2);
    }
}

#[test]
fn retries_stop_at_max_retries_with_the_last_error() {
    let transport = api_answers(vec![status(503), status(503), status(503), status(503)]);
    let clock = FakeClock::new();
    let error = block_on(client(&transport, &clock).send(get())).unwrap_err();
    assert_eq!(error.code(), ErrorCode::Unavailable);
    assert_eq!(error.status(), Some(503));
    assert!(error.retryable());
    assert_eq!(transport.count("/bookings"), 3, "default maxRetries is 2");

    let transport = api_answers(vec![status(503), status(503)]);
    let options = ClientOptions {
        max_retries: Some(0.0),
        ..options()
    };
    let client = Client::new(options, transport.clone(), FakeClock::new()).unwrap();
    block_on(client.send(get())).unwrap_err();
    assert_eq!(transport.count("/bookings"), 1);
}

#[test]
fn permanent_failures_are_not_retried() {
    for (code, expected) in [
        (400, ErrorCode::BadRequest),
        (403, ErrorCode::Forbidden),
        (404, ErrorCode::NotFound),
        (409, ErrorCode::Conflict),
        (500, ErrorCode::ServerError),
    ] {
        let transport = api_answers(vec![status(code)]);
        let clock = FakeClock::new();
        let error = block_on(client(&transport, &clock).send(get())).unwrap_err();
        assert_eq!(error.code(), expected, "status {code}");
        assert!(!error.retryable());
        assert_eq!(transport.count("/bookings"), 1);
        assert!(clock.sleeps().is_empty());
    }
}

#[test]
fn retry_after_seconds_and_dates_are_honoured() {
    let transport = api_answers(vec![
        retry_after(429, "3"),
        retry_after(503, "Mon, 23 Nov 2026 10:00:07 GMT"),
        json(200, "{}"),
    ]);
    let clock = FakeClock::new(); // 2026-11-23T10:00:00Z
    block_on(client(&transport, &clock).send(get())).unwrap();
    // 3 s, then the date is 7 s after the start and 3 s have passed: 4 s.
    assert_eq!(clock.sleeps(), [3_000, 4_000]);
}

#[test]
fn retry_after_is_honoured_in_the_rfc_850_and_asctime_forms_too() {
    // RFC 9110 §5.6.7: a recipient must accept all three forms of an HTTP date.
    let transport = api_answers(vec![
        retry_after(503, "Monday, 23-Nov-26 10:00:05 GMT"),
        retry_after(429, "Mon Nov 23 10:00:12 2026"),
        json(200, "{}"),
    ]);
    let clock = FakeClock::new(); // 2026-11-23T10:00:00Z
    block_on(client(&transport, &clock).send(get())).unwrap();
    // 5 s after the start; then 12 s after the start, 5 s having passed: 7 s.
    assert_eq!(clock.sleeps(), [5_000, 7_000]);
}

#[test]
fn a_retry_after_beyond_a_minute_is_returned_not_waited_for() {
    let transport = api_answers(vec![retry_after(429, "3600")]);
    let clock = FakeClock::new();
    let error = block_on(client(&transport, &clock).send(get())).unwrap_err();
    assert_eq!(error.code(), ErrorCode::RateLimited);
    assert_eq!(error.retry_after_ms(), Some(3_600_000));
    assert!(clock.sleeps().is_empty());
}

#[test]
fn backoff_is_exponential_with_full_jitter_within_bounds() {
    let options = ClientOptions {
        max_retries: Some(6.0),
        ..options()
    };
    for _ in 0..20 {
        let transport = api_answers((0..7).map(|_| status(503)).collect());
        let clock = FakeClock::new();
        clock.advance(rand_seed());
        let client = Client::new(options.clone(), transport, clock.clone()).unwrap();
        block_on(client.send(get())).unwrap_err();
        let sleeps = clock.sleeps();
        assert_eq!(sleeps.len(), 6);
        for (attempt, ms) in sleeps.iter().enumerate() {
            let ceiling = (250u64 << attempt).min(8_000);
            assert!(*ms < ceiling, "attempt {attempt}: {ms} ms >= {ceiling}");
        }
    }
}

fn rand_seed() -> u64 {
    use std::hash::{BuildHasher, RandomState};
    RandomState::new().hash_one(0u8) % 1_000_000
}

#[test]
fn on_retry_sees_each_retry() {
    let events: Rc<RefCell<Vec<RetryEvent>>> = Rc::default();
    let seen = events.clone();
    let options = ClientOptions {
        on_retry: Some(Rc::new(move |e: &RetryEvent| {
            seen.borrow_mut().push(e.clone())
        })),
        ..options()
    };
    let transport = api_answers(vec![retry_after(429, "1"), status(502), json(200, "{}")]);
    let clock = FakeClock::new();
    let client = Client::new(options, transport, clock.clone()).unwrap();
    block_on(client.send(get())).unwrap();
    let events = events.borrow();
    assert_eq!(events.iter().map(|e| e.attempt).collect::<Vec<_>>(), [1, 2]);
    assert_eq!(events[0].delay_ms, 1_000);
    assert_eq!(events[0].error.code(), ErrorCode::RateLimited);
    assert_eq!(events[1].error.code(), ErrorCode::Unavailable);
    assert_eq!(
        events.iter().map(|e| e.delay_ms).collect::<Vec<_>>(),
        clock.sleeps()
    );
}

#[test]
fn a_booking_is_never_repeated_after_an_ambiguous_failure() {
    for failure in [
        status(502),
        status(504),
        Err(TransportError::Timeout),
        Err(TransportError::Network("connection reset".into())),
    ] {
        let transport = api_answers(vec![failure, json(201, "{}")]);
        let clock = FakeClock::new();
        let error = block_on(client(&transport, &clock).send(book())).unwrap_err();
        assert!(error.outcome_unknown(), "{error}");
        assert!(!error.retryable(), "a retry could pay twice: {error}");
        assert!(error.message().contains("a booking may exist"), "{error}");
        assert_eq!(transport.count("/bookings"), 1, "{error}");
    }
}

#[test]
fn a_503_says_the_booking_was_not_made() {
    let transport = api_answers(vec![status(503), json(201, "{}")]);
    let clock = FakeClock::new();
    let error = block_on(client(&transport, &clock).send(book())).unwrap_err();
    assert!(!error.outcome_unknown(), "{error}");
    assert!(error.retryable(), "{error}");
    assert_eq!(transport.count("/bookings"), 1);
}

#[test]
fn a_safe_call_failing_ambiguously_keeps_a_known_outcome() {
    let transport = api_answers(vec![Err(TransportError::Timeout)]);
    let clock = FakeClock::new();
    let client = client(&transport, &clock).with(CallOptions {
        max_retries: Some(0),
        ..Default::default()
    });
    let error = block_on(client.send(get())).unwrap_err();
    assert!(!error.outcome_unknown() && error.retryable(), "{error}");
}

#[test]
fn a_throttled_booking_is_retried() {
    let transport = api_answers(vec![retry_after(429, "1"), json(201, "{}")]);
    let clock = FakeClock::new();
    block_on(client(&transport, &clock).send(book())).unwrap();
    assert_eq!(transport.count("/bookings"), 2);
}

#[test]
fn every_attempt_carries_the_timeout() {
    let transport = api_answers(vec![
        Err(TransportError::Timeout),
        Err(TransportError::Timeout),
        Err(TransportError::Timeout),
    ]);
    let options = ClientOptions {
        timeout_ms: Some(1_500.0),
        ..options()
    };
    let client = Client::new(options, transport.clone(), FakeClock::new()).unwrap();
    let error = block_on(client.send(get())).unwrap_err();
    assert_eq!(error.code(), ErrorCode::Timeout);
    assert!(error.message().contains("1500 ms"), "{}", error.message());
    assert!(transport.requests().iter().all(|r| r.timeout_ms == 1_500));
    assert_eq!(transport.count("/bookings"), 3);
}

#[test]
fn the_default_timeout_is_ten_seconds() {
    let transport = api_answers(vec![json(200, "{}")]);
    block_on(client(&transport, &FakeClock::new()).send(get())).unwrap();
    assert!(transport.requests().iter().all(|r| r.timeout_ms == 10_000));
}
