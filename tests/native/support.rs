//! Fixtures shared by the tests: the doubles themselves (a scripted transport, a fake clock)
//! are the crate's, `proximus_api::internals::testing`, shared with the fuzz targets.
#![allow(dead_code)]

use std::cell::Cell;
use std::future::Future;
use std::rc::Rc;

pub use proximus_api::internals::codec::SerdeJson;
pub use proximus_api::internals::testing::{FakeClock, ScriptedTransport, START_MS};
use proximus_api::{
    Client, ClientOptions, Credentials, HttpRequest, HttpResponse, Secret, TransportError,
};

pub fn json(status: u16, body: &str) -> Result<HttpResponse, TransportError> {
    Ok(HttpResponse::new(status, body))
}

pub fn token_answer(token: &str, expires_in: u64) -> Result<HttpResponse, TransportError> {
    json(
        200,
        &format!(
            r#"{{"scope":"openid","token_type":"Bearer","expires_in":{expires_in},"access_token":"{token}"}}"#
        ),
    )
}

pub const BASE: &str = "https://proximus.test";
pub const SECRET: &str = "s3cret-value-123";

pub fn credentials() -> Credentials {
    Credentials::ClientCredentials {
        client_id: "my-app".into(),
        client_secret: Secret::new(SECRET),
    }
}

pub fn options() -> ClientOptions {
    ClientOptions {
        credentials: Some(credentials()),
        base_url: Some(BASE.into()),
        ..Default::default()
    }
}

pub fn client(
    transport: &ScriptedTransport,
    clock: &FakeClock,
) -> Client<ScriptedTransport, FakeClock> {
    Client::new(options(), transport.clone(), clock.clone()).expect("valid options")
}

pub fn block_on<F: Future>(f: F) -> F::Output {
    futures_executor::block_on(f)
}

/// A transport that serves `/token` (counting) and answers everything else with `api`.
pub fn with_token_endpoint(
    mut api: impl FnMut(&HttpRequest) -> Result<HttpResponse, TransportError> + 'static,
) -> ScriptedTransport {
    let issued = Rc::new(Cell::new(0));
    ScriptedTransport::new(move |req| {
        if req.url.ends_with("/token") {
            issued.set(issued.get() + 1);
            token_answer(&format!("tok-{}", issued.get()), 3600)
        } else {
            api(req)
        }
    })
}
