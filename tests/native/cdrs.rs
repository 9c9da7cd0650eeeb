//! Call detail records through the public API: the query sent, the records read, pagination.

use crate::support::*;
use proximus_api::internals::rented_numbers::cdrs::{self, CallRecord, ListCdrs};
use proximus_api::{ErrorCode, HttpResponse, Method};

const RN: &str = "https://proximus.test/rentednumbers/1.0.0";
const RECORD: &str = r#"{"id":"cdr_1","timestamp":"2026-11-23T10:00:00Z","duration":42,"source":"32470000001","service":"3278000123"}"#;

fn record(id: &str) -> String {
    RECORD.replace("cdr_1", id)
}

fn expected() -> CallRecord {
    CallRecord {
        id: "cdr_1".into(),
        timestamp_ms: START_MS as i64,
        duration: Some(42),
        source: Some("32470000001".into()),
        service: Some("3278000123".into()),
    }
}

#[test]
fn get_sends_the_path_encoded_id_and_reads_the_record() {
    let t = with_token_endpoint(|_| json(200, RECORD));
    let c = FakeClock::new();
    let cl = client(&t, &c);
    assert_eq!(block_on(cdrs::get(&cl, "cdr_1")).unwrap(), expected());
    block_on(cdrs::get(&cl, "a/b c")).unwrap();
    let sent = t.api_requests();
    assert_eq!(sent[0].method, Method::Get);
    assert_eq!(sent[0].url, format!("{RN}/cdr/cdr_1"));
    assert_eq!(sent[1].url, format!("{RN}/cdr/a%2Fb%20c"));
    assert_eq!(sent[0].header("Authorization"), Some("Bearer tok-1"));
}

#[test]
fn get_refuses_bad_ids_and_maps_404() {
    let t =
        with_token_endpoint(|_| json(404, r#"{"code":"NOT_FOUND","message":"no such record"}"#));
    let c = FakeClock::new();
    let cl = client(&t, &c);
    for id in ["", "..", "a\tb"] {
        assert_eq!(
            block_on(cdrs::get(&cl, id)).unwrap_err().code(),
            ErrorCode::InvalidArgument
        );
    }
    assert!(t.requests().is_empty());
    assert_eq!(
        block_on(cdrs::get(&cl, "x")).unwrap_err().code(),
        ErrorCode::NotFound
    );
}

#[test]
fn records_are_read_tolerantly_but_need_an_id_and_a_timestamp() {
    let parse = |body: &str| cdrs::parse_call_record::<SerdeJson>(&HttpResponse::new(200, body));
    let sparse = parse(r#"{"id":7,"timestamp":"2026-11-23T11:00:00+01:00","other":1}"#).unwrap();
    assert_eq!(
        sparse,
        CallRecord {
            id: "7".into(),
            timestamp_ms: START_MS as i64,
            duration: None,
            source: None,
            service: None
        }
    );
    let numeric = parse(
        r#"{"id":"c","timestamp":"2026-11-23T10:00:00Z","duration":"42","source":32470000001}"#,
    )
    .unwrap();
    assert_eq!(
        (numeric.duration, numeric.source.as_deref()),
        (Some(42), Some("32470000001"))
    );
    for bad in [
        r#"{"timestamp":"2026-11-23T10:00:00Z"}"#,
        r#"{"id":"c"}"#,
        r#"{"id":"c","timestamp":"yesterday"}"#,
        r#"{"id":"c","timestamp":"2026-02-30T10:00:00Z"}"#,
        "null",
        "",
    ] {
        assert_eq!(
            parse(bad).unwrap_err().code(),
            ErrorCode::BadResponse,
            "{bad}"
        );
    }
}

#[test]
fn list_page_sends_page_size_and_the_time_range_in_iso() {
    let body = format!(
        r#"{{"content":[{}],"page":0,"size":20,"totalElements":1,"totalPages":1}}"#,
        RECORD
    );
    let t = with_token_endpoint(move |_| json(200, &body));
    let c = FakeClock::new();
    let cl = client(&t, &c);
    let from = START_MS as i64;
    let to = from + 86_400_000 + 1;
    let page = block_on(cdrs::list_page(
        &cl,
        &ListCdrs {
            page: 0,
            size: 20,
            from_ms: Some(from),
            to_ms: Some(to),
        },
    ))
    .unwrap();
    assert_eq!(page.items, vec![expected()]);
    assert_eq!((page.total_elements, page.total_pages), (Some(1), Some(1)));
    block_on(cdrs::list_page(&cl, &ListCdrs::default())).unwrap();
    block_on(cdrs::list_page(
        &cl,
        &ListCdrs {
            page: 4,
            size: 100,
            from_ms: None,
            to_ms: Some(to),
        },
    ))
    .unwrap();
    block_on(cdrs::list_page(
        &cl,
        &ListCdrs {
            from_ms: Some(from),
            ..Default::default()
        },
    ))
    .unwrap();
    let urls: Vec<String> = t.api_requests().into_iter().map(|r| r.url).collect();
    assert_eq!(
        urls,
        [
            format!(
                "{RN}/cdr?page=0&size=20&from=2026-11-23T10:00:00.000Z&to=2026-11-24T10:00:00.001Z"
            ),
            format!("{RN}/cdr?page=0&size=20"),
            format!("{RN}/cdr?page=4&size=100&to=2026-11-24T10:00:00.001Z"),
            format!("{RN}/cdr?page=0&size=20&from=2026-11-23T10:00:00.000Z"),
        ]
    );
}

#[test]
fn list_refuses_a_reversed_range_a_bad_size_or_an_impossible_date() {
    let t = with_token_endpoint(|_| json(200, r#"{"content":[]}"#));
    let c = FakeClock::new();
    let cl = client(&t, &c);
    let now = START_MS as i64;
    for query in [
        ListCdrs {
            from_ms: Some(now),
            to_ms: Some(now - 1),
            ..Default::default()
        },
        ListCdrs {
            size: 0,
            ..Default::default()
        },
        ListCdrs {
            size: 101,
            ..Default::default()
        },
        ListCdrs {
            from_ms: Some(i64::MAX),
            ..Default::default()
        },
        ListCdrs {
            to_ms: Some(i64::MIN),
            ..Default::default()
        },
    ] {
        assert_eq!(
            block_on(cdrs::list_page(&cl, &query)).unwrap_err().code(),
            ErrorCode::InvalidArgument,
            "{query:?}"
        );
        assert_eq!(
            cdrs::list(query).unwrap_err().code(),
            ErrorCode::InvalidArgument
        );
    }
    assert!(t.requests().is_empty());
    // from == to is a valid (one-instant) range.
    block_on(cdrs::list_page(
        &cl,
        &ListCdrs {
            from_ms: Some(now),
            to_ms: Some(now),
            ..Default::default()
        },
    ))
    .unwrap();
}

#[test]
fn the_pager_walks_every_record_page_with_the_same_filter() {
    let t = with_token_endpoint(|req| {
        let n = if req.url.contains("page=0&") {
            0
        } else if req.url.contains("page=1&") {
            1
        } else {
            2
        };
        let body = match n {
            0 => format!(r#"{{"content":[{},{}]}}"#, record("c0"), record("c1")),
            1 => format!(r#"{{"content":[{}]}}"#, record("c2")),
            _ => panic!("page 2 must not be asked for: page 1 was short"),
        };
        json(200, &body)
    });
    let c = FakeClock::new();
    let cl = client(&t, &c);
    let from = START_MS as i64;
    let mut pager = cdrs::list(ListCdrs {
        size: 2,
        from_ms: Some(from),
        ..Default::default()
    })
    .unwrap();
    let ids: Vec<String> = block_on(pager.collect_all(&cl))
        .unwrap()
        .into_iter()
        .map(|r| r.id)
        .collect();
    assert_eq!(ids, ["c0", "c1", "c2"]);
    let urls: Vec<String> = t.api_requests().into_iter().map(|r| r.url).collect();
    assert_eq!(
        urls,
        [
            format!("{RN}/cdr?page=0&size=2&from=2026-11-23T10:00:00.000Z"),
            format!("{RN}/cdr?page=1&size=2&from=2026-11-23T10:00:00.000Z"),
        ]
    );
}

#[test]
fn one_bad_record_makes_the_page_a_bad_response_naming_it() {
    let body = format!(r#"{{"content":[{},{{"id":"c9"}}]}}"#, RECORD);
    let t = with_token_endpoint(move |_| json(200, &body));
    let c = FakeClock::new();
    let err = block_on(cdrs::list_page(&client(&t, &c), &ListCdrs::default())).unwrap_err();
    assert_eq!(err.code(), ErrorCode::BadResponse);
    assert!(err.message().contains("item 1"), "{}", err.message());
}
