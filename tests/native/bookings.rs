//! Bookings through the public API: what is sent, what comes back, pagination, and that
//! `POST /bookings` (and the top-up `PUT`) are never repeated after an ambiguous failure.

use std::cell::Cell;
use std::rc::Rc;

use crate::support::*;
use proximus_api::internals::rented_numbers::bookings::{
    self, Booking, CreateBooking, ListBookings, UsagePlan,
};
use proximus_api::internals::rented_numbers::paging::{PageQuery, MAX_PAGES};
use proximus_api::{ErrorCode, HttpResponse, Method, TransportError};

const RN: &str = "https://proximus.test/rentednumbers/1.0.0";

const BOOKING: &str = r#"{"id":"bk_1","service":"3278000123","endTime":"2026-11-30T10:00:00Z",
  "secondsRemaining":3600,"callsRemaining":25,"destination":"32477121212","usagePlan":"SMALL"}"#;

/// 2026-11-30T10:00:00Z
const END_MS: i64 = 1_796_032_800_000;

fn booking_json(id: &str) -> String {
    format!(
        r#"{{"id":"{id}","service":"3278000123","endTime":"2026-11-30T10:00:00Z","secondsRemaining":60,"callsRemaining":1}}"#
    )
}

fn new_booking() -> CreateBooking {
    CreateBooking {
        destination: "+32 477 12 12 12".into(),
        usage_plan: UsagePlan::Small,
        callback_url: "https://example.com/calls?listing=7".into(),
    }
}

fn expected_booking() -> Booking {
    Booking {
        id: "bk_1".into(),
        service: "3278000123".into(),
        destination: Some("32477121212".into()),
        usage_plan: Some("SMALL".into()),
        end_time_ms: END_MS,
        seconds_remaining: Some(3600),
        calls_remaining: Some(25),
    }
}

#[test]
fn create_posts_the_normalized_number_plan_and_callback_and_reads_the_201_booking() {
    let t = with_token_endpoint(|_| json(201, BOOKING));
    let c = FakeClock::new();
    let booking = block_on(bookings::create(&client(&t, &c), &new_booking())).unwrap();
    assert_eq!(booking, expected_booking());
    let sent = t.api_requests();
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].method, Method::Post);
    assert_eq!(sent[0].url, format!("{RN}/bookings"));
    assert_eq!(
        sent[0].body.as_deref(),
        Some(
            r#"{"destination":"32477121212","usagePlan":"SMALL","callback":"https://example.com/calls?listing=7"}"#
        )
    );
    assert_eq!(sent[0].header("Content-Type"), Some("application/json"));
    assert_eq!(sent[0].header("Authorization"), Some("Bearer tok-1"));
}

#[test]
fn create_sends_nothing_for_a_bad_number_or_callback() {
    let t = with_token_endpoint(|_| json(201, BOOKING));
    let c = FakeClock::new();
    let cl = client(&t, &c);
    let bad_inputs = [
        CreateBooking {
            destination: "not a number".into(),
            ..new_booking()
        },
        CreateBooking {
            destination: "".into(),
            ..new_booking()
        },
        CreateBooking {
            callback_url: "http://example.com/calls".into(),
            ..new_booking()
        },
        CreateBooking {
            callback_url: "ftp://example.com/calls".into(),
            ..new_booking()
        },
        CreateBooking {
            callback_url: "".into(),
            ..new_booking()
        },
    ];
    for input in bad_inputs {
        let err = block_on(bookings::create(&cl, &input)).unwrap_err();
        assert_eq!(err.code(), ErrorCode::InvalidArgument, "{input:?}: {err}");
    }
    assert!(
        t.requests().is_empty(),
        "nothing may be sent, not even /token"
    );
}

#[test]
fn create_allows_a_loopback_http_callback() {
    let t = with_token_endpoint(|_| json(201, BOOKING));
    let c = FakeClock::new();
    let input = CreateBooking {
        callback_url: "http://127.0.0.1:8787/calls".into(),
        ..new_booking()
    };
    block_on(bookings::create(&client(&t, &c), &input)).unwrap();
    assert!(t.api_requests()[0]
        .body
        .as_deref()
        .unwrap()
        .contains(r#""callback":"http://127.0.0.1:8787/calls""#));
}

/// Counts POSTs to /bookings; answers each with the next of `answers`.
fn counting(answers: Vec<Result<HttpResponse, TransportError>>) -> ScriptedTransport {
    let mut queue = answers.into_iter();
    with_token_endpoint(move |req| {
        queue
            .next()
            .unwrap_or_else(|| panic!("unexpected request {}", req.url))
    })
}

#[test]
fn create_is_never_repeated_after_an_ambiguous_failure() {
    let cases: Vec<(Result<HttpResponse, TransportError>, ErrorCode)> = vec![
        (
            json(502, "<html>Bad Gateway</html>"),
            ErrorCode::Unavailable,
        ),
        (json(504, ""), ErrorCode::Unavailable),
        (Err(TransportError::Timeout), ErrorCode::Timeout),
        (
            Err(TransportError::Network("connection reset".into())),
            ErrorCode::Network,
        ),
        (
            json(
                503,
                r#"{"code":"NO_NUMBER_AVAILABLE","message":"no free number"}"#,
            ),
            ErrorCode::Unavailable,
        ),
    ];
    for (answer, code) in cases {
        // A second answer is scripted: if the client retried, the call would succeed.
        let t = counting(vec![answer, json(201, BOOKING)]);
        let c = FakeClock::new();
        let err = block_on(bookings::create(&client(&t, &c), &new_booking())).unwrap_err();
        assert_eq!(err.code(), code, "{err}");
        assert_eq!(
            t.count("/bookings"),
            1,
            "{code:?}: exactly one POST /bookings"
        );
        assert!(c.sleeps().is_empty());
    }
}

#[test]
fn create_is_retried_after_a_429_honouring_retry_after() {
    let throttled = Ok(HttpResponse {
        status: 429,
        retry_after: Some("2".into()),
        date: None,
        body: r#"{"fault":{"code":900800,"message":"Message throttled out"}}"#.into(),
    });
    let t = counting(vec![throttled, json(201, BOOKING)]);
    let c = FakeClock::new();
    let booking = block_on(bookings::create(&client(&t, &c), &new_booking())).unwrap();
    assert_eq!(booking.id, "bk_1");
    assert_eq!(t.count("/bookings"), 2);
    assert_eq!(c.sleeps(), vec![2000]);
    let sent = t.api_requests();
    assert_eq!(
        sent[0].body, sent[1].body,
        "the same booking is asked for again"
    );
}

#[test]
fn create_reports_no_number_available_with_the_service_code() {
    let t = with_token_endpoint(|_| {
        json(
            503,
            r#"{"code":"NO_NUMBER_AVAILABLE","message":"no free number"}"#,
        )
    });
    let c = FakeClock::new();
    let err = block_on(bookings::create(&client(&t, &c), &new_booking())).unwrap_err();
    assert_eq!(err.status(), Some(503));
    assert_eq!(err.service_code(), Some("NO_NUMBER_AVAILABLE"));
}

#[test]
fn get_sends_a_path_encoded_id_and_reads_the_booking() {
    let t = with_token_endpoint(|_| json(200, BOOKING));
    let c = FakeClock::new();
    let cl = client(&t, &c);
    assert_eq!(
        block_on(bookings::get(&cl, "bk_1")).unwrap(),
        expected_booking()
    );
    block_on(bookings::get(&cl, "bk 1/../x?y#z")).unwrap();
    let sent = t.api_requests();
    assert_eq!(
        (sent[0].method, sent[0].url.as_str()),
        (Method::Get, &*format!("{RN}/bookings/bk_1"))
    );
    assert_eq!(
        sent[1].url,
        format!("{RN}/bookings/bk%201%2F..%2Fx%3Fy%23z")
    );
    assert_eq!(sent[0].body, None);
}

#[test]
fn get_maps_404_to_not_found_and_retries_a_502() {
    let t = counting(vec![
        json(502, ""),
        json(404, r#"{"code":"NOT_FOUND","message":"no such booking"}"#),
    ]);
    let c = FakeClock::new();
    let err = block_on(bookings::get(&client(&t, &c), "bk_gone")).unwrap_err();
    assert_eq!(err.code(), ErrorCode::NotFound);
    assert_eq!(t.count("/bookings/bk_gone"), 2, "a GET is safe to repeat");
}

#[test]
fn bad_ids_are_refused_before_anything_is_sent() {
    let t = with_token_endpoint(|_| json(200, BOOKING));
    let c = FakeClock::new();
    let cl = client(&t, &c);
    let long = "x".repeat(129);
    for id in ["", "   ", "a\nb", "a\u{0}b", ".", "..", long.as_str()] {
        for err in [
            block_on(bookings::get(&cl, id)).unwrap_err(),
            block_on(bookings::update(&cl, id, UsagePlan::Large)).unwrap_err(),
            block_on(bookings::delete(&cl, id)).unwrap_err(),
        ] {
            assert_eq!(err.code(), ErrorCode::InvalidArgument, "{id:?}");
        }
    }
    assert!(t.requests().is_empty());
    block_on(bookings::get(&cl, &"x".repeat(128))).unwrap();
}

#[test]
fn update_puts_the_plan_and_reads_the_topped_up_booking() {
    let t = with_token_endpoint(|_| json(200, &BOOKING.replace("3600", "21600")));
    let c = FakeClock::new();
    let booking = block_on(bookings::update(&client(&t, &c), "bk_1", UsagePlan::Medium)).unwrap();
    assert_eq!(booking.seconds_remaining, Some(21_600));
    let sent = t.api_requests();
    assert_eq!(sent[0].method, Method::Put);
    assert_eq!(sent[0].url, format!("{RN}/bookings/bk_1"));
    assert_eq!(sent[0].body.as_deref(), Some(r#"{"usagePlan":"MEDIUM"}"#));
    assert_eq!(sent[0].header("Content-Type"), Some("application/json"));
}

#[test]
fn update_is_not_repeated_after_an_ambiguous_failure_since_a_top_up_adds() {
    let t = counting(vec![Err(TransportError::Timeout), json(200, BOOKING)]);
    let c = FakeClock::new();
    let err = block_on(bookings::update(&client(&t, &c), "bk_1", UsagePlan::Large)).unwrap_err();
    assert_eq!(err.code(), ErrorCode::Timeout);
    assert_eq!(t.count("/bookings/bk_1"), 1);
}

#[test]
fn delete_sends_delete_and_accepts_204() {
    let t = with_token_endpoint(|_| json(204, ""));
    let c = FakeClock::new();
    block_on(bookings::delete(&client(&t, &c), "bk_1")).unwrap();
    let sent = t.api_requests();
    assert_eq!(
        (sent[0].method, sent[0].url.clone(), sent[0].body.clone()),
        (Method::Delete, format!("{RN}/bookings/bk_1"), None)
    );
}

#[test]
fn delete_reports_404() {
    let t = with_token_endpoint(|_| json(404, r#"{"code":"NOT_FOUND","message":"gone"}"#));
    let c = FakeClock::new();
    let err = block_on(bookings::delete(&client(&t, &c), "bk_1")).unwrap_err();
    assert_eq!((err.code(), err.status()), (ErrorCode::NotFound, Some(404)));
}

#[test]
fn delete_whose_answer_was_lost_then_404_is_done() {
    // The first DELETE acted but its answer was lost; the retry finds the booking gone.
    let t = counting(vec![
        Err(TransportError::Network("connection reset".into())),
        json(404, r#"{"code":"NOT_FOUND","message":"gone"}"#),
    ]);
    let c = FakeClock::new();
    block_on(bookings::delete(&client(&t, &c), "bk_1")).unwrap();
    assert_eq!(t.count("/bookings/bk_1"), 2);
}

#[test]
fn delete_after_a_429_then_404_is_still_not_found() {
    // A 429 is refused before the service: the 404 that follows is the booking's own state.
    let t = counting(vec![
        json(429, ""),
        json(404, r#"{"code":"NOT_FOUND","message":"gone"}"#),
    ]);
    let c = FakeClock::new();
    let err = block_on(bookings::delete(&client(&t, &c), "bk_1")).unwrap_err();
    assert_eq!(err.code(), ErrorCode::NotFound);
}

#[test]
fn numbers_quoted_in_server_errors_are_hidden() {
    let t = with_token_endpoint(|_| {
        json(
            409,
            r#"{"code":"CONFLICT","message":"destination +32 477 12 12 12 already booked as bk_12345678"}"#,
        )
    });
    let c = FakeClock::new();
    let err = block_on(bookings::get(&client(&t, &c), "bk_1")).unwrap_err();
    assert!(!err.message().contains("477"), "{}", err.message());
    assert!(
        err.message()
            .contains("[number] already booked as bk_12345678"),
        "{}",
        err.message()
    );
}

#[test]
fn usage_plans_parse_strictly() {
    assert_eq!(UsagePlan::parse("SMALL").unwrap(), UsagePlan::Small);
    assert_eq!(UsagePlan::parse("MEDIUM").unwrap(), UsagePlan::Medium);
    assert_eq!(UsagePlan::parse("LARGE").unwrap(), UsagePlan::Large);
    for bad in ["small", " SMALL", "XL", "", "SMALL\n"] {
        let err = UsagePlan::parse(bad).unwrap_err();
        assert_eq!(err.code(), ErrorCode::InvalidArgument);
        assert!(
            err.message().contains("SMALL, MEDIUM, LARGE"),
            "{}",
            err.message()
        );
    }
    assert_eq!(UsagePlan::Large.to_string(), "LARGE");
}

fn parse(body: &str) -> proximus_api::Result<Booking> {
    bookings::parse_booking::<SerdeJson>(&HttpResponse::new(200, body))
}

#[test]
fn a_booking_with_minutes_remaining_is_read_in_seconds() {
    let body = r#"{"id":"bk_2","service":"3278000124","endTime":"2026-11-30T10:00:00Z","minutesRemaining":90,
                   "destination":"32477121212","usagePlan":"SMALL"}"#;
    assert_eq!(parse(body).unwrap().seconds_remaining, Some(5400));
    let half = body.replace(r#""minutesRemaining":90"#, r#""minutesRemaining":1.5"#);
    assert_eq!(parse(&half).unwrap().seconds_remaining, Some(90));
    // When both are present, the documented secondsRemaining wins.
    let both = body.replace(
        r#""minutesRemaining":90"#,
        r#""minutesRemaining":90,"secondsRemaining":7"#,
    );
    assert_eq!(parse(&both).unwrap().seconds_remaining, Some(7));
}

#[test]
fn a_booking_tolerates_extra_and_missing_optional_fields() {
    let body = r#"{"id":42,"service":"3278000123","endTime":"2026-11-30T11:00:00+01:00","extra":{"x":[1,2]},"usagePlan":"XLARGE"}"#;
    let booking = parse(body).unwrap();
    assert_eq!(booking.id, "42");
    assert_eq!(booking.end_time_ms, END_MS);
    assert_eq!(
        (
            booking.destination,
            booking.seconds_remaining,
            booking.calls_remaining
        ),
        (None, None, None)
    );
    assert_eq!(booking.usage_plan.as_deref(), Some("XLARGE"));
    assert!(parse(BOOKING).unwrap().plan() == Some(UsagePlan::Small));
    assert!(parse(BOOKING).unwrap().is_active(END_MS - 1));
    assert!(!parse(BOOKING).unwrap().is_active(END_MS));
}

#[test]
fn a_booking_without_its_essential_fields_is_a_bad_response() {
    for body in [
        r#"{"service":"3278000123","endTime":"2026-11-30T10:00:00Z"}"#,
        r#"{"id":"","service":"3278000123","endTime":"2026-11-30T10:00:00Z"}"#,
        r#"{"id":"bk","endTime":"2026-11-30T10:00:00Z"}"#,
        r#"{"id":"bk","service":"3278000123"}"#,
        r#"{"id":"bk","service":"3278000123","endTime":"next tuesday"}"#,
        r#"{"id":"bk","service":"3278000123","endTime":true}"#,
        r#"{"id":["bk"],"service":"3278000123","endTime":"2026-11-30T10:00:00Z"}"#,
        "[]",
        "",
        "<html>ok</html>",
        r#"{"id":"bk""#,
    ] {
        let err = parse(body).unwrap_err();
        assert_eq!(err.code(), ErrorCode::BadResponse, "{body}");
        assert_eq!(err.status(), Some(200));
    }
}

// Pagination.

/// Serves `pages[n]` for `?page=n` (an empty page past the end), counting requests.
fn paged(pages: Vec<String>) -> (ScriptedTransport, Rc<Cell<usize>>) {
    let hits = Rc::new(Cell::new(0));
    let counter = hits.clone();
    let t = with_token_endpoint(move |req| {
        counter.set(counter.get() + 1);
        let n: usize = page_param(&req.url);
        json(
            200,
            pages.get(n).map_or(r#"{"content":[]}"#, String::as_str),
        )
    });
    (t, hits)
}

fn page_param(url: &str) -> usize {
    let query = url.split_once('?').unwrap().1;
    query
        .split('&')
        .find_map(|p| p.strip_prefix("page="))
        .unwrap()
        .parse()
        .unwrap()
}

fn items(ids: std::ops::Range<usize>) -> String {
    ids.map(|i| booking_json(&format!("bk_{i}")))
        .collect::<Vec<_>>()
        .join(",")
}

fn page(ids: std::ops::Range<usize>, extra: &str) -> String {
    format!(r#"{{"content":[{}]{extra}}}"#, items(ids))
}

fn all_ids<Q: PageQuery<Item = Booking>>(
    t: &ScriptedTransport,
    pager: &mut proximus_api::internals::rented_numbers::paging::Pager<Q>,
) -> Vec<String> {
    let c = FakeClock::new();
    let cl = client(t, &c);
    block_on(pager.collect_all(&cl))
        .unwrap()
        .into_iter()
        .map(|b| b.id)
        .collect()
}

#[test]
fn list_page_sends_the_query_and_reads_the_page() {
    let t = with_token_endpoint(|_| {
        json(
            200,
            &page(
                0..2,
                r#","page":3,"size":2,"totalElements":42,"totalPages":21"#,
            ),
        )
    });
    let c = FakeClock::new();
    let query = ListBookings {
        page: 3,
        size: 2,
        include_expired: true,
    };
    let result = block_on(bookings::list_page(&client(&t, &c), &query)).unwrap();
    assert_eq!(
        t.api_requests()[0].url,
        format!("{RN}/bookings?includeExpired=true&page=3&size=2")
    );
    assert_eq!(t.api_requests()[0].method, Method::Get);
    assert_eq!(
        result
            .items
            .iter()
            .map(|b| b.id.as_str())
            .collect::<Vec<_>>(),
        ["bk_0", "bk_1"]
    );
    assert_eq!(
        (
            result.page,
            result.size,
            result.total_elements,
            result.total_pages
        ),
        (3, 2, Some(42), Some(21))
    );
}

#[test]
fn list_defaults_to_page_0_of_20_without_expired() {
    let t = with_token_endpoint(|_| json(200, r#"{"content":[]}"#));
    let c = FakeClock::new();
    block_on(bookings::list_page(
        &client(&t, &c),
        &ListBookings::default(),
    ))
    .unwrap();
    assert_eq!(
        t.api_requests()[0].url,
        format!("{RN}/bookings?includeExpired=false&page=0&size=20")
    );
}

#[test]
fn list_refuses_sizes_outside_1_to_100_before_sending() {
    let t = with_token_endpoint(|_| json(200, r#"{"content":[]}"#));
    let c = FakeClock::new();
    for size in [0, 101, u32::MAX] {
        let query = ListBookings {
            size,
            ..Default::default()
        };
        let err = block_on(bookings::list_page(&client(&t, &c), &query)).unwrap_err();
        assert_eq!(err.code(), ErrorCode::InvalidArgument);
        assert_eq!(
            bookings::list(query).unwrap_err().code(),
            ErrorCode::InvalidArgument
        );
    }
    assert!(t.requests().is_empty());
    for size in [1, 100] {
        block_on(bookings::list_page(
            &client(&t, &c),
            &ListBookings {
                size,
                ..Default::default()
            },
        ))
        .unwrap();
    }
}

#[test]
fn missing_totals_are_derived_from_a_short_page() {
    let t = with_token_endpoint(|_| json(200, &page(0..3, "")));
    let c = FakeClock::new();
    let query = ListBookings {
        page: 2,
        size: 5,
        include_expired: false,
    };
    let result = block_on(bookings::list_page(&client(&t, &c), &query)).unwrap();
    assert_eq!(
        (
            result.page,
            result.size,
            result.total_elements,
            result.total_pages
        ),
        (2, 5, Some(13), Some(3))
    );

    let t = with_token_endpoint(|_| json(200, &page(0..5, r#","totalElements":12"#)));
    let result = block_on(bookings::list_page(&client(&t, &c), &query)).unwrap();
    assert_eq!(
        (result.total_elements, result.total_pages),
        (Some(12), Some(3))
    );

    let t = with_token_endpoint(|_| json(200, &page(0..5, "")));
    let result = block_on(bookings::list_page(&client(&t, &c), &query)).unwrap();
    assert_eq!(
        (result.total_elements, result.total_pages),
        (None, None),
        "a full page says nothing"
    );
}

#[test]
fn pages_in_the_spring_data_3_shape_and_bare_arrays_are_read() {
    let c = FakeClock::new();
    let nested = page(
        0..2,
        r#","page":{"size":2,"number":1,"totalElements":5,"totalPages":3}"#,
    );
    let t = with_token_endpoint(move |_| json(200, &nested));
    let query = ListBookings {
        page: 1,
        size: 2,
        include_expired: false,
    };
    let result = block_on(bookings::list_page(&client(&t, &c), &query)).unwrap();
    assert_eq!(
        (
            result.page,
            result.size,
            result.total_elements,
            result.total_pages
        ),
        (1, 2, Some(5), Some(3))
    );

    let bare = format!("[{}]", items(0..1));
    let t = with_token_endpoint(move |_| json(200, &bare));
    let result = block_on(bookings::list_page(&client(&t, &c), &query)).unwrap();
    assert_eq!(result.items.len(), 1);
}

#[test]
fn a_page_that_is_not_a_page_is_a_bad_response() {
    let c = FakeClock::new();
    for body in [
        "",
        "{}",
        r#"{"content":{}}"#,
        r#"{"content":[{"id":"x"}]}"#,
        "42",
        "<html></html>",
        r#"{"content":[1]}"#,
    ] {
        let t = with_token_endpoint(move |_| json(200, body));
        let err = block_on(bookings::list_page(
            &client(&t, &c),
            &ListBookings::default(),
        ))
        .unwrap_err();
        assert_eq!(err.code(), ErrorCode::BadResponse, "{body}");
    }
}

#[test]
fn the_pager_walks_every_page_per_total_pages() {
    let pages = vec![
        page(
            0..2,
            r#","page":0,"size":2,"totalElements":5,"totalPages":3"#,
        ),
        page(
            2..4,
            r#","page":1,"size":2,"totalElements":5,"totalPages":3"#,
        ),
        page(
            4..5,
            r#","page":2,"size":2,"totalElements":5,"totalPages":3"#,
        ),
    ];
    let (t, hits) = paged(pages);
    let mut pager = bookings::list(ListBookings {
        size: 2,
        ..Default::default()
    })
    .unwrap();
    assert!(hits.get() == 0, "nothing is fetched before it is asked for");
    assert_eq!(
        all_ids(&t, &mut pager),
        ["bk_0", "bk_1", "bk_2", "bk_3", "bk_4"]
    );
    assert_eq!(hits.get(), 3);
    let urls: Vec<String> = t.api_requests().into_iter().map(|r| r.url).collect();
    assert_eq!(
        urls,
        (0..3)
            .map(|n| format!("{RN}/bookings?includeExpired=false&page={n}&size=2"))
            .collect::<Vec<_>>()
    );
    assert!(pager.is_done());
}

#[test]
fn the_pager_stops_at_an_exactly_full_last_page_when_totals_say_so() {
    let pages = vec![
        page(0..2, r#","totalPages":2"#),
        page(2..4, r#","totalPages":2"#),
    ];
    let (t, hits) = paged(pages);
    let mut pager = bookings::list(ListBookings {
        size: 2,
        ..Default::default()
    })
    .unwrap();
    assert_eq!(all_ids(&t, &mut pager).len(), 4);
    assert_eq!(hits.get(), 2, "no request for page 2");
}

#[test]
fn without_totals_the_pager_stops_at_a_short_page() {
    let (t, hits) = paged(vec![page(0..2, ""), page(2..4, ""), page(4..5, "")]);
    let mut pager = bookings::list(ListBookings {
        size: 2,
        ..Default::default()
    })
    .unwrap();
    assert_eq!(all_ids(&t, &mut pager).len(), 5);
    assert_eq!(hits.get(), 3);
}

#[test]
fn without_totals_the_pager_stops_at_an_empty_page_after_full_ones() {
    let (t, hits) = paged(vec![page(0..2, ""), page(2..4, "")]);
    let mut pager = bookings::list(ListBookings {
        size: 2,
        ..Default::default()
    })
    .unwrap();
    assert_eq!(all_ids(&t, &mut pager).len(), 4);
    assert_eq!(hits.get(), 3, "page 2 is empty");
}

#[test]
fn an_empty_list_is_one_request_and_one_empty_page() {
    let (t, hits) = paged(vec![
        r#"{"content":[],"page":0,"size":20,"totalElements":0,"totalPages":0}"#.into(),
    ]);
    let c = FakeClock::new();
    let cl = client(&t, &c);
    let mut pager = bookings::list(ListBookings::default()).unwrap();
    let first = block_on(pager.next_page(&cl)).unwrap().unwrap();
    assert!(first.items.is_empty());
    assert_eq!(block_on(pager.next_page(&cl)).unwrap(), None);
    assert_eq!(block_on(pager.next_page(&cl)).unwrap(), None);
    assert_eq!(hits.get(), 1);
}

#[test]
fn a_single_page_is_one_request() {
    let (t, hits) = paged(vec![page(0..3, r#","totalElements":3,"totalPages":1"#)]);
    let mut pager = bookings::list(ListBookings::default()).unwrap();
    assert_eq!(all_ids(&t, &mut pager).len(), 3);
    assert_eq!(hits.get(), 1);
}

#[test]
fn totals_that_overstate_the_content_end_at_the_first_empty_page() {
    let pages = vec![
        page(0..2, r#","totalElements":1000,"totalPages":500"#),
        page(2..3, r#","totalElements":1000,"totalPages":500"#),
        r#"{"content":[],"totalElements":1000,"totalPages":500}"#.to_string(),
        page(3..5, r#","totalElements":1000,"totalPages":500"#),
    ];
    let (t, hits) = paged(pages);
    let mut pager = bookings::list(ListBookings {
        size: 2,
        ..Default::default()
    })
    .unwrap();
    assert_eq!(all_ids(&t, &mut pager), ["bk_0", "bk_1", "bk_2"]);
    assert_eq!(
        hits.get(),
        3,
        "pages 0 and 1, then the empty page 2 ends it despite totalPages"
    );
}

#[test]
fn totals_that_understate_the_content_still_yield_every_item_sent() {
    // totalPages 0 with items: the items are kept, and the walk ends.
    let (t, hits) = paged(vec![
        page(0..2, r#","totalElements":0,"totalPages":0"#),
        page(2..4, ""),
    ]);
    let mut pager = bookings::list(ListBookings {
        size: 2,
        ..Default::default()
    })
    .unwrap();
    assert_eq!(all_ids(&t, &mut pager), ["bk_0", "bk_1"]);
    assert_eq!(hits.get(), 1);
}

#[test]
fn totals_in_junk_form_are_ignored() {
    let (t, hits) = paged(vec![
        page(
            0..2,
            r#","totalElements":-4,"totalPages":"many","size":0,"page":1.5"#,
        ),
        page(2..3, r#","totalPages":null"#),
    ]);
    let mut pager = bookings::list(ListBookings {
        size: 2,
        ..Default::default()
    })
    .unwrap();
    assert_eq!(all_ids(&t, &mut pager).len(), 3);
    assert_eq!(hits.get(), 2);
}

#[test]
fn stopping_early_sends_no_further_request() {
    let pages = (0..5)
        .map(|n| page(n * 2..n * 2 + 2, r#","totalPages":5"#))
        .collect();
    let (t, hits) = paged(pages);
    let c = FakeClock::new();
    let cl = client(&t, &c);
    let mut pager = bookings::list(ListBookings {
        size: 2,
        ..Default::default()
    })
    .unwrap();
    let first = block_on(pager.next_page(&cl)).unwrap().unwrap();
    assert_eq!(first.items[0].id, "bk_0");
    assert_eq!(pager.next_page_number(), Some(1));
    pager.stop();
    assert_eq!(block_on(pager.next_page(&cl)).unwrap(), None);
    assert_eq!(hits.get(), 1);
}

#[test]
fn the_pager_starts_at_the_page_asked_for() {
    let pages = (0..3)
        .map(|n| page(n * 2..n * 2 + 2, r#","totalPages":3"#))
        .collect();
    let (t, hits) = paged(pages);
    let mut pager = bookings::list(ListBookings {
        page: 1,
        size: 2,
        include_expired: true,
    })
    .unwrap();
    assert_eq!(all_ids(&t, &mut pager), ["bk_2", "bk_3", "bk_4", "bk_5"]);
    assert_eq!(hits.get(), 2);
    assert!(t.api_requests()[0]
        .url
        .ends_with("/bookings?includeExpired=true&page=1&size=2"));
}

#[test]
fn a_failed_page_is_fetched_again_when_asked_again() {
    let answers = vec![
        json(200, &page(0..2, r#","totalPages":2"#)),
        json(500, "oops"),
        json(200, &page(2..3, r#","totalPages":2"#)),
    ];
    let t = counting(answers);
    let c = FakeClock::new();
    let cl = client(&t, &c);
    let mut pager = bookings::list(ListBookings {
        size: 2,
        ..Default::default()
    })
    .unwrap();
    block_on(pager.next_page(&cl)).unwrap().unwrap();
    assert_eq!(
        block_on(pager.next_page(&cl)).unwrap_err().code(),
        ErrorCode::ServerError
    );
    assert_eq!(pager.next_page_number(), Some(1));
    let second = block_on(pager.next_page(&cl)).unwrap().unwrap();
    assert_eq!(second.items[0].id, "bk_2");
    assert!(
        t.api_requests()[1].url.contains("page=1") && t.api_requests()[2].url.contains("page=1")
    );
    assert_eq!(block_on(pager.next_page(&cl)).unwrap(), None);
}

#[test]
fn a_server_that_never_stops_sending_full_pages_is_cut_off() {
    let hits = Rc::new(Cell::new(0u32));
    let counter = hits.clone();
    let one = format!(r#"{{"content":[{}]}}"#, booking_json("bk_same"));
    let t = with_token_endpoint(move |_| {
        counter.set(counter.get() + 1);
        // Far past the cap the server gives in, so that a missing cap fails instead of hanging.
        json(
            200,
            if counter.get() > MAX_PAGES + 10 {
                r#"{"content":[]}"#
            } else {
                &one
            },
        )
    });
    let c = FakeClock::new();
    let cl = client(&t, &c);
    let mut pager = bookings::list(ListBookings {
        size: 1,
        ..Default::default()
    })
    .unwrap();
    let err = block_on(pager.collect_all(&cl)).unwrap_err();
    assert_eq!(err.code(), ErrorCode::BadResponse);
    assert_eq!(hits.get(), MAX_PAGES);
    assert_eq!(block_on(pager.next_page(&cl)).unwrap(), None);
    assert_eq!(hits.get(), MAX_PAGES);

    let mut capped = bookings::list(ListBookings {
        size: 1,
        ..Default::default()
    })
    .unwrap()
    .with_max_pages(3);
    assert!(block_on(capped.collect_all(&cl)).is_err());
    assert_eq!(hits.get(), MAX_PAGES + 3);
}
