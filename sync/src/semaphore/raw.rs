//! The permit word and its FIFO waiters: the core of `Semaphore`,
//! `BoundedSemaphore` and `Lock`.
//!
//! # The state word
//!
//! ```text
//!  usize:  [ permits ........................ | WAITERS | CLOSED ]
//!            bits 2..                           bit 1     bit 0
//! ```
//!
//! | `WAITERS` | `permits` | meaning                                                 |
//! |-----------|-----------|---------------------------------------------------------|
//! | 0         | p         | nobody queued or unclaimed; `p` permits free to anyone  |
//! | 1         | 0         | waiters queued, or woken and not yet run (rule 6): every released permit goes to them |
//! | 1         | p > 0     | never                                                   |
//!
//! `CLOSED` is orthogonal: once set, acquires fail and it is never cleared.
//!
//! # Rules
//!
//! 1. `WAITERS` is set and cleared only under the waiter-list lock, and it is set
//!    exactly while the list is non-empty or a woken waiter is unclaimed (rule 6) —
//!    except transiently inside a critical section, or between the batches of a
//!    release that has more wakers than fit in one [`WakeBatch`]; there it may be
//!    set over an empty list, which only sends the next releaser to the slow path.
//! 2. While `WAITERS` is set, `permits` is 0 and nobody outside the lock changes
//!    it: a fast acquire needs `permits >= n >= 1`, a fast release sees `WAITERS`
//!    and takes the lock. Permits released then with nobody queued wait in the
//!    `reserve`, under the lock (rule 6).
//! 3. A queued waiter holds what it was assigned so far (`n - remaining`).
//!    Released permits go to the front waiter first (partial assignment keeps
//!    `acquire_many` FIFO: a small newcomer never overtakes a large waiter).
//! 4. A waiter dropped while queued gives back what it was assigned, through the
//!    same path as a release, so the front waiter gets it — or, with nobody left,
//!    the permit word.
//! 5. Closing sets `CLOSED`, then pops every waiter (marking it closed) in
//!    batches; new acquirers check `CLOSED` under the lock, so none slips in.
//!    Once `CLOSED` is set, releases no longer assign to waiters (they are being
//!    failed): permits go to the word, where nobody can take them.
//! 6. **A woken waiter counts until it runs** (asyncio's FIFO order,
//!    `test_acquire_fifo_order_2`). A waiter popped with everything it asked for is
//!    *unclaimed* until its next poll or its drop, which *claims* it under the lock.
//!    While any is unclaimed, `WAITERS` stays set: a newcomer queues even if permits
//!    were released meanwhile, and those permits wait in the `reserve`. Each claim
//!    hands the reserve to the front of the queue (a dropped one adds its own
//!    permits); the last claim with nobody queued publishes what is left.
//!
//! Orderings: a successful acquire CAS is `Acquire`, a release CAS `Release`, so
//! the data a `Lock` guards is published by the unlock that hands it on; hand-offs
//! through the list are ordered by its mutex.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use crate::loom::atomic::{AtomicUsize, Ordering::*};
use crate::loom::{Mutex, MutexGuard};
use crate::semaphore::error::{AcquireError, TryAcquireError};
use crate::wait_list::{Polled, WaitList, Waiter};
use weft_core::WakeBatch;

const CLOSED: usize = 1;
const WAITERS: usize = 1 << 1;
const SHIFT: usize = 2;
const ONE: usize = 1 << SHIFT;

/// The most permits a semaphore can hold.
pub(crate) const MAX_PERMITS: usize = usize::MAX >> SHIFT;

/// What a queued acquirer is still owed.
pub(crate) struct Need {
    /// Permits still to be assigned; 0 once the waiter has all it asked for.
    remaining: usize,
    /// Popped by `close`: the acquire fails (after giving back what it holds).
    closed: bool,
}

/// A counting semaphore with FIFO hand-off and no notion of what a permit guards.
pub(crate) struct RawSemaphore {
    state: AtomicUsize,
    waiters: Mutex<Waiters>,
}

/// What the lock guards: the queue, and the woken waiters not yet run (rule 6).
struct Waiters {
    list: WaitList<Need>,
    /// Waiters popped with all their permits that have not claimed them yet.
    unclaimed: usize,
    /// Permits released while nobody was queued and some waiter was unclaimed.
    reserve: usize,
}

impl RawSemaphore {
    pub(crate) fn new(permits: usize) -> Self {
        assert!(
            permits <= MAX_PERMITS,
            "a semaphore holds at most {MAX_PERMITS} permits"
        );
        RawSemaphore {
            state: AtomicUsize::new(permits << SHIFT),
            waiters: Mutex::new(Waiters {
                list: WaitList::new(),
                unclaimed: 0,
                reserve: 0,
            }),
        }
    }

    pub(crate) fn available(&self) -> usize {
        self.state.load(Acquire) >> SHIFT
    }

    pub(crate) fn is_closed(&self) -> bool {
        self.state.load(Acquire) & CLOSED != 0
    }

    /// Takes `n` permits if they are free and nobody is queued for them.
    #[inline]
    pub(crate) fn try_acquire(&self, n: usize) -> Result<(), TryAcquireError> {
        let mut cur = self.state.load(Relaxed);
        loop {
            if cur & CLOSED != 0 {
                return Err(TryAcquireError::Closed);
            }
            // `WAITERS` implies 0 permits (rule 2), so this also refuses to barge.
            if cur >> SHIFT < n {
                return Err(TryAcquireError::NoPermits);
            }
            match self
                .state
                .compare_exchange_weak(cur, cur - n * ONE, Acquire, Relaxed)
            {
                Ok(_) => return Ok(()),
                Err(actual) => cur = actual,
            }
        }
    }

    /// Waits for `n` permits, FIFO.
    ///
    /// # Cancel safety
    ///
    /// Dropping the future gives back whatever it was assigned, to the next waiter.
    pub(crate) async fn acquire(&self, n: usize) -> Result<(), AcquireError> {
        match self.try_acquire(n) {
            Ok(()) => Ok(()),
            Err(TryAcquireError::Closed) => Err(AcquireError(())),
            Err(TryAcquireError::NoPermits) => Acquire::new(self, n).await,
        }
    }

    /// Gives `n` permits back: to the queued waiters first, FIFO.
    #[inline]
    pub(crate) fn release(&self, n: usize) {
        if n == 0 {
            return;
        }
        let mut cur = self.state.load(Relaxed);
        while cur & WAITERS == 0 {
            let next = add_permits(cur, n);
            match self
                .state
                .compare_exchange_weak(cur, next, Release, Relaxed)
            {
                Ok(_) => return,
                Err(actual) => cur = actual,
            }
        }
        self.release_slow(n);
    }

    #[cold]
    fn release_slow(&self, n: usize) {
        self.give_back(self.waiters.lock(), n);
    }

    /// Hands `n` permits to the waiters (whose lock the guard holds), then keeps or
    /// publishes the rest; releases the lock to wake, as often as needed.
    fn give_back<'a>(&'a self, list: MutexGuard<'a, Waiters>, mut n: usize) {
        let mut batch = WakeBatch::new();
        // Declared after `batch`, so dropped before it even when unwinding: the
        // batch's wakers are never woken under the lock.
        let mut list = list;
        loop {
            n = self.assign_locked(&mut list, n, &mut batch);
            if n == 0 {
                drop(list);
                batch.wake_all();
                return;
            }
            drop(list);
            batch.wake_all();
            list = self.waiters.lock();
        }
    }

    /// Assigns `n` permits front-first; returns how many are left over because
    /// `batch` filled up (0 when all were assigned, reserved or published).
    fn assign_locked(&self, waiters: &mut Waiters, mut n: usize, batch: &mut WakeBatch) -> usize {
        if self.state.load(Acquire) & CLOSED != 0 {
            // Rule 5: the waiters still linked are being failed by `close`.
            self.publish(n);
            return 0;
        }
        loop {
            let Some(front) = waiters.list.front_state() else {
                if waiters.unclaimed > 0 {
                    // Rule 6: a woken waiter has not run; newcomers still queue.
                    waiters.reserve += n;
                } else {
                    self.publish(n);
                }
                return 0;
            };
            if n == 0 {
                return 0;
            }
            if !batch.has_room() {
                return n;
            }
            let take = front.remaining.min(n);
            front.remaining -= take;
            n -= take;
            if front.remaining == 0 {
                let mut popped = waiters.list.pop_front().expect("front exists");
                batch.push(popped.take_waker());
                waiters.unclaimed += 1;
            }
        }
    }

    /// Rule 6: a woken waiter runs (or is dropped, giving back its `n` permits):
    /// the reserve goes to the front of the queue, or to the word.
    fn claim<'a>(&'a self, mut waiters: MutexGuard<'a, Waiters>, n: usize) {
        waiters.unclaimed -= 1;
        let reserve = std::mem::take(&mut waiters.reserve);
        self.give_back(waiters, n + reserve);
    }

    /// With the list empty and nobody unclaimed (and locked): clears `WAITERS` and
    /// frees `n` permits.
    fn publish(&self, n: usize) {
        let mut cur = self.state.load(Relaxed);
        loop {
            let next = add_permits(cur & !WAITERS, n);
            match self
                .state
                .compare_exchange_weak(cur, next, Release, Relaxed)
            {
                Ok(_) => return,
                Err(actual) => cur = actual,
            }
        }
    }

    /// Closes the semaphore: pending and future acquires fail.
    pub(crate) fn close(&self) {
        let mut batch = WakeBatch::new();
        let mut list = self.waiters.lock();
        self.state.fetch_or(CLOSED, Release);
        loop {
            while batch.has_room() {
                let Some(mut popped) = list.list.pop_front() else {
                    // Rule 5: the reserve, too, goes where nobody can take it.
                    let reserve = std::mem::take(&mut list.reserve);
                    self.publish(reserve);
                    drop(list);
                    batch.wake_all();
                    return;
                };
                popped.state().closed = true;
                batch.push(popped.take_waker());
            }
            drop(list);
            batch.wake_all();
            list = self.waiters.lock();
        }
    }

    /// The slow path of an acquire: queue, or check what we were handed.
    #[cold]
    fn poll_acquire(
        &self,
        cx: &mut Context<'_>,
        n: usize,
        mut waiter: Pin<&mut Waiter<Need>>,
    ) -> Poll<Result<(), AcquireError>> {
        if waiter.is_queued() {
            return self.poll_queued(cx, n, waiter);
        }
        match self.try_acquire(n) {
            Ok(()) => return Poll::Ready(Ok(())),
            Err(TryAcquireError::Closed) => return Poll::Ready(Err(AcquireError(()))),
            Err(TryAcquireError::NoPermits) => {}
        }
        let waker = cx.waker().clone();
        let mut list = self.waiters.lock();
        let mut cur = self.state.load(Acquire);
        loop {
            if cur & CLOSED != 0 {
                return Poll::Ready(Err(AcquireError(())));
            }
            let free = cur >> SHIFT;
            let (next, taken) = if free >= n {
                (cur - n * ONE, n)
            } else {
                // Take what is free and queue for the rest (rule 3).
                ((cur & CLOSED) | WAITERS, free)
            };
            match self.state.compare_exchange(cur, next, Acquire, Acquire) {
                Ok(_) if taken == n => return Poll::Ready(Ok(())),
                Ok(_) => {
                    let need = Need {
                        remaining: n - taken,
                        closed: false,
                    };
                    // SAFETY: the waiter is used with this semaphore's list only,
                    // which we hold locked, and it is not queued.
                    unsafe { waiter.as_mut().push(&mut list.list, need, Some(waker)) };
                    return Poll::Pending;
                }
                Err(actual) => cur = actual,
            }
        }
    }

    fn poll_queued(
        &self,
        cx: &mut Context<'_>,
        n: usize,
        mut waiter: Pin<&mut Waiter<Need>>,
    ) -> Poll<Result<(), AcquireError>> {
        if let Some(need) = waiter.as_mut().take_handed() {
            if !need.closed {
                // Woken with all our permits: claim them (rule 6).
                self.claim(self.waiters.lock(), 0);
                return Poll::Ready(Ok(()));
            }
            let assigned = n - need.remaining;
            self.give_back(self.waiters.lock(), assigned);
            return Poll::Ready(Err(AcquireError(())));
        }
        let mut list = self.waiters.lock();
        // SAFETY: our waiter, queued on this (locked) list.
        let need = match unsafe { waiter.poll(&mut list.list, cx.waker()) } {
            Polled::Waiting(stale) => {
                drop(list);
                drop(stale);
                return Poll::Pending;
            }
            Polled::Handed(need) => need,
        };
        if need.closed {
            let assigned = n - need.remaining;
            self.give_back(list, assigned);
            return Poll::Ready(Err(AcquireError(())));
        }
        debug_assert_eq!(need.remaining, 0, "popped before fully assigned");
        self.claim(list, 0);
        Poll::Ready(Ok(()))
    }

    /// Rule 4: a dropped waiter gives back what it was assigned — claiming it first
    /// if it had been woken with all of it (rule 6).
    fn cancel(&self, n: usize, waiter: Pin<&mut Waiter<Need>>) {
        let mut list = self.waiters.lock();
        // SAFETY: our waiter, queued on this (locked) list.
        let (was_linked, need) = unsafe { waiter.cancel(&mut list.list) };
        let assigned = n - need.remaining;
        if !was_linked && !need.closed {
            self.claim(list, assigned);
            return;
        }
        // Even with nothing assigned, removal may have emptied the list, and
        // `give_back` then clears `WAITERS`.
        self.give_back(list, assigned);
    }
}

/// `cur` with `n` more permits; panics past [`MAX_PERMITS`].
fn add_permits(cur: usize, n: usize) -> usize {
    let permits = (cur >> SHIFT)
        .checked_add(n)
        .filter(|&p| p <= MAX_PERMITS)
        .unwrap_or_else(|| panic!("a semaphore holds at most {MAX_PERMITS} permits"));
    (permits << SHIFT) | (cur & (CLOSED | WAITERS))
}

/// The future of [`RawSemaphore::acquire`] once the fast path has failed.
struct Acquire<'a> {
    sem: &'a RawSemaphore,
    waiter: Waiter<Need>,
    permits: usize,
}

impl<'a> Acquire<'a> {
    fn new(sem: &'a RawSemaphore, permits: usize) -> Self {
        Acquire {
            sem,
            waiter: Waiter::new(Need {
                remaining: permits,
                closed: false,
            }),
            permits,
        }
    }
}

impl Future for Acquire<'_> {
    type Output = Result<(), AcquireError>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        // SAFETY: `waiter` is structurally pinned; nothing is moved out.
        let this = unsafe { self.get_unchecked_mut() };
        // SAFETY: as above.
        let waiter = unsafe { Pin::new_unchecked(&mut this.waiter) };
        this.sem.poll_acquire(cx, this.permits, waiter)
    }
}

impl Drop for Acquire<'_> {
    fn drop(&mut self) {
        if self.waiter.is_queued() {
            // SAFETY: a queued waiter was pinned (it is queued only from `poll`),
            // and `drop` runs before its memory is reused.
            let waiter = unsafe { Pin::new_unchecked(&mut self.waiter) };
            self.sem.cancel(self.permits, waiter);
        }
    }
}

#[cfg(all(test, not(weft_loom)))]
mod tests {
    use super::*;

    #[test]
    fn release_with_no_waiters_frees_permits() {
        let sem = RawSemaphore::new(1);
        sem.try_acquire(1).unwrap();
        assert_eq!(sem.available(), 0);
        sem.release(1);
        assert_eq!(sem.available(), 1);
    }

    #[test]
    #[should_panic(expected = "at most")]
    fn release_past_max_panics() {
        let sem = RawSemaphore::new(MAX_PERMITS);
        sem.release(1);
    }
}
