//! The driver: the I/O reactor and the timers, turned together by the thread that
//! parks.
//!
//! Each runtime owns one `Driver` behind a lock. A thread with nothing to run that wins
//! the lock blocks in the reactor's OS poll with the nearest timer as its timeout, then
//! fires the timers that came due; readiness and timers wake tasks, which go to that
//! thread's queue. Every other idle thread sleeps on its own condition variable
//! (`scheduler/park.rs`). A busy worker also turns the driver without blocking every
//! few dozen tasks, so I/O and timers are never starved by a steady stream of work.
//!
//! # Rules
//!
//! 1. One turner: the driver is only turned by the holder of its lock.
//! 2. A sleeping turner is woken by [`Handle::unpark`]; an unpark before it blocks makes
//!    its next turn return at once (the reactor keeps the token), so none is lost.
//! 3. On a paused clock timers do not bound the sleep: the scheduler jumps the clock
//!    instead (auto-advance), and the driver only waits for I/O or an unpark.

use crate::loom::Arc;
use crate::time::{Clock, Timers};
use std::io;
use std::time::Duration;
use weft_io::{Reactor, ReactorHandle};

pub(crate) struct Driver {
    reactor: Reactor,
    timers: Arc<Timers>,
}

/// What every thread of the runtime keeps of the driver.
#[derive(Clone)]
pub(crate) struct Handle {
    pub(crate) io: ReactorHandle,
    pub(crate) timers: Arc<Timers>,
}

impl Driver {
    /// A driver with a new reactor; `paused` starts the clock paused.
    pub(crate) fn new(paused: bool) -> io::Result<(Driver, Handle)> {
        let reactor = Reactor::new()?;
        let io = reactor.handle();
        let unpark = io.clone();
        let timers = Arc::new(Timers::new(
            Clock::new(paused),
            Box::new(move || unpark.unpark()),
        ));
        let handle = Handle {
            io,
            timers: timers.clone(),
        };
        let driver = Driver { reactor, timers };
        Ok((driver, handle))
    }

    /// Blocks until I/O is ready, the next timer is due, or an unpark — and at most
    /// `limit` — then fires the due timers (rules 2 and 3).
    pub(crate) fn park(&mut self, limit: Option<Duration>) {
        let clock = self.timers.clock();
        let timeout = if clock.is_paused() {
            limit
        } else {
            match (limit, self.timers.park_timeout(clock.now())) {
                (Some(a), Some(b)) => Some(a.min(b)),
                (a, b) => a.or(b),
            }
        };
        // An error from the OS poll (other than EINTR, which the reactor absorbs) has
        // no one to go to and changes nothing for the next turn; the timers still fire.
        let _ = self.reactor.turn(timeout);
        self.timers.fire_due(clock.now());
    }

    /// Delivers the I/O that is ready and fires the due timers, without blocking: the
    /// turn a busy thread takes now and then so that neither starves.
    pub(crate) fn turn_without_blocking(&mut self) {
        self.park(Some(Duration::ZERO));
    }

    /// On a paused clock with nothing else to do: jumps the clock to the next timer and
    /// fires it. Returns `false` if there is no timer to jump to.
    pub(crate) fn auto_advance(&mut self) -> bool {
        let Some(next) = self.timers.next_deadline() else {
            return false;
        };
        let clock = self.timers.clock();
        clock.advance_to(next);
        self.timers.fire_due(clock.now());
        true
    }
}

impl Handle {
    /// Interrupts a turn in progress, or makes the next one return at once (rule 2).
    pub(crate) fn unpark(&self) {
        self.io.unpark();
    }

    /// Fails every socket operation and fires every timer: nothing waits on a driver
    /// that will not turn again.
    pub(crate) fn shutdown(&self) {
        self.io.shutdown();
        self.timers.shutdown();
    }
}
