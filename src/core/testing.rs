//! Test doubles for the core, shared by the integration tests and the fuzz targets: a scripted
//! transport that records every exchange, and a fake clock whose sleeps return at once and
//! move virtual time. No sockets, no real sleeping.

use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll};

use super::clock::Clock;
use super::transport::{HttpRequest, HttpResponse, Transport, TransportError};

/// 2026-11-23T10:00:00Z, where every fake clock starts.
pub const START_MS: u64 = 1_795_428_000_000;

/// Virtual time: `now` moves only when told to, or by a sleep.
#[derive(Clone)]
pub struct FakeClock {
    /// Now (epoch ms).
    pub now: Rc<Cell<u64>>,
    /// Every sleep asked for.
    pub sleeps: Rc<RefCell<Vec<u64>>>,
}

impl Default for FakeClock {
    fn default() -> Self {
        FakeClock {
            now: Rc::new(Cell::new(START_MS)),
            sleeps: Rc::default(),
        }
    }
}

impl FakeClock {
    /// A clock at [`START_MS`].
    pub fn new() -> Self {
        Self::default()
    }
    /// Moves time on by `ms`.
    pub fn advance(&self, ms: u64) {
        self.now.set(self.now.get().saturating_add(ms));
    }
    /// Every sleep asked for so far.
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

/// What a scripted transport answers.
pub type Answer = Result<HttpResponse, TransportError>;
type Handler = Box<dyn FnMut(&HttpRequest) -> Answer>;

/// Answers each request with a handler (or a script of answers), after `latency` polls so that
/// concurrent callers all start before the first answer arrives, and records every exchange.
#[derive(Clone)]
pub struct ScriptedTransport {
    handler: Rc<RefCell<Handler>>,
    /// Every request with the answer it got.
    pub log: Rc<RefCell<Vec<(HttpRequest, Answer)>>>,
    latency_polls: usize,
}

impl ScriptedTransport {
    /// Answers with `handler`.
    pub fn new(handler: impl FnMut(&HttpRequest) -> Answer + 'static) -> Self {
        ScriptedTransport {
            handler: Rc::new(RefCell::new(Box::new(handler))),
            log: Rc::default(),
            latency_polls: 1,
        }
    }

    /// Answers arrive only after `polls` polls (0: at once), so that many callers overlap.
    pub fn slow(mut self, polls: usize) -> Self {
        self.latency_polls = polls;
        self
    }

    /// Answers in order; a request past the end of the script fails the test.
    pub fn sequence(answers: Vec<Answer>) -> Self {
        let mut queue: VecDeque<_> = answers.into();
        Self::new(move |req| {
            queue.pop_front().unwrap_or_else(|| {
                panic!("unexpected request: {} {}", req.method.as_str(), req.url)
            })
        })
    }

    /// Answers in order, then fails every request with a network error (what a dropped
    /// connection looks like): a hostile server for the fuzz targets.
    pub fn script(answers: Vec<HttpResponse>) -> Self {
        let mut queue: VecDeque<_> = answers.into();
        Self::new(move |_| {
            queue
                .pop_front()
                .ok_or_else(|| TransportError::Network("the script is over".into()))
        })
        .slow(0)
    }

    /// Every request sent so far.
    pub fn requests(&self) -> Vec<HttpRequest> {
        self.log.borrow().iter().map(|(r, _)| r.clone()).collect()
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
            .filter(|(r, _)| r.url.contains(part))
            .count()
    }
    /// The answer to the last request, if it was one (not a transport error).
    pub fn last_answer(&self) -> Option<HttpResponse> {
        self.log
            .borrow()
            .last()
            .and_then(|(_, a)| a.as_ref().ok().cloned())
    }
}

impl Transport for ScriptedTransport {
    type Json = super::codec::SerdeJson;

    fn send(&self, request: HttpRequest) -> impl Future<Output = Answer> {
        let answer = (self.handler.borrow_mut())(&request);
        self.log.borrow_mut().push((request, answer.clone()));
        Latency {
            polls_left: self.latency_polls,
            answer: Some(answer),
        }
    }
}

/// Ready after `polls_left` polls.
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
        match self.answer.take() {
            Some(answer) => Poll::Ready(answer),
            None => Poll::Pending, // polled after completion: never again ready
        }
    }
}
