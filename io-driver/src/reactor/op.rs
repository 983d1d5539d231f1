//! [`Op`]: the future behind every `&self` socket method that waits (`accept`,
//! `recv_from`, `send_to`, `peek`, `connect`, ...).
//!
//! Any number of `Op`s may wait on the same socket and direction at once; each holds
//! its own waiter slot from its first `Pending` until it is dropped (waiters rule 2).
//!
//! # Cancel safety
//!
//! The system call runs only inside a poll that returns its result (registration
//! rule 2), so dropping an `Op` at any point loses nothing: no connection is accepted,
//! no datagram received, no byte sent on its behalf.

use super::readiness::Direction;
use super::registration::Evented;
use super::waiters::Waiter;
use mio::event::Source;
use std::fmt;
use std::future::Future;
use std::io;
use std::pin::Pin;
use std::task::{Context, Poll};

/// Waits for `direction` and runs `op` on the socket until it stops saying
/// `WouldBlock`.
#[must_use = "futures do nothing unless polled"]
pub(crate) struct Op<'a, S: Source, F> {
    evented: &'a Evented<S>,
    direction: Direction,
    waiter: Waiter,
    op: F,
}

impl<'a, S: Source, F> Op<'a, S, F> {
    /// An operation on `evented` in `direction`.
    pub(crate) fn new(evented: &'a Evented<S>, direction: Direction, op: F) -> Self {
        Op {
            evented,
            direction,
            waiter: Waiter::Op(None),
            op,
        }
    }
}

impl<S, F, R> Future for Op<'_, S, F>
where
    S: Source,
    F: FnMut(&S) -> io::Result<R> + Unpin,
{
    type Output = io::Result<R>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<R>> {
        let this = self.get_mut();
        let io = this.evented.get_ref();
        let op = &mut this.op;
        this.evented
            .registration()
            .poll_io(this.direction, &mut this.waiter, cx, || op(io))
    }
}

impl<S: Source, F> Drop for Op<'_, S, F> {
    fn drop(&mut self) {
        self.evented.registration().release(&mut self.waiter);
    }
}

impl<S: Source, F> fmt::Debug for Op<'_, S, F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Op")
            .field("direction", &self.direction)
            .field("waiter", &self.waiter)
            .finish_non_exhaustive()
    }
}
