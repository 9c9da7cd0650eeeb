//! Helpers shared by the fuzz targets: how an input file is cut into fields, a transport that
//! plays a script of server answers, and a clock whose sleeps return at once.
//!
//! Inputs are text so that the committed seed corpus stays readable: `fuzz/corpus/<target>/`.

use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::future::Future;
use std::rc::Rc;

use proximus_api::{Clock, HttpRequest, HttpResponse, Transport, TransportError};

/// The input as text (lossy: invalid UTF-8 becomes U+FFFD, so every input exercises something).
pub fn text(data: &[u8]) -> String {
    String::from_utf8_lossy(data).into_owned()
}

/// The first `n` lines of `text` (missing lines are empty) and the rest (after the n-th `\n`).
pub fn fields(text: &str, n: usize) -> (Vec<&str>, &str) {
    let mut out = Vec::with_capacity(n);
    let mut rest = text;
    for _ in 0..n {
        match rest.split_once('\n') {
            Some((line, tail)) => {
                out.push(line.strip_suffix('\r').unwrap_or(line));
                rest = tail;
            }
            None => {
                out.push(rest);
                rest = "";
            }
        }
    }
    (out, rest)
}

/// A small stable hash, to map any text onto a choice.
pub fn pick(text: &str, choices: usize) -> usize {
    let h = text.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)
    });
    (h % choices as u64) as usize
}

/// One scripted answer: `STATUS[ RETRY-AFTER]` on the first line, the body after it.
/// A first line that is no status maps to one of the statuses the core treats differently.
pub fn answer(block: &str) -> HttpResponse {
    let (head, body) = fields(block, 1);
    let head = head[0];
    let (status, retry_after) = match head.split_once(' ') {
        Some((s, r)) => (s, Some(r.to_string())),
        None => (head, None),
    };
    const STATUSES: [u16; 14] = [
        200, 201, 202, 204, 301, 400, 401, 403, 404, 409, 429, 500, 503, 504,
    ];
    let status = status
        .trim()
        .parse::<u16>()
        .unwrap_or_else(|_| STATUSES[pick(status, STATUSES.len())]);
    HttpResponse {
        status,
        retry_after,
        body: body.to_string(),
    }
}

/// The answers of a script: blocks separated by lines `---`.
pub fn script(text: &str) -> Vec<HttpResponse> {
    if text.is_empty() {
        return Vec::new();
    }
    text.split("\n---\n").map(answer).collect()
}

/// Every request with the answer it got (`None`: the network error).
pub type Exchanges = Vec<(HttpRequest, Option<HttpResponse>)>;

/// A transport that answers requests in order from a script, records them, and fails with a
/// network error once the script is over (what a dropped connection looks like).
#[derive(Clone, Default)]
pub struct ScriptTransport {
    answers: Rc<RefCell<VecDeque<HttpResponse>>>,
    /// Every request with the answer it got (`None`: the network error).
    pub log: Rc<RefCell<Exchanges>>,
}

impl ScriptTransport {
    /// Plays `answers`.
    pub fn new(answers: Vec<HttpResponse>) -> Self {
        ScriptTransport {
            answers: Rc::new(RefCell::new(answers.into())),
            log: Rc::default(),
        }
    }
}

impl Transport for ScriptTransport {
    fn send(
        &self,
        request: HttpRequest,
    ) -> impl Future<Output = Result<HttpResponse, TransportError>> {
        let answer = self.answers.borrow_mut().pop_front();
        self.log.borrow_mut().push((request, answer.clone()));
        std::future::ready(
            answer.ok_or_else(|| TransportError::Network("the script is over".into())),
        )
    }
}

/// A clock at a fixed instant whose sleeps return at once, recording how long they were.
#[derive(Clone)]
pub struct FakeClock {
    /// Now (epoch ms).
    pub now: Rc<Cell<u64>>,
    /// Every sleep asked for.
    pub sleeps: Rc<RefCell<Vec<u64>>>,
}

/// 2026-11-23T10:00:00Z.
pub const START_MS: u64 = 1_795_428_000_000;

impl Default for FakeClock {
    fn default() -> Self {
        FakeClock {
            now: Rc::new(Cell::new(START_MS)),
            sleeps: Rc::default(),
        }
    }
}

impl Clock for FakeClock {
    fn now_ms(&self) -> u64 {
        self.now.get()
    }
    fn sleep(&self, ms: u64) -> impl Future<Output = ()> {
        self.sleeps.borrow_mut().push(ms);
        self.now.set(self.now.get().saturating_add(ms));
        std::future::ready(())
    }
}
