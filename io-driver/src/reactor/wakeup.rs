//! `Wakeup`: the OS half of an unpark — how a turn blocked in the OS poll is
//! interrupted.
//!
//! Normally this is mio's: a `mio::Waker` (an eventfd, or a pipe) in the poll set, and
//! `mio::Poll::poll` blocking until an event, a wake or the timeout. Under
//! `--cfg weft_loom` a stand-in with the same interface takes its place, as the loom
//! facade's deque stands in for crossbeam-deque: a model runs every loom thread on
//! one OS thread, so a turn blocked in `epoll_wait` would stop the model itself. The
//! stand-in keeps what the reactor relies on, so the models check the reactor's and
//! the schedulers' own protocols around it (`handle.rs`, rule 1; `scheduler/park.rs`
//! and `driver.rs` in `weft`):
//!
//! 1. A wake made while no poll blocks stays pending and makes the next poll return at
//!    once; many wakes before a poll are one pending wake.
//! 2. A poll that returns takes the pending wake with it.
//! 3. A poll with no timeout blocks until a wake (or, in the normal build, an event).
//!    loom has no time: under it a poll with a timeout returns at once, as if the time
//!    had run out — a spurious return every caller of a turn already allows for.

use mio::{Events, Poll, Registry};
use std::io;
use std::time::Duration;

/// Interrupts the reactor's poll (see the module doc).
#[cfg(not(weft_loom))]
pub(super) struct Wakeup(mio::Waker);

#[cfg(not(weft_loom))]
impl Wakeup {
    /// A waker in `registry`'s poll set, under the reactor's own token.
    pub(super) fn new(registry: &Registry) -> io::Result<Wakeup> {
        mio::Waker::new(registry, super::table::WAKE_TOKEN).map(Wakeup)
    }

    /// Interrupts a poll in progress, or makes the next one return at once (rule 1).
    pub(super) fn wake(&self) -> io::Result<()> {
        self.0.wake()
    }

    /// Blocks in the OS poll until an event, a wake or `timeout` (rules 2-3).
    pub(super) fn poll(
        &self,
        poll: &mut Poll,
        events: &mut Events,
        timeout: Option<Duration>,
    ) -> io::Result<()> {
        poll.poll(events, timeout)
    }
}

/// Interrupts the reactor's poll: loom's stand-in (see the module doc).
#[cfg(weft_loom)]
pub(super) struct Wakeup {
    /// A wake waits to be taken by a poll (rule 1).
    pending: crate::loom::Mutex<bool>,
    woken: crate::loom::Condvar,
}

#[cfg(weft_loom)]
impl Wakeup {
    /// A stand-in for the waker; nothing is registered with the OS.
    pub(super) fn new(_registry: &Registry) -> io::Result<Wakeup> {
        Ok(Wakeup {
            pending: crate::loom::Mutex::new(false),
            woken: crate::loom::Condvar::new(),
        })
    }

    /// Leaves a wake pending and wakes a blocked poll (rule 1).
    pub(super) fn wake(&self) -> io::Result<()> {
        *self.pending.lock() = true;
        self.woken.notify_one();
        Ok(())
    }

    /// Delivers what the OS has ready without blocking in it, then blocks on the
    /// stand-in until a wake if there was no event and no timeout (rule 3); takes the
    /// pending wake (rule 2).
    pub(super) fn poll(
        &self,
        poll: &mut Poll,
        events: &mut Events,
        timeout: Option<Duration>,
    ) -> io::Result<()> {
        poll.poll(events, Some(Duration::ZERO))?;
        let mut pending = self.pending.lock();
        if timeout.is_none() && events.is_empty() {
            while !*pending {
                self.woken.wait(&mut pending);
            }
        }
        *pending = false;
        Ok(())
    }
}
