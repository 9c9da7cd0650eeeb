//! Option validation: bad options fail with `invalid_argument` naming the option; defaults.

use crate::support::*;
use proximus_api::{Client, ClientOptions, Credentials, ErrorCode, Secret};

fn check(options: ClientOptions) -> Result<Client<ScriptedTransport, FakeClock>, String> {
    let transport = ScriptedTransport::new(|_| json(200, "{}"));
    Client::new(options, transport, FakeClock::new()).map_err(|e| {
        assert_eq!(e.code(), ErrorCode::InvalidArgument);
        e.message().to_string()
    })
}

#[test]
fn defaults_follow_the_contract() {
    let client = check(ClientOptions {
        credentials: Some(credentials()),
        ..Default::default()
    })
    .unwrap();
    let config = client.config();
    assert_eq!(config.token_url, "https://api.enco.io/token");
    assert_eq!(config.revoke_url, "https://api.enco.io/revoke");
    assert_eq!(config.fmu_url, "https://api.enco.io/fmu/1.0.0");
    assert_eq!(
        config.rented_numbers_url,
        "https://api.enco.io/rentednumbers/1.0.0"
    );
    assert_eq!(config.timeout_ms, 10_000);
    assert_eq!(config.max_retries, 2);
    assert_eq!(config.max_concurrent_requests, 6);
}

#[test]
fn urls_can_be_overridden_one_by_one() {
    let client = check(ClientOptions {
        base_url: Some("http://127.0.0.1:8787/".into()),
        fmu_url: Some("https://fmu.example/v2".into()),
        ..options()
    })
    .unwrap();
    assert_eq!(client.config().token_url, "http://127.0.0.1:8787/token");
    assert_eq!(client.config().fmu_url, "https://fmu.example/v2");
}

#[test]
fn bad_options_name_the_option() {
    let cases: Vec<(ClientOptions, &str)> = vec![
        (ClientOptions::default(), "credentials"),
        (
            ClientOptions {
                credentials: Some(Credentials::ClientCredentials {
                    client_id: " ".into(),
                    client_secret: Secret::new("x"),
                }),
                ..Default::default()
            },
            "clientId",
        ),
        (
            ClientOptions {
                credentials: Some(Credentials::ClientCredentials {
                    client_id: "a".into(),
                    client_secret: Secret::new(""),
                }),
                ..Default::default()
            },
            "clientSecret",
        ),
        (
            ClientOptions {
                credentials: Some(Credentials::Permanent(Secret::new("bad\ntoken"))),
                ..Default::default()
            },
            "accessToken",
        ),
        (
            ClientOptions {
                base_url: Some("api.enco.io".into()),
                ..options()
            },
            "baseUrl",
        ),
        (
            ClientOptions {
                base_url: Some("https://".into()),
                ..options()
            },
            "baseUrl",
        ),
        (
            ClientOptions {
                token_url: Some("https://x/token?a=b".into()),
                ..options()
            },
            "tokenUrl",
        ),
        (
            ClientOptions {
                rented_numbers_url: Some("ftp://x".into()),
                ..options()
            },
            "rentedNumbersUrl",
        ),
        (
            ClientOptions {
                timeout_ms: Some(0.0),
                ..options()
            },
            "timeoutMs",
        ),
        (
            ClientOptions {
                timeout_ms: Some(f64::NAN),
                ..options()
            },
            "timeoutMs",
        ),
        (
            ClientOptions {
                max_retries: Some(-1.0),
                ..options()
            },
            "maxRetries",
        ),
        (
            ClientOptions {
                max_retries: Some(11.0),
                ..options()
            },
            "maxRetries",
        ),
        (
            ClientOptions {
                max_retries: Some(1.5),
                ..options()
            },
            "maxRetries",
        ),
        (
            ClientOptions {
                max_concurrent_requests: Some(0.0),
                ..options()
            },
            "maxConcurrentRequests",
        ),
        (
            ClientOptions {
                max_concurrent_requests: Some(1001.0),
                ..options()
            },
            "maxConcurrentRequests",
        ),
    ];
    for (options, name) in cases {
        let message = check(options)
            .err()
            .unwrap_or_else(|| panic!("{name} accepted"));
        assert!(message.contains(name), "{message} should name {name}");
        assert!(!message.contains(SECRET));
    }
}
