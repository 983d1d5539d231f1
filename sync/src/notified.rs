//! `Notified`: the future of a waiter that carries a token, not a resource —
//! it completes when a notifier pops it (`Event::set`, `Condition::notify`, a
//! queue's last `task_done`), or at once if its condition already holds.
//!
//! # Rules
//!
//! 1. `ready` is checked under the same lock as the queueing, so a notification
//!    made between the check and the queueing cannot be missed (the notifier
//!    changes what `ready` reads under that lock, then pops).
//! 2. A waiter queued before its first poll ([`register`](Notified::register))
//!    has no waker until then; a notifier that pops it wakes nobody, and the
//!    first poll sees that it was popped.
//! 3. Dropped while queued: it just leaves. Dropped after it was popped but
//!    before it completed: with `pass_on`, the token goes to the next waiter
//!    queued now (event-listener's `intrusive.rs` does the same); without it
//!    (notifiers that pop everyone), there is nobody to pass it to.
//!
//! ```text
//!   ready? ──yes──> Ready
//!     │ no (under the lock)
//!     v
//!  [queued] ──popped──> [notified] ──poll──> Ready
//!     │ drop                 │ drop
//!     v                      v
//!   leaves            pass_on: wake the next waiter
//! ```

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use crate::loom::Mutex;
use crate::wait_list::{Polled, WaitList, Waiter};
use crate::wake_batch::wake_queued;

/// Waits to be popped from the `()`-state list that `list` finds in the
/// mutex-guarded `L`.
pub(crate) struct Notified<'a, L, F> {
    mutex: &'a Mutex<L>,
    list: fn(&mut L) -> &mut WaitList<()>,
    ready: F,
    pass_on: bool,
    waiter: Waiter<()>,
}

impl<'a, L, F: Fn(&L) -> bool> Notified<'a, L, F> {
    /// A waiter on `list` in `mutex`, done at once when `ready` holds; with
    /// `pass_on`, a notification it is dropped holding goes to the next waiter.
    pub(crate) fn new(
        mutex: &'a Mutex<L>,
        list: fn(&mut L) -> &mut WaitList<()>,
        ready: F,
        pass_on: bool,
    ) -> Self {
        Notified {
            mutex,
            list,
            ready,
            pass_on,
            waiter: Waiter::new(()),
        }
    }

    /// Queues the waiter now, before its first poll (rule 2).
    pub(crate) fn register(self: Pin<&mut Self>) {
        // SAFETY: `waiter` is structurally pinned; nothing is moved out.
        let this = unsafe { self.get_unchecked_mut() };
        let mut guard = this.mutex.lock();
        // SAFETY: as above; the waiter is used with this list only (locked) and
        // is not queued yet.
        unsafe { Pin::new_unchecked(&mut this.waiter).push((this.list)(&mut guard), (), None) };
    }
}

impl<L, F: Fn(&L) -> bool> Future for Notified<'_, L, F> {
    type Output = ();

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        // SAFETY: `waiter` is structurally pinned; nothing is moved out.
        let this = unsafe { self.get_unchecked_mut() };
        // SAFETY: as above.
        let mut waiter = unsafe { Pin::new_unchecked(&mut this.waiter) };
        if waiter.as_mut().take_handed().is_some() {
            return Poll::Ready(());
        }
        let mut guard = this.mutex.lock();
        if !waiter.is_queued() {
            if (this.ready)(&guard) {
                return Poll::Ready(());
            }
            let waker = Some(cx.waker().clone());
            // SAFETY: the waiter is used with this list only (locked), and is
            // not queued.
            unsafe { waiter.push((this.list)(&mut guard), (), waker) };
            return Poll::Pending;
        }
        // SAFETY: our waiter, queued on this (locked) list.
        match unsafe { waiter.poll((this.list)(&mut guard), cx.waker()) } {
            Polled::Handed(()) => Poll::Ready(()),
            Polled::Waiting(stale) => {
                drop(guard);
                drop(stale);
                Poll::Pending
            }
        }
    }
}

impl<L, F> Drop for Notified<'_, L, F> {
    fn drop(&mut self) {
        if !self.waiter.is_queued() {
            return;
        }
        let mut guard = self.mutex.lock();
        let list = (self.list)(&mut guard);
        // SAFETY: a queued waiter is pinned (queued from `poll` or `register`,
        // both on a pinned `Notified`) and alive; the list is its own, locked.
        let (was_linked, ()) = unsafe { Pin::new_unchecked(&mut self.waiter).cancel(list) };
        if was_linked || !self.pass_on {
            return;
        }
        // Rule 3: popped, never completed: the token goes to the next waiter.
        let mark = list.mark();
        wake_queued(self.mutex, guard, self.list, mark, 1, |_| {});
    }
}
