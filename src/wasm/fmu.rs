//! `client.fmu.*`, `parseFmuCallback` and the number helpers.

use std::rc::Rc;

use js_sys::{Array, Promise};
use wasm_bindgen::prelude::*;

use super::args::{opt_function, opt_number, opt_string, options_object, string, strings};
use super::client::{promise, RawClient};
use super::errors::{sync, to_js};
use super::js_values::{object, opt_str};
use crate::core::error::Result;
use crate::core::fmu::{
    self, BulkOptions, BulkResult, FmuCallback, FmuResult, FmuStatus, Progress,
};
use crate::core::msisdn;

fn result_to_js(result: &FmuResult) -> JsValue {
    object(&[
        ("msisdn", result.msisdn.as_str().into()),
        ("status", opt_str(result.status.map(FmuStatus::as_str))),
        (
            "success",
            result
                .success
                .map_or(JsValue::UNDEFINED, JsValue::from_bool),
        ),
        ("errorMessage", opt_str(result.error_message.as_deref())),
    ])
}

fn results_to_js(results: &[FmuResult]) -> JsValue {
    results.iter().map(result_to_js).collect::<Array>().into()
}

fn bulk_to_js(result: &BulkResult) -> JsValue {
    let chunks: Array = result
        .chunks
        .iter()
        .map(|chunk| {
            object(&[
                ("index", (chunk.index as f64).into()),
                (
                    "msisdns",
                    chunk
                        .msisdns
                        .iter()
                        .map(|m| JsValue::from_str(m))
                        .collect::<Array>()
                        .into(),
                ),
                ("requestId", opt_str(chunk.request_id.as_deref())),
                (
                    "results",
                    chunk
                        .results
                        .as_deref()
                        .map_or(JsValue::UNDEFINED, results_to_js),
                ),
                (
                    "error",
                    chunk.error.as_ref().map_or(JsValue::UNDEFINED, to_js),
                ),
            ])
        })
        .collect();
    object(&[
        ("total", (result.total as f64).into()),
        ("failedChunks", (result.failed_chunks as f64).into()),
        ("failedNumbers", (result.failed_numbers as f64).into()),
        ("chunks", chunks.into()),
    ])
}

fn bulk_options(value: &JsValue) -> Result<BulkOptions> {
    let options = options_object(value, "options")?;
    let on_progress = opt_function(&options, "onProgress")?.map(|hook| {
        Rc::new(move |p: Progress| {
            let arg = object(&[
                ("done", (p.done as f64).into()),
                ("total", (p.total as f64).into()),
            ]);
            // A throwing progress hook must not break the call it observes.
            super::safe_js::call_hook(&hook, &arg);
        }) as Rc<dyn Fn(Progress)>
    });
    Ok(BulkOptions {
        callback_url: opt_string(&options, "callbackUrl")?,
        concurrency: opt_number(&options, "concurrency")?,
        on_progress,
    })
}

fn status(value: &JsValue) -> Result<FmuStatus> {
    FmuStatus::parse(&string(value, "status")?)
}

#[wasm_bindgen]
impl RawClient {
    /// `{ msisdn, status }` of one number.
    #[wasm_bindgen(js_name = fmuGetStatus)]
    pub fn fmu_get_status(&self, msisdn: JsValue) -> Promise {
        let core = self.core.clone();
        promise(async move {
            let result = fmu::get_status(&core, &string(&msisdn, "msisdn")?).await?;
            Ok(object(&[
                ("msisdn", result.msisdn.into()),
                ("status", result.status.as_str().into()),
            ]))
        })
    }

    /// Sets one number's status: `{ msisdn, success: true }`.
    #[wasm_bindgen(js_name = fmuSetStatus)]
    pub fn fmu_set_status(&self, msisdn: JsValue, new_status: JsValue) -> Promise {
        let core = self.core.clone();
        promise(async move {
            let (msisdn, new_status) = (string(&msisdn, "msisdn")?, status(&new_status)?);
            let result = fmu::set_status(&core, &msisdn, new_status).await?;
            Ok(object(&[
                ("msisdn", result.msisdn.into()),
                ("success", result.success.into()),
            ]))
        })
    }

    /// Registers the default callback URL of bulk requests.
    #[wasm_bindgen(js_name = fmuSetCallbackUrl)]
    pub fn fmu_set_callback_url(&self, url: JsValue) -> Promise {
        let core = self.core.clone();
        promise(async move {
            fmu::set_callback_url(&core, &string(&url, "url")?).await?;
            Ok(JsValue::UNDEFINED)
        })
    }

    /// Asks the status of any number of numbers, in chunks of 50.
    #[wasm_bindgen(js_name = fmuGetStatuses)]
    pub fn fmu_get_statuses(&self, numbers: JsValue, options: JsValue) -> Promise {
        let core = self.core.clone();
        promise(async move {
            let (numbers, options) = (strings(&numbers, "numbers")?, bulk_options(&options)?);
            Ok(bulk_to_js(
                &fmu::get_statuses(&core, &numbers, options).await?,
            ))
        })
    }

    /// Sets the status of any number of numbers, in chunks of 50.
    #[wasm_bindgen(js_name = fmuSetStatuses)]
    pub fn fmu_set_statuses(
        &self,
        numbers: JsValue,
        new_status: JsValue,
        options: JsValue,
    ) -> Promise {
        let core = self.core.clone();
        promise(async move {
            let numbers = strings(&numbers, "numbers")?;
            let new_status = status(&new_status)?;
            let options = bulk_options(&options)?;
            Ok(bulk_to_js(
                &fmu::set_statuses(&core, &numbers, new_status, options).await?,
            ))
        })
    }
}

/// Reads the body the FMU platform POSTs to the callback URL.
#[wasm_bindgen(js_name = parseFmuCallback)]
pub fn parse_fmu_callback(body: JsValue) -> std::result::Result<JsValue, JsValue> {
    let parsed: FmuCallback = sync(match body.as_string() {
        Some(text) => fmu::parse_fmu_callback(&text),
        None => {
            super::js_values::to_json(&body).and_then(|json| fmu::parse_fmu_callback_json(&json))
        }
    })?;
    Ok(object(&[
        ("requestId", parsed.request_id.into()),
        ("type", parsed.kind.as_str().into()),
        ("results", results_to_js(&parsed.results)),
    ]))
}

/// `32477121212` from any way people type a number.
#[wasm_bindgen(js_name = normalizeMsisdn)]
pub fn normalize_msisdn(input: JsValue) -> std::result::Result<String, JsValue> {
    sync(string(&input, "msisdn").and_then(|s| msisdn::normalize(&s)))
}

/// `+32 477 12 12 12`.
#[wasm_bindgen(js_name = formatMsisdn)]
pub fn format_msisdn(input: JsValue) -> std::result::Result<String, JsValue> {
    sync(string(&input, "msisdn").and_then(|s| msisdn::format(&s)))
}

/// `+32 477 •• •• 12`.
#[wasm_bindgen(js_name = maskMsisdn)]
pub fn mask_msisdn(input: JsValue) -> std::result::Result<String, JsValue> {
    sync(string(&input, "msisdn").and_then(|s| msisdn::mask(&s)))
}
