//! Every failed answer becomes a `ProximusError` with the right code, whatever its body, and
//! no secret ever appears in it.

use crate::support::*;
use proximus_api::{
    Call, Client, ClientOptions, Credentials, ErrorCode, HttpResponse, Method, ProximusError,
    Secret,
};

fn fail_with(status: u16, body: &str) -> ProximusError {
    let body = body.to_string();
    let transport = with_token_endpoint(move |_| json(status, &body));
    let options = ClientOptions {
        max_retries: Some(0.0),
        ..options()
    };
    let client = Client::new(options, transport, FakeClock::new()).unwrap();
    block_on(client.send(Call::new(
        Method::Get,
        format!("{BASE}/rentednumbers/1.0.0/bookings/bk_9"),
    )))
    .unwrap_err()
}

#[test]
fn gateway_fault_bodies() {
    let e = fail_with(
        403,
        r#"{"fault":{"code":900908,"message":"Resource forbidden","description":"Access failure for API"}}"#,
    );
    assert_eq!(e.code(), ErrorCode::Forbidden);
    assert_eq!(e.status(), Some(403));
    assert_eq!(e.service_code(), Some("900908"));
    assert_eq!(
        e.message(),
        "HTTP 403: Resource forbidden (Access failure for API)"
    );
}

#[test]
fn service_error_bodies() {
    let e = fail_with(
        404,
        r#"{"code":"NOT_FOUND","message":"booking bk_9 does not exist"}"#,
    );
    assert_eq!(e.code(), ErrorCode::NotFound);
    assert_eq!(e.service_code(), Some("NOT_FOUND"));
    assert_eq!(
        e.message(),
        "HTTP 404: booking bk_9 does not exist (NOT_FOUND)"
    );
    let e = fail_with(409, r#"{"code":"CONFLICT"}"#);
    assert_eq!(e.code(), ErrorCode::Conflict);
    assert_eq!(e.message(), "HTTP 409: CONFLICT");
    let e = fail_with(
        400,
        r#"{"code":"VALIDATION_ERROR","message":"usagePlan must be SMALL, MEDIUM or LARGE"}"#,
    );
    assert_eq!(e.code(), ErrorCode::BadRequest);
    assert!(e.message().contains("usagePlan must be"));
}

#[test]
fn oauth_error_bodies() {
    let e = fail_with(
        400,
        r#"{"error":"unsupported_grant_type","error_description":"only client_credentials"}"#,
    );
    assert_eq!(e.code(), ErrorCode::BadRequest);
    assert_eq!(e.service_code(), Some("unsupported_grant_type"));
    assert_eq!(
        e.message(),
        "HTTP 400: unsupported_grant_type (only client_credentials)"
    );
}

#[test]
fn in_band_fmu_error_message_bodies() {
    let e = fail_with(
        400,
        r#"{"msisdn":"32470000099","isError":true,"errorMessage":"FMU option not active"}"#,
    );
    assert_eq!(e.message(), "HTTP 400: FMU option not active");
}

#[test]
fn empty_html_truncated_and_junk_bodies() {
    let e = fail_with(502, "");
    assert_eq!(e.code(), ErrorCode::Unavailable);
    assert_eq!(e.message(), "HTTP 502: empty body");
    let e = fail_with(502, "<html><head><title>502</title></head><body><h1>502 Bad Gateway</h1>\n<hr>nginx</body></html>");
    assert_eq!(
        e.message(),
        "HTTP 502: HTML page: 502 502 Bad Gateway nginx"
    );
    let e = fail_with(500, r#"{"msisdn": "3247"#);
    assert_eq!(e.code(), ErrorCode::ServerError);
    assert!(
        e.message().starts_with("HTTP 500: non-JSON body"),
        "{}",
        e.message()
    );
    let e = fail_with(418, "[1,2,3]");
    assert_eq!(e.code(), ErrorCode::BadRequest);
    assert_eq!(e.message(), "HTTP 418: unrecognised JSON error body");
}

#[test]
fn huge_bodies_give_short_messages() {
    let huge = "x".repeat(2_000_000);
    let e = fail_with(503, &huge);
    assert!(e.message().chars().count() <= 301);
}

#[test]
fn success_answers_that_are_not_json_are_bad_responses() {
    let transport = ScriptedTransport::new(|_| json(200, "<html>login</html>"));
    let e = block_on(client(&transport, &FakeClock::new()).token()).unwrap_err();
    assert_eq!(e.code(), ErrorCode::BadResponse);
    assert!(!e.retryable());
    let transport = ScriptedTransport::new(|_| json(200, r#"{"token_type":"Bearer"}"#));
    let e = block_on(client(&transport, &FakeClock::new()).token()).unwrap_err();
    assert_eq!(e.message(), "token answer has no access_token");
}

#[test]
fn echoed_secrets_and_tokens_are_redacted() {
    // A server that echoes what it received must not make the library leak it.
    let transport = ScriptedTransport::new(|req| {
        if req.url.ends_with("/token") {
            token_answer("tok-abcdef-123", 3600)
        } else {
            json(
                400,
                &format!(
                    r#"{{"code":"VALIDATION_ERROR","message":"bad header {}"}}"#,
                    req.header("authorization").unwrap()
                ),
            )
        }
    });
    let e = block_on(
        client(&transport, &FakeClock::new()).send(Call::new(Method::Get, format!("{BASE}/x"))),
    )
    .unwrap_err();
    assert!(!e.message().contains("tok-abcdef-123"), "{}", e.message());
    assert!(e.message().contains("[redacted]"));

    let transport = ScriptedTransport::new(|req| {
        json(
            401,
            &format!(
                r#"{{"error":"invalid_client","error_description":"{}"}}"#,
                req.body.clone().unwrap()
            ),
        )
    });
    let e = block_on(client(&transport, &FakeClock::new()).token()).unwrap_err();
    assert!(!e.message().contains(SECRET), "{}", e.message());
}

#[test]
fn debug_output_never_shows_secrets() {
    let transport = with_token_endpoint(|_| json(200, "{}"));
    let client = client(&transport, &FakeClock::new());
    let token = block_on(client.token()).unwrap();
    for shown in [
        format!("{client:?}"),
        format!("{token:?}"),
        format!("{:?}", credentials()),
        format!("{:?}", Secret::new(SECRET)),
    ] {
        assert!(
            !shown.contains(SECRET) && !shown.contains("tok-1"),
            "{shown}"
        );
        assert!(
            shown.contains("redacted") || !shown.contains("Secret("),
            "{shown}"
        );
    }
    let permanent = Credentials::Permanent(Secret::new("perm-xyz"));
    assert_eq!(format!("{permanent:?}"), "Permanent([redacted])");
}

#[test]
fn error_codes_have_stable_names() {
    let names: Vec<_> = [
        ErrorCode::InvalidArgument,
        ErrorCode::BadRequest,
        ErrorCode::Unauthorized,
        ErrorCode::Forbidden,
        ErrorCode::NotFound,
        ErrorCode::Conflict,
        ErrorCode::RateLimited,
        ErrorCode::ServerError,
        ErrorCode::Unavailable,
        ErrorCode::Timeout,
        ErrorCode::Network,
        ErrorCode::BadResponse,
        ErrorCode::FmuError,
        ErrorCode::Callback,
    ]
    .iter()
    .map(|c| c.as_str())
    .collect();
    assert_eq!(
        names,
        [
            "invalid_argument",
            "bad_request",
            "unauthorized",
            "forbidden",
            "not_found",
            "conflict",
            "rate_limited",
            "server_error",
            "unavailable",
            "timeout",
            "network",
            "bad_response",
            "fmu_error",
            "callback_error"
        ]
    );
    let _ = HttpResponse::new(200, "");
}

/// Found by fuzzing: a 2xx answer that is not JSON was quoted in `bad_response` unredacted.
#[test]
fn a_2xx_answer_echoing_secrets_is_scrubbed_before_it_is_quoted() {
    let t = with_token_endpoint(|req| {
        let bearer = req
            .headers
            .iter()
            .find(|(name, _)| *name == "Authorization")
            .map(|(_, v)| v.clone())
            .unwrap_or_default();
        Ok(HttpResponse {
            status: 200,
            retry_after: None,
            date: None,
            body: format!("client_secret={SECRET} seen with {bearer}"),
        })
    });
    let c = FakeClock::new();
    let client = client(&t, &c);
    let answer = futures_executor::block_on(client.send(Call::new(
        Method::Get,
        "https://proximus.test/fmu/1.0.0/status?msisdn=32477121212".into(),
    )))
    .unwrap();
    assert!(!answer.body.contains(SECRET), "{}", answer.body);
    assert!(!answer.body.contains("tok-1"), "{}", answer.body);
    assert_eq!(
        answer.body,
        "client_secret=[redacted] seen with Bearer [redacted]"
    );
}

/// Found by fuzzing: the service code was not redacted, and a secret cut off by the 300-character
/// limit of messages kept all but its last characters.
#[test]
fn redaction_covers_the_service_code_and_a_secret_cut_by_shortening() {
    let long = format!("{} client_secret={SECRET}", "x".repeat(281));
    let err = ProximusError::new(ErrorCode::BadRequest, long)
        .with_service_code(format!("invalid_request&client_secret={SECRET}"))
        .redact(SECRET);
    assert!(
        err.message().ends_with("client_secret=[redacted]…"),
        "{}",
        err.message()
    );
    assert_eq!(
        err.service_code(),
        Some("invalid_request&client_secret=[redacted]")
    );
}
