//! Answers from the server (or whatever sits in between: a gateway, a proxy's HTML page, a
//! truncated body): every parser of a (status, Retry-After, body) answer, and the client itself
//! driven through one operation by a scripted server.
//!
//! Input: the operation on the first line (`token`, `create`, `get`, `update`, `delete`, `list`,
//! `pager`, `cdrs`, `cdr`, `fmu-get`, `fmu-set`, `fmu-bulk`, `revoke`, `permanent`; anything
//! else picks one), then the answers in order, separated by lines `---`, each
//! `STATUS[ RETRY-AFTER]` on its first line and the body after. Once the script is over, every
//! request fails as a dropped connection.
//!
//! Properties of the parsers: no panic; refusals are `bad_response` (never a panic or another
//! code); what is accepted has its required fields and writes back to JSON that reads the same;
//! tokens are non-empty, without control characters, live at most 366 days, and are refreshed
//! before they expire; errors carry the status, the code of that status, a bounded message and
//! the parsed `Retry-After`.
//!
//! Differential: a page sent as a bare array of items reads as the same page sent as
//! `{"content": […]}`; a booking's `endTime` and a record's `timestamp` read the same as epoch
//! ms and as ISO-8601.
//!
//! Properties of the client: it stops; it never waits more than a minute; it repeats a billable
//! `POST /bookings` or `PUT /bookings/{id}` only after a 429 (or a 401 it cured with a new token), never after a
//! dropped connection, a 5xx or a timeout; its errors never contain the client secret or the
//! token the failed request carried, even when the server echoes them; the error is the one
//! the last answer warrants; a pager asks for pages in order without skipping.
#![no_main]

use std::fmt::Debug;

use fuzz_support::{pick, script};
use libfuzzer_sys::fuzz_target;
use proximus_api::internals::codec::time::format_iso;
use proximus_api::internals::codec::{JsonCodec, SerdeJson};
use proximus_api::internals::errors::answers::{code_for_status, error_from_response};
use proximus_api::internals::fmu::single::{
    parse_request_id, parse_set_answer, parse_status_answer,
};
use proximus_api::internals::fmu::{self, get_statuses, BulkOptions, FmuStatus};
use proximus_api::internals::rented_numbers::bookings::{
    self, parse_booking, Booking, CreateBooking, ListBookings, UsagePlan,
};
use proximus_api::internals::rented_numbers::cdrs::{
    self, parse_call_record, CallRecord, ListCdrs,
};
use proximus_api::internals::rented_numbers::paging::{parse_page, Page};
use proximus_api::internals::retry::{parse_retry_after, MAX_RETRY_AFTER_MS};
use proximus_api::internals::testing::{FakeClock, ScriptedTransport, START_MS};
use proximus_api::internals::tokens::parse_token;
use proximus_api::{
    Client, ClientOptions, Credentials, ErrorCode, HttpResponse, Method, ProximusError, Secret,
};
use serde::de::IgnoredAny;
use serde_json::{json, Value};

const CLIENT_SECRET: &str = "fuzz-client-secret-7Qx9Lm2Pz";
const PERMANENT_TOKEN: &str = "fuzz-permanent-token-K3v8Rw";
const OPS: [&str; 14] = [
    "token",
    "create",
    "get",
    "update",
    "delete",
    "list",
    "pager",
    "cdrs",
    "cdr",
    "fmu-get",
    "fmu-set",
    "fmu-bulk",
    "revoke",
    "permanent",
];

fuzz_target!(|data: &[u8]| {
    let text = fuzz_support::text(data);
    let (op, rest) = text.split_once('\n').unwrap_or((&text, ""));
    let answers = script(rest);
    if answers.len() > 16 {
        return;
    }
    for answer in &answers {
        check_parsers(answer);
    }
    let op = OPS
        .iter()
        .copied()
        .find(|o| *o == op.trim())
        .unwrap_or(OPS[pick(op, OPS.len())]);
    drive(op, answers);
});

// ---------------------------------------------------------------------------------------------
// The parsers, on each answer alone

fn check_parsers(answer: &HttpResponse) {
    let now = START_MS;
    let error = error_from_response::<SerdeJson>(answer, now);
    assert_eq!(error.status(), Some(answer.status));
    assert_eq!(error.code(), code_for_status(answer.status));
    assert_eq!(error.retryable(), error.code().is_transient());
    assert!(
        error
            .message()
            .starts_with(&format!("HTTP {}", answer.status)),
        "{error}"
    );
    assert!(error.message().chars().count() <= 301, "unbounded message");
    assert_eq!(
        error.retry_after_ms(),
        answer
            .retry_after
            .as_deref()
            .and_then(|v| parse_retry_after(v, now))
    );

    let is_object = SerdeJson::decode_object::<IgnoredAny>(&answer.body).is_ok();
    bad_response_or(parse_token::<SerdeJson>(answer, now), |t| {
        assert!(is_object);
        let value = t.value.expose();
        assert!(!value.trim().is_empty() && !value.chars().any(char::is_control));
        assert_eq!(t.token_type, "Bearer");
        let (expires, refresh) = (t.expires_at_ms.unwrap(), t.refresh_at_ms.unwrap());
        assert!(now <= refresh && refresh <= expires && expires <= now + 366 * 86_400_000);
    });
    bad_response_or(parse_booking::<SerdeJson>(answer), |b| {
        assert_booking_round_trip(&b);
    });
    bad_response_or(parse_call_record::<SerdeJson>(answer), |r| {
        assert_record_round_trip(&r);
    });
    bad_response_or(
        parse_status_answer::<SerdeJson>(answer, "32477121212"),
        |r| {
            assert_eq!(r.msisdn, "32477121212");
            assert!(r.status.is_some() != r.error_message.is_some());
        },
    );
    bad_response_or(parse_set_answer::<SerdeJson>(answer, "32477121212"), |r| {
        assert_eq!(r.success.is_some_and(|s| !s), r.error_message.is_some());
    });
    bad_response_or(parse_request_id::<SerdeJson>(answer), |id| {
        assert!(!id.trim().is_empty())
    });
    let bookings =
        |answer: &HttpResponse| parse_page::<SerdeJson, _, _>(answer, 3, 20, Booking::from_wire);
    let records = |answer: &HttpResponse| {
        parse_page::<SerdeJson, _, _>(answer, 0, 100, CallRecord::from_wire)
    };
    bad_response_or(bookings(answer), |page| {
        assert!(page.size >= 1);
        for b in &page.items {
            assert_booking_round_trip(b);
        }
    });
    bad_response_or(records(answer), |page| {
        assert!(page.size >= 1);
        for r in &page.items {
            assert_record_round_trip(r);
        }
    });

    // A bare array is a page without numbers: the same as `{"content": […]}`.
    if let Ok(Value::Array(items)) = serde_json::from_str::<Value>(&answer.body) {
        let wrapped = HttpResponse {
            body: json!({ "content": items }).to_string(),
            ..answer.clone()
        };
        same(bookings(answer), bookings(&wrapped));
        same(records(answer), records(&wrapped));
    }
}

/// The same page, or errors of the same code.
fn same<T: PartialEq + Debug>(
    a: Result<Page<T>, ProximusError>,
    b: Result<Page<T>, ProximusError>,
) {
    match (&a, &b) {
        (Ok(x), Ok(y)) => assert_eq!(x, y, "a bare array and its content object differ"),
        (Err(x), Err(y)) => assert_eq!(x.code(), y.code(), "{x} vs {y}"),
        _ => panic!("a bare array gives {a:?}, its content object {b:?}"),
    }
}

fn bad_response_or<T>(result: Result<T, ProximusError>, ok: impl FnOnce(T)) {
    match result {
        Ok(value) => ok(value),
        Err(e) => assert_eq!(e.code(), ErrorCode::BadResponse, "{e}"),
    }
}

fn assert_booking_round_trip(b: &Booking) {
    assert!(!b.id.is_empty() && !b.service.is_empty());
    let mut body = json!({ "id": b.id, "service": b.service, "endTime": b.end_time_ms });
    if let Some(d) = &b.destination {
        body["destination"] = json!(d);
    }
    if let Some(p) = &b.usage_plan {
        body["usagePlan"] = json!(p);
    }
    if let Some(s) = b.seconds_remaining {
        body["secondsRemaining"] = json!(s);
    }
    if let Some(c) = b.calls_remaining {
        body["callsRemaining"] = json!(c);
    }
    let read = |body: &Value| parse_booking::<SerdeJson>(&HttpResponse::new(200, body.to_string()));
    assert_eq!(read(&body).as_ref(), Ok(b), "round trip");
    if let Some(iso) = iso(b.end_time_ms) {
        body["endTime"] = iso;
        assert_eq!(read(&body).as_ref(), Ok(b), "endTime as ISO-8601: {body}");
    }
}

/// `ms` as ISO-8601, within the years 1 to 9999 that it can be written in.
fn iso(ms: i64) -> Option<Value> {
    (-62_135_596_800_000..=253_402_300_799_999)
        .contains(&ms)
        .then(|| json!(format_iso(ms)))
}

fn assert_record_round_trip(r: &CallRecord) {
    assert!(!r.id.is_empty());
    let mut body = json!({ "id": r.id, "timestamp": r.timestamp_ms });
    if let Some(d) = r.duration {
        body["duration"] = json!(d);
    }
    if let Some(s) = &r.source {
        body["source"] = json!(s);
    }
    if let Some(s) = &r.service {
        body["service"] = json!(s);
    }
    let read =
        |body: &Value| parse_call_record::<SerdeJson>(&HttpResponse::new(200, body.to_string()));
    assert_eq!(read(&body).as_ref(), Ok(r), "round trip");
    if let Some(iso) = iso(r.timestamp_ms) {
        body["timestamp"] = iso;
        assert_eq!(read(&body).as_ref(), Ok(r), "timestamp as ISO-8601: {body}");
    }
}

// ---------------------------------------------------------------------------------------------
// The client, through one operation

fn drive(op: &str, answers: Vec<HttpResponse>) {
    let transport = ScriptedTransport::script(answers);
    let clock = FakeClock::default();
    let credentials = if op == "permanent" {
        Credentials::Permanent(Secret::new(PERMANENT_TOKEN))
    } else {
        Credentials::ClientCredentials {
            client_id: "fuzz-app".into(),
            client_secret: Secret::new(CLIENT_SECRET),
        }
    };
    let options = ClientOptions {
        credentials: Some(credentials),
        base_url: Some("https://proximus.test".into()),
        ..Default::default()
    };
    let client = Client::new(options, transport.clone(), clock.clone()).expect("valid options");
    let booking = CreateBooking {
        destination: "0477 12 12 12".into(),
        usage_plan: UsagePlan::Small,
        callback_url: "https://app.test/calls?pxsig=abc".into(),
    };

    // Each operation gives back its error, if any, and whether it is a single exchange chain.
    let outcome: Result<(), ProximusError> = futures_executor::block_on(async {
        match op {
            "token" => client.token().await.map(|_| ()),
            "create" | "permanent" => bookings::create(&client, &booking).await.map(|b| {
                let last = transport.last_answer().expect("an answer");
                assert_eq!(parse_booking::<SerdeJson>(&last).as_ref(), Ok(&b));
            }),
            "get" => bookings::get(&client, "bk_1").await.map(|_| ()),
            "update" => bookings::update(&client, "bk_1", UsagePlan::Medium)
                .await
                .map(|_| ()),
            "delete" => bookings::delete(&client, "bk_1").await,
            "list" => bookings::list_page(&client, &ListBookings::default())
                .await
                .map(|_| ()),
            "pager" => {
                let mut pager = bookings::list(ListBookings {
                    size: 2,
                    ..Default::default()
                })?;
                pager.collect_all(&client).await.map(|_| ())
            }
            "cdrs" => cdrs::list_page(&client, &ListCdrs::default())
                .await
                .map(|_| ()),
            "cdr" => cdrs::get(&client, "cdr_1").await.map(|_| ()),
            "fmu-get" => fmu::get_status(&client, "+32 477 12 12 12")
                .await
                .map(|_| ()),
            "fmu-set" => fmu::set_status(&client, "0477121212", FmuStatus::OnDuty)
                .await
                .map(|_| ()),
            "fmu-bulk" => {
                let numbers: Vec<String> = (0..53).map(|i| format!("+32 477 00 {i:04}")).collect();
                let options = BulkOptions {
                    concurrency: Some(2.0),
                    ..Default::default()
                };
                let result = get_statuses(&client, &numbers, options).await?;
                let failed: Vec<_> = result.chunks.iter().filter(|c| c.error.is_some()).collect();
                assert_eq!(result.total, 53);
                assert_eq!(result.failed_chunks, failed.len());
                assert_eq!(
                    result.failed_numbers,
                    failed.iter().map(|c| c.msisdns.len()).sum::<usize>()
                );
                assert_eq!(result.is_success(), failed.is_empty());
                for chunk in &result.chunks {
                    assert!(
                        chunk.error.is_some()
                            || chunk.request_id.is_some()
                            || chunk.results.is_some()
                    );
                    if let Some(e) = &chunk.error {
                        assert_no_secret(e, CLIENT_SECRET, None);
                    }
                }
                Ok(())
            }
            "revoke" => client.revoke().await,
            _ => unreachable!(),
        }
    });

    let log = transport.log.borrow();
    assert!(log.len() <= 200, "{} requests", log.len());
    for &ms in clock.sleeps.borrow().iter() {
        assert!(ms <= MAX_RETRY_AFTER_MS, "waited {ms} ms");
    }

    // A billable call (book, top up) is repeated only after an answer that proves nothing was
    // done: a 429 (refused at the gateway) or a 401 (refused before the service; one new token).
    let billable: Vec<_> = log
        .iter()
        .filter(|(r, _)| {
            (r.method == Method::Post && r.url.ends_with("/bookings"))
                || (r.method == Method::Put && r.url.contains("/bookings/"))
        })
        .collect();
    for pair in billable.windows(2) {
        let status = pair[0].1.as_ref().ok().map(|a| a.status);
        assert!(
            matches!(status, Some(429 | 401)),
            "{} {} repeated after {status:?}",
            pair[1].0.method.as_str(),
            pair[1].0.url
        );
    }

    let Err(error) = outcome else {
        return;
    };
    let sequential = op != "fmu-bulk";
    let last = log.last();
    let last_token = last
        .and_then(|(r, _)| r.header("Authorization"))
        .and_then(|h| h.strip_prefix("Bearer "));
    let own = if op == "permanent" {
        PERMANENT_TOKEN
    } else {
        CLIENT_SECRET
    };
    assert_no_secret(&error, own, if sequential { last_token } else { None });
    if error.code() == ErrorCode::InvalidArgument {
        panic!("invalid_argument from valid arguments: {error}");
    }
    if !sequential {
        return;
    }
    match last.map(|(_, a)| a) {
        None => panic!("an error without any exchange: {error}"),
        Some(Err(_)) => assert_eq!(error.code(), ErrorCode::Network, "{error}"),
        Some(Ok(answer)) if !answer.is_success() => {
            assert_eq!(error.status(), Some(answer.status), "{error}");
            assert_eq!(error.code(), code_for_status(answer.status), "{error}");
        }
        Some(Ok(_)) => assert!(
            matches!(error.code(), ErrorCode::BadResponse | ErrorCode::FmuError),
            "{error}"
        ),
    }
}

/// `own`: the client's credential (the secret it was given); `bearer`: the token the failed
/// request carried. (A secret cut where a long message is shortened is covered by a unit test,
/// `tests/native/errors.rs`: as a fuzz property it cannot tell a cut secret from text that merely
/// starts like it.)
fn assert_no_secret(error: &ProximusError, own: &str, bearer: Option<&str>) {
    // What reaches JavaScript: the message (and so toString) and the service's code.
    let shown = format!("{error} {}", error.service_code().unwrap_or(""));
    for secret in [Some(own), bearer].into_iter().flatten() {
        if secret.len() >= 4 {
            assert!(
                !shown.contains(secret),
                "a secret in an error: {shown} ({error:?})"
            );
        }
    }
}
