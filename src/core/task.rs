//! The future combinators the client needs, for one thread: a future many callers await
//! ([`Shared`]: the single token fetch, one `ensure` run per key), a bounded set of futures run
//! together ([`run_bounded`]: bulk chunks) and a limit on requests in flight ([`Gate`]). futures-util's versions are built for threads
//! and brought ~9 KB of wasm; these are what a single-threaded runtime (JS) needs.

use std::cell::RefCell;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Wake, Waker};

use super::config::LocalFuture;

/// A future whose output every clone receives. The inner future runs once, polled by whichever
/// clone is polled; when it makes progress every waiting clone is woken, so dropping one
/// caller never strands the others.
pub struct Shared<T: Clone> {
    state: Rc<RefCell<State<T>>>,
}

enum State<T> {
    /// `future` is `None` while a clone is polling it (a re-entrant poll then just waits).
    Running {
        future: Option<LocalFuture<'static, T>>,
        waiters: Arc<Waiters>,
    },
    Done(T),
}

/// The wakers of every clone waiting on a [`Shared`]; waking it wakes them all.
#[derive(Default)]
struct Waiters(Mutex<Vec<Waker>>);

impl Waiters {
    fn add(&self, waker: &Waker) {
        let mut list = self.0.lock().unwrap_or_else(|e| e.into_inner());
        if !list.iter().any(|w| w.will_wake(waker)) {
            list.push(waker.clone());
        }
    }
}

impl Wake for Waiters {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }
    fn wake_by_ref(self: &Arc<Self>) {
        let woken = std::mem::take(&mut *self.0.lock().unwrap_or_else(|e| e.into_inner()));
        woken.into_iter().for_each(Waker::wake);
    }
}

impl<T: Clone> Shared<T> {
    /// Starts sharing `future` (it runs when a clone is first polled).
    pub fn new(future: impl Future<Output = T> + 'static) -> Self {
        Shared {
            state: Rc::new(RefCell::new(State::Running {
                future: Some(Box::pin(future)),
                waiters: Arc::default(),
            })),
        }
    }
}

impl<T: Clone> Clone for Shared<T> {
    fn clone(&self) -> Self {
        Shared {
            state: self.state.clone(),
        }
    }
}

impl<T: Clone> Future for Shared<T> {
    type Output = T;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<T> {
        let (mut future, waiters) = match &mut *self.state.borrow_mut() {
            State::Done(value) => return Poll::Ready(value.clone()),
            State::Running { future, waiters } => {
                waiters.add(cx.waker());
                match future.take() {
                    Some(future) => (future, waiters.clone()),
                    None => return Poll::Pending, // being polled further up this stack
                }
            }
        };
        // Polled with a waker that wakes every waiter, not only this caller.
        let waker = Waker::from(waiters.clone());
        let polled = future.as_mut().poll(&mut Context::from_waker(&waker));
        let mut state = self.state.borrow_mut();
        match polled {
            Poll::Ready(value) => {
                *state = State::Done(value.clone());
                drop(state);
                waiters.wake_by_ref();
                Poll::Ready(value)
            }
            Poll::Pending => {
                if let State::Running { future: slot, .. } = &mut *state {
                    *slot = Some(future);
                }
                Poll::Pending
            }
        }
    }
}

/// Runs the futures `items` yields, at most `limit` at a time, and hands each output to
/// `on_output` as it completes (in completion order).
pub async fn run_bounded<'a, T>(
    items: impl Iterator<Item = LocalFuture<'a, T>>,
    limit: usize,
    mut on_output: impl FnMut(T),
) {
    let mut items = items.fuse();
    let mut running: Vec<LocalFuture<'a, T>> = Vec::with_capacity(limit);
    std::future::poll_fn(move |cx| {
        loop {
            while running.len() < limit.max(1) {
                match items.next() {
                    Some(future) => running.push(future),
                    None => break,
                }
            }
            if running.is_empty() {
                return Poll::Ready(()); // nothing running and nothing left to start
            }
            let before = running.len();
            let mut i = 0;
            while i < running.len() {
                match running[i].as_mut().poll(cx) {
                    Poll::Ready(output) => {
                        drop(running.swap_remove(i));
                        on_output(output);
                    }
                    Poll::Pending => i += 1,
                }
            }
            if running.len() == before {
                return Poll::Pending; // nothing finished: wait to be woken
            }
        }
    })
    .await
}

/// At most `limit` holders of a [`Permit`] at a time; the others wait in line (first come,
/// first served). A permit freed is handed to the next in line directly, so a caller arriving
/// later never overtakes, and one that gives up (its future dropped) passes its turn on.
#[derive(Clone)]
pub struct Gate {
    state: Rc<RefCell<GateState>>,
}

struct GateState {
    free: usize,
    // Oldest first; short (callers waiting for a place), so a Vec does.
    line: Vec<(u64, Waker)>,
    granted: Vec<u64>,
    next_ticket: u64,
}

/// A place through a [`Gate`]; dropping it lets the next caller in.
pub struct Permit {
    gate: Gate,
}

impl Gate {
    /// A gate letting `limit` (at least 1) through at once.
    pub fn new(limit: usize) -> Self {
        Gate {
            state: Rc::new(RefCell::new(GateState {
                free: limit.max(1),
                line: Vec::new(),
                granted: Vec::new(),
                next_ticket: 0,
            })),
        }
    }

    /// Waits for a permit.
    pub fn enter(&self) -> impl Future<Output = Permit> {
        Entering {
            gate: self.clone(),
            ticket: None,
            done: false,
        }
    }

    fn release(&self) {
        let mut state = self.state.borrow_mut();
        let next = (!state.line.is_empty()).then(|| state.line.remove(0));
        match next {
            Some((ticket, waker)) => {
                state.granted.push(ticket);
                drop(state);
                waker.wake();
            }
            None => state.free += 1,
        }
    }
}

impl Drop for Permit {
    fn drop(&mut self) {
        self.gate.release();
    }
}

struct Entering {
    gate: Gate,
    ticket: Option<u64>,
    done: bool,
}

impl Future for Entering {
    type Output = Permit;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Permit> {
        let mut state = self.gate.state.borrow_mut();
        let admitted = match self.ticket {
            None if state.free > 0 => {
                state.free -= 1;
                true
            }
            None => {
                let ticket = state.next_ticket;
                state.next_ticket += 1;
                state.line.push((ticket, cx.waker().clone()));
                drop(state);
                self.ticket = Some(ticket);
                return Poll::Pending;
            }
            Some(ticket) => match state.granted.iter().position(|&t| t == ticket) {
                Some(at) => {
                    state.granted.swap_remove(at);
                    true
                }
                None => {
                    if let Some(entry) = state.line.iter_mut().find(|(t, _)| *t == ticket) {
                        entry.1 = cx.waker().clone();
                    }
                    false
                }
            },
        };
        drop(state);
        if !admitted {
            return Poll::Pending;
        }
        self.done = true;
        Poll::Ready(Permit {
            gate: self.gate.clone(),
        })
    }
}

impl Drop for Entering {
    fn drop(&mut self) {
        let Some(ticket) = self.ticket.filter(|_| !self.done) else {
            return;
        };
        let mut state = self.gate.state.borrow_mut();
        if let Some(at) = state.granted.iter().position(|&t| t == ticket) {
            // Handed a permit it will never use: pass it on.
            state.granted.swap_remove(at);
            drop(state);
            self.gate.release();
        } else {
            state.line.retain(|(t, _)| *t != ticket);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{run_bounded, Shared};
    use futures_executor::block_on;
    use std::cell::Cell;
    use std::future::Future;
    use std::pin::Pin;
    use std::rc::Rc;
    use std::task::{Context, Poll};

    /// Pending until `gate` is set, then ready with `value`.
    struct Gate {
        gate: Rc<Cell<bool>>,
        value: u32,
    }
    impl Future for Gate {
        type Output = u32;
        fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<u32> {
            if self.gate.get() {
                Poll::Ready(self.value)
            } else {
                cx.waker().wake_by_ref();
                Poll::Pending
            }
        }
    }

    #[test]
    fn shared_runs_once_and_every_clone_gets_the_output() {
        let runs = Rc::new(Cell::new(0));
        let counter = runs.clone();
        let shared = Shared::new(async move {
            counter.set(counter.get() + 1);
            7
        });
        let (a, b) = (shared.clone(), shared.clone());
        assert_eq!(block_on(async { (a.await, b.await) }), (7, 7));
        assert_eq!(block_on(shared), 7);
        assert_eq!(runs.get(), 1);
    }

    #[test]
    fn a_dropped_caller_does_not_strand_the_others() {
        let gate = Rc::new(Cell::new(false));
        let shared = Shared::new(Gate {
            gate: gate.clone(),
            value: 3,
        });
        let mut first = Box::pin(shared.clone());
        let noop = std::task::Waker::noop();
        assert!(first
            .as_mut()
            .poll(&mut Context::from_waker(noop))
            .is_pending());
        drop(first);
        gate.set(true);
        assert_eq!(block_on(shared), 3);
    }

    #[test]
    fn run_bounded_keeps_at_most_limit_running_and_collects_every_output() {
        let running = Rc::new(Cell::new(0));
        let peak = Rc::new(Cell::new(0));
        let futures = (0..10u32).map(|i| {
            let (running, peak) = (running.clone(), peak.clone());
            Box::pin(async move {
                running.set(running.get() + 1);
                peak.set(peak.get().max(running.get()));
                for _ in 0..(1 + i % 3) {
                    Yield(false).await;
                }
                running.set(running.get() - 1);
                i
            }) as super::LocalFuture<'_, u32>
        });
        let mut outputs = Vec::new();
        block_on(run_bounded(futures, 3, |o| outputs.push(o)));
        outputs.sort();
        assert_eq!(outputs, (0..10).collect::<Vec<_>>());
        assert_eq!(peak.get(), 3);
    }

    #[test]
    fn the_gate_lets_limit_through_in_order_and_passes_on_abandoned_turns() {
        use super::Gate;
        let gate = Gate::new(2);
        let noop = std::task::Waker::noop();
        let mut cx = Context::from_waker(noop);
        let enter = || Box::pin(gate.enter());
        let (mut a, mut b, mut c, mut d) = (enter(), enter(), enter(), enter());
        let pa = a.as_mut().poll(&mut cx);
        let pb = b.as_mut().poll(&mut cx);
        assert!(pa.is_ready() && pb.is_ready());
        assert!(c.as_mut().poll(&mut cx).is_pending());
        assert!(d.as_mut().poll(&mut cx).is_pending());
        drop(pa); // c's turn
        assert!(d.as_mut().poll(&mut cx).is_pending(), "d overtook c");
        drop(c); // c gives up its granted turn: d gets it
        let pd = d.as_mut().poll(&mut cx);
        assert!(pd.is_ready());
        drop((pb, pd));
        // Both permits back: two newcomers get in at once.
        let (mut e, mut f) = (enter(), enter());
        assert!(e.as_mut().poll(&mut cx).is_ready());
        assert!(f.as_mut().poll(&mut cx).is_ready());
    }

    /// Pending once, then ready.
    struct Yield(bool);
    impl Future for Yield {
        type Output = ();
        fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
            if self.0 {
                return Poll::Ready(());
            }
            self.0 = true;
            cx.waker().wake_by_ref();
            Poll::Pending
        }
    }
}
