//! A call's own options, `{ signal, timeoutMs, maxRetries }` (the last argument of a single call,
//! or split out of a method's options object by api.js): checked strictly, and the signal linked
//! to the core's `Cancel` for as long as the call runs.

use serde::de::DeserializeOwned;
use serde::Deserialize;
use wasm_bindgen::prelude::*;
use web_sys::AbortSignal;

use super::client::Core;
use super::interop::{fields_of, options, options_besides, Arg, Kept};
use crate::core::cancel::Cancel;
use crate::core::config::CallOptions;
use crate::core::errors::Result;

/// What a call may be given.
#[derive(Default, Deserialize)]
#[serde(default, rename_all = "camelCase", deny_unknown_fields)]
struct CallArgs {
    signal: Arg<Kept>,
    timeout_ms: Arg<f64>,
    max_retries: Arg<f64>,
}

/// [`options`] of a method whose options object also takes the call's own options (api.js takes
/// them out before the rest comes here): an unknown key's message lists those too.
pub(super) fn method_options<T: DeserializeOwned>(value: JsValue, name: &str) -> Result<T> {
    options_besides(value, name, fields_of::<CallArgs>().unwrap_or(&[]))
}

/// The client a call runs on (its options applied), and the link that must live as long as
/// the call.
pub(super) fn for_call(core: &Core, given: JsValue) -> Result<(Core, Option<SignalLink>)> {
    if given.is_undefined() {
        return Ok((core.clone(), None));
    }
    let args: CallArgs = options(given, "options")?;
    // api.js hands over only genuine AbortSignals (others shaped like one are bridged there).
    let link = args
        .signal
        .get("signal")?
        .map(|Kept(signal)| SignalLink::new(signal.unchecked_into()));
    let options = CallOptions::checked(
        link.as_ref().map(|link| link.cancel.clone()),
        args.timeout_ms.get("timeoutMs")?,
        args.max_retries.get("maxRetries")?,
    )?;
    Ok((core.with(options), link))
}

/// Fires a `Cancel` when an `AbortSignal` aborts; dropped with the call, it stops listening (a
/// long-lived signal, such as a Worker's `request.signal`, keeps nothing of finished calls).
pub(super) struct SignalLink {
    cancel: Cancel,
    signal: AbortSignal,
    listener: Option<Closure<dyn FnMut()>>,
}

impl SignalLink {
    fn new(signal: AbortSignal) -> Self {
        let cancel = Cancel::new();
        if signal.aborted() {
            cancel.abort();
            return SignalLink {
                cancel,
                signal,
                listener: None,
            };
        }
        let fire = cancel.clone();
        let listener = Closure::<dyn FnMut()>::new(move || fire.abort());
        let listening = signal
            .add_event_listener_with_callback("abort", listener.as_ref().unchecked_ref())
            .is_ok();
        SignalLink {
            cancel,
            signal,
            listener: listening.then_some(listener),
        }
    }
}

impl Drop for SignalLink {
    fn drop(&mut self) {
        if let Some(listener) = &self.listener {
            let _ = self
                .signal
                .remove_event_listener_with_callback("abort", listener.as_ref().unchecked_ref());
        }
    }
}
