//! Per-call options: a fired `Cancel` ends the call wherever it waits and sends nothing more;
//! `timeout_ms` and `max_retries` override the client's for that call only.

use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll};

use crate::support::*;
use proximus_api::internals::cancel::Cancel;
use proximus_api::internals::config::CallOptions;
use proximus_api::{Call, Client, ClientOptions, Credentials, ErrorCode, Method, Secret};

fn get() -> Call {
    Call::new(
        Method::Get,
        format!("{BASE}/rentednumbers/1.0.0/bookings/bk_1"),
    )
}

fn cancellable(cancel: &Cancel) -> CallOptions {
    CallOptions {
        cancel: Some(cancel.clone()),
        ..CallOptions::default()
    }
}

type Boxed<T> = Pin<Box<dyn Future<Output = T>>>;

/// Polls once with a waker that does nothing: the tests step the calls by hand.
fn poll<T>(future: &mut Boxed<T>) -> Poll<T> {
    future
        .as_mut()
        .poll(&mut Context::from_waker(std::task::Waker::noop()))
}

fn poll_until_ready<T>(future: &mut Boxed<T>) -> T {
    for _ in 0..1000 {
        if let Poll::Ready(output) = poll(future) {
            return output;
        }
    }
    panic!("still pending after 1000 polls");
}

fn permanent_client(
    transport: &ScriptedTransport,
    clock: &FakeClock,
    max_concurrent: f64,
) -> Client<ScriptedTransport, FakeClock> {
    let options = ClientOptions {
        credentials: Some(Credentials::Permanent(Secret::new("permanent-token-1"))),
        base_url: Some(BASE.into()),
        max_concurrent_requests: Some(max_concurrent),
        ..Default::default()
    };
    Client::new(options, transport.clone(), clock.clone()).unwrap()
}

#[test]
fn an_aborted_signal_rejects_at_once_and_sends_nothing() {
    let transport = with_token_endpoint(|_| json(200, "{}"));
    let clock = FakeClock::new();
    let cancel = Cancel::new();
    cancel.abort();
    let client = client(&transport, &clock).with(cancellable(&cancel));
    let error = block_on(client.send(get())).unwrap_err();
    assert_eq!(error.code(), ErrorCode::Aborted);
    assert!(!error.retryable());
    assert!(
        transport.requests().is_empty(),
        "nothing is sent, not even /token"
    );
    let error = block_on(client.token()).unwrap_err();
    assert_eq!(error.code(), ErrorCode::Aborted);
}

#[test]
fn an_abort_in_flight_ends_the_call_and_nothing_more_is_sent() {
    let cancel = Cancel::new();
    let fire = cancel.clone();
    // The answer takes 5 polls; the signal fires as the request leaves.
    let transport = with_token_endpoint(move |_| {
        fire.abort();
        json(503, "{}")
    })
    .slow(5);
    let clock = FakeClock::new();
    let client = client(&transport, &clock).with(cancellable(&cancel));
    let mut call: Boxed<_> = Box::pin(async move { client.send(get()).await });
    let error = poll_until_ready(&mut call).unwrap_err();
    assert_eq!(error.code(), ErrorCode::Aborted);
    assert_eq!(
        transport.api_requests().len(),
        1,
        "no retry after the abort"
    );
    assert!(clock.sleeps().is_empty());
}

#[test]
fn an_abort_during_a_backoff_sends_no_further_attempt() {
    let cancel = Cancel::new();
    let fire = cancel.clone();
    let transport = with_token_endpoint(|_| json(503, "{}"));
    let clock = FakeClock::new();
    // The retry hook runs just before the backoff: aborting there is aborting in the backoff
    // (the fake clock's sleeps end at once, so nothing else could come between).
    let options = ClientOptions {
        on_retry: Some(Rc::new(move |_| fire.abort())),
        ..options()
    };
    let client = Client::new(options, transport.clone(), clock.clone())
        .unwrap()
        .with(cancellable(&cancel));
    let error = block_on(client.send(get())).unwrap_err();
    assert_eq!(error.code(), ErrorCode::Aborted);
    assert_eq!(transport.api_requests().len(), 1);
}

#[test]
fn an_abort_while_queued_gives_up_the_turn_and_sends_nothing() {
    let transport = ScriptedTransport::new(|_| json(200, "{}")).slow(20);
    let clock = FakeClock::new();
    let client = permanent_client(&transport, &clock, 1.0);
    let holder = client.clone();
    let mut first: Boxed<_> = Box::pin(async move { holder.send(get()).await });
    assert!(
        poll(&mut first).is_pending(),
        "the first call holds the one place"
    );
    let cancel = Cancel::new();
    let queued = client.with(cancellable(&cancel));
    let mut second: Boxed<_> = Box::pin(async move { queued.send(get()).await });
    assert!(
        poll(&mut second).is_pending(),
        "the second waits behind the gate"
    );
    cancel.abort();
    let error = poll_until_ready(&mut second).unwrap_err();
    assert_eq!(error.code(), ErrorCode::Aborted);
    poll_until_ready(&mut first).unwrap();
    assert_eq!(
        transport.requests().len(),
        1,
        "the aborted call sent nothing"
    );
    // Its place was not lost: a third call goes through.
    block_on(client.send(get())).unwrap();
    assert_eq!(transport.requests().len(), 2);
}

#[test]
fn an_abort_while_waiting_for_the_shared_token_leaves_the_other_callers_alone() {
    let transport = with_token_endpoint(|_| json(200, "{}")).slow(10);
    let clock = FakeClock::new();
    let client = client(&transport, &clock);
    let patient = client.clone();
    let mut first: Boxed<_> = Box::pin(async move { patient.send(get()).await });
    let cancel = Cancel::new();
    let impatient = client.with(cancellable(&cancel));
    let mut second: Boxed<_> = Box::pin(async move { impatient.send(get()).await });
    assert!(poll(&mut first).is_pending());
    assert!(poll(&mut second).is_pending());
    assert_eq!(transport.count("/token"), 1, "both wait for one /token");
    cancel.abort();
    assert_eq!(
        poll_until_ready(&mut second).unwrap_err().code(),
        ErrorCode::Aborted
    );
    poll_until_ready(&mut first).unwrap();
    assert_eq!(transport.count("/token"), 1);
    assert_eq!(
        transport.api_requests().len(),
        1,
        "only the patient caller's request"
    );
}

#[test]
fn per_call_timeout_and_retries_override_the_clients_for_that_call_only() {
    let transport = with_token_endpoint(|_| json(503, "{}"));
    let clock = FakeClock::new();
    let client = client(&transport, &clock);
    let once = client.with(CallOptions {
        timeout_ms: Some(1234),
        max_retries: Some(0),
        ..CallOptions::default()
    });
    block_on(once.send(get())).unwrap_err();
    let sent = transport.api_requests();
    assert_eq!(sent.len(), 1, "maxRetries 0: one attempt");
    assert_eq!(sent[0].timeout_ms, 1234);
    block_on(client.send(get())).unwrap_err();
    let sent = transport.api_requests();
    assert_eq!(sent.len(), 4, "the client's own 2 retries again");
    assert_eq!(sent[3].timeout_ms, 10_000);
}

#[test]
fn per_call_numbers_are_checked_like_the_clients() {
    for (timeout, retries, named) in [
        (Some(0.0), None, "timeoutMs"),
        (Some(1.5), None, "timeoutMs"),
        (None, Some(11.0), "maxRetries"),
        (None, Some(-1.0), "maxRetries"),
    ] {
        let error = CallOptions::checked(None, timeout, retries).unwrap_err();
        assert_eq!(error.code(), ErrorCode::InvalidArgument);
        assert!(error.message().starts_with(named), "{}", error.message());
    }
    let ok = CallOptions::checked(None, Some(600_000.0), Some(0.0)).unwrap();
    assert_eq!((ok.timeout_ms, ok.max_retries), (Some(600_000), Some(0)));
}

#[test]
fn an_abort_is_one_error_for_every_waiter_of_one_signal() {
    // One signal may serve several calls (a Worker's request.signal): all of them end.
    let cancel = Cancel::new();
    let transport = with_token_endpoint(|_| json(200, "{}")).slow(50);
    let clock = FakeClock::new();
    let client = client(&transport, &clock).with(cancellable(&cancel));
    let mut calls: Vec<Boxed<proximus_api::Result<proximus_api::HttpResponse>>> = (0..3)
        .map(|_| {
            let client = client.clone();
            Box::pin(async move { client.send(get()).await }) as Boxed<_>
        })
        .collect();
    for call in calls.iter_mut() {
        assert!(poll(call).is_pending());
    }
    cancel.abort();
    for call in calls.iter_mut() {
        assert_eq!(
            poll_until_ready(call).unwrap_err().code(),
            ErrorCode::Aborted
        );
    }
}

#[test]
fn the_call_that_starts_the_shared_token_request_lends_it_its_timeout_and_retries() {
    let transport = ScriptedTransport::new(|_| json(503, "{}"));
    let clock = FakeClock::new();
    let client = client(&transport, &clock).with(CallOptions {
        timeout_ms: Some(250),
        max_retries: Some(0),
        ..CallOptions::default()
    });
    let error = block_on(client.token()).unwrap_err();
    assert_eq!(error.code(), ErrorCode::Unavailable);
    let sent = transport.requests();
    assert_eq!(
        sent.len(),
        1,
        "maxRetries 0 applies to the /token it started"
    );
    assert_eq!(sent[0].timeout_ms, 250);
}
