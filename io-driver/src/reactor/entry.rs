//! One registration's shared state: its readiness word and its waiters.
//!
//! An [`IoEntry`] knows nothing of mio: the reactor feeds it events
//! ([`IoEntry::set_ready`]), sockets wait on it ([`IoEntry::poll_ready`]) and give
//! readiness back when the OS says `WouldBlock` ([`IoEntry::clear`]). That is what
//! lets the loom models run the real code.
//!
//! # Rules
//!
//! 1. **No lost wakeup.** The reactor sets readiness *then* takes the waiter lock to
//!    collect wakers; a poller stores its waker under the lock *then* loads readiness
//!    again before returning `Pending`. Whichever of the two takes the lock second sees
//!    the other's write: the poller sees the readiness, or the reactor sees the waker.
//! 2. **No stale clear.** A clear names the tick it observed (readiness rule 2), so a
//!    `WouldBlock` seen before an event cannot erase that event.
//! 3. **Shutdown is final and loud.** [`IoEntry::shutdown`] sets the word's shutdown
//!    bit then wakes every waiter of both directions; from then on
//!    [`IoEntry::poll_ready`] fails with the runtime-shut-down error.
//! 4. **Wakers outside the lock.** Wakers are woken, and displaced wakers dropped,
//!    only after the waiter lock is released (see [`super::wake_batch`]).
//! 5. **Lifetime.** The entry is shared (`Arc`) by the registration table, the socket,
//!    and — for the length of one delivery — the reactor. Whoever drops the last
//!    reference drops the remaining wakers, holding no lock.

use super::error;
use super::readiness::{Clear, Direction, Readiness, Ready, ReadyEvent, SetReady, Snapshot, Spent};
use super::waiters::{Cursor, Waiter, Waiters};
use crate::loom::Mutex;
use std::io;
use std::task::{Context, Poll};
use weft_core::WakeBatch;

/// The readiness and waiters of one registered socket.
#[derive(Debug)]
pub(crate) struct IoEntry {
    readiness: Readiness,
    waiters: Mutex<Waiters>,
}

impl IoEntry {
    /// Not ready, no waiters.
    pub(crate) fn new() -> IoEntry {
        IoEntry {
            readiness: Readiness::new(),
            waiters: Mutex::new(Waiters::new()),
        }
    }

    /// Ready (with the event to clear on `WouldBlock`), shut down (an error), or
    /// `Pending` with `cx`'s waker stored for `waiter` (rule 1).
    pub(crate) fn poll_ready(
        &self,
        direction: Direction,
        waiter: &mut Waiter,
        cx: &mut Context<'_>,
    ) -> Poll<io::Result<ReadyEvent>> {
        if let Some(outcome) = observe(self.readiness.load(), direction) {
            return Poll::Ready(outcome);
        }
        let mut waiters = self.waiters.lock();
        let displaced = waiters.store(direction, waiter, cx.waker());
        let outcome = observe(self.readiness.load(), direction);
        drop(waiters);
        drop(displaced);
        match outcome {
            Some(outcome) => Poll::Ready(outcome),
            None => Poll::Pending,
        }
    }

    /// Whether the reactor behind this entry has shut down.
    pub(crate) fn is_shutdown(&self) -> bool {
        self.readiness.load().is_shutdown()
    }

    /// Whether the read direction is marked ready (models only).
    #[cfg(weft_loom)]
    pub(crate) fn is_read_ready(&self) -> bool {
        self.readiness.load().ready().has(Direction::Read)
    }

    /// Gives back readiness an operation found spent (`WouldBlock`, or a drained
    /// buffer), unless an event arrived since it was observed (rule 2). Returns whether
    /// it was cleared.
    pub(crate) fn clear(&self, event: ReadyEvent, spent: Spent) -> Clear {
        self.readiness.clear(event, spent)
    }

    /// Delivers an event: marks `ready` and wakes the waiters of those directions.
    pub(crate) fn set_ready(&self, ready: Ready) {
        if ready.is_empty() {
            return;
        }
        match self.readiness.set(ready) {
            SetReady::Set => self.wake(ready),
            SetReady::ShutDown => {}
        }
    }

    /// Marks the entry shut down and wakes every waiter (rule 3). Idempotent.
    pub(crate) fn shutdown(&self) {
        self.readiness.shutdown();
        self.wake(Ready::ALL);
    }

    /// Forgets an operation future's waiter slot (the future is being dropped).
    pub(crate) fn release(&self, waiter: &mut Waiter) {
        if let Waiter::Op(key @ Some(_)) = waiter {
            let displaced = self.waiters.lock().release(key);
            drop(displaced);
        }
    }

    /// Wakes the waiters of the directions in `ready`, a batch at a time, never under
    /// the lock (rule 4).
    fn wake(&self, ready: Ready) {
        let mut batch = WakeBatch::new();
        let mut cursor = Cursor::default();
        loop {
            let done = self
                .waiters
                .lock()
                .take_ready(ready, &mut cursor, &mut batch);
            batch.wake_all();
            if done {
                return;
            }
        }
    }
}

/// What a poller concludes from `snapshot` (the readiness truth table).
fn observe(snapshot: Snapshot, direction: Direction) -> Option<io::Result<ReadyEvent>> {
    if snapshot.is_shutdown() {
        return Some(Err(error::shut_down()));
    }
    snapshot.event(direction).map(Ok)
}
