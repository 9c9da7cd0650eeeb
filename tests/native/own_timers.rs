//! `wait_on_own_timers` (the Workers entry sets it): a call waiting for work another call
//! started (the shared `/token` request, a place behind the gate) resumes on its own timers,
//! and still gets the same result; without it, such a call never sleeps.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use crate::support::*;
use futures_util::future::join_all;
use proximus_api::internals::clock::Clock;
use proximus_api::{Call, Client, ClientOptions, Method};

/// The fake clock, whose sleeps let the other calls run first, as a timer does (the fake one's
/// are over at once: a call checking on its own timers would never let the others move).
#[derive(Clone, Default)]
struct TimerClock(FakeClock);

/// Pending once (waking itself at once), then ready.
struct Tick(bool);

impl Future for Tick {
    type Output = ();
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if std::mem::replace(&mut self.0, true) {
            return Poll::Ready(());
        }
        cx.waker().wake_by_ref();
        Poll::Pending
    }
}

impl Clock for TimerClock {
    fn now_ms(&self) -> u64 {
        self.0.now_ms()
    }
    fn sleep(&self, ms: u64) -> impl Future<Output = ()> {
        let slept = self.0.sleep(ms);
        async move {
            slept.await;
            Tick(false).await;
        }
    }
}

fn get(id: u32) -> Call {
    Call::new(
        Method::Get,
        format!("{BASE}/rentednumbers/1.0.0/bookings/bk_{id}"),
    )
}

fn run(own_timers: bool, limit: f64) -> (Vec<u64>, usize) {
    let transport = with_token_endpoint(|_| json(200, "{}")).slow(3);
    let clock = TimerClock::default();
    let options = ClientOptions {
        wait_on_own_timers: own_timers,
        max_concurrent_requests: Some(limit),
        ..options()
    };
    let client = Client::new(options, transport.clone(), clock.clone()).unwrap();
    let answers = block_on(join_all((0..4).map(|i| client.send(get(i)))));
    assert!(answers.iter().all(Result::is_ok), "{answers:?}");
    (clock.0.sleeps(), transport.count("/token"))
}

#[test]
fn waiters_resume_on_their_own_timers_and_share_the_token_all_the_same() {
    let (sleeps, tokens) = run(true, 6.0);
    assert_eq!(tokens, 1, "one /token request for the four calls");
    assert!(
        !sleeps.is_empty(),
        "the three waiting for the token checked on their own timers"
    );
    assert!(sleeps.iter().all(|&ms| (1..=8).contains(&ms)), "{sleeps:?}");
}

#[test]
fn waiters_for_a_place_behind_the_gate_resume_on_their_own_timers() {
    let (sleeps, _) = run(true, 1.0);
    assert!(sleeps.len() > 3, "{sleeps:?}");
}

#[test]
fn elsewhere_a_waiter_is_woken_by_the_work_it_waits_for() {
    assert_eq!(run(false, 1.0), (vec![], 1));
}
