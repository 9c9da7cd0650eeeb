//! The limit on requests in flight (`maxConcurrentRequests`): at most `limit` requests at once,
//! the others waiting in line, first come first served.
//!
//! Own code because no maintained crate keeps that order: futures-util has no semaphore;
//! async-lock's lets a newcomer take a freed permit before those waiting (tried: "d overtook c"
//! below); futures-intrusive's fair `LocalSemaphore` fits but has had no release since 2022.

use std::cell::RefCell;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};

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
    pub fn enter(&self) -> impl Future<Output = Permit> + Unpin {
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
    use super::Gate;
    use std::future::Future;
    use std::task::Context;

    #[test]
    fn the_gate_lets_limit_through_in_order_and_passes_on_abandoned_turns() {
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
}
