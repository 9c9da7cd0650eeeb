//! The FMU API through the public core: what each call sends (URL, query, body, headers), what
//! it makes of the answers (in-band errors included), validation before the network, bulk
//! chunking with bounded concurrency and progress, and the callback parser.

use std::cell::{Cell, RefCell};
use std::future::Future;
use std::rc::Rc;

use crate::support::*;
use proximus_api::internals::fmu::{
    self, check_callback_url, chunk_sizes, parse_fmu_callback, plan_chunks, BulkOptions,
    FmuCallbackKind, FmuResult, FmuStatus, Progress,
};
use proximus_api::{
    Client, ClientOptions, ErrorCode, HttpRequest, HttpResponse, Method, Transport, TransportError,
};
use serde_json::Value;

const FMU: &str = "https://proximus.test/fmu/1.0.0";

/// `n` distinct Belgian mobiles, written the national way: `0470 000 000`, `0470 000 001`…
fn mobiles(n: usize) -> Vec<String> {
    (0..n)
        .map(|i| format!("0470 {:03} {:03}", i / 1000, i % 1000))
        .collect()
}

fn normalized(i: usize) -> String {
    format!("32470{i:06}")
}

/// The numbers of a `GET /status?msisdn=A,B…` request.
fn query_numbers(url: &str) -> Vec<String> {
    let Some((_, query)) = url.split_once("msisdn=") else {
        return Vec::new();
    };
    query
        .split('&')
        .next()
        .unwrap_or("")
        .split(',')
        .map(str::to_string)
        .collect()
}

/// The numbers of a `PUT /status` body.
fn body_numbers(request: &HttpRequest) -> Vec<String> {
    let body: Value =
        serde_json::from_str(request.body.as_deref().unwrap_or("")).expect("JSON body");
    body.get("msisdn")
        .and_then(Value::as_array)
        .expect("msisdn array")
        .iter()
        .map(|m| m.as_str().expect("string").to_string())
        .collect()
}

fn status_requests(transport: &ScriptedTransport) -> Vec<HttpRequest> {
    transport
        .requests()
        .into_iter()
        .filter(|r| r.url.contains("/status"))
        .collect()
}

/// The `/status` requests in the order of their chunks (concurrent chunks may leave in any
/// order: the first waits for the token the others then share).
fn requests_by_chunk(transport: &ScriptedTransport) -> Vec<HttpRequest> {
    let mut sent = status_requests(transport);
    sent.sort_by_key(|r| numbers_of(r).first().cloned());
    sent
}

/// The numbers of a `/status` request, whatever its method.
fn numbers_of(request: &HttpRequest) -> Vec<String> {
    if request.method == Method::Get {
        query_numbers(&request.url)
    } else {
        body_numbers(request)
    }
}

/// Answers every asynchronous request with `202 {"requestId":"req-<first number>"}`.
fn accept_all(req: &HttpRequest) -> Result<HttpResponse, TransportError> {
    let first = numbers_of(req).first().cloned().unwrap_or_default();
    json(202, &format!(r#"{{"requestId":"req-{first}"}}"#))
}

fn run<F: Future>(f: F) -> F::Output {
    block_on(f)
}

// ---------------------------------------------------------------------------------------------
// Statuses

#[test]
fn status_names_are_strict_uppercase() {
    assert_eq!(FmuStatus::parse("PRIVATE").unwrap(), FmuStatus::Private);
    assert_eq!(
        FmuStatus::parse("PROFESSIONAL").unwrap(),
        FmuStatus::Professional
    );
    assert_eq!(FmuStatus::parse("ON_DUTY").unwrap(), FmuStatus::OnDuty);
    for bad in ["private", "On_Duty", "ON DUTY", "", " PRIVATE", "BUSY"] {
        let error = FmuStatus::parse(bad).expect_err(bad);
        assert_eq!(error.code(), ErrorCode::InvalidArgument);
        assert!(
            error.message().contains("PRIVATE, PROFESSIONAL, ON_DUTY"),
            "{}",
            error.message()
        );
    }
    for status in FmuStatus::ALL {
        assert_eq!(FmuStatus::parse(status.as_str()).unwrap(), status);
    }
}

// ---------------------------------------------------------------------------------------------
// One number

#[test]
fn get_status_sends_the_normalized_number_and_reads_the_status() {
    let transport = with_token_endpoint(|_| {
        json(
            200,
            r#"{"msisdn":"32477121212","isError":false,"status":"PRIVATE"}"#,
        )
    });
    let clock = FakeClock::new();
    let client = client(&transport, &clock);
    let result = run(fmu::get_status(&client, "0477 12 12 12")).unwrap();
    assert_eq!(result.msisdn, "32477121212");
    assert_eq!(result.status, FmuStatus::Private);

    let sent = status_requests(&transport);
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].method, Method::Get);
    assert_eq!(sent[0].url, format!("{FMU}/status?msisdn=32477121212"));
    assert_eq!(sent[0].header("Authorization"), Some("Bearer tok-1"));
    assert_eq!(sent[0].header("Accept"), Some("application/json"));
    assert_eq!(sent[0].body, None);
}

#[test]
fn get_status_turns_an_in_band_error_into_fmu_error_with_the_number() {
    let transport = with_token_endpoint(|_| {
        json(
            200,
            r#"{"msisdn":"32477121213","isError":true,"errorMessage":"FMU option not active"}"#,
        )
    });
    let clock = FakeClock::new();
    let client = client(&transport, &clock);
    let error = run(fmu::get_status(&client, "+32 477 12 12 13")).unwrap_err();
    assert_eq!(error.code(), ErrorCode::FmuError);
    assert_eq!(error.msisdn(), Some("32477121213"));
    assert!(
        error.message().contains("FMU option not active"),
        "{}",
        error.message()
    );
    assert!(!error.retryable());
}

#[test]
fn get_status_refuses_answers_it_cannot_read() {
    let answers = [
        r#"{"msisdn":"32477121212","isError":false,"status":"HOLIDAY"}"#,
        r#"{"msisdn":"32477121212","isError":false}"#,
        r#"{"msisdn":"32477121212","isError":"no","status":"PRIVATE"}"#,
        r#"{"msisdn":"32477121212","status":42}"#,
        r#"["PRIVATE"]"#,
        "<html>oops</html>",
        "",
        r#"{"msisdn":"3247"#,
    ];
    for answer in answers {
        let transport = with_token_endpoint(move |_| json(200, answer));
        let clock = FakeClock::new();
        let client = client(&transport, &clock);
        let error = run(fmu::get_status(&client, "32477121212")).unwrap_err();
        assert_eq!(
            error.code(),
            ErrorCode::BadResponse,
            "answer {answer:?}: {error}"
        );
        assert_eq!(error.status(), Some(200));
    }
}

#[test]
fn nothing_is_sent_for_a_bad_number() {
    let inputs = [
        ("abc", "letters"),
        ("0477 12 12", "9 or 10 digits"),
        ("+33 6 12 34 56 78", "not a Belgian mobile"),
        ("02 123 45 67", "not a Belgian mobile"),
        ("0477 ١٢ ١٢ ١٢", "non-ASCII digit"),
        ("", "empty"),
    ];
    for (input, why) in inputs {
        let transport = ScriptedTransport::sequence(vec![]);
        let clock = FakeClock::new();
        let client = client(&transport, &clock);
        let errors = [
            run(fmu::get_status(&client, input)).unwrap_err(),
            run(fmu::set_status(&client, input, FmuStatus::OnDuty)).unwrap_err(),
        ];
        for error in errors {
            assert_eq!(error.code(), ErrorCode::InvalidArgument, "{input:?}");
            assert!(
                error.message().contains(why),
                "{input:?}: {}",
                error.message()
            );
        }
        assert!(
            transport.requests().is_empty(),
            "{input:?} sent {:?}",
            transport.requests()
        );
    }
}

#[test]
fn get_status_retries_an_unavailable_platform() {
    let attempts = Rc::new(Cell::new(0));
    let seen = attempts.clone();
    let transport = with_token_endpoint(move |_| {
        seen.set(seen.get() + 1);
        if seen.get() < 3 {
            json(503, r#"{"code":"UNAVAILABLE","message":"try later"}"#)
        } else {
            json(
                200,
                r#"{"msisdn":"32477121212","isError":false,"status":"ON_DUTY"}"#,
            )
        }
    });
    let clock = FakeClock::new();
    let client = client(&transport, &clock);
    let result = run(fmu::get_status(&client, "32477121212")).unwrap();
    assert_eq!(result.status, FmuStatus::OnDuty);
    assert_eq!(attempts.get(), 3);
    assert_eq!(clock.sleeps().len(), 2);
}

#[test]
fn set_status_puts_the_documented_body() {
    let transport =
        with_token_endpoint(|_| json(200, r#"{"msisdn":"32471121212","success":true}"#));
    let clock = FakeClock::new();
    let client = client(&transport, &clock);
    let result = run(fmu::set_status(
        &client,
        "0471 12 12 12",
        FmuStatus::Professional,
    ))
    .unwrap();
    assert_eq!(result.msisdn, "32471121212");
    assert!(result.success);

    let sent = status_requests(&transport);
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].method, Method::Put);
    assert_eq!(sent[0].url, format!("{FMU}/status"));
    assert_eq!(sent[0].header("Content-Type"), Some("application/json"));
    assert_eq!(sent[0].header("Authorization"), Some("Bearer tok-1"));
    assert_eq!(
        sent[0].body.as_deref(),
        Some(r#"{"msisdn":["32471121212"],"status":"PROFESSIONAL"}"#)
    );
}

#[test]
fn set_status_refusal_is_fmu_error_and_a_missing_success_is_bad_response() {
    let transport = with_token_endpoint(|_| {
        json(
            200,
            r#"{"msisdn":"32471121212","success":false,"errorMessage":"FMU option not active"}"#,
        )
    });
    let clock = FakeClock::new();
    let client = client(&transport, &clock);
    let error = run(fmu::set_status(&client, "32471121212", FmuStatus::Private)).unwrap_err();
    assert_eq!(error.code(), ErrorCode::FmuError);
    assert_eq!(error.msisdn(), Some("32471121212"));
    assert!(error.message().contains("FMU option not active"));

    let transport = with_token_endpoint(|_| json(200, r#"{"msisdn":"32471121212"}"#));
    let client = crate::support::client(&transport, &clock);
    let error = run(fmu::set_status(&client, "32471121212", FmuStatus::Private)).unwrap_err();
    assert_eq!(error.code(), ErrorCode::BadResponse);
}

#[test]
fn platform_errors_keep_their_status_and_code() {
    let transport =
        with_token_endpoint(|_| json(400, r#"{"code":"VALIDATION_ERROR","message":"bad msisdn"}"#));
    let clock = FakeClock::new();
    let client = client(&transport, &clock);
    let error = run(fmu::get_status(&client, "32477121212")).unwrap_err();
    assert_eq!(error.code(), ErrorCode::BadRequest);
    assert_eq!(error.status(), Some(400));
    assert_eq!(error.service_code(), Some("VALIDATION_ERROR"));
    assert_eq!(transport.count("/status"), 1, "a 400 is not retried");
}

// ---------------------------------------------------------------------------------------------
// Callback URL

#[test]
fn set_callback_url_posts_the_url_and_is_retried_like_a_get() {
    let answers = Rc::new(RefCell::new(vec![json(503, ""), json(204, "")]));
    let queue = answers.clone();
    let transport = with_token_endpoint(move |_| queue.borrow_mut().remove(0));
    let clock = FakeClock::new();
    let client = client(&transport, &clock);
    run(fmu::set_callback_url(
        &client,
        " https://example.com/fmu?x=1 ",
    ))
    .unwrap();
    let sent: Vec<_> = transport
        .requests()
        .into_iter()
        .filter(|r| r.url.ends_with("/callback"))
        .collect();
    assert_eq!(sent.len(), 2, "the 503 was retried");
    assert_eq!(sent[1].method, Method::Post);
    assert_eq!(sent[1].url, format!("{FMU}/callback"));
    assert_eq!(sent[1].header("Content-Type"), Some("application/json"));
    assert_eq!(
        sent[1].body.as_deref(),
        Some(r#"{"url":"https://example.com/fmu?x=1"}"#)
    );
}

#[test]
fn set_callback_url_sends_nothing_for_a_url_the_platform_would_refuse() {
    let transport = ScriptedTransport::sequence(vec![]);
    let clock = FakeClock::new();
    let client = client(&transport, &clock);
    let error = run(fmu::set_callback_url(&client, "http://example.com/fmu")).unwrap_err();
    assert_eq!(error.code(), ErrorCode::InvalidArgument);
    assert!(error.message().contains("https"), "{}", error.message());
    assert!(transport.requests().is_empty());
}

#[test]
fn callback_urls_must_be_https_except_on_loopback() {
    let accepted = [
        "https://example.com/fmu",
        "HTTPS://Example.com",
        "https://example.com:8443/hook?token=abc#x",
        "https://user:pw@example.com/hook",
        "https://[2001:db8::1]/hook",
        "http://localhost:8787/fmu",
        "http://LOCALHOST/fmu",
        "http://127.0.0.1:3000/fmu",
        "http://127.255.0.9/fmu",
        "http://[::1]:8080/fmu",
        "  https://example.com/trimmed  ",
    ];
    for url in accepted {
        assert_eq!(check_callback_url(url).unwrap(), url.trim(), "{url}");
    }
    let refused = [
        ("", "empty"),
        ("   ", "empty"),
        ("example.com/fmu", "absolute"),
        ("/fmu", "absolute"),
        ("http://example.com/fmu", "https"),
        ("http://localhost.example.com/fmu", "https"),
        ("http://localhost@evil.example/fmu", "https"),
        ("http://128.0.0.1/fmu", "https"),
        ("http://[::2]/fmu", "https"),
        ("ftp://example.com/fmu", "https"),
        ("javascript://alert(1)", "https"),
        ("https:///fmu", "no host"),
        ("https://", "no host"),
        ("https://exa mple.com", "spaces"),
        ("https://example.com/a b", "spaces"),
        ("https://example.com/\u{7}x", "control"),
        ("https://exa\nmple.com/", "control"),
        ("https://example.com:99999/", "port"),
        ("https://example.com:80a/", "port"),
        ("https://[::1/fmu", "']'"),
        ("https://[nope]/fmu", "IPv6"),
        ("https://exämple.com/", "punycode"),
        ("https://exa%6dple.com/", "not allowed"),
    ];
    for (url, why) in refused {
        let error = check_callback_url(url).expect_err(url);
        assert_eq!(error.code(), ErrorCode::InvalidArgument, "{url:?}");
        assert!(
            error.message().contains(why),
            "{url:?}: {}",
            error.message()
        );
    }
    let long = format!("https://example.com/{}", "a".repeat(3000));
    assert!(check_callback_url(&long)
        .unwrap_err()
        .message()
        .contains("longer than"));
    // Credentials in a URL are not repeated in the message.
    let error = check_callback_url("http://user:hunter2@example.com/").unwrap_err();
    assert!(!error.message().contains("hunter2"));
}

// ---------------------------------------------------------------------------------------------
// Many numbers: chunking

#[test]
fn chunks_are_at_most_fifty_and_never_one_alone() {
    assert_eq!(chunk_sizes(0), Vec::<usize>::new());
    assert_eq!(chunk_sizes(1), vec![1]);
    assert_eq!(chunk_sizes(2), vec![2]);
    assert_eq!(chunk_sizes(50), vec![50]);
    assert_eq!(chunk_sizes(51), vec![49, 2]);
    assert_eq!(chunk_sizes(100), vec![50, 50]);
    assert_eq!(chunk_sizes(101), vec![50, 49, 2]);
    assert_eq!(chunk_sizes(120), vec![50, 50, 20]);
    for n in 2..400 {
        let sizes = chunk_sizes(n);
        assert_eq!(sizes.iter().sum::<usize>(), n);
        assert!(
            sizes.iter().all(|&s| (2..=50).contains(&s)),
            "{n}: {sizes:?}"
        );
    }
}

#[test]
fn get_statuses_sends_120_numbers_as_50_50_20_with_the_callback() {
    let transport = with_token_endpoint(accept_all);
    let clock = FakeClock::new();
    let client = client(&transport, &clock);
    let options = BulkOptions {
        callback_url: Some("https://example.com/fmu?a=1&b=2".into()),
        ..Default::default()
    };
    let result = run(fmu::get_statuses(&client, &mobiles(120), options)).unwrap();

    let sent = requests_by_chunk(&transport);
    let sizes: Vec<usize> = sent.iter().map(|r| query_numbers(&r.url).len()).collect();
    assert_eq!(sizes, vec![50, 50, 20]);
    assert_eq!(
        sent[0].url,
        format!(
            "{FMU}/status?msisdn={}&callback_url=https%3A%2F%2Fexample.com%2Ffmu%3Fa%3D1%26b%3D2",
            (0..50).map(normalized).collect::<Vec<_>>().join(",")
        )
    );
    assert!(sent
        .iter()
        .all(|r| r.method == Method::Get && r.body.is_none()));
    assert!(sent
        .iter()
        .all(|r| r.header("Authorization") == Some("Bearer tok-1")));
    assert_eq!(transport.count("/token"), 1, "the chunks share one token");

    assert_eq!(result.total, 120);
    assert!(result.is_success());
    assert_eq!(result.chunks.len(), 3);
    for (i, chunk) in result.chunks.iter().enumerate() {
        assert_eq!(chunk.index, i);
        assert_eq!(chunk.msisdns[0], normalized(i * 50));
        assert_eq!(
            chunk.request_id.as_deref(),
            Some(format!("req-{}", normalized(i * 50)).as_str())
        );
        assert_eq!(chunk.results, None);
        assert_eq!(chunk.error, None);
    }
    assert_eq!(
        result.chunks[2].msisdns,
        (100..120).map(normalized).collect::<Vec<_>>()
    );
}

#[test]
fn without_a_callback_url_the_registered_default_is_used() {
    let transport = with_token_endpoint(accept_all);
    let clock = FakeClock::new();
    let client = client(&transport, &clock);
    run(fmu::get_statuses(
        &client,
        &mobiles(3),
        BulkOptions::default(),
    ))
    .unwrap();
    run(fmu::set_statuses(
        &client,
        &mobiles(3),
        FmuStatus::OnDuty,
        BulkOptions::default(),
    ))
    .unwrap();
    let sent = status_requests(&transport);
    assert_eq!(
        sent[0].url,
        format!("{FMU}/status?msisdn=32470000000,32470000001,32470000002")
    );
    assert_eq!(
        sent[1].body.as_deref(),
        Some(r#"{"msisdn":["32470000000","32470000001","32470000002"],"status":"ON_DUTY"}"#)
    );
}

#[test]
fn set_statuses_puts_chunks_with_status_and_callback() {
    let transport = with_token_endpoint(accept_all);
    let clock = FakeClock::new();
    let client = client(&transport, &clock);
    let options = BulkOptions {
        callback_url: Some("http://localhost:8787/fmu".into()),
        ..Default::default()
    };
    let result = run(fmu::set_statuses(
        &client,
        &mobiles(51),
        FmuStatus::Professional,
        options,
    ))
    .unwrap();

    let sent = requests_by_chunk(&transport);
    assert!(sent
        .iter()
        .all(|r| r.method == Method::Put && r.url == format!("{FMU}/status")));
    let sizes: Vec<usize> = sent.iter().map(|r| body_numbers(r).len()).collect();
    assert_eq!(
        sizes,
        vec![49, 2],
        "51 numbers never leave one alone (it would be answered synchronously)"
    );
    let body: Value = serde_json::from_str(sent[1].body.as_deref().unwrap()).unwrap();
    assert_eq!(body["status"].as_str(), Some("PROFESSIONAL"));
    assert_eq!(
        body["callbackUrl"].as_str(),
        Some("http://localhost:8787/fmu")
    );
    assert_eq!(body_numbers(&sent[1]), vec![normalized(49), normalized(50)]);
    assert_eq!(
        result
            .chunks
            .iter()
            .map(|c| c.msisdns.len())
            .collect::<Vec<_>>(),
        vec![49, 2]
    );
    assert_eq!(
        result.chunks[1].request_id.as_deref(),
        Some("req-32470000049")
    );
}

#[test]
fn duplicates_are_sent_once_in_first_seen_order() {
    let transport = with_token_endpoint(accept_all);
    let clock = FakeClock::new();
    let client = client(&transport, &clock);
    let numbers = [
        "0477 12 12 13",
        "+32 477 12 12 12",
        "0032477121213",
        "0477/12.12.12",
        "32477121214",
    ];
    let result = run(fmu::get_statuses(&client, &numbers, BulkOptions::default())).unwrap();
    let sent = status_requests(&transport);
    assert_eq!(sent.len(), 1);
    assert_eq!(
        query_numbers(&sent[0].url),
        vec!["32477121213", "32477121212", "32477121214"]
    );
    assert_eq!(result.total, 3);
    assert_eq!(
        plan_chunks(&numbers).unwrap(),
        vec![vec!["32477121213", "32477121212", "32477121214"]]
    );
}

#[test]
fn a_single_number_goes_through_the_synchronous_call() {
    let transport = with_token_endpoint(|req| {
        if req.method == Method::Get {
            json(
                200,
                r#"{"msisdn":"32477121212","isError":true,"errorMessage":"FMU option not active"}"#,
            )
        } else {
            json(200, r#"{"msisdn":"32477121212","success":true}"#)
        }
    });
    let clock = FakeClock::new();
    let client = client(&transport, &clock);
    let options = || BulkOptions {
        callback_url: Some("https://example.com/fmu".into()),
        ..Default::default()
    };
    // Two writings of one number: one distinct number.
    let numbers = ["0477 12 12 12", "+32477121212"];
    let got = run(fmu::get_statuses(&client, &numbers, options())).unwrap();
    let set = run(fmu::set_statuses(
        &client,
        &numbers,
        FmuStatus::OnDuty,
        options(),
    ))
    .unwrap();

    let sent = status_requests(&transport);
    assert_eq!(
        sent[0].url,
        format!("{FMU}/status?msisdn=32477121212"),
        "no callback for a sync call"
    );
    assert_eq!(
        sent[1].body.as_deref(),
        Some(r#"{"msisdn":["32477121212"],"status":"ON_DUTY"}"#)
    );

    let chunk = &got.chunks[0];
    assert_eq!(chunk.request_id, None);
    assert_eq!(
        chunk.error, None,
        "an in-band refusal is a result, not a failed chunk"
    );
    let result = &chunk.results.as_ref().unwrap()[0];
    assert_eq!(result.msisdn, "32477121212");
    assert_eq!(
        result.error_message.as_deref(),
        Some("FMU option not active")
    );
    assert!(result.is_error());
    let result = &set.chunks[0].results.as_ref().unwrap()[0];
    assert_eq!((result.success, result.is_error()), (Some(true), false));
}

#[test]
fn one_bad_number_refuses_the_whole_call_before_anything_is_sent() {
    let mut numbers = mobiles(60);
    numbers[57] = "+33 6 12 34 56 78".into();
    let transport = ScriptedTransport::sequence(vec![]);
    let clock = FakeClock::new();
    let client = client(&transport, &clock);
    let error = run(fmu::get_statuses(&client, &numbers, BulkOptions::default())).unwrap_err();
    assert_eq!(error.code(), ErrorCode::InvalidArgument);
    assert!(
        error
            .message()
            .starts_with("numbers[57]: +33 612 ••• •78 is not a Belgian mobile"),
        "{}",
        error.message()
    );

    numbers[57] = "0470 12 34 5x".into();
    let error = run(fmu::set_statuses(
        &client,
        &numbers,
        FmuStatus::Private,
        BulkOptions::default(),
    ))
    .unwrap_err();
    assert!(
        error
            .message()
            .starts_with("numbers[57]: \"0470 12 34 5x\""),
        "{}",
        error.message()
    );
    assert!(error.message().contains("letters"));
    assert!(transport.requests().is_empty());
}

#[test]
fn bad_options_are_refused_before_anything_is_sent() {
    let transport = ScriptedTransport::sequence(vec![]);
    let clock = FakeClock::new();
    let client = client(&transport, &clock);
    for concurrency in [0.0, 17.0, 2.5, -1.0, f64::NAN, f64::INFINITY] {
        let options = BulkOptions {
            concurrency: Some(concurrency),
            ..Default::default()
        };
        let error = run(fmu::get_statuses(&client, &mobiles(3), options)).unwrap_err();
        assert_eq!(error.code(), ErrorCode::InvalidArgument);
        assert!(
            error.message().contains("concurrency"),
            "{}",
            error.message()
        );
    }
    let options = BulkOptions {
        callback_url: Some("http://example.com/fmu".into()),
        ..Default::default()
    };
    let error = run(fmu::set_statuses(
        &client,
        &mobiles(3),
        FmuStatus::Private,
        options,
    ))
    .unwrap_err();
    assert!(
        error.message().starts_with("callback URL"),
        "{}",
        error.message()
    );
    assert!(transport.requests().is_empty());
}

#[test]
fn an_empty_list_sends_nothing() {
    let transport = ScriptedTransport::sequence(vec![]);
    let clock = FakeClock::new();
    let client = client(&transport, &clock);
    let calls = Rc::new(Cell::new(0));
    let seen = calls.clone();
    let options = BulkOptions {
        on_progress: Some(Rc::new(move |_| seen.set(seen.get() + 1))),
        ..Default::default()
    };
    let result = run(fmu::get_statuses(&client, &Vec::<String>::new(), options)).unwrap();
    assert_eq!((result.total, result.chunks.len()), (0, 0));
    assert_eq!(calls.get(), 0);
    assert!(transport.requests().is_empty());
}

// ---------------------------------------------------------------------------------------------
// Many numbers: concurrency, progress, partial failure

/// Counts `/status` requests in flight (sent, not yet answered) and the most at once.
#[derive(Clone)]
struct Tracking {
    inner: ScriptedTransport,
    in_flight: Rc<Cell<usize>>,
    max: Rc<Cell<usize>>,
}

impl Tracking {
    fn new(inner: ScriptedTransport) -> Self {
        Tracking {
            inner,
            in_flight: Rc::default(),
            max: Rc::default(),
        }
    }
}

impl Transport for Tracking {
    type Json = SerdeJson;

    fn send(
        &self,
        request: HttpRequest,
    ) -> impl Future<Output = Result<HttpResponse, TransportError>> {
        let this = self.clone();
        async move {
            let tracked = request.url.contains("/status");
            if tracked {
                this.in_flight.set(this.in_flight.get() + 1);
                this.max.set(this.max.get().max(this.in_flight.get()));
            }
            let answer = this.inner.send(request).await;
            if tracked {
                this.in_flight.set(this.in_flight.get() - 1);
            }
            answer
        }
    }
}

#[test]
fn concurrency_bounds_the_chunks_in_flight() {
    // The client's maxConcurrentRequests (default 6) bounds every bulk call too.
    for (concurrency, max_requests, expected) in [
        (Some(1.0), None, 1),
        (Some(3.0), None, 3),
        (None, None, 4),
        (Some(16.0), None, 6),
        (Some(16.0), Some(16.0), 10),
    ] {
        let tracking = Tracking::new(with_token_endpoint(accept_all));
        let clock = FakeClock::new();
        let client_options = ClientOptions {
            max_concurrent_requests: max_requests,
            ..options()
        };
        let client = Client::new(client_options, tracking.clone(), clock.clone()).unwrap();
        let options = BulkOptions {
            concurrency,
            ..Default::default()
        };
        let result = run(fmu::get_statuses(&client, &mobiles(500), options)).unwrap();
        assert_eq!(result.chunks.len(), 10);
        assert!(result.is_success());
        assert_eq!(tracking.inner.count("/status"), 10);
        assert_eq!(tracking.max.get(), expected, "concurrency {concurrency:?}");
    }
}

#[test]
fn max_concurrent_requests_bounds_single_calls_too() {
    let tracking = Tracking::new(with_token_endpoint(|_| {
        json(200, r#"{"msisdn":"32477121212","status":"PRIVATE"}"#)
    }));
    let clock = FakeClock::new();
    let client_options = ClientOptions {
        max_concurrent_requests: Some(3.0),
        ..options()
    };
    let client = Client::new(client_options, tracking.clone(), clock.clone()).unwrap();
    let calls = (0..20).map(|_| fmu::get_status(&client, "+32477121212"));
    let results = run(futures_util::future::join_all(calls));
    assert!(results.iter().all(Result::is_ok));
    assert_eq!(tracking.inner.count("/status"), 20);
    assert_eq!(tracking.max.get(), 3);
}

#[test]
fn progress_counts_numbers_after_each_chunk_settles() {
    let transport = with_token_endpoint(accept_all);
    let clock = FakeClock::new();
    let client = client(&transport, &clock);
    let seen: Rc<RefCell<Vec<(Progress, usize)>>> = Rc::default();
    let (log, sent) = (seen.clone(), transport.clone());
    let hook = move |p: Progress| log.borrow_mut().push((p, sent.count("/status")));
    let options = BulkOptions {
        concurrency: Some(1.0),
        on_progress: Some(Rc::new(hook)),
        ..Default::default()
    };
    run(fmu::set_statuses(
        &client,
        &mobiles(120),
        FmuStatus::OnDuty,
        options,
    ))
    .unwrap();
    let seen = seen.borrow();
    let progress: Vec<(usize, usize)> = seen.iter().map(|(p, _)| (p.done, p.total)).collect();
    assert_eq!(progress, vec![(50, 120), (100, 120), (120, 120)]);
    // One at a time: each report comes after its chunk's request, before the next is sent.
    assert_eq!(
        seen.iter()
            .map(|(_, requests)| *requests)
            .collect::<Vec<_>>(),
        vec![1, 2, 3]
    );
}

#[test]
fn progress_is_monotonic_with_concurrent_chunks() {
    let transport = with_token_endpoint(accept_all);
    let clock = FakeClock::new();
    let client = client(&transport, &clock);
    let seen: Rc<RefCell<Vec<usize>>> = Rc::default();
    let log = seen.clone();
    let options = BulkOptions {
        concurrency: Some(4.0),
        on_progress: Some(Rc::new(move |p: Progress| log.borrow_mut().push(p.done))),
        ..Default::default()
    };
    run(fmu::get_statuses(&client, &mobiles(333), options)).unwrap();
    let seen = seen.borrow();
    assert_eq!(seen.len(), chunk_sizes(333).len());
    assert!(seen.windows(2).all(|w| w[0] < w[1]), "{seen:?}");
    assert_eq!(seen.last(), Some(&333));
}

#[test]
fn a_chunk_failing_after_retries_does_not_lose_the_others() {
    let transport = with_token_endpoint(|req| {
        if query_numbers(&req.url)[0] == normalized(50) {
            json(
                503,
                r#"{"fault":{"code":101503,"message":"Runtime Error","description":"backend down"}}"#,
            )
        } else {
            accept_all(req)
        }
    });
    let clock = FakeClock::new();
    let client = client(&transport, &clock);
    let seen: Rc<RefCell<Vec<usize>>> = Rc::default();
    let log = seen.clone();
    let options = BulkOptions {
        on_progress: Some(Rc::new(move |p: Progress| log.borrow_mut().push(p.done))),
        ..Default::default()
    };
    let result = run(fmu::get_statuses(&client, &mobiles(120), options)).unwrap();

    assert_eq!(
        transport.count(&format!("msisdn={}", normalized(50))),
        3,
        "first try and two retries"
    );
    assert_eq!(transport.count("/status"), 5);
    assert!(!result.is_success());
    assert_eq!((result.failed_chunks, result.failed_numbers), (1, 50));
    let failed = &result.chunks[1];
    let error = failed.error.as_ref().unwrap();
    assert_eq!(error.code(), ErrorCode::Unavailable);
    assert_eq!(error.status(), Some(503));
    assert_eq!(failed.request_id, None);
    assert_eq!(failed.msisdns.len(), 50);
    for i in [0, 2] {
        assert_eq!(result.chunks[i].error, None);
        assert!(result.chunks[i].request_id.is_some());
    }
    assert_eq!(
        seen.borrow().last(),
        Some(&120),
        "the failed chunk counts as settled"
    );
}

#[test]
fn an_accepted_chunk_without_request_id_is_a_bad_response() {
    let transport = with_token_endpoint(|req| {
        if query_numbers(&req.url)[0] == normalized(0) {
            json(202, r#"{"id":"nope"}"#)
        } else {
            accept_all(req)
        }
    });
    let clock = FakeClock::new();
    let client = client(&transport, &clock);
    let result = run(fmu::get_statuses(
        &client,
        &mobiles(60),
        BulkOptions::default(),
    ))
    .unwrap();
    assert_eq!(
        result.chunks[0].error.as_ref().map(|e| e.code()),
        Some(ErrorCode::BadResponse)
    );
    assert_eq!(result.chunks[1].error, None);
    assert_eq!(result.failed_numbers, 50);
}

// ---------------------------------------------------------------------------------------------
// Callbacks

#[test]
fn parses_a_get_status_callback() {
    let body = r#"{ "requestId": "r-1", "type": "GET_STATUS",
      "results": [ {"msisdn":"32477121212","isError":false,"status":"PRIVATE"},
                   {"msisdn":"32477121213","isError":true,"errorMessage":"FMU option not active"} ] }"#;
    let callback = parse_fmu_callback::<SerdeJson>(body).unwrap();
    assert_eq!(callback.request_id, "r-1");
    assert_eq!(callback.kind, FmuCallbackKind::GetStatus);
    assert_eq!(
        callback.results,
        vec![
            FmuResult {
                msisdn: "32477121212".into(),
                status: Some(FmuStatus::Private),
                success: None,
                error_message: None
            },
            FmuResult {
                msisdn: "32477121213".into(),
                status: None,
                success: None,
                error_message: Some("FMU option not active".into())
            },
        ]
    );
}

#[test]
fn parses_a_set_status_callback() {
    let body = r#"{"requestId":"r-2","type":"SET_STATUS","results":[
        {"msisdn":"32477121212","success":true},
        {"msisdn":"32477121213","success":false,"errorMessage":"FMU option not active"},
        {"msisdn":"32477121214","success":false}]}"#;
    let callback = parse_fmu_callback::<SerdeJson>(body).unwrap();
    assert_eq!(callback.kind, FmuCallbackKind::SetStatus);
    assert_eq!(callback.kind.as_str(), "SET_STATUS");
    let r = &callback.results;
    assert_eq!((r[0].success, r[0].is_error()), (Some(true), false));
    assert_eq!(r[1].error_message.as_deref(), Some("FMU option not active"));
    assert!(r[2].is_error());
    assert!(
        r[2].error_message.is_some(),
        "a refusal without message still says it failed"
    );
}

#[test]
fn callback_kind_is_inferred_when_type_is_missing() {
    let get = parse_fmu_callback::<SerdeJson>(
        r#"{"requestId":"a","results":[{"msisdn":"32477121212","status":"ON_DUTY"}]}"#,
    )
    .unwrap();
    assert_eq!(get.kind, FmuCallbackKind::GetStatus);
    let set = parse_fmu_callback::<SerdeJson>(
        r#"{"requestId":"b","results":[{"msisdn":"32477121212","success":true}]}"#,
    )
    .unwrap();
    assert_eq!(set.kind, FmuCallbackKind::SetStatus);
}

#[test]
fn junk_callbacks_are_bad_response_never_a_panic() {
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    let junk = [
        "",
        "null",
        "[]",
        "\"GET_STATUS\"",
        "{",
        "<html></html>",
        r#"{"type":"GET_STATUS","results":[]}"#,
        r#"{"requestId":"","type":"GET_STATUS","results":[]}"#,
        r#"{"requestId":"r","type":"GET_STATUS"}"#,
        r#"{"requestId":"r","type":"GET_STATUS","results":{}}"#,
        r#"{"requestId":"r","type":"DELETE","results":[]}"#,
        r#"{"requestId":"r","results":[]}"#,
        r#"{"requestId":"r","type":"GET_STATUS","results":[42]}"#,
        r#"{"requestId":"r","type":"GET_STATUS","results":[{"status":"PRIVATE"}]}"#,
        r#"{"requestId":"r","type":"GET_STATUS","results":[{"msisdn":"3247","status":"SLEEPING"}]}"#,
        r#"{"requestId":"r","type":"GET_STATUS","results":[{"msisdn":"3247","isError":false}]}"#,
        r#"{"requestId":"r","type":"SET_STATUS","results":[{"msisdn":"3247","success":"yes"}]}"#,
        r#"{"requestId":{"x":1},"type":"SET_STATUS","results":[]}"#,
        "{\"requestId\":\"r\",\"type\":\"GET_STATUS\",\"results\":[\"\u{0}\"]}",
        &deep,
    ];
    for body in junk {
        let error = parse_fmu_callback::<SerdeJson>(body)
            .expect_err(&body.chars().take(80).collect::<String>());
        assert_eq!(
            error.code(),
            ErrorCode::BadResponse,
            "{}",
            &body.chars().take(80).collect::<String>()
        );
    }
    let error = parse_fmu_callback::<SerdeJson>(r#"{"requestId":"r","type":"GET_STATUS","results":[{"msisdn":"1","status":"PRIVATE"},{"msisdn":"2","status":"NAP"}]}"#)
        .unwrap_err();
    assert!(
        error.message().contains("results[1]"),
        "{}",
        error.message()
    );
}

// ---------------------------------------------------------------------------------------------
// Aborting a bulk call

#[test]
fn an_aborted_bulk_call_stops_sending_chunks_and_says_which_were_accepted() {
    use proximus_api::internals::cancel::Cancel;
    use proximus_api::internals::config::CallOptions;
    let cancel = Cancel::new();
    let fire = cancel.clone();
    let sent = Rc::new(Cell::new(0));
    let counted = sent.clone();
    // The third chunk's request is where the application gives up.
    let transport = with_token_endpoint(move |req| {
        counted.set(counted.get() + 1);
        if counted.get() == 3 {
            fire.abort();
        }
        accept_all(req)
    })
    .slow(3);
    let clock = FakeClock::new();
    let client = client(&transport, &clock).with(CallOptions {
        cancel: Some(cancel),
        ..CallOptions::default()
    });
    let options = BulkOptions {
        callback_url: Some("https://example.com/fmu".into()),
        concurrency: Some(1.0),
        ..Default::default()
    };
    let error = run(fmu::get_statuses(&client, &mobiles(250), options)).unwrap_err();
    assert_eq!(error.code(), ErrorCode::Aborted);
    assert_eq!(
        status_requests(&transport).len(),
        3,
        "chunks 4 and 5 never left"
    );
    let partial = error.partial().expect("what was done");
    assert_eq!(partial.chunks.len(), 5);
    let accepted: Vec<usize> = partial
        .chunks
        .iter()
        .filter(|c| c.request_id.is_some())
        .map(|c| c.index)
        .collect();
    assert_eq!(accepted, vec![0, 1]);
    assert!(partial.chunks[2..]
        .iter()
        .all(|c| c.error.as_ref().map(|e| e.code()) == Some(ErrorCode::Aborted)));
    assert!(
        error.message().contains("accepted 2 of 5 chunks"),
        "{}",
        error.message()
    );
}

#[test]
fn a_refusal_for_want_of_a_callback_names_the_call_that_registers_one() {
    let transport = with_token_endpoint(|_| {
        json(
            400,
            r#"{"code":"VALIDATION_ERROR","message":"an asynchronous request needs callback_url or a registered default callback (POST /callback)"}"#,
        )
    });
    let clock = FakeClock::new();
    let client = client(&transport, &clock);
    let result = run(fmu::get_statuses(
        &client,
        &mobiles(3),
        BulkOptions::default(),
    ))
    .unwrap();
    let error = result.chunks[0].error.as_ref().expect("refused");
    assert!(
        error.message().contains("client.fmu.setCallbackUrl(url)"),
        "{}",
        error.message()
    );
}
