//! Test doubles for the core: a scripted transport that records what was sent, and a fake
//! clock whose sleeps return at once and move virtual time. No sockets, no real sleeping.
#![allow(dead_code)]

use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll};

use proximus_api::{
    Client, ClientOptions, Clock, Credentials, HttpRequest, HttpResponse, Secret, Transport,
    TransportError,
};

/// Virtual time, starting at 2026-11-23T10:00:00Z.
#[derive(Clone)]
pub struct FakeClock {
    pub now: Rc<Cell<u64>>,
    pub sleeps: Rc<RefCell<Vec<u64>>>,
}

pub const START_MS: u64 = 1_795_428_000_000;

impl FakeClock {
    pub fn new() -> Self {
        FakeClock {
            now: Rc::new(Cell::new(START_MS)),
            sleeps: Rc::default(),
        }
    }
    pub fn advance(&self, ms: u64) {
        self.now.set(self.now.get() + ms);
    }
    pub fn sleeps(&self) -> Vec<u64> {
        self.sleeps.borrow().clone()
    }
}

impl Clock for FakeClock {
    fn now_ms(&self) -> u64 {
        self.now.get()
    }
    fn sleep(&self, ms: u64) -> impl Future<Output = ()> {
        self.sleeps.borrow_mut().push(ms);
        self.advance(ms);
        std::future::ready(())
    }
}

type Handler = Box<dyn FnMut(&HttpRequest) -> Result<HttpResponse, TransportError>>;

/// Answers each request with a handler (or a queue of answers) after yielding once, so that
/// concurrent callers all start before the first answer arrives.
#[derive(Clone)]
pub struct ScriptedTransport {
    handler: Rc<RefCell<Handler>>,
    pub log: Rc<RefCell<Vec<HttpRequest>>>,
    /// How many times an answer is polled before it arrives (network latency, in polls).
    latency_polls: usize,
}

impl ScriptedTransport {
    pub fn new(
        handler: impl FnMut(&HttpRequest) -> Result<HttpResponse, TransportError> + 'static,
    ) -> Self {
        ScriptedTransport {
            handler: Rc::new(RefCell::new(Box::new(handler))),
            log: Rc::default(),
            latency_polls: 1,
        }
    }

    /// Answers arrive only after `polls` polls, so that many concurrent callers overlap.
    pub fn slow(mut self, polls: usize) -> Self {
        self.latency_polls = polls;
        self
    }

    /// Answers in order; a request past the end of the script fails the test.
    pub fn sequence(answers: Vec<Result<HttpResponse, TransportError>>) -> Self {
        let mut queue: VecDeque<_> = answers.into();
        Self::new(move |req| {
            queue.pop_front().unwrap_or_else(|| {
                panic!("unexpected request: {} {}", req.method.as_str(), req.url)
            })
        })
    }

    /// Every request sent so far.
    pub fn requests(&self) -> Vec<HttpRequest> {
        self.log.borrow().clone()
    }
    /// Every request sent so far but those to `/token`.
    pub fn api_requests(&self) -> Vec<HttpRequest> {
        self.requests()
            .into_iter()
            .filter(|r| !r.url.ends_with("/token"))
            .collect()
    }
    /// How many requests went to a URL containing `part`.
    pub fn count(&self, part: &str) -> usize {
        self.log
            .borrow()
            .iter()
            .filter(|r| r.url.contains(part))
            .count()
    }
}

impl Transport for ScriptedTransport {
    fn send(
        &self,
        request: HttpRequest,
    ) -> impl Future<Output = Result<HttpResponse, TransportError>> {
        self.log.borrow_mut().push(request.clone());
        let answer = (self.handler.borrow_mut())(&request);
        Latency {
            polls_left: self.latency_polls,
            answer: Some(answer),
        }
    }
}

struct Latency<T> {
    polls_left: usize,
    answer: Option<T>,
}

impl<T: Unpin> Future for Latency<T> {
    type Output = T;
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<T> {
        if self.polls_left > 0 {
            self.polls_left -= 1;
            cx.waker().wake_by_ref();
            return Poll::Pending;
        }
        Poll::Ready(self.answer.take().expect("polled after completion"))
    }
}

pub fn json(status: u16, body: &str) -> Result<HttpResponse, TransportError> {
    Ok(HttpResponse::new(status, body))
}

pub fn token_answer(token: &str, expires_in: u64) -> Result<HttpResponse, TransportError> {
    json(
        200,
        &format!(
            r#"{{"scope":"openid","token_type":"Bearer","expires_in":{expires_in},"access_token":"{token}"}}"#
        ),
    )
}

pub const BASE: &str = "https://proximus.test";
pub const SECRET: &str = "s3cret-value-123";

pub fn credentials() -> Credentials {
    Credentials::ClientCredentials {
        client_id: "my-app".into(),
        client_secret: Secret::new(SECRET),
    }
}

pub fn options() -> ClientOptions {
    ClientOptions {
        credentials: Some(credentials()),
        base_url: Some(BASE.into()),
        ..Default::default()
    }
}

pub fn client(
    transport: &ScriptedTransport,
    clock: &FakeClock,
) -> Client<ScriptedTransport, FakeClock> {
    Client::new(options(), transport.clone(), clock.clone()).expect("valid options")
}

pub fn block_on<F: Future>(f: F) -> F::Output {
    futures_executor::block_on(f)
}

/// A transport that serves `/token` (counting) and answers everything else with `api`.
pub fn with_token_endpoint(
    mut api: impl FnMut(&HttpRequest) -> Result<HttpResponse, TransportError> + 'static,
) -> ScriptedTransport {
    let issued = Rc::new(Cell::new(0));
    ScriptedTransport::new(move |req| {
        if req.url.ends_with("/token") {
            issued.set(issued.get() + 1);
            token_answer(&format!("tok-{}", issued.get()), 3600)
        } else {
            api(req)
        }
    })
}
