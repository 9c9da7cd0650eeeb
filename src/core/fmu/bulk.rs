//! Bulk FMU calls: any number of numbers, in chunks of at most 50.
//!
//! [`get_statuses`] and [`set_statuses`] validate every number first (one bad number refuses
//! the whole call, naming it and its position), drop duplicates (first seen wins), split the
//! rest into chunks of at most 50 and send them with bounded concurrency. A chunk that fails
//! (after the client's own retries) is reported in its [`ChunkOutcome`] and does not stop the
//! others.
//!
//! The platform answers a request for **one** number synchronously, so a chunk of one is never
//! made when it can be avoided: 51 numbers become 49 + 2, 101 become 50 + 49 + 2. Only a bulk
//! call with a single (distinct) number sends a one-number request; it goes through the
//! synchronous call, its answer is in [`ChunkOutcome::results`] at once and no callback
//! follows for it.
//!
//! Progress is counted in **numbers**: after each chunk settles (succeeded or failed),
//! `on_progress` gets how many distinct numbers are settled so far out of how many in all.

use std::fmt;
use std::rc::Rc;

use futures_util::stream::{self, StreamExt};
use serde::Serialize;

use super::single::{
    get_status_call, parse_request_id, parse_set_answer, parse_status_answer, set_status_call,
};
use super::{
    check_callback_url, fmu_number, FmuResult, FmuStatus, DEFAULT_CONCURRENCY, MAX_CHUNK,
    MAX_CONCURRENCY,
};
use crate::core::client::Client;
use crate::core::clock::Clock;
use crate::core::config::whole_number;
use crate::core::errors::{ErrorCode, ProximusError, Result};
use crate::core::transport::Transport;

/// How far a bulk call has come, in distinct numbers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Progress {
    /// Numbers whose chunk has settled (succeeded or failed).
    pub done: usize,
    /// Distinct numbers in the call.
    pub total: usize,
}

/// Called after each chunk settles.
pub type ProgressHook = Rc<dyn Fn(Progress)>;

/// Options of [`get_statuses`] and [`set_statuses`].
#[derive(Clone, Default)]
pub struct BulkOptions {
    /// Where the platform POSTs the outcome of each chunk; `None`: the registered default
    /// (and then none is sent).
    pub callback_url: Option<String>,
    /// Chunks in flight at once: a whole number from 1 to 16, default 4 (a JavaScript number,
    /// hence `f64`).
    pub concurrency: Option<f64>,
    /// Called after each chunk settles.
    pub on_progress: Option<ProgressHook>,
}

impl fmt::Debug for BulkOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BulkOptions")
            .field("callback_url", &self.callback_url)
            .field("concurrency", &self.concurrency)
            .field(
                "on_progress",
                &self.on_progress.as_ref().map(|_| "Fn(Progress)"),
            )
            .finish()
    }
}

/// What became of one chunk.
#[derive(Clone, Debug, PartialEq)]
pub struct ChunkOutcome {
    /// Position of the chunk (0-based, in the order of the numbers).
    pub index: usize,
    /// Its numbers, normalized.
    pub msisdns: Vec<String>,
    /// The platform's id of the asynchronous request (its outcome comes to the callback).
    pub request_id: Option<String>,
    /// The answer itself, for the one-number chunk sent synchronously (see the module docs).
    pub results: Option<Vec<FmuResult>>,
    /// Why the chunk failed (after the client's retries).
    pub error: Option<ProximusError>,
}

/// What became of a bulk call.
#[derive(Clone, Debug, PartialEq)]
pub struct BulkResult {
    /// Distinct numbers sent.
    pub total: usize,
    /// Chunks that failed.
    pub failed_chunks: usize,
    /// Numbers in the chunks that failed.
    pub failed_numbers: usize,
    /// Every chunk, in order.
    pub chunks: Vec<ChunkOutcome>,
}

impl BulkResult {
    /// Whether every chunk was accepted.
    pub fn is_success(&self) -> bool {
        self.failed_chunks == 0
    }
}

/// Normalizes, checks and dedupes `numbers` (first seen wins), then splits them into the
/// chunks a bulk call sends: at most 50 each, never one alone unless there is only one.
/// One bad number refuses all, with `invalid_argument` naming its position.
pub fn plan_chunks<S: AsRef<str>>(numbers: &[S]) -> Result<Vec<Vec<String>>> {
    let mut distinct: Vec<String> = Vec::with_capacity(numbers.len());
    // Sorted, searched by bisection: what a HashSet does here without hashing's code in the wasm.
    let mut seen: Vec<String> = Vec::with_capacity(numbers.len());
    for (i, input) in numbers.iter().enumerate() {
        let number = fmu_number(input.as_ref())
            .map_err(|e| ProximusError::invalid(format!("numbers[{i}]: {}", e.message())))?;
        if let Err(at) = seen.binary_search(&number) {
            seen.insert(at, number.clone());
            distinct.push(number);
        }
    }
    Ok(chunk_numbers(distinct))
}

fn chunk_numbers(numbers: Vec<String>) -> Vec<Vec<String>> {
    let sizes = chunk_sizes(numbers.len());
    let mut chunks = Vec::with_capacity(sizes.len());
    let mut rest = numbers.into_iter();
    for size in sizes {
        chunks.push(rest.by_ref().take(size).collect());
    }
    chunks
}

/// Sizes of the chunks for `n` numbers: 50s, and 49 + 2 instead of 50 + 1.
pub fn chunk_sizes(n: usize) -> Vec<usize> {
    let mut sizes = vec![MAX_CHUNK; n / MAX_CHUNK];
    match n % MAX_CHUNK {
        0 => {}
        1 if !sizes.is_empty() => {
            if let Some(last) = sizes.last_mut() {
                *last = MAX_CHUNK - 1;
            }
            sizes.push(2);
        }
        r => sizes.push(r),
    }
    sizes
}

fn check_concurrency(value: Option<f64>) -> Result<usize> {
    Ok(
        whole_number("concurrency", value, 1, MAX_CONCURRENCY as u64)?
            .map_or(DEFAULT_CONCURRENCY, |n| n as usize),
    )
}

#[derive(Clone, Copy)]
enum Operation {
    Get,
    Set(FmuStatus),
}

/// The status of many numbers: chunks of 50 sent asynchronously, outcomes to the callback.
pub async fn get_statuses<T: Transport + 'static, C: Clock + 'static, S: AsRef<str>>(
    client: &Client<T, C>,
    numbers: &[S],
    options: BulkOptions,
) -> Result<BulkResult> {
    run_bulk(client, numbers, Operation::Get, options).await
}

/// Sets the status of many numbers: chunks of 50 sent asynchronously, outcomes to the callback.
pub async fn set_statuses<T: Transport + 'static, C: Clock + 'static, S: AsRef<str>>(
    client: &Client<T, C>,
    numbers: &[S],
    status: FmuStatus,
    options: BulkOptions,
) -> Result<BulkResult> {
    run_bulk(client, numbers, Operation::Set(status), options).await
}

async fn run_bulk<T: Transport + 'static, C: Clock + 'static, S: AsRef<str>>(
    client: &Client<T, C>,
    numbers: &[S],
    operation: Operation,
    options: BulkOptions,
) -> Result<BulkResult> {
    let concurrency = check_concurrency(options.concurrency)?;
    let callback = options
        .callback_url
        .as_deref()
        .map(check_callback_url)
        .transpose()?;
    let chunks = plan_chunks(numbers)?;
    let total: usize = chunks.iter().map(Vec::len).sum();
    let fmu_url = client.config().fmu_url.as_str();
    let callback = callback.as_deref();
    let count = chunks.len();
    let sends = chunks
        .into_iter()
        .enumerate()
        .map(|(index, msisdns)| send_chunk(client, fmu_url, operation, callback, index, msisdns));
    let mut settled = stream::iter(sends).buffer_unordered(concurrency);
    // Settled in any order, kept in the numbers' order.
    let mut slots: Vec<Option<ChunkOutcome>> = (0..count).map(|_| None).collect();
    let mut done = 0;
    while let Some(outcome) = settled.next().await {
        done += outcome.msisdns.len();
        let index = outcome.index;
        if let Some(slot) = slots.get_mut(index) {
            *slot = Some(outcome);
        }
        // After an abort the chunks left fail at once: that is no progress to report.
        if let Some(hook) = options
            .on_progress
            .as_ref()
            .filter(|_| !client.call_options().is_aborted())
        {
            hook(Progress { done, total });
        }
    }
    let outcomes: Vec<ChunkOutcome> = slots.into_iter().flatten().collect();
    let failed: Vec<&ChunkOutcome> = outcomes.iter().filter(|o| o.error.is_some()).collect();
    let result = BulkResult {
        total,
        failed_chunks: failed.len(),
        failed_numbers: failed.iter().map(|o| o.msisdns.len()).sum(),
        chunks: outcomes,
    };
    // Once aborted, the chunks not yet sent fail at once without being sent; the error says
    // which chunks the platform had accepted.
    if client.call_options().is_aborted() {
        let accepted = count - result.failed_chunks;
        let message = format!(
            "the call was aborted by its signal; the platform had accepted {accepted} of {count} chunks (see partial)"
        );
        return Err(ProximusError::new(ErrorCode::Aborted, message).with_partial(result));
    }
    Ok(result)
}

async fn send_chunk<T: Transport + 'static, C: Clock + 'static>(
    client: &Client<T, C>,
    fmu_url: &str,
    operation: Operation,
    callback: Option<&str>,
    index: usize,
    msisdns: Vec<String>,
) -> ChunkOutcome {
    let mut outcome = ChunkOutcome {
        index,
        msisdns,
        request_id: None,
        results: None,
        error: None,
    };
    let single = outcome.msisdns.len() == 1;
    // One number is answered synchronously by the platform: no callback, the answer is here.
    let callback = if single { None } else { callback };
    let call = match operation {
        Operation::Get => get_status_call(fmu_url, &outcome.msisdns, callback),
        Operation::Set(status) => {
            set_status_call::<T::Json>(fmu_url, &outcome.msisdns, status, callback)
        }
    };
    let answer = match client.send(call).await {
        Err(error) => Err(error),
        Ok(response) if single => {
            let number = outcome
                .msisdns
                .first()
                .map(String::as_str)
                .unwrap_or_default();
            let result = match operation {
                Operation::Get => parse_status_answer::<T::Json>(&response, number),
                Operation::Set(_) => parse_set_answer::<T::Json>(&response, number),
            };
            result.map(|r| outcome.results = Some(vec![r]))
        }
        Ok(response) => {
            parse_request_id::<T::Json>(&response).map(|id| outcome.request_id = Some(id))
        }
    };
    outcome.error = answer
        .err()
        .map(|error| with_callback_hint(error, callback));
    outcome
}

/// A refusal for want of a callback URL says how to give one.
fn with_callback_hint(error: ProximusError, callback: Option<&str>) -> ProximusError {
    let about_callback = error.code() == ErrorCode::BadRequest
        && callback.is_none()
        && error.message().to_ascii_lowercase().contains("callback");
    if !about_callback {
        return error;
    }
    let hint = format!(
        "{}; pass the callbackUrl option, or register a default once with client.fmu.setCallbackUrl(url)",
        error.message()
    );
    error.with_message(hint)
}
