//! What the client logs at each level, that no line holds a secret or a full number, and how
//! a failed exchange names itself in its error.

use std::cell::RefCell;
use std::rc::Rc;

use crate::support::*;
use proximus_api::internals::errors::ErrorCause;
use proximus_api::internals::log::{LogLevel, LogSink};
use proximus_api::{Call, Client, ClientOptions, ErrorCode, Method, TransportError};

type Lines = Rc<RefCell<Vec<(LogLevel, String)>>>;

fn logged(level: LogLevel) -> (ClientOptions, Lines) {
    let lines: Lines = Rc::default();
    let sink = lines.clone();
    let logger: LogSink = Rc::new(move |level, line| sink.borrow_mut().push((level, line.into())));
    let options = ClientOptions {
        logger: Some(logger),
        log_level: Some(level),
        ..options()
    };
    (options, lines)
}

fn status_call() -> Call {
    Call::new(
        Method::Get,
        format!("{BASE}/fmu/1.0.0/status?msisdn=32477121212"),
    )
}

/// One 503 then a 200: a request, a retry, an answer.
fn run_with_one_retry(level: LogLevel) -> Vec<(LogLevel, String)> {
    let (options, lines) = logged(level);
    let mut first = true;
    let transport = with_token_endpoint(move |_| {
        let status = if std::mem::take(&mut first) { 503 } else { 200 };
        json(status, r#"{"msisdn":"32477121212","status":"PRIVATE"}"#)
    });
    let client = Client::new(options, transport, FakeClock::new()).unwrap();
    block_on(client.send(status_call())).unwrap();
    let lines = lines.borrow().clone();
    lines
}

fn assert_clean(lines: &[(LogLevel, String)]) {
    for (_, line) in lines {
        assert!(line.starts_with("proximus-api: "), "{line}");
        for secret in [SECRET, "tok-1", "32477121212", "477121212"] {
            assert!(!line.contains(secret), "{secret} in {line}");
        }
    }
}

#[test]
fn debug_logs_each_request_and_answer_with_its_attempt_and_masked_path() {
    let lines = run_with_one_retry(LogLevel::Debug);
    assert_clean(&lines);
    let debug: Vec<&str> = lines
        .iter()
        .filter(|(l, _)| *l == LogLevel::Debug)
        .map(|(_, line)| line.as_str())
        .collect();
    assert_eq!(
        debug.len(),
        6,
        "token + two attempts, each a request and an answer: {debug:?}"
    );
    assert!(debug.contains(&"proximus-api: GET /fmu/1.0.0/status?msisdn=•••••••••12 (attempt 1)"));
    assert!(debug.iter().any(|l| l.starts_with(
        "proximus-api: 200 for GET /fmu/1.0.0/status?msisdn=•••••••••12 (attempt 2, "
    ) && l.ends_with(" ms)")));
    assert!(lines
        .iter()
        .any(|(l, line)| *l == LogLevel::Info && line.contains("new token")));
}

#[test]
fn each_level_gets_its_lines_and_those_above() {
    let count =
        |lines: &[(LogLevel, String)], level| lines.iter().filter(|(l, _)| *l == level).count();
    let warn = run_with_one_retry(LogLevel::Warn);
    assert_clean(&warn);
    assert_eq!(
        (count(&warn, LogLevel::Warn), warn.len()),
        (1, 1),
        "{warn:?}"
    );
    assert!(warn[0]
        .1
        .contains("retry 1 of 2 of GET /fmu/1.0.0/status?msisdn=•••••••••12 in "));
    assert!(warn[0].1.contains("after unavailable: HTTP 503"));
    let info = run_with_one_retry(LogLevel::Info);
    assert_eq!(
        (count(&info, LogLevel::Info), info.len()),
        (1, 2),
        "{info:?}"
    );
    assert!(run_with_one_retry(LogLevel::Error).is_empty());
    assert!(run_with_one_retry(LogLevel::Off).is_empty());
}

#[test]
fn a_request_that_finally_fails_is_an_error_line() {
    let (options, lines) = logged(LogLevel::Error);
    let transport = with_token_endpoint(|_| Err(TransportError::Timeout));
    let client = Client::new(options, transport, FakeClock::new()).unwrap();
    let error = block_on(client.send(status_call())).unwrap_err();
    assert_eq!(error.code(), ErrorCode::Timeout);
    let lines = lines.borrow();
    assert_clean(&lines);
    assert_eq!(lines.len(), 1);
    assert_eq!(
        lines[0].1,
        "proximus-api: timeout: GET /fmu/1.0.0/status?msisdn=•••••••••12 to proximus.test: no answer within 10000 ms"
    );
}

#[test]
fn a_network_failure_names_the_request_and_keeps_the_runtimes_error_as_its_cause() {
    let thrown = ErrorCause {
        name: "TypeError".into(),
        message: "fetch failed".into(),
        code: None,
        cause: Some(Box::new(ErrorCause {
            name: "Error".into(),
            message: format!("connect ECONNREFUSED proximus.test (sent {SECRET})"),
            code: Some("ECONNREFUSED".into()),
            cause: None,
        })),
    };
    let transport = ScriptedTransport::new(move |_| Err(TransportError::Thrown(thrown.clone())));
    let options = ClientOptions {
        max_retries: Some(0.0),
        ..options()
    };
    let client = Client::new(options, transport, FakeClock::new()).unwrap();
    let error = block_on(client.token()).unwrap_err();
    assert_eq!(error.code(), ErrorCode::Network);
    assert_eq!(
        error.message(),
        "POST /token to proximus.test: connect ECONNREFUSED proximus.test (sent [redacted])"
    );
    let cause = error.cause().expect("the runtime's error");
    assert_eq!(
        (cause.name.as_str(), cause.message.as_str()),
        ("TypeError", "fetch failed")
    );
    let inner = cause.cause.as_deref().expect("its cause");
    assert_eq!(inner.code.as_deref(), Some("ECONNREFUSED"));
    assert!(!inner.message.contains(SECRET), "the cause is scrubbed too");
}
