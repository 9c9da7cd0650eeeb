//! Cancelling a call: the application's signal (an `AbortSignal` in JavaScript) fires a
//! [`Cancel`], and every place where a call waits (the shared `/token`, a place behind
//! `maxConcurrentRequests`, the answer, a backoff) races it. Losing the race drops what was
//! awaited, which gives its place back (a gate permit) or aborts it (a `fetch`).
//!
//! Built on futures-util's `AbortHandle`: a never-ready future made abortable is the signal's
//! "fired" future, shared by every wait of the call.

use std::future::Future;
use std::pin::pin;

use futures_util::future::Shared;
use futures_util::future::{self, AbortHandle, Abortable, Either, FutureExt, LocalBoxFuture};

use super::errors::{ErrorCode, ProximusError, Result};

/// One call's cancellation: cloned into each of its waits; [`Cancel::abort`] ends them all.
#[derive(Clone)]
pub struct Cancel {
    handle: AbortHandle,
    fired: Shared<LocalBoxFuture<'static, ()>>,
}

impl std::fmt::Debug for Cancel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Cancel")
            .field("aborted", &self.is_aborted())
            .finish()
    }
}

impl Default for Cancel {
    fn default() -> Self {
        Self::new()
    }
}

impl Cancel {
    /// A cancel that has not fired.
    pub fn new() -> Self {
        let (handle, registration) = AbortHandle::new_pair();
        let fired = Abortable::new(future::pending::<()>(), registration)
            .map(drop)
            .boxed_local()
            .shared();
        Cancel { handle, fired }
    }

    /// Fires it: every wait racing it ends with [`aborted`].
    pub fn abort(&self) {
        self.handle.abort();
    }

    /// Whether it has fired.
    pub fn is_aborted(&self) -> bool {
        self.handle.is_aborted()
    }

    /// Resolves once it fires.
    fn fired(&self) -> impl Future<Output = ()> + 'static {
        self.fired.clone()
    }

    /// `work`'s output, or [`aborted`] if the cancel fires first (then `work` is dropped).
    pub async fn race<F: Future>(&self, work: F) -> Result<F::Output> {
        if self.is_aborted() {
            return Err(aborted());
        }
        // The signal first: once it has fired, `work` is not polled again (not even to finish a
        // backoff that ended at the same time and send another request).
        match future::select(self.fired(), pin!(work)).await {
            Either::Left(_) => Err(aborted()),
            Either::Right((output, _)) => Ok(output),
        }
    }
}

/// `work` raced against `cancel` when there is one.
pub async fn race<F: Future>(cancel: Option<&Cancel>, work: F) -> Result<F::Output> {
    match cancel {
        Some(cancel) => cancel.race(work).await,
        None => Ok(work.await),
    }
}

/// The error of an aborted call.
pub fn aborted() -> ProximusError {
    ProximusError::new(ErrorCode::Aborted, "the call was aborted by its signal")
}

#[cfg(test)]
mod tests {
    use super::Cancel;
    use futures_util::future::pending;
    use std::future::Future;
    use std::pin::pin;
    use std::task::{Context, Poll};

    #[test]
    fn a_fired_cancel_ends_the_wait_it_races_and_every_later_one() {
        let cancel = Cancel::new();
        let mut cx = Context::from_waker(std::task::Waker::noop());
        let mut waiting = pin!(cancel.race(pending::<()>()));
        assert!(waiting.as_mut().poll(&mut cx).is_pending());
        cancel.abort();
        match waiting.as_mut().poll(&mut cx) {
            Poll::Ready(Err(e)) => assert_eq!(e.code().as_str(), "aborted"),
            other => panic!("expected aborted, got {other:?}"),
        }
        let mut later = pin!(cancel.race(std::future::ready(1)));
        assert!(matches!(later.as_mut().poll(&mut cx), Poll::Ready(Err(_))));
    }
}
