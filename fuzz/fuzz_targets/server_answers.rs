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
//! Properties of the client: it stops; it never waits more than a minute; it repeats a billable
//! `POST /bookings` or `PUT /bookings/{id}` only after a 429 (or a 401 it cured with a new token), never after a
//! dropped connection, a 5xx or a timeout; its errors never contain the client secret or the
//! token the failed request carried, even when the server echoes them; the error is the one
//! the last answer warrants; a pager asks for pages in order without skipping.
#![no_main]

use fuzz_support::{pick, script, FakeClock, ScriptTransport, START_MS};
use libfuzzer_sys::fuzz_target;
use proximus_api::core::bookings::{
    self, parse_booking, Booking, CreateBooking, ListBookings, UsagePlan,
};
use proximus_api::core::cdrs::{self, parse_call_record, CallRecord, ListCdrs};
use proximus_api::core::fmu::{
    self, get_statuses, parse_request_id, parse_set_answer, parse_status_answer, BulkOptions,
    FmuStatus,
};
use proximus_api::core::json::Json;
use proximus_api::core::paging::parse_page;
use proximus_api::core::response::{code_for_status, error_from_response, json_body};
use proximus_api::core::retry::{parse_retry_after, MAX_RETRY_AFTER_MS};
use proximus_api::core::tokens::parse_token;
use proximus_api::{
    Client, ClientOptions, Credentials, ErrorCode, HttpResponse, Method, ProximusError, Secret,
};

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
    let error = error_from_response(answer, now);
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

    let is_object = matches!(json_body(answer), Ok(Json::Object(_)));
    bad_response_or(parse_token(answer, now), |t| {
        assert!(is_object);
        let value = t.value.expose();
        assert!(!value.trim().is_empty() && !value.chars().any(char::is_control));
        assert_eq!(t.token_type, "Bearer");
        let (expires, refresh) = (t.expires_at_ms.unwrap(), t.refresh_at_ms.unwrap());
        assert!(now <= refresh && refresh <= expires && expires <= now + 366 * 86_400_000);
    });
    bad_response_or(parse_booking(answer), |b| {
        assert_booking_round_trip(&b);
    });
    bad_response_or(parse_call_record(answer), |r| {
        assert_record_round_trip(&r);
    });
    bad_response_or(parse_status_answer(answer, "32477121212"), |r| {
        assert_eq!(r.msisdn, "32477121212");
        assert!(r.status.is_some() != r.error_message.is_some());
    });
    bad_response_or(parse_set_answer(answer, "32477121212"), |r| {
        assert_eq!(r.success.is_some_and(|s| !s), r.error_message.is_some());
    });
    bad_response_or(parse_request_id(answer), |id| {
        assert!(!id.trim().is_empty())
    });
    bad_response_or(parse_page(answer, 3, 20, Booking::from_json), |page| {
        assert!(page.size >= 1);
        for b in &page.items {
            assert_booking_round_trip(b);
        }
        if let (Some(pages), Some(total)) = (page.total_pages, page.total_elements) {
            let _ = (pages, total);
        }
    });
    bad_response_or(parse_page(answer, 0, 100, CallRecord::from_json), |page| {
        assert!(page.size >= 1);
        for r in &page.items {
            assert_record_round_trip(r);
        }
    });
}

fn bad_response_or<T>(result: Result<T, ProximusError>, ok: impl FnOnce(T)) {
    match result {
        Ok(value) => ok(value),
        Err(e) => assert_eq!(e.code(), ErrorCode::BadResponse, "{e}"),
    }
}

fn assert_booking_round_trip(b: &Booking) {
    assert!(!b.id.is_empty() && !b.service.is_empty());
    let mut members = vec![
        ("id".to_string(), Json::str(b.id.as_str())),
        ("service".into(), Json::str(b.service.as_str())),
        ("endTime".into(), Json::Number(b.end_time_ms as f64)),
    ];
    if let Some(d) = &b.destination {
        members.push(("destination".into(), Json::str(d.as_str())));
    }
    if let Some(p) = &b.usage_plan {
        members.push(("usagePlan".into(), Json::str(p.as_str())));
    }
    if let Some(s) = b.seconds_remaining {
        members.push(("secondsRemaining".into(), Json::Number(s as f64)));
    }
    if let Some(c) = b.calls_remaining {
        members.push(("callsRemaining".into(), Json::Number(c as f64)));
    }
    let body = Json::Object(members).to_json();
    assert_eq!(
        parse_booking(&HttpResponse::new(200, body)).as_ref(),
        Ok(b),
        "round trip"
    );
}

fn assert_record_round_trip(r: &CallRecord) {
    assert!(!r.id.is_empty());
    let mut members = vec![
        ("id".to_string(), Json::str(r.id.as_str())),
        ("timestamp".into(), Json::Number(r.timestamp_ms as f64)),
    ];
    if let Some(d) = r.duration {
        members.push(("duration".into(), Json::Number(d as f64)));
    }
    if let Some(s) = &r.source {
        members.push(("source".into(), Json::str(s.as_str())));
    }
    if let Some(s) = &r.service {
        members.push(("service".into(), Json::str(s.as_str())));
    }
    let body = Json::Object(members).to_json();
    assert_eq!(
        parse_call_record(&HttpResponse::new(200, body)).as_ref(),
        Ok(r),
        "round trip"
    );
}

// ---------------------------------------------------------------------------------------------
// The client, through one operation

fn drive(op: &str, answers: Vec<HttpResponse>) {
    let transport = ScriptTransport::new(answers);
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
                let last = last_answer(&transport).expect("an answer");
                assert_eq!(parse_booking(&last).as_ref(), Ok(&b));
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
        let status = pair[0].1.as_ref().map(|a| a.status);
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
        Some(None) => assert_eq!(error.code(), ErrorCode::Network, "{error}"),
        Some(Some(answer)) if !answer.is_success() => {
            assert_eq!(error.status(), Some(answer.status), "{error}");
            assert_eq!(error.code(), code_for_status(answer.status), "{error}");
        }
        Some(Some(_)) => assert!(
            matches!(error.code(), ErrorCode::BadResponse | ErrorCode::FmuError),
            "{error}"
        ),
    }
}

fn last_answer(transport: &ScriptTransport) -> Option<HttpResponse> {
    transport.log.borrow().last().and_then(|(_, a)| a.clone())
}

/// `own`: the client's credential (the secret it was given); `bearer`: the token the failed
/// request carried. (A secret cut where a long message is shortened is covered by a unit test,
/// `tests/errors.rs`: as a fuzz property it cannot tell a cut secret from text that merely
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
