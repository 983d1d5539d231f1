//! A small fixed batch of wakers, woken after the lock that found them is released.
//!
//! # Invariant
//!
//! A foreign waker is never woken, nor dropped, while one of the crate's locks is
//! held: a waker may do anything (run a task inline, take another of our locks,
//! panic), and doing so under our lock would deadlock or poison the primitive.
//! Code that pops waiters under a lock moves their wakers into a `WakeBatch`,
//! drops the guard, and only then calls [`WakeBatch::wake_all`]. When the batch is
//! full the caller releases the lock, wakes, re-locks and carries on; every caller
//! is written so that the state it left behind is consistent at that point.

use std::mem::MaybeUninit;
use std::task::Waker;

use crate::loom::{Mutex, MutexGuard};
use crate::wait_list::WaitList;

/// How many wakers a batch holds (32 × 16 bytes on the stack, as tokio's
/// `WakeList`): enough that a typical `notify_all` takes the lock once.
const CAPACITY: usize = 32;

/// Wakers collected under a lock, to be woken after it is released.
///
/// The slots are uninitialised beyond `len`, so making and dropping an empty
/// batch (the common case on a release with one waiter) costs nothing per slot.
pub(crate) struct WakeBatch {
    /// `wakers[next..len]` are initialised; the rest are not.
    wakers: [MaybeUninit<Waker>; CAPACITY],
    /// The next waker to wake (advanced before it is woken).
    next: usize,
    len: usize,
}

impl WakeBatch {
    pub(crate) const fn new() -> Self {
        WakeBatch {
            wakers: [const { MaybeUninit::uninit() }; CAPACITY],
            next: 0,
            len: 0,
        }
    }

    /// Whether another waker can be pushed.
    pub(crate) fn has_room(&self) -> bool {
        self.len < CAPACITY
    }

    // `push` after a partial `wake_all` cannot happen: `wake_all` only stops
    // early by unwinding, and then the batch is only dropped.

    /// Stores `waker` (if any).
    ///
    /// # Panics
    ///
    /// If the batch is full: callers check [`has_room`](Self::has_room) first.
    pub(crate) fn push(&mut self, waker: Option<Waker>) {
        if let Some(waker) = waker {
            assert!(self.has_room(), "WakeBatch overfilled");
            self.wakers[self.len].write(waker);
            self.len += 1;
        }
    }

    /// Wakes every stored waker and empties the batch. Call with no lock held.
    ///
    /// If a waker panics, the panic propagates, and the batch's `Drop` (run
    /// while unwinding) wakes the rest: one bad waker does not cost the other
    /// waiters their wake-up.
    pub(crate) fn wake_all(&mut self) {
        while self.next < self.len {
            let slot = &mut self.wakers[self.next];
            self.next += 1;
            // SAFETY: slots in `next..len` were initialised by `push`; `next` is
            // advanced first, so each is read out exactly once.
            unsafe { slot.assume_init_read() }.wake();
        }
        self.next = 0;
        self.len = 0;
    }
}

impl Drop for WakeBatch {
    fn drop(&mut self) {
        // Empty unless a waker panicked in `wake_all` (or the owner unwound
        // before waking): wake what is left rather than lose the wake-ups.
        self.wake_all();
    }
}

/// Pops up to `max` waiters that were queued before `mark` (see
/// [`WaitList::mark`]) from the list `list_of` finds in the locked state, lets
/// `hand` write what each is handed, and wakes them: in batches, with the lock
/// released between batches and at the end. Returns how many were popped.
///
/// Waiters queued after `mark`, including during the gaps, are left alone.
pub(crate) fn wake_queued<'a, L, S>(
    mutex: &'a Mutex<L>,
    guard: MutexGuard<'a, L>,
    list_of: impl Fn(&mut L) -> &mut WaitList<S>,
    mark: u64,
    max: usize,
    mut hand: impl FnMut(&mut S),
) -> usize {
    let mut batch = WakeBatch::new();
    // Declared after `batch`, so dropped before it even when unwinding: wakers
    // are never woken under the lock.
    let mut guard = guard;
    let mut popped = 0;
    loop {
        let list = list_of(&mut guard);
        while popped < max && batch.has_room() {
            let Some(mut waiter) = list.pop_front_before(mark) else {
                drop(guard);
                batch.wake_all();
                return popped;
            };
            hand(waiter.state());
            batch.push(waiter.take_waker());
            popped += 1;
        }
        drop(guard);
        batch.wake_all();
        if popped == max {
            return popped;
        }
        guard = mutex.lock();
    }
}
