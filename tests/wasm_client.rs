//! The wasm face in a real JavaScript runtime (Node and headless Chromium), against the
//! sandbox whose URL the test command passes at compile time (`PROXIMUS_SANDBOX_URL`).
#![cfg(target_arch = "wasm32")]

use js_sys::{Function, Reflect};
use proximus_api::internals::RawClient;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;

const SANDBOX: &str = match option_env!("PROXIMUS_SANDBOX_URL") {
    Some(url) => url,
    None => "http://127.0.0.1:18787",
};

fn options(extra: &[(&str, JsValue)]) -> JsValue {
    let obj = js_sys::Object::new();
    let set = |k: &str, v: &JsValue| Reflect::set(&obj, &k.into(), v).unwrap();
    set("clientId", &"sandbox-client".into());
    set("clientSecret", &"sandbox-secret".into());
    set("baseUrl", &SANDBOX.into());
    for (k, v) in extra {
        set(k, v);
    }
    obj.into()
}

fn field(value: &JsValue, key: &str) -> JsValue {
    Reflect::get(value, &key.into()).unwrap()
}

async fn admin(method: &str, path: &str, body: &str) -> JsValue {
    let init = web_sys::RequestInit::new();
    init.set_method(method);
    if !body.is_empty() {
        init.set_body(&body.into());
    }
    let fetch: Function = Reflect::get(&js_sys::global(), &"fetch".into())
        .unwrap()
        .unchecked_into();
    let url = format!("{SANDBOX}/_sandbox/{path}");
    let response: web_sys::Response = JsFuture::from(js_sys::Promise::from(
        fetch.call2(&JsValue::NULL, &url.into(), &init).unwrap(),
    ))
    .await
    .unwrap()
    .unchecked_into();
    JsFuture::from(response.json().unwrap())
        .await
        .unwrap_or(JsValue::NULL)
}

async fn token_requests() -> u32 {
    let log = admin("GET", "requests?path=/token", "").await;
    js_sys::Array::from(&field(&log, "requests")).length()
}

#[wasm_bindgen_test]
async fn gets_caches_and_revokes_a_token() {
    admin("POST", "reset", "").await;
    let client = RawClient::new(options(&[])).unwrap();
    let first = JsFuture::from(client.get_token(JsValue::UNDEFINED))
        .await
        .unwrap();
    let token = field(&first, "accessToken").as_string().unwrap();
    assert!(token.len() >= 16);
    assert_eq!(
        field(&first, "tokenType").as_string().as_deref(),
        Some("Bearer")
    );
    assert!(field(&first, "expiresAt").is_instance_of::<js_sys::Date>());

    let again = JsFuture::from(client.get_token(JsValue::UNDEFINED))
        .await
        .unwrap();
    assert_eq!(
        field(&again, "accessToken").as_string(),
        Some(token.clone())
    );
    assert_eq!(token_requests().await, 1);

    JsFuture::from(client.revoke_token(JsValue::UNDEFINED))
        .await
        .unwrap();
    let fresh = JsFuture::from(client.get_token(JsValue::UNDEFINED))
        .await
        .unwrap();
    assert_ne!(field(&fresh, "accessToken").as_string(), Some(token));
    assert_eq!(token_requests().await, 2);
}

#[wasm_bindgen_test]
async fn retries_a_503_from_the_token_endpoint() {
    admin("POST", "reset", "").await;
    admin(
        "POST",
        "faults",
        r#"{"path":"/token","status":503,"retryAfter":0,"count":1}"#,
    )
    .await;
    let client = RawClient::new(options(&[])).unwrap();
    let token = JsFuture::from(client.get_token(JsValue::UNDEFINED))
        .await
        .unwrap();
    assert!(field(&token, "accessToken").as_string().is_some());
    assert_eq!(token_requests().await, 2);
}

#[wasm_bindgen_test]
async fn bad_credentials_reject_with_unauthorized() {
    admin("POST", "reset", "").await;
    let client = RawClient::new(options(&[("clientSecret", "not-the-secret".into())])).unwrap();
    let error = JsFuture::from(client.get_token(JsValue::UNDEFINED))
        .await
        .unwrap_err();
    assert_eq!(
        field(&error, "code").as_string().as_deref(),
        Some("unauthorized")
    );
    assert_eq!(field(&error, "status").as_f64(), Some(401.0));
    let message = field(&error, "message").as_string().unwrap();
    assert!(!message.contains("not-the-secret"), "{message}");
}

#[wasm_bindgen_test]
fn bad_options_throw_invalid_argument() {
    let error = RawClient::new(JsValue::from_str("nope")).err().unwrap();
    assert_eq!(
        field(&error, "code").as_string().as_deref(),
        Some("invalid_argument")
    );
    let error = RawClient::new(options(&[("timeoutMs", "soon".into())]))
        .err()
        .unwrap();
    assert!(field(&error, "message")
        .as_string()
        .unwrap()
        .contains("timeoutMs"));
}
