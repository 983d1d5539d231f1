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
//! 3. Once it has returned `Ready` it stays complete: polled again, it is `Ready`
//!    at once and never queues itself again.
//! 4. Dropped while queued: it just leaves. Dropped after it was popped but
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
use crate::wake_queued::wake_queued;

/// Waits to be popped from the `()`-state list that `list` finds in the
/// mutex-guarded `L`.
pub(crate) struct Notified<'a, L, F> {
    mutex: &'a Mutex<L>,
    list: fn(&mut L) -> &mut WaitList<()>,
    ready: F,
    pass_on: bool,
    waiter: Waiter<()>,
    /// Returned `Ready` once (rule 3).
    done: bool,
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
            done: false,
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
        if this.done {
            return Poll::Ready(());
        }
        let ready = this.poll_waiter(cx);
        this.done = ready.is_ready();
        ready
    }
}

impl<L, F: Fn(&L) -> bool> Notified<'_, L, F> {
    fn poll_waiter(&mut self, cx: &mut Context<'_>) -> Poll<()> {
        let this = self;
        // SAFETY: `waiter` is structurally pinned (`poll` holds the `Notified`
        // pinned); nothing is moved out.
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
        // Rule 4: popped, never completed: the token goes to the next waiter.
        let mark = list.mark();
        wake_queued(self.mutex, guard, self.list, mark, 1, |_| {});
    }
}

#[cfg(all(test, not(weft_loom)))]
mod tests {
    //! Run under Miri too (`cargo +nightly miri test -p weft-rt-sync`): a node left
    //! linked after its waiter is freed is a use-after-free there.

    use super::Notified;
    use crate::loom::Mutex;
    use crate::wait_list::WaitList;
    use std::future::Future;
    use std::pin::pin;
    use std::task::{Context, Poll, Waker};

    struct Guarded {
        list: WaitList<()>,
        set: bool,
    }

    fn list(guarded: &mut Guarded) -> &mut WaitList<()> {
        &mut guarded.list
    }

    /// Pops every waiter, as a notifier does, without waking anyone.
    fn notify_all(mutex: &Mutex<Guarded>) {
        let mut guard = mutex.lock();
        while let Some(mut popped) = guard.list.pop_front() {
            drop(popped.take_waker());
        }
    }

    #[test]
    fn a_notified_polled_again_after_ready_stays_ready_and_off_the_list() {
        let mutex = Mutex::new(Guarded {
            list: WaitList::new(),
            set: false,
        });
        let mut cx = Context::from_waker(Waker::noop());
        {
            let mut notified = pin!(Notified::new(&mutex, list, |g: &Guarded| g.set, true));
            assert_eq!(notified.as_mut().poll(&mut cx), Poll::Pending);
            notify_all(&mutex);
            assert_eq!(notified.as_mut().poll(&mut cx), Poll::Ready(()));
            for _ in 0..3 {
                assert_eq!(notified.as_mut().poll(&mut cx), Poll::Ready(()));
                assert!(
                    mutex.lock().list.is_empty(),
                    "a completed waiter queued itself"
                );
            }
        }
        assert!(mutex.lock().list.is_empty());
    }

    #[test]
    fn a_waiter_pushed_again_after_a_hand_off_is_not_handed_anything_yet() {
        use crate::wait_list::Waiter;

        let mutex = Mutex::new(Guarded {
            list: WaitList::new(),
            set: false,
        });
        let mut waiter = pin!(Waiter::new(()));
        // SAFETY: the waiter is used with this one list and is not queued.
        unsafe { waiter.as_mut().push(&mut mutex.lock().list, (), None) };
        notify_all(&mutex);
        assert!(waiter.as_mut().take_handed().is_some());
        // SAFETY: as above; it is no longer queued.
        unsafe { waiter.as_mut().push(&mut mutex.lock().list, (), None) };
        assert!(
            waiter.as_mut().take_handed().is_none(),
            "the old hand-off was read as a new one"
        );
        let mut guard = mutex.lock();
        // SAFETY: queued on this list, which is locked.
        let (was_linked, ()) = unsafe { waiter.as_mut().cancel(&mut guard.list) };
        assert!(was_linked);
    }
}
