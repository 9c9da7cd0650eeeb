//! `client.fmu.*`, `parseFmuCallback` and the number helpers.

use std::rc::Rc;

use js_sys::Promise;
use serde::{Deserialize, Serialize};
use wasm_bindgen::prelude::*;

use super::app::call_hook;
use super::client::{promise, run, RawClient};
use super::interop::{object, text, texts, to_js, Arg, JsJson};
use super::per_call::{for_call, method_options};
use crate::core::errors::Result;
use crate::core::fmu::callbacks::{fmu_callback, parse_fmu_callback as parse_callback_text};
use crate::core::fmu::{self, single, BulkOptions, BulkResult, FmuResult, FmuStatus, Progress};
use crate::core::msisdn;

/// The options of `getStatuses` and `setStatuses`.
#[derive(Default, Deserialize)]
#[serde(default, rename_all = "camelCase", deny_unknown_fields)]
struct BulkArgs {
    callback_url: Arg<String>,
    concurrency: Arg<f64>,
    on_progress: Arg<js_sys::Function>,
}

fn bulk_options(value: JsValue) -> Result<BulkOptions> {
    let args: BulkArgs = method_options(value, "options")?;
    Ok(BulkOptions {
        callback_url: args.callback_url.get("callbackUrl")?,
        concurrency: args.concurrency.get("concurrency")?,
        on_progress: args.on_progress.get("onProgress")?.map(|hook| {
            Rc::new(move |progress: Progress| call_hook(&hook, &progress)) as Rc<dyn Fn(Progress)>
        }),
    })
}

/// A bulk result as JavaScript sees it: a chunk's error is a `ProximusError`.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct JsBulkResult<'a> {
    total: usize,
    failed_chunks: usize,
    failed_numbers: usize,
    chunks: Vec<JsChunk<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct JsChunk<'a> {
    index: usize,
    msisdns: &'a [String],
    #[serde(skip_serializing_if = "Option::is_none")]
    request_id: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    results: Option<&'a [FmuResult]>,
    #[serde(
        skip_serializing_if = "JsValue::is_undefined",
        with = "serde_wasm_bindgen::preserve"
    )]
    error: JsValue,
}

pub(super) fn bulk_to_js(result: &BulkResult) -> Result<JsValue> {
    to_js(&JsBulkResult {
        total: result.total,
        failed_chunks: result.failed_chunks,
        failed_numbers: result.failed_numbers,
        chunks: result
            .chunks
            .iter()
            .map(|chunk| JsChunk {
                index: chunk.index,
                msisdns: &chunk.msisdns,
                request_id: chunk.request_id.as_deref(),
                results: chunk.results.as_deref(),
                error: chunk
                    .error
                    .clone()
                    .map_or(JsValue::UNDEFINED, JsValue::from),
            })
            .collect(),
    })
}

fn status(value: &JsValue) -> Result<FmuStatus> {
    FmuStatus::parse(&text(value, "status")?)
}

#[wasm_bindgen]
impl RawClient {
    /// `{ msisdn, status }` of one number.
    #[wasm_bindgen(js_name = fmuGetStatus)]
    pub fn fmu_get_status(&self, msisdn: JsValue, call: JsValue) -> Promise {
        let planned = text(&msisdn, "msisdn")
            .and_then(|msisdn| single::get_status_exchange::<JsJson>(self.core.config(), &msisdn));
        run(
            &self.core,
            call,
            planned.map(|x| x.map(|r| to_js(&FmuResult::from(r)))),
        )
    }

    /// Sets one number's status: `{ msisdn, success: true }`.
    #[wasm_bindgen(js_name = fmuSetStatus)]
    pub fn fmu_set_status(&self, msisdn: JsValue, new_status: JsValue, call: JsValue) -> Promise {
        let planned = text(&msisdn, "msisdn").and_then(|msisdn| {
            let new_status = status(&new_status)?;
            single::set_status_exchange::<JsJson>(self.core.config(), &msisdn, new_status)
        });
        run(
            &self.core,
            call,
            planned.map(|x| x.map(|r| to_js(&FmuResult::from(r)))),
        )
    }

    /// Registers the default callback URL of bulk requests.
    #[wasm_bindgen(js_name = fmuSetCallbackUrl)]
    pub fn fmu_set_callback_url(&self, url: JsValue, call: JsValue) -> Promise {
        let planned = text(&url, "url")
            .and_then(|url| single::set_callback_url_exchange::<JsJson>(self.core.config(), &url));
        run(
            &self.core,
            call,
            planned.map(|x| x.map(|()| Ok(JsValue::UNDEFINED))),
        )
    }

    /// Asks the status of any number of numbers, in chunks of 50.
    #[wasm_bindgen(js_name = fmuGetStatuses)]
    pub fn fmu_get_statuses(&self, numbers: JsValue, options: JsValue, call: JsValue) -> Promise {
        let per_call = for_call(&self.core, call);
        promise(async move {
            let (core, _link) = per_call?;
            let numbers = texts(numbers, "numbers")?;
            let options = bulk_options(options)?;
            bulk_to_js(&fmu::get_statuses(&core, &numbers, options).await?)
        })
    }

    /// Sets the status of any number of numbers, in chunks of 50.
    #[wasm_bindgen(js_name = fmuSetStatuses)]
    pub fn fmu_set_statuses(
        &self,
        numbers: JsValue,
        new_status: JsValue,
        options: JsValue,
        call: JsValue,
    ) -> Promise {
        let per_call = for_call(&self.core, call);
        promise(async move {
            let (core, _link) = per_call?;
            let numbers = texts(numbers, "numbers")?;
            let new_status = status(&new_status)?;
            let options = bulk_options(options)?;
            bulk_to_js(&fmu::set_statuses(&core, &numbers, new_status, options).await?)
        })
    }
}

/// Reads the body the FMU platform POSTs to the callback URL (its text, or the parsed object).
#[wasm_bindgen(js_name = parseFmuCallback)]
pub fn parse_fmu_callback(body: JsValue) -> std::result::Result<JsValue, JsValue> {
    let callback = match body.as_string() {
        Some(text) => parse_callback_text::<JsJson>(&text)?,
        None => fmu_callback(object(body))?,
    };
    Ok(to_js(&callback)?)
}

/// `32477121212` from any way people type a number.
#[wasm_bindgen(js_name = normalizeMsisdn)]
pub fn normalize_msisdn(input: JsValue) -> std::result::Result<String, JsValue> {
    let input = text(&input, "msisdn")?;
    Ok(msisdn::normalize(&input)?)
}

/// `+32 477 12 12 12`.
#[wasm_bindgen(js_name = formatMsisdn)]
pub fn format_msisdn(input: JsValue) -> std::result::Result<String, JsValue> {
    let input = text(&input, "msisdn")?;
    Ok(msisdn::format(&input)?)
}

/// `+32 477 •• •• 12`.
#[wasm_bindgen(js_name = maskMsisdn)]
pub fn mask_msisdn(input: JsValue) -> std::result::Result<String, JsValue> {
    let input = text(&input, "msisdn")?;
    Ok(msisdn::mask(&input)?)
}
