//! The driver: sends calls through the transport with a token, retries what may be retried,
//! and keeps the one token every concurrent call shares.

use std::cell::{Cell, RefCell};
use std::future::Future;
use std::rc::Rc;

use futures_util::future::{FutureExt, LocalBoxFuture, Shared};

use super::cancel::{aborted, race};
use super::clock::Clock;
use super::codec::time::parse_http_date;
use super::config::{CallOptions, ClientOptions, Config, Credentials, ProvidedToken, RetryEvent};
use super::errors::answers::{error_from_response, error_from_transport};
use super::errors::{redact_text, ErrorCode, ProximusError, Result};
use super::gate::Gate;
use super::log::{shown_request, LogLevel};
use super::retry::{delay_ms, may_retry, Idempotency, Jitter};
use super::secret::Secret;
use super::tokens::{parse_token, revoke_request, token_request, AccessToken};
use super::transport::{HttpRequest, HttpResponse, Method, Transport};

/// One API call: the request (without `Authorization`), whether it needs a token, and how safe
/// it is to repeat.
#[derive(Clone, Debug)]
pub struct Call {
    /// The request; the client sets its timeout and bearer.
    pub request: HttpRequest,
    /// Send `Authorization: Bearer …`.
    pub auth: bool,
    /// Retry policy.
    pub idempotency: Idempotency,
    /// A 404 after an ambiguous failed attempt means the first attempt did the job (a DELETE
    /// whose answer was lost): success, not `not_found`.
    pub gone_is_done: bool,
    /// A 404 is an answer for the exchange to read, not `not_found`: a lookup whose "there is
    /// none" is itself the result.
    pub absent_is_answer: bool,
}

impl Call {
    /// An authorized call with no body.
    pub fn new(method: Method, url: String) -> Self {
        let request = HttpRequest {
            method,
            url,
            headers: vec![("Accept", "application/json".to_string())],
            body: None,
            timeout_ms: 0,
        };
        Call {
            request,
            auth: true,
            idempotency: Idempotency::Safe,
            gone_is_done: false,
            absent_is_answer: false,
        }
    }

    /// An authorized call with a JSON body.
    pub fn json(method: Method, url: String, body: String) -> Self {
        let mut call = Call::new(method, url);
        call.request
            .headers
            .push(("Content-Type", "application/json".to_string()));
        call.request.body = Some(body);
        call
    }

    /// Marks a DELETE: once an attempt may have reached the server, a later 404 is success.
    pub fn gone_is_done(mut self) -> Self {
        self.gone_is_done = true;
        self
    }

    /// Marks a lookup whose 404 its exchange reads as an answer.
    pub fn absent_is_answer(mut self) -> Self {
        self.absent_is_answer = true;
        self
    }

    /// Marks the call as costing money (never repeated after an ambiguous failure, which then
    /// fails with an unknown outcome naming `effect`).
    pub fn billable(mut self, effect: &'static str) -> Self {
        self.idempotency = Idempotency::Billable { effect };
        self
    }

    fn unauthenticated(request: HttpRequest) -> Self {
        Call {
            request,
            auth: false,
            idempotency: Idempotency::Safe,
            gone_is_done: false,
            absent_is_answer: false,
        }
    }
}

/// One exchange with the platform planned in full before anything is sent: the call (every
/// argument already checked) and how its answer is read. Planning is synchronous, so one async
/// path, [`Client::exchange`], drives every single-request endpoint.
pub struct Exchange<R> {
    call: Call,
    read: Reader<R>,
}

/// How an exchange reads its answer.
type Reader<R> = Box<dyn FnOnce(&HttpResponse) -> Result<R>>;

impl<R: 'static> Exchange<R> {
    /// `call`, whose answer `read` turns into the result.
    pub fn new(call: Call, read: impl FnOnce(&HttpResponse) -> Result<R> + 'static) -> Self {
        Exchange {
            call,
            read: Box::new(read),
        }
    }

    /// The call that will be sent.
    pub fn call(&self) -> &Call {
        &self.call
    }

    /// The result read from `response` (what [`Client::exchange`] does once it has one).
    pub fn read(self, response: &HttpResponse) -> Result<R> {
        (self.read)(response)
    }

    /// The same exchange with its result turned into another.
    pub fn map<S>(self, then: impl FnOnce(R) -> Result<S> + 'static) -> Exchange<S> {
        let read = self.read;
        Exchange {
            call: self.call,
            read: Box::new(move |response: &HttpResponse| then(read(response)?)),
        }
    }
}

type TokenFetch = Shared<LocalBoxFuture<'static, Result<Rc<AccessToken>>>>;

#[derive(Default)]
struct TokenState {
    current: Option<Rc<AccessToken>>,
    /// The one `/token` (or `getToken`) in flight, which every caller awaits.
    pending: Option<TokenFetch>,
    /// The last token the server refused or we revoked: never taken from the store again.
    rejected: Option<Secret>,
}

struct Inner<T, C> {
    config: Config,
    transport: T,
    clock: C,
    jitter: Jitter,
    tokens: RefCell<TokenState>,
    /// `maxConcurrentRequests`: requests past it wait here, before their timeout starts.
    gate: Gate,
    /// The platform's clock minus ours, from the `Date` of the latest answer that had one.
    platform_offset_ms: Cell<Option<i64>>,
}

/// The Proximus client, generic over how it sends requests and tells time. A clone shares
/// the token, the gate and the configuration; [`Client::with`] gives one whose requests follow
/// a call's own options.
pub struct Client<T: Transport + 'static, C: Clock + 'static> {
    inner: Rc<Inner<T, C>>,
    per_call: CallOptions,
}

impl<T: Transport + 'static, C: Clock + 'static> Clone for Client<T, C> {
    fn clone(&self) -> Self {
        Client {
            inner: self.inner.clone(),
            per_call: self.per_call.clone(),
        }
    }
}

impl<T: Transport + 'static, C: Clock + 'static> std::fmt::Debug for Client<T, C> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("credentials", &self.inner.config.credentials)
            .field("token_url", &self.inner.config.token_url)
            .finish_non_exhaustive()
    }
}

impl<T: Transport + 'static, C: Clock + 'static> Client<T, C> {
    /// A client; fails with `invalid_argument` naming the bad option.
    pub fn new(options: ClientOptions, transport: T, clock: C) -> Result<Self> {
        let config = Config::new(options)?;
        let jitter = Jitter::new(clock.now_ms() ^ 0x9E37_79B9_7F4A_7C15);
        let inner = Inner {
            gate: Gate::new(config.max_concurrent_requests),
            config,
            transport,
            clock,
            jitter,
            tokens: RefCell::default(),
            platform_offset_ms: Cell::new(None),
        };
        Ok(Client {
            inner: Rc::new(inner),
            per_call: CallOptions::default(),
        })
    }

    /// This client for one call: every request it sends follows `options` (its signal,
    /// timeout and retries) instead of the client's settings.
    pub fn with(&self, options: CallOptions) -> Self {
        Client {
            inner: self.inner.clone(),
            per_call: options,
        }
    }

    /// The call's own options.
    pub fn call_options(&self) -> &CallOptions {
        &self.per_call
    }

    /// The same client whose requests no signal can abort (for work that must finish once
    /// started, such as recording a booking that was paid for).
    pub fn uncancellable(&self) -> Self {
        let mut per_call = self.per_call.clone();
        per_call.cancel = None;
        self.with(per_call)
    }

    /// Fails with `aborted` if the call's signal has fired.
    pub fn check_aborted(&self) -> Result<()> {
        if self.per_call.is_aborted() {
            return Err(aborted());
        }
        Ok(())
    }

    /// The checked configuration.
    pub fn config(&self) -> &Config {
        &self.inner.config
    }

    /// The clock's time.
    pub fn now_ms(&self) -> u64 {
        self.inner.clock.now_ms()
    }

    /// Waits for `work` that another call started and drives (see
    /// [`Config::wait_on_own_timers`]): awaited as it is, or checked on this call's own timers.
    pub async fn wait_for_others<F: Future + Unpin>(&self, work: F) -> F::Output {
        wait_for_others(&self.inner, work).await
    }

    /// The platform's time, in epoch ms: this clock corrected by the `Date` of the latest
    /// answer (which has whole seconds), or this clock alone before any answer had one. Expiry
    /// is the platform's call, and the local clock may be off by minutes.
    pub fn platform_now_ms(&self) -> i64 {
        let offset = self.inner.platform_offset_ms.get().unwrap_or(0);
        self.inner.local_ms().saturating_add(offset)
    }

    /// A token to use now: the cached one while fresh, else one shared fetch.
    pub async fn token(&self) -> Result<Rc<AccessToken>> {
        race(
            self.per_call.cancel.as_ref(),
            bearer(&self.inner, &self.per_call),
        )
        .await?
    }

    /// Revokes the active token (`POST /revoke`) and forgets it.
    pub async fn revoke(&self) -> Result<()> {
        let Credentials::ClientCredentials {
            client_id,
            client_secret,
        } = &self.inner.config.credentials
        else {
            return Err(ProximusError::invalid(
                "revoke needs clientId and clientSecret: permanent tokens are deleted in the portal, \
                 tokens from getToken by whoever issued them",
            ));
        };
        let token = self.token().await?;
        let config = &self.inner.config;
        let request = revoke_request(
            &config.revoke_url,
            client_id,
            client_secret,
            &token.value,
            config.basic_auth,
        );
        self.send(Call::unauthenticated(request)).await?;
        self.inner.forget(&token.value);
        Ok(())
    }

    /// Sends `call` with a token, retrying per its policy; any non-2xx answer is an error.
    pub async fn send(&self, call: Call) -> Result<HttpResponse> {
        // One race for the whole exchange: an abort drops it wherever it waits (for the token,
        // a place behind the gate, the answer, a backoff), which gives back what it held.
        race(
            self.per_call.cancel.as_ref(),
            send(&self.inner, call, &self.per_call),
        )
        .await?
    }

    /// Sends the exchange's call and reads its answer.
    pub async fn exchange<R: 'static>(&self, exchange: Exchange<R>) -> Result<R> {
        let Exchange { call, read } = exchange;
        let response = self.send(call).await?;
        read(&response)
    }
}

impl<T: Transport, C: Clock> Inner<T, C> {
    /// This clock's time as the platform's instants are kept (signed epoch ms).
    fn local_ms(&self) -> i64 {
        i64::try_from(self.clock.now_ms()).unwrap_or(i64::MAX)
    }

    /// Drops `token` if it is still the current one, and never takes it from the store again.
    fn forget(&self, token: &Secret) {
        let mut state = self.tokens.borrow_mut();
        if state.current.as_ref().is_some_and(|t| &t.value == token) {
            state.current = None;
        }
        state.rejected = Some(token.clone());
    }

    /// Whether a 401 can be cured by asking for another token.
    fn can_refresh(&self) -> bool {
        !matches!(self.config.credentials, Credentials::Permanent(_))
    }

    /// The secret this client was configured with: its client secret or permanent token.
    fn credential(&self) -> Option<&Secret> {
        match &self.config.credentials {
            Credentials::ClientCredentials { client_secret, .. } => Some(client_secret),
            Credentials::Permanent(token) => Some(token),
            Credentials::Provider(_) => None,
        }
    }

    /// `body` without the credential or `bearer` (the token this very request carried; not any
    /// token, so that `/token` can still hand out the current one).
    fn scrub(&self, body: String, bearer: Option<&Secret>) -> String {
        self.credential()
            .into_iter()
            .chain(bearer)
            .map(Secret::expose)
            .filter(|secret| secret.len() >= 4)
            .fold(body, redact_text)
    }

    /// Removes every secret this client knows from an error message.
    fn redact(&self, error: ProximusError) -> ProximusError {
        let state = self.tokens.borrow();
        self.credential()
            .into_iter()
            .chain(state.current.iter().map(|t| &t.value))
            .chain(state.rejected.iter())
            .fold(error, |error, secret| error.redact(secret.expose()))
    }

    fn token_from(&self, token: ProvidedToken) -> AccessToken {
        match token.expires_at_ms {
            Some(at) => {
                let now = self.clock.now_ms();
                AccessToken::expiring(
                    token.access_token,
                    "Bearer".into(),
                    String::new(),
                    now,
                    at.saturating_sub(now),
                )
            }
            None => AccessToken::lasting(token.access_token),
        }
    }
}

/// `work` started by another call, awaited (its completion wakes this call), or, on Workers,
/// checked on this call's own timers so that this call resumes in its own request's context.
async fn wait_for_others<T: Transport, C: Clock, F: Future + Unpin>(
    inner: &Inner<T, C>,
    mut work: F,
) -> F::Output {
    if !inner.config.wait_on_own_timers {
        return work.await;
    }
    let mut tick = FIRST_TICK_MS;
    loop {
        // Polled with a no-op waker: if its starter went away, this drives it instead.
        if let Some(done) = (&mut work).now_or_never() {
            return done;
        }
        inner.clock.sleep(tick).await;
        tick = (tick * 2).min(LAST_TICK_MS);
    }
}

/// The first and the longest wait between two checks on a call's own timers (milliseconds).
const FIRST_TICK_MS: u64 = 1;
const LAST_TICK_MS: u64 = 8;

async fn bearer<T: Transport + 'static, C: Clock + 'static>(
    inner: &Rc<Inner<T, C>>,
    settings: &CallOptions,
) -> Result<Rc<AccessToken>> {
    let (fetch, started) = {
        let mut state = inner.tokens.borrow_mut();
        if let Some(token) = &state.current {
            if token.is_fresh(inner.clock.now_ms()) {
                return Ok(token.clone());
            }
        }
        match &state.pending {
            Some(fetch) => (fetch.clone(), false),
            None => {
                // The call that starts the shared request lends it its timeout and retries,
                // never its signal: the others waiting for it must not be aborted with it.
                let settings = CallOptions {
                    cancel: None,
                    ..settings.clone()
                };
                let fetch = fetch_token(inner.clone(), settings).boxed_local().shared();
                state.pending = Some(fetch.clone());
                (fetch, true)
            }
        }
    };
    if started {
        fetch.await
    } else {
        wait_for_others(inner, fetch).await
    }
}

/// The single shared token fetch; it records its own outcome.
async fn fetch_token<T: Transport + 'static, C: Clock + 'static>(
    inner: Rc<Inner<T, C>>,
    settings: CallOptions,
) -> Result<Rc<AccessToken>> {
    let result = obtain_token(&inner, &settings).await.map(Rc::new);
    let mut state = inner.tokens.borrow_mut();
    state.pending = None;
    if let Ok(token) = &result {
        state.current = Some(token.clone());
    }
    result
}

async fn obtain_token<T: Transport + 'static, C: Clock + 'static>(
    inner: &Rc<Inner<T, C>>,
    settings: &CallOptions,
) -> Result<AccessToken> {
    let config = &inner.config;
    match &config.credentials {
        Credentials::Permanent(token) => Ok(AccessToken::lasting(token.clone())),
        Credentials::Provider(provider) => Ok(inner.token_from(provider.token().await?)),
        Credentials::ClientCredentials {
            client_id,
            client_secret,
        } => {
            if let Some(token) = stored_token(inner).await {
                return Ok(token);
            }
            let request = token_request(
                &config.token_url,
                client_id,
                client_secret,
                config.basic_auth,
            );
            let response = send(inner, Call::unauthenticated(request), settings).await?;
            let token = parse_token::<T::Json>(&response, inner.clock.now_ms())?;
            config
                .log
                .write(LogLevel::Info, || match token.expires_at_ms {
                    Some(at) => format!(
                        "new token, valid for {} s",
                        at.saturating_sub(inner.clock.now_ms()) / 1000
                    ),
                    None => "new token, without expiry".into(),
                });
            if let Some(store) = &config.token_store {
                let shared = ProvidedToken {
                    access_token: token.value.clone(),
                    expires_at_ms: token.expires_at_ms,
                };
                // A store that fails only costs other isolates a `/token` call of their own.
                let _ = store.set(&shared).await;
            }
            Ok(token)
        }
    }
}

/// A fresh token from the shared store that the server has not refused, if there is one.
async fn stored_token<T: Transport + 'static, C: Clock + 'static>(
    inner: &Rc<Inner<T, C>>,
) -> Option<AccessToken> {
    let stored = inner.config.token_store.as_ref()?.get().await.ok()??;
    if inner.tokens.borrow().rejected.as_ref() == Some(&stored.access_token) {
        return None;
    }
    stored.expires_at_ms?;
    let token = inner.token_from(stored);
    token.is_fresh(inner.clock.now_ms()).then_some(token)
}

async fn send<T: Transport + 'static, C: Clock + 'static>(
    inner: &Rc<Inner<T, C>>,
    call: Call,
    per_call: &CallOptions,
) -> Result<HttpResponse> {
    let config = &inner.config;
    let log = &config.log;
    let timeout_ms = per_call.timeout_ms.unwrap_or(config.timeout_ms);
    let max_retries = per_call.max_retries.unwrap_or(config.max_retries);
    let mut attempt = 0;
    let mut refreshed = false;
    // Whether an earlier attempt may have reached the server and acted.
    let mut maybe_done = false;
    loop {
        let token = if call.auth {
            Some(bearer(inner, per_call).await?)
        } else {
            None
        };
        let mut request = call.request.clone();
        request.timeout_ms = timeout_ms;
        if let Some(token) = &token {
            request
                .headers
                .push(("Authorization", format!("Bearer {}", token.value.expose())));
        }
        // Waiting for a place is not part of the attempt: browsers and Workers queue requests
        // past 6 connections, and time spent in that queue must not count as a timeout.
        let permit = wait_for_others(inner, inner.gate.enter()).await;
        // Aborted within this very poll (by a hook, say): nothing more is sent.
        if per_call.is_aborted() {
            return Err(aborted());
        }
        let shown = log
            .enabled(LogLevel::Debug)
            .then(|| (shown_request(&request), inner.clock.now_ms()));
        if let Some((shown, _)) = &shown {
            log.write(LogLevel::Debug, || {
                format!("{shown} (attempt {})", attempt + 1)
            });
        }
        let answer = inner.transport.send(request).await;
        drop(permit);
        if let Some((shown, started)) = &shown {
            let took = inner.clock.now_ms().saturating_sub(*started);
            let status = answer
                .as_ref()
                .map_or_else(|_| "no answer".into(), |r| r.status.to_string());
            log.write(LogLevel::Debug, || {
                format!("{status} for {shown} (attempt {}, {took} ms)", attempt + 1)
            });
        }
        if let Some(platform) = answer
            .as_ref()
            .ok()
            .and_then(|r| r.date.as_deref())
            .and_then(parse_http_date)
        {
            inner
                .platform_offset_ms
                .set(Some(platform.saturating_sub(inner.local_ms())));
        }
        let answer = answer.map(|mut response| {
            // Before anything reads it: an answer (or an error quoting it) never carries a
            // secret this request sent.
            response.body = inner.scrub(response.body, token.as_deref().map(|t| &t.value));
            response
        });
        let error = match answer {
            Ok(response) if response.is_success() => return Ok(response),
            Ok(response)
                if response.status == 404
                    && (call.absent_is_answer || call.gone_is_done && maybe_done) =>
            {
                return Ok(response);
            }
            Ok(response) => {
                if let (401, Some(token)) = (response.status, &token) {
                    if !refreshed && inner.can_refresh() {
                        // The token was revoked or expired early: one new token, one more try.
                        log.write(LogLevel::Info, || {
                            "the token was refused (401): asking for a new one".into()
                        });
                        inner.forget(&token.value);
                        refreshed = true;
                        continue;
                    }
                }
                error_from_response::<T::Json>(&response, inner.clock.now_ms())
            }
            Err(error) => error_from_transport(error, &call.request, timeout_ms),
        };
        let mut error = inner.redact(error);
        maybe_done |= error.may_have_acted();
        if attempt >= max_retries || !may_retry(call.idempotency, &error) {
            if let (Idempotency::Billable { effect }, true) = (call.idempotency, maybe_done) {
                error = error.with_unknown_outcome(effect);
            }
            if error.retryable() || error.may_have_acted() || error.code() == ErrorCode::BadResponse
            {
                // Timeouts and network failures name the request already.
                log.write(LogLevel::Error, || match error.status() {
                    Some(_) => format!("{} failed: {error}", shown_request(&call.request)),
                    None => error.to_string(),
                });
            }
            return Err(error);
        }
        let delay = delay_ms(attempt, error.retry_after_ms(), inner.jitter.next());
        attempt += 1;
        log.write(LogLevel::Warn, || {
            format!(
                "retry {attempt} of {max_retries} of {} in {delay} ms after {error}",
                shown_request(&call.request)
            )
        });
        if let Some(hook) = &config.on_retry {
            hook(&RetryEvent {
                attempt,
                delay_ms: delay,
                error,
            });
        }
        inner.clock.sleep(delay).await;
    }
}
