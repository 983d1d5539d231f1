//! A fixed-size batch of wakers collected under a lock and woken after it is released.
//!
//! The house rule: never wake, or drop, a foreign waker while holding a lock — the
//! waker may run arbitrary executor code, including code that takes the same lock.
//! Code that must wake many waiters fills a batch under the lock, releases the lock,
//! then calls [`WakeBatch::wake_all`], and repeats while more waiters remain.

use std::task::Waker;

/// How many wakers one batch holds before the lock must be released.
#[cfg(not(weft_loom))]
const CAPACITY: usize = 32;
/// Small under loom so the "batch full: unlock, wake, relock" path is reachable.
#[cfg(weft_loom)]
const CAPACITY: usize = 1;

/// Wakers waiting to be woken (or dropped) outside a lock.
#[must_use = "wakers collected into a batch must be woken with `wake_all`"]
#[derive(Debug, Default)]
pub(crate) struct WakeBatch {
    wakers: [Option<Waker>; CAPACITY],
    len: usize,
}

impl WakeBatch {
    /// An empty batch.
    pub(crate) fn new() -> WakeBatch {
        WakeBatch::default()
    }

    /// Whether another waker fits.
    pub(crate) fn has_room(&self) -> bool {
        self.len < CAPACITY
    }

    /// Adds `waker`; the caller checked [`WakeBatch::has_room`].
    pub(crate) fn push(&mut self, waker: Waker) {
        debug_assert!(self.has_room(), "WakeBatch::push on a full batch");
        self.wakers[self.len] = Some(waker);
        self.len += 1;
    }

    /// Wakes every collected waker, leaving the batch empty for reuse.
    pub(crate) fn wake_all(&mut self) {
        for slot in &mut self.wakers[..self.len] {
            if let Some(waker) = slot.take() {
                waker.wake();
            }
        }
        self.len = 0;
    }
}
