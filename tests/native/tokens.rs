//! Token caching, refresh, sharing and revocation, with a scripted transport and a fake clock.

use std::cell::{Cell, RefCell};
use std::future::Future;
use std::rc::Rc;

use crate::support::*;
use futures_util::future::join_all;
use proximus_api::{
    Call, Client, ClientOptions, Credentials, ErrorCode, LocalFuture, Method, ProvidedToken,
    Secret, TokenProvider, TokenStore,
};

fn api_call() -> Call {
    Call::new(
        Method::Get,
        format!("{BASE}/fmu/1.0.0/status?msisdn=32477121212"),
    )
}

#[test]
fn token_request_is_the_client_credentials_form() {
    let transport = with_token_endpoint(|_| json(200, "{}"));
    let clock = FakeClock::new();
    let token = block_on(client(&transport, &clock).token()).unwrap();
    assert_eq!(token.value.expose(), "tok-1");
    assert_eq!(token.scope, "openid");
    assert_eq!(token.expires_at_ms, Some(START_MS + 3_600_000));
    let sent = &transport.requests()[0];
    assert_eq!(sent.method, Method::Post);
    assert_eq!(sent.url, format!("{BASE}/token"));
    assert_eq!(
        sent.header("content-type"),
        Some("application/x-www-form-urlencoded")
    );
    assert_eq!(
        sent.body.as_deref(),
        Some(
            format!("grant_type=client_credentials&client_id=my-app&client_secret={SECRET}")
                .as_str()
        )
    );
    assert_eq!(sent.header("authorization"), None);
}

#[test]
fn basic_auth_sends_credentials_in_the_header_only() {
    let transport = with_token_endpoint(|_| json(200, "{}"));
    let options = ClientOptions {
        basic_auth: true,
        ..options()
    };
    let client = Client::new(options, transport.clone(), FakeClock::new()).unwrap();
    block_on(client.token()).unwrap();
    let sent = &transport.requests()[0];
    // base64("my-app:s3cret-value-123")
    assert_eq!(
        sent.header("authorization"),
        Some("Basic bXktYXBwOnMzY3JldC12YWx1ZS0xMjM=")
    );
    assert_eq!(sent.body.as_deref(), Some("grant_type=client_credentials"));
}

#[test]
fn the_token_is_cached_and_sent_as_bearer() {
    let transport = with_token_endpoint(|_| json(200, r#"{"ok":true}"#));
    let clock = FakeClock::new();
    let client = client(&transport, &clock);
    for _ in 0..3 {
        block_on(client.send(api_call())).unwrap();
    }
    assert_eq!(transport.count("/token"), 1);
    let api: Vec<_> = transport
        .requests()
        .into_iter()
        .filter(|r| r.url.contains("/fmu/"))
        .collect();
    assert_eq!(api.len(), 3);
    assert!(api
        .iter()
        .all(|r| r.header("authorization") == Some("Bearer tok-1")));
}

#[test]
fn the_token_is_refreshed_shortly_before_expiry() {
    let transport = with_token_endpoint(|_| json(200, "{}"));
    let clock = FakeClock::new();
    let client = client(&transport, &clock);
    block_on(client.send(api_call())).unwrap();
    clock.advance(3_600_000 - 61_000); // 61 s left: still fresh
    block_on(client.send(api_call())).unwrap();
    assert_eq!(transport.count("/token"), 1);
    clock.advance(2_000); // 59 s left: inside the 60 s margin
    block_on(client.send(api_call())).unwrap();
    assert_eq!(transport.count("/token"), 2);
    assert_eq!(
        transport.requests().last().unwrap().header("authorization"),
        Some("Bearer tok-2")
    );
}

#[test]
fn a_reissued_nearly_expired_token_is_not_asked_for_on_every_call() {
    // Single active token: the server hands back the same token with 30 s left.
    let transport = ScriptedTransport::new(|req| {
        if req.url.ends_with("/token") {
            token_answer("same", 30)
        } else {
            json(200, "{}")
        }
    });
    let clock = FakeClock::new();
    let client = client(&transport, &clock);
    for _ in 0..10 {
        block_on(client.send(api_call())).unwrap();
        clock.advance(1_000);
    }
    // Margin = a tenth of 30 s: one fetch covers the first 27 s.
    assert_eq!(transport.count("/token"), 1);
}

#[test]
fn fifty_concurrent_calls_share_one_token_request() {
    // Slow enough that all 50 callers ask for a token before the first answer arrives.
    let transport = with_token_endpoint(|_| json(200, "{}")).slow(100);
    let clock = FakeClock::new();
    let client = client(&transport, &clock);
    let results = block_on(join_all((0..50).map(|_| client.send(api_call()))));
    assert!(results.iter().all(Result::is_ok));
    assert_eq!(transport.count("/token"), 1);
    assert_eq!(transport.count("/fmu/"), 50);
}

#[test]
fn a_caller_that_gives_up_does_not_strand_the_others_waiting_for_the_token() {
    // The shared /token request is polled by whichever caller is polled: when the one that
    // started it is dropped half-way, the others still get the token (futures-util's `Shared`).
    let transport = with_token_endpoint(|_| json(200, "{}")).slow(5);
    let clock = FakeClock::new();
    let client = client(&transport, &clock);
    let noop = std::task::Waker::noop();
    let mut first = Box::pin(client.token());
    let polled = first
        .as_mut()
        .poll(&mut std::task::Context::from_waker(noop));
    assert!(polled.is_pending(), "the token request is in flight");
    let second = client.token();
    drop(first);
    assert!(block_on(second).is_ok());
    assert_eq!(transport.count("/token"), 1);
}

#[test]
fn concurrent_callers_all_get_the_token_error() {
    let transport = ScriptedTransport::new(|_| {
        json(
            401,
            r#"{"error":"invalid_client","error_description":"bad"}"#,
        )
    })
    .slow(20);
    let clock = FakeClock::new();
    let client = client(&transport, &clock);
    let results = block_on(join_all((0..5).map(|_| client.token())));
    assert!(results
        .iter()
        .all(|r| r.as_ref().unwrap_err().code() == ErrorCode::Unauthorized));
    assert_eq!(transport.count("/token"), 1);
}

#[test]
fn a_401_drops_the_token_refreshes_once_and_retries_once() {
    let api_calls = Rc::new(Cell::new(0));
    let seen = api_calls.clone();
    let transport = with_token_endpoint(move |_| {
        seen.set(seen.get() + 1);
        if seen.get() == 1 {
            json(
                401,
                r#"{"fault":{"code":900901,"message":"Invalid Credentials","description":"expired"}}"#,
            )
        } else {
            json(200, "{}")
        }
    });
    let clock = FakeClock::new();
    let client = client(&transport, &clock);
    block_on(client.send(api_call())).unwrap();
    assert_eq!(transport.count("/token"), 2);
    assert_eq!(api_calls.get(), 2);
    assert_eq!(
        transport.requests().last().unwrap().header("authorization"),
        Some("Bearer tok-2")
    );
    assert!(clock.sleeps().is_empty(), "a refresh is not a backoff");
}

#[test]
fn a_second_401_is_unauthorized() {
    let transport = with_token_endpoint(|_| {
        json(
            401,
            r#"{"fault":{"code":900901,"message":"Invalid Credentials","description":"nope"}}"#,
        )
    });
    let clock = FakeClock::new();
    let error = block_on(client(&transport, &clock).send(api_call())).unwrap_err();
    assert_eq!(error.code(), ErrorCode::Unauthorized);
    assert_eq!(error.status(), Some(401));
    assert_eq!(error.service_code(), Some("900901"));
    assert_eq!(transport.count("/token"), 2);
    assert_eq!(transport.count("/fmu/"), 2);
}

#[test]
fn a_permanent_token_is_never_refreshed() {
    let transport = ScriptedTransport::new(|_| {
        json(
            401,
            r#"{"fault":{"code":900901,"message":"Invalid Credentials"}}"#,
        )
    });
    let options = ClientOptions {
        credentials: Some(Credentials::Permanent(Secret::new("perm-123456"))),
        base_url: Some(BASE.into()),
        ..Default::default()
    };
    let client = Client::new(options, transport.clone(), FakeClock::new()).unwrap();
    let error = block_on(client.send(api_call())).unwrap_err();
    assert_eq!(error.code(), ErrorCode::Unauthorized);
    assert_eq!(transport.count("/token"), 0);
    assert_eq!(transport.requests().len(), 1);
    assert_eq!(
        transport.requests()[0].header("authorization"),
        Some("Bearer perm-123456")
    );
    assert_eq!(
        block_on(client.revoke()).unwrap_err().code(),
        ErrorCode::InvalidArgument
    );
}

struct Provider {
    calls: Cell<u32>,
    expires_at_ms: Option<u64>,
}

impl TokenProvider for Provider {
    fn token(&self) -> LocalFuture<'_, proximus_api::Result<ProvidedToken>> {
        self.calls.set(self.calls.get() + 1);
        let token = ProvidedToken {
            access_token: Secret::new(format!("broker-{}", self.calls.get())),
            expires_at_ms: self.expires_at_ms,
        };
        Box::pin(async move { Ok(token) })
    }
}

#[test]
fn get_token_answers_are_cached_and_asked_again_once_after_a_401() {
    let provider = Rc::new(Provider {
        calls: Cell::new(0),
        expires_at_ms: None,
    });
    let first = Rc::new(Cell::new(true));
    let transport = ScriptedTransport::new(move |_| {
        if first.replace(false) {
            json(401, "")
        } else {
            json(200, "{}")
        }
    });
    let options = ClientOptions {
        credentials: Some(Credentials::Provider(provider.clone())),
        base_url: Some(BASE.into()),
        ..Default::default()
    };
    let client = Client::new(options, transport.clone(), FakeClock::new()).unwrap();
    block_on(client.send(api_call())).unwrap();
    block_on(client.send(api_call())).unwrap();
    assert_eq!(provider.calls.get(), 2);
    let auth: Vec<_> = transport
        .requests()
        .iter()
        .map(|r| r.header("authorization").unwrap().to_string())
        .collect();
    assert_eq!(
        auth,
        ["Bearer broker-1", "Bearer broker-2", "Bearer broker-2"]
    );
}

#[test]
fn a_provided_token_with_expiry_is_refreshed_before_it() {
    let clock = FakeClock::new();
    let provider = Rc::new(Provider {
        calls: Cell::new(0),
        expires_at_ms: Some(START_MS + 600_000),
    });
    let transport = ScriptedTransport::new(|_| json(200, "{}"));
    let options = ClientOptions {
        credentials: Some(Credentials::Provider(provider.clone())),
        base_url: Some(BASE.into()),
        ..Default::default()
    };
    let client = Client::new(options, transport, clock.clone()).unwrap();
    block_on(client.token()).unwrap();
    clock.advance(500_000);
    block_on(client.token()).unwrap();
    assert_eq!(provider.calls.get(), 1);
    clock.advance(50_000); // 50 s left, inside the margin
    block_on(client.token()).unwrap();
    assert_eq!(provider.calls.get(), 2);
}

#[derive(Default)]
struct MemoryStore {
    value: RefCell<Option<ProvidedToken>>,
    sets: Cell<u32>,
}

impl TokenStore for MemoryStore {
    fn get(&self) -> LocalFuture<'_, proximus_api::Result<Option<ProvidedToken>>> {
        let value = self.value.borrow().clone();
        Box::pin(async move { Ok(value) })
    }
    fn set(&self, token: &ProvidedToken) -> LocalFuture<'_, proximus_api::Result<()>> {
        *self.value.borrow_mut() = Some(token.clone());
        self.sets.set(self.sets.get() + 1);
        Box::pin(async { Ok(()) })
    }
}

#[test]
fn a_token_store_is_shared_between_clients() {
    let store = Rc::new(MemoryStore::default());
    let transport = with_token_endpoint(|_| json(200, "{}"));
    let clock = FakeClock::new();
    let options = || ClientOptions {
        token_store: Some(store.clone()),
        ..options()
    };
    let a = Client::new(options(), transport.clone(), clock.clone()).unwrap();
    let b = Client::new(options(), transport.clone(), clock.clone()).unwrap();
    assert_eq!(block_on(a.token()).unwrap().value.expose(), "tok-1");
    assert_eq!(block_on(b.token()).unwrap().value.expose(), "tok-1");
    assert_eq!(transport.count("/token"), 1);
    assert_eq!(store.sets.get(), 1);
    assert_eq!(
        store.value.borrow().as_ref().unwrap().expires_at_ms,
        Some(START_MS + 3_600_000)
    );
}

#[test]
fn a_stored_token_the_server_refused_is_not_taken_again() {
    let store = Rc::new(MemoryStore::default());
    *store.value.borrow_mut() = Some(ProvidedToken {
        access_token: Secret::new("stale"),
        expires_at_ms: Some(START_MS + 3_000_000),
    });
    let transport = with_token_endpoint(|req| {
        if req.header("authorization") == Some("Bearer stale") {
            json(401, "")
        } else {
            json(200, "{}")
        }
    });
    let options = ClientOptions {
        token_store: Some(store.clone()),
        ..options()
    };
    let client = Client::new(options, transport.clone(), FakeClock::new()).unwrap();
    block_on(client.send(api_call())).unwrap();
    assert_eq!(transport.count("/token"), 1);
    assert_eq!(
        store.value.borrow().as_ref().unwrap().access_token.expose(),
        "tok-1"
    );
}

#[test]
fn an_expired_stored_token_is_not_used() {
    let store = Rc::new(MemoryStore::default());
    *store.value.borrow_mut() = Some(ProvidedToken {
        access_token: Secret::new("old"),
        expires_at_ms: Some(START_MS - 1),
    });
    let transport = with_token_endpoint(|_| json(200, "{}"));
    let options = ClientOptions {
        token_store: Some(store.clone()),
        ..options()
    };
    let client = Client::new(options, transport.clone(), FakeClock::new()).unwrap();
    assert_eq!(block_on(client.token()).unwrap().value.expose(), "tok-1");
}

#[test]
fn revoke_posts_the_form_and_forgets_the_token() {
    let transport = with_token_endpoint(|req| {
        if req.url.ends_with("/revoke") {
            json(200, "")
        } else {
            json(200, "{}")
        }
    });
    let clock = FakeClock::new();
    let client = client(&transport, &clock);
    block_on(client.token()).unwrap();
    block_on(client.revoke()).unwrap();
    let revoke = transport
        .requests()
        .into_iter()
        .find(|r| r.url.ends_with("/revoke"))
        .unwrap();
    assert_eq!(
        revoke.body.as_deref(),
        Some(format!("token=tok-1&client_id=my-app&client_secret={SECRET}").as_str())
    );
    assert_eq!(block_on(client.token()).unwrap().value.expose(), "tok-2");
}
