//! `bookings.ensure`: "give this listing (key) a working temporary number", the loop every
//! marketplace writes by hand: look the key's booking id up in the application's store, reuse
//! the booking while it has enough left, top it up when it runs low, book anew when it is gone.
//!
//! Money is at stake on every branch, so the rules are conservative:
//! - everything the request says is checked before anything is sent (`invalid_argument`),
//!   even when the booking would only be reused;
//! - a new number is booked only when the old one is certainly unusable: the store has no id,
//!   the server answered 404 (deleted, or past its grace period), the booking has expired
//!   (also while it is in its grace period), or it forwards to another destination than asked.
//!   Any other failure of `GET /bookings/{id}` (unavailable, timeout, 401…) is returned as it
//!   is: booking anew on an ambiguous failure would pay twice and orphan the published number;
//! - a booking that has not expired but runs low (fewer seconds or calls left than
//!   [`RenewBelow`]) is topped up with `PUT /bookings/{id}`, which keeps the number; this also
//!   covers a booking with no seconds or no calls left at all;
//! - expiry is judged by the platform's clock (the `Date` of its answers), not the local one;
//! - a `POST /bookings` that may have booked although it failed (a lost answer, a timeout) is
//!   not repeated blindly: the key's entry records the attempt (when, and for which number),
//!   and the next `ensure` adopts the booking it made (same destination, booked in that window,
//!   no key referring to it) before it would book anew;
//! - next to each key's id, the store keeps which key a booking belongs to
//!   ([`owner_entry`]), written before the key's own entry: adoption and the clean-up of
//!   orphans ([`super::orphans`]) ask it whether a key still refers to a booking;
//! - concurrent ensures of one key through one [`Ensurer`] share a single run, so they book
//!   (or top up) once; across isolates, one place per key (a Durable Object) runs them;
//! - an aborted call rejects with `aborted` at once, except while a booking or a top-up it
//!   started is under way: that request was paid for, so its answer is awaited and the booking
//!   id stored first (no orphan), and only then does the call reject. A shared run stops only
//!   when every caller waiting for it has aborted.

use std::cell::{Cell, RefCell};
use std::fmt;
use std::future::Future;
use std::pin::pin;
use std::rc::Rc;

use futures_util::future::{FutureExt, Shared};
use serde::{Deserialize, Serialize};

use super::bookings::{self, Booking, CreateBooking, ListBookings, UsagePlan};
use super::paging::{path_id, Pager};
use crate::core::callbacks::urls::check_callback_url;
use crate::core::cancel::Cancel;
use crate::core::client::Client;
use crate::core::clock::Clock;
use crate::core::codec::JsonCodec;
use crate::core::config::LocalFuture;
use crate::core::errors::{ErrorCode, ProximusError, Result};
use crate::core::msisdn;
use crate::core::transport::Transport;

/// Longest key accepted, in bytes of UTF-8 (the key limit of Workers KV).
pub const MAX_KEY_BYTES: usize = 512;

/// Where the application keeps, per key (a listing, an order…), the id of its booking; e.g.
/// Workers KV. Errors are returned to the caller of `ensure` unchanged, so an adapter should
/// report its failures as [`ErrorCode::Callback`].
pub trait BookingStore {
    /// The booking id stored for `key`, if any.
    fn get(&self, key: &str) -> LocalFuture<'_, Result<Option<String>>>;
    /// Stores `booking_id` for `key`, replacing what was there.
    fn set(&self, key: &str, booking_id: &str) -> LocalFuture<'_, Result<()>>;
}

/// The store's entry that says which key `booking_id` was stored for.
pub fn owner_entry(booking_id: &str) -> String {
    format!("proximus:booking:{booking_id}")
}

/// Whether a key still refers to `booking_id`: its owner entry names a key whose entry holds
/// that id. Store failures are returned: nobody deletes or adopts on a guess.
pub async fn is_referenced(store: &dyn BookingStore, booking_id: &str) -> Result<bool> {
    let Some(key) = store.get(&owner_entry(booking_id)).await? else {
        return Ok(false);
    };
    Ok(store.get(&key).await?.as_deref() == Some(booking_id))
}

/// What a key's entry holds after a `POST /bookings` that may have booked although it failed.
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Unconfirmed {
    unconfirmed_booking: Attempt,
}

/// When the attempt was under way (platform clock, epoch ms) and what it asked for.
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Attempt {
    from: i64,
    to: i64,
    destination: String,
    usage_plan: UsagePlan,
}

/// Leeway around an attempt's window: the `Date` header has whole seconds, and the platform's
/// gateway and booking service need not agree to the second.
const WINDOW_SLACK_MS: i64 = 5 * 60 * 1000;

/// When a booking that has not expired is topped up: when fewer than `seconds` seconds or
/// fewer than `calls` calls are left. A count the server did not report never triggers a
/// top-up (a top-up costs money). `{ seconds: 0, calls: 0 }` never tops up.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct RenewBelow {
    /// Top up below this many seconds of calls left.
    pub seconds: u64,
    /// Top up below this many calls left.
    pub calls: u64,
}

impl Default for RenewBelow {
    /// 300 seconds (five minutes of talk), 2 calls.
    fn default() -> Self {
        RenewBelow {
            seconds: 300,
            calls: 2,
        }
    }
}

/// What `ensure` needs.
#[derive(Clone, Debug, PartialEq)]
pub struct EnsureBooking {
    /// The application's name for what the number belongs to (a listing id…): non-empty, at
    /// most [`MAX_KEY_BYTES`] bytes.
    pub key: String,
    /// The hidden number calls must reach, in any form [`msisdn::normalize`] accepts.
    pub destination: String,
    /// The plan bought when booking and when topping up.
    pub usage_plan: UsagePlan,
    /// Where the platform POSTs call events (used when booking).
    pub callback_url: String,
    /// When to top up.
    pub renew_below: RenewBelow,
}

/// What `ensure` did.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum EnsureAction {
    /// The stored booking had enough left: only `GET /bookings/{id}` was sent.
    Reused,
    /// The stored booking ran low and was topped up (`PUT /bookings/{id}`): same number.
    ToppedUp,
    /// A new number was booked (`POST /bookings`) and its id stored.
    Booked,
    /// The booking that an earlier, ambiguous `POST /bookings` of this key made was found
    /// and stored: nothing was booked twice.
    Adopted,
}

impl EnsureAction {
    /// The name JavaScript sees: `reused`, `topped_up`, `booked`, `adopted`.
    pub fn as_str(self) -> &'static str {
        match self {
            EnsureAction::Reused => "reused",
            EnsureAction::ToppedUp => "topped_up",
            EnsureAction::Booked => "booked",
            EnsureAction::Adopted => "adopted",
        }
    }
}

impl fmt::Display for EnsureAction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The outcome of `ensure` (JavaScript sees the booking's fields and `action`).
#[derive(Clone, Debug, PartialEq)]
pub struct Ensured {
    /// The booking as it now is.
    pub booking: Booking,
    /// What was done.
    pub action: EnsureAction,
    /// Set only when a new booking was made but storing its id failed. The booking exists and
    /// works, so it is returned rather than lost behind an error; but the store does not know
    /// it, so the next `ensure` of this key will book again unless the application stores
    /// `booking.id` itself.
    pub store_error: Option<ProximusError>,
}

/// A request whose every field has been checked.
struct Checked {
    key: String,
    /// As given (create normalizes it again).
    destination: String,
    /// In wire form, to compare with the server's.
    wire_destination: String,
    usage_plan: UsagePlan,
    callback_url: String,
    renew_below: RenewBelow,
}

fn check(request: &EnsureBooking) -> Result<Checked> {
    if request.key.is_empty() {
        return Err(ProximusError::invalid("key must be a non-empty string"));
    }
    if request.key.len() > MAX_KEY_BYTES {
        return Err(ProximusError::invalid(format!(
            "key must be at most {MAX_KEY_BYTES} bytes"
        )));
    }
    let wire_destination = msisdn::normalize(&request.destination)?;
    check_callback_url(&request.callback_url)?;
    Ok(Checked {
        key: request.key.clone(),
        destination: request.destination.clone(),
        wire_destination,
        usage_plan: request.usage_plan,
        callback_url: request.callback_url.clone(),
        renew_below: request.renew_below,
    })
}

/// Checks everything `request` says, as `ensure` does before anything is sent.
pub fn check_request(request: &EnsureBooking) -> Result<()> {
    check(request).map(drop)
}

/// Makes sure `request.key` has a working booking (see the module documentation); no
/// de-duplication of concurrent calls: use an [`Ensurer`] for that.
pub async fn ensure<T: Transport + 'static, C: Clock + 'static>(
    client: &Client<T, C>,
    store: &dyn BookingStore,
    request: &EnsureBooking,
) -> Result<Ensured> {
    let checked = check(request)?;
    client.check_aborted()?;
    let billing = Cell::new(false);
    let uncancellable = client.uncancellable();
    let work = run(&uncancellable, store, &checked, &billing);
    match &client.call_options().cancel {
        Some(cancel) => unless_aborted(cancel, work, &billing).await,
        None => work.await,
    }
}

/// `work`, or `aborted` when `cancel` fires first; but a paid request under way (`billing`)
/// is finished, and its booking stored, before the call rejects.
async fn unless_aborted(
    cancel: &Cancel,
    work: impl Future<Output = Result<Ensured>>,
    billing: &Cell<bool>,
) -> Result<Ensured> {
    let mut work = pin!(work);
    match cancel.race(work.as_mut()).await {
        Ok(result) => result,
        Err(aborted) => {
            if billing.get() {
                let _ = work.await;
            }
            Err(aborted)
        }
    }
}

/// Sets a flag while a paid request and the storing of its outcome are under way.
struct Billing<'a>(&'a Cell<bool>);

impl<'a> Billing<'a> {
    fn start(flag: &'a Cell<bool>) -> Self {
        flag.set(true);
        Billing(flag)
    }
}

impl Drop for Billing<'_> {
    fn drop(&mut self) {
        self.0.set(false);
    }
}

async fn run<T: Transport + 'static, C: Clock + 'static>(
    client: &Client<T, C>,
    store: &dyn BookingStore,
    request: &Checked,
    billing: &Cell<bool>,
) -> Result<Ensured> {
    let Some(id) = store.get(&request.key).await? else {
        return book(client, store, request, billing).await;
    };
    if id.starts_with('{') {
        return adopt_or_book(client, store, request, &id, billing).await;
    }
    // Not a booking id at all: the store holds something else; never pay on a guess.
    path_id("booking id", &id).map_err(|e| {
        ProximusError::new(
            ErrorCode::Callback,
            format!(
                "the booking store holds an unusable id for this key: {}",
                e.message()
            ),
        )
    })?;
    let booking = match bookings::get(client, &id).await {
        Ok(booking) => booking,
        Err(e) if e.code() == ErrorCode::NotFound => {
            return book(client, store, request, billing).await
        }
        Err(e) => return Err(e),
    };
    if !booking.is_active(client.platform_now_ms())
        || !forwards_to(&booking, &request.wire_destination)
    {
        return book(client, store, request, billing).await;
    }
    let low = |left: Option<u64>, floor: u64| left.is_some_and(|left| left < floor);
    if low(booking.seconds_remaining, request.renew_below.seconds)
        || low(booking.calls_remaining, request.renew_below.calls)
    {
        let _paying = Billing::start(billing);
        let booking = bookings::update(client, &id, request.usage_plan).await?;
        return Ok(Ensured {
            booking,
            action: EnsureAction::ToppedUp,
            store_error: None,
        });
    }
    Ok(Ensured {
        booking,
        action: EnsureAction::Reused,
        store_error: None,
    })
}

/// Whether the booking forwards to `destination` (wire form); unknown counts as yes.
fn forwards_to(booking: &Booking, destination: &str) -> bool {
    match booking.destination.as_deref() {
        None => true,
        Some(theirs) => {
            msisdn::normalize(theirs).map_or(theirs == destination, |n| n == destination)
        }
    }
}

async fn book<T: Transport + 'static, C: Clock + 'static>(
    client: &Client<T, C>,
    store: &dyn BookingStore,
    request: &Checked,
    billing: &Cell<bool>,
) -> Result<Ensured> {
    let _paying = Billing::start(billing);
    let create = CreateBooking {
        destination: request.destination.clone(),
        usage_plan: request.usage_plan,
        callback_url: request.callback_url.clone(),
    };
    let from = client.platform_now_ms();
    let booking = match bookings::create(client, &create).await {
        Ok(booking) => booking,
        Err(e) if e.outcome_unknown() => {
            let entry = T::Json::encode(&Unconfirmed {
                unconfirmed_booking: Attempt {
                    from,
                    to: client.platform_now_ms(),
                    destination: request.wire_destination.clone(),
                    usage_plan: request.usage_plan,
                },
            });
            // Should this write fail too, the booking is an orphan for the clean-up.
            let remembered = store.set(&request.key, &entry).await.is_ok();
            let message = if remembered {
                format!("{}; the next ensure of this key adopts it", e.message())
            } else {
                format!("{}; the store failed to record the attempt", e.message())
            };
            return Err(e.with_message(message));
        }
        Err(e) => return Err(e),
    };
    let store_error = remember(store, &request.key, &booking.id).await.err();
    Ok(Ensured {
        booking,
        action: EnsureAction::Booked,
        store_error,
    })
}

/// Stores `booking_id` for `key`: its owner entry first, so that a failure in between leaves a
/// booking the clean-up keeps, never a key referring to a booking it could delete.
async fn remember(store: &dyn BookingStore, key: &str, booking_id: &str) -> Result<()> {
    store.set(&owner_entry(booking_id), key).await?;
    store.set(key, booking_id).await
}

/// The key's entry records an ambiguous attempt: adopt the booking it made, if there is one,
/// else book (the attempt did not book, or asked for another number than this call).
async fn adopt_or_book<T: Transport + 'static, C: Clock + 'static>(
    client: &Client<T, C>,
    store: &dyn BookingStore,
    request: &Checked,
    entry: &str,
    billing: &Cell<bool>,
) -> Result<Ensured> {
    let Ok(Unconfirmed {
        unconfirmed_booking: attempt,
    }) = T::Json::decode_object::<Unconfirmed>(entry)
    else {
        return Err(ProximusError::new(
            ErrorCode::Callback,
            "the booking store holds an unusable entry for this key",
        ));
    };
    if attempt.destination == request.wire_destination {
        if let Some(booking) = made_by(client, store, &attempt).await? {
            remember(store, &request.key, &booking.id).await?;
            return Ok(Ensured {
                booking,
                action: EnsureAction::Adopted,
                store_error: None,
            });
        }
    }
    book(client, store, request, billing).await
}

/// The booking `attempt` made: one for its destination and plan, booked within its window
/// (judged from its `endTime`), that no key refers to.
async fn made_by<T: Transport + 'static, C: Clock + 'static>(
    client: &Client<T, C>,
    store: &dyn BookingStore,
    attempt: &Attempt,
) -> Result<Option<Booking>> {
    let length = attempt.usage_plan.duration_ms();
    // Saturating: the entry comes from the application's store, whatever it holds.
    let earliest = attempt
        .from
        .saturating_add(length)
        .saturating_sub(WINDOW_SLACK_MS);
    let latest = attempt
        .to
        .saturating_add(length)
        .saturating_add(WINDOW_SLACK_MS);
    let mut pager = Pager::new(ListBookings::all(false))?;
    while let Some(page) = pager.next_page(client).await? {
        for booking in page.items {
            let fits = (earliest..=latest).contains(&booking.end_time_ms)
                && booking.destination.is_some()
                && forwards_to(&booking, &attempt.destination)
                && booking
                    .usage_plan
                    .as_deref()
                    .is_none_or(|plan| plan == attempt.usage_plan.as_str());
            if fits && !is_referenced(store, &booking.id).await? {
                return Ok(Some(booking));
            }
        }
    }
    Ok(None)
}

type Pending = Shared<LocalFuture<'static, Result<Ensured>>>;

/// A shared run as its callers see it.
#[derive(Default)]
struct RunState {
    /// Callers still waiting for it; when the last one aborts, the run stops (see `billing`).
    waiting: Cell<usize>,
    /// Whether a paid request of the run, or the storing of its outcome, is under way.
    billing: Cell<bool>,
}

type Runs = Rc<RefCell<Vec<(String, Pending, Rc<RunState>)>>>;

/// Removes `run` from the runs in flight (new callers of its key start another).
fn forget(runs: &Runs, run: &Rc<RunState>) {
    runs.borrow_mut().retain(|(_, _, r)| !Rc::ptr_eq(r, run));
}

/// Runs `ensure` so that concurrent calls for one key share one run (and so book or top up
/// once); they all get its result, including its `action`, even if they asked with another
/// destination, plan or callback. Keep one per client and store (e.g. next to the client, one
/// per isolate): keys are told apart by name only. An entry lives only while its run does.
#[derive(Default)]
pub struct Ensurer {
    // A Vec, not a HashMap: few keys are ever in flight at once, and hashing would add ~5 KB of
    // wasm.
    inflight: Runs,
}

impl fmt::Debug for Ensurer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Ensurer")
            .field("in_flight", &self.in_flight())
            .finish()
    }
}

impl Ensurer {
    /// An ensurer with nothing in flight.
    pub fn new() -> Self {
        Ensurer::default()
    }

    /// How many keys have a run in flight.
    pub fn in_flight(&self) -> usize {
        self.inflight.borrow().len()
    }

    /// [`ensure`], joined with a run already in flight for `request.key` if there is one. The
    /// request is checked at once, even when it would join: bad input never gets a result.
    /// The run follows the timeout and retries of the call that started it; each caller's
    /// signal stops only its own wait, and the run once no caller is left (module docs).
    pub fn ensure<T: Transport + 'static, C: Clock + 'static>(
        &self,
        client: &Client<T, C>,
        store: Rc<dyn BookingStore>,
        request: &EnsureBooking,
    ) -> impl Future<Output = Result<Ensured>> + 'static {
        let joined = check(request)
            .and_then(|checked| client.check_aborted().map(|()| checked))
            .map(|checked| self.join_or_start(client, store, checked));
        let cancel = client.call_options().cancel.clone();
        let runs = Rc::downgrade(&self.inflight);
        let client = client.clone();
        async move {
            let (pending, state, started) = joined?;
            // A caller that joined another's run waits as Workers need (Client::wait_for_others).
            let outcome = async {
                if started {
                    pending.clone().await
                } else {
                    client.wait_for_others(pending.clone()).await
                }
            };
            let Some(cancel) = cancel else {
                return outcome.await;
            };
            match cancel.race(outcome).await {
                Ok(result) => result,
                Err(aborted) => {
                    state.waiting.set(state.waiting.get() - 1);
                    if state.waiting.get() == 0 {
                        if state.billing.get() {
                            let _ = pending.await;
                        } else if let Some(runs) = runs.upgrade() {
                            // Nobody waits and nothing paid is under way: the run is dropped
                            // with the last handle, which aborts its request.
                            forget(&runs, &state);
                        }
                    }
                    Err(aborted)
                }
            }
        }
    }

    fn join_or_start<T: Transport + 'static, C: Clock + 'static>(
        &self,
        client: &Client<T, C>,
        store: Rc<dyn BookingStore>,
        checked: Checked,
    ) -> (Pending, Rc<RunState>, bool) {
        let mut inflight = self.inflight.borrow_mut();
        if let Some((_, pending, state)) = inflight.iter().find(|(key, _, _)| *key == checked.key) {
            state.waiting.set(state.waiting.get() + 1);
            return (pending.clone(), state.clone(), false);
        }
        let key = checked.key.clone();
        let registry = Rc::downgrade(&self.inflight);
        let client = client.uncancellable();
        let state = Rc::new(RunState {
            waiting: Cell::new(1),
            billing: Cell::new(false),
        });
        let own = state.clone();
        let pending = async move {
            let result = run(&client, &*store, &checked, &own.billing).await;
            if let Some(registry) = registry.upgrade() {
                forget(&registry, &own);
            }
            result
        }
        .boxed_local()
        .shared();
        inflight.push((key, pending.clone(), state.clone()));
        (pending, state, true)
    }
}
