//! A small fake rented-numbers server (book, get, top up, list, delete, with the platform's
//! `Date`) and a store in memory like Workers KV: shared by the ensure and clean-up tests.

pub use std::cell::{Cell, RefCell};
pub use std::collections::HashMap;
pub use std::rc::Rc;

pub use crate::support::*;
pub use futures_util::future::join_all;
pub use proximus_api::internals::cancel::Cancel;
pub use proximus_api::internals::codec::time::format_iso;
pub use proximus_api::internals::config::CallOptions;
pub use proximus_api::internals::rented_numbers::bookings::UsagePlan;
pub use proximus_api::internals::rented_numbers::ensure::{
    ensure, BookingStore, EnsureAction, EnsureBooking, Ensurer, RenewBelow, MAX_KEY_BYTES,
};
pub use proximus_api::LocalFuture;
pub use proximus_api::{
    Client, ErrorCode, HttpRequest, HttpResponse, Method, ProximusError, TransportError,
};
pub use serde_json::Value;

pub const RN: &str = "https://proximus.test/rentednumbers/1.0.0";
pub const DAY_MS: u64 = 86_400_000;
/// The SMALL plan of the sandbox: 7 days, 3,600 s, 25 calls.
pub const SMALL: (u64, u64, u64) = (7 * DAY_MS, 3600, 25);

// ---------------------------------------------------------------------------------------------
// A fake rented-numbers server.

#[derive(Clone, Debug)]
pub struct Record {
    pub end_ms: u64,
    pub seconds: u64,
    pub calls: u64,
    pub destination: String,
}

pub struct Server {
    pub clock: FakeClock,
    pub bookings: RefCell<HashMap<String, Record>>,
    pub next_id: Cell<u32>,
    /// Answers every `GET /bookings/{id}` with this status instead.
    pub get_status: Cell<Option<u16>>,
    /// Fired when a request of this method arrives (an abort at that moment).
    pub abort_on: RefCell<Option<(Method, Cancel)>>,
    /// The platform's clock minus the client's: every answer's `Date` says so.
    pub ahead_ms: Cell<i64>,
    /// The next `POST /bookings` books, but its answer is lost.
    pub lose_post_answer: Cell<bool>,
}

impl Server {
    pub fn booking_json(&self, id: &str, r: &Record) -> String {
        format!(
            r#"{{"id":"{id}","service":"3278000{id_digits}","endTime":"{end}","secondsRemaining":{s},"callsRemaining":{c},"destination":"{d}","usagePlan":"SMALL"}}"#,
            id_digits = id.trim_start_matches("bk_"),
            end = format_iso(r.end_ms as i64),
            s = r.seconds,
            c = r.calls,
            d = r.destination,
        )
    }

    pub fn handle(&self, req: &HttpRequest) -> Result<HttpResponse, TransportError> {
        let platform_now = self.now();
        let dated = |mut answer: HttpResponse| {
            let at = std::time::UNIX_EPOCH + std::time::Duration::from_millis(platform_now);
            answer.date = Some(httpdate::fmt_http_date(at));
            answer
        };
        self.answer(req, platform_now).map(dated)
    }

    /// The platform's time, in epoch ms.
    pub fn now(&self) -> u64 {
        (self.clock.now.get() as i64 + self.ahead_ms.get()) as u64
    }

    /// Every booking, as `GET /bookings?includeExpired=true` lists them.
    pub fn ids(&self) -> Vec<String> {
        let mut ids: Vec<_> = self.bookings.borrow().keys().cloned().collect();
        ids.sort();
        ids
    }

    fn answer(&self, req: &HttpRequest, now: u64) -> Result<HttpResponse, TransportError> {
        if let Some((method, cancel)) = &*self.abort_on.borrow() {
            if *method == req.method {
                cancel.abort();
            }
        }
        let path = req.url.strip_prefix(RN).expect("a rented-numbers URL");
        if let Some(query) = path.strip_prefix("/bookings?") {
            return json(200, &self.page(query, now));
        }
        match (req.method, path) {
            (Method::Post, "/bookings") => {
                let body: Value =
                    serde_json::from_str(req.body.as_deref().unwrap_or("")).expect("a JSON body");
                self.next_id.set(self.next_id.get() + 1);
                let id = format!("bk_{}", self.next_id.get());
                let record = Record {
                    end_ms: now + SMALL.0,
                    seconds: SMALL.1,
                    calls: SMALL.2,
                    destination: body["destination"].as_str().unwrap_or("").to_string(),
                };
                let answer = self.booking_json(&id, &record);
                self.bookings.borrow_mut().insert(id, record);
                if self.lose_post_answer.replace(false) {
                    return Err(TransportError::Network("connection reset".into()));
                }
                json(201, &answer)
            }
            (method, path) if path.starts_with("/bookings/") => {
                let id = path.trim_start_matches("/bookings/");
                if method == Method::Get {
                    if let Some(status) = self.get_status.get() {
                        return json(status, r#"{"message":"scripted"}"#);
                    }
                }
                let mut bookings = self.bookings.borrow_mut();
                if method == Method::Delete {
                    return match bookings.remove(id) {
                        Some(_) => json(204, ""),
                        None => json(404, r#"{"message":"no such booking"}"#),
                    };
                }
                let Some(record) = bookings.get_mut(id) else {
                    return json(404, r#"{"message":"no such booking"}"#);
                };
                if method == Method::Put {
                    record.seconds += SMALL.1;
                    record.calls += SMALL.2;
                    record.end_ms = record.end_ms.max(now + SMALL.0);
                }
                json(200, &self.booking_json(id, record))
            }
            _ => json(400, r#"{"message":"unexpected"}"#),
        }
    }

    /// One page of `GET /bookings?includeExpired=…&page=…&size=…`.
    fn page(&self, query: &str, now: u64) -> String {
        let arg = |name: &str| {
            query
                .split('&')
                .find_map(|kv| kv.strip_prefix(&format!("{name}=")))
                .unwrap_or("")
                .to_string()
        };
        let (page, size): (usize, usize) =
            (arg("page").parse().unwrap(), arg("size").parse().unwrap());
        let expired = arg("includeExpired") == "true";
        let bookings = self.bookings.borrow();
        let listed: Vec<String> = self
            .ids()
            .iter()
            .filter(|id| expired || bookings[*id].end_ms > now)
            .map(|id| self.booking_json(id, &bookings[id]))
            .collect();
        let content: Vec<String> = listed
            .iter()
            .skip(page * size)
            .take(size)
            .cloned()
            .collect();
        format!(
            r#"{{"content":[{}],"page":{page},"size":{size},"totalElements":{}}}"#,
            content.join(","),
            listed.len()
        )
    }

    pub fn set_left(&self, id: &str, seconds: u64, calls: u64) {
        let mut bookings = self.bookings.borrow_mut();
        let record = bookings.get_mut(id).expect("a booking");
        record.seconds = seconds;
        record.calls = calls;
    }
}

pub struct Setup {
    pub server: Rc<Server>,
    pub transport: ScriptedTransport,
    pub clock: FakeClock,
    pub client: Client<ScriptedTransport, FakeClock>,
    pub store: Rc<MemoryStore>,
}

pub fn setup_with(latency_polls: usize) -> Setup {
    let clock = FakeClock::new();
    let server = Rc::new(Server {
        clock: clock.clone(),
        bookings: RefCell::default(),
        next_id: Cell::new(0),
        get_status: Cell::new(None),
        abort_on: RefCell::default(),
        ahead_ms: Cell::new(0),
        lose_post_answer: Cell::new(false),
    });
    let handler = server.clone();
    let transport = with_token_endpoint(move |req| handler.handle(req)).slow(latency_polls);
    let client = client(&transport, &clock);
    Setup {
        server,
        transport,
        clock,
        client,
        store: Rc::new(MemoryStore::default()),
    }
}

pub fn setup() -> Setup {
    setup_with(1)
}

impl Setup {
    /// The (method, path) of every request but `/token`.
    pub fn sent(&self) -> Vec<(Method, String)> {
        self.transport
            .api_requests()
            .into_iter()
            .map(|r| (r.method, r.url.trim_start_matches(RN).to_string()))
            .collect()
    }

    pub fn count(&self, method: Method) -> usize {
        self.sent().iter().filter(|(m, _)| *m == method).count()
    }

    pub fn forget_requests(&self) {
        self.transport.log.borrow_mut().clear();
    }

    pub fn ensure(
        &self,
        request: &EnsureBooking,
    ) -> proximus_api::Result<proximus_api::internals::rented_numbers::ensure::Ensured> {
        block_on(ensure(&self.client, &*self.store, request))
    }
}

// ---------------------------------------------------------------------------------------------
// A store in memory, like Workers KV.

#[derive(Default)]
pub struct MemoryStore {
    pub values: RefCell<HashMap<String, String>>,
    pub fail_get: Cell<bool>,
    pub fail_set: Cell<bool>,
    pub gets: Cell<usize>,
    pub sets: Cell<usize>,
}

impl MemoryStore {
    pub fn value(&self, key: &str) -> Option<String> {
        self.values.borrow().get(key).cloned()
    }
}

pub fn store_failure() -> ProximusError {
    ProximusError::new(ErrorCode::Callback, "KV is down")
}

impl BookingStore for MemoryStore {
    fn get(&self, key: &str) -> LocalFuture<'_, proximus_api::Result<Option<String>>> {
        self.gets.set(self.gets.get() + 1);
        let answer = if self.fail_get.get() {
            Err(store_failure())
        } else {
            Ok(self.value(key))
        };
        Box::pin(async move { answer })
    }

    fn set(&self, key: &str, booking_id: &str) -> LocalFuture<'_, proximus_api::Result<()>> {
        self.sets.set(self.sets.get() + 1);
        let answer = if self.fail_set.get() {
            Err(store_failure())
        } else {
            self.values
                .borrow_mut()
                .insert(key.to_string(), booking_id.to_string());
            Ok(())
        };
        Box::pin(async move { answer })
    }
}

pub fn request(key: &str) -> EnsureBooking {
    EnsureBooking {
        key: key.into(),
        destination: "+32 477 12 12 12".into(),
        usage_plan: UsagePlan::Small,
        callback_url: "https://example.com/calls?listing=7".into(),
        renew_below: RenewBelow::default(),
    }
}

pub fn post() -> (Method, String) {
    (Method::Post, "/bookings".to_string())
}
pub fn get(id: &str) -> (Method, String) {
    (Method::Get, format!("/bookings/{id}"))
}
pub fn put(id: &str) -> (Method, String) {
    (Method::Put, format!("/bookings/{id}"))
}
