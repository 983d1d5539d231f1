//! `Condition<T>`: wait, with a `Lock<T>` released, until notified.
//!
//! # Rules
//!
//! 1. `wait` queues its waiter *before* it unlocks, so a `notify` made by a task
//!    that took the lock after the waiter released it always finds the waiter.
//! 2. Being popped by `notify` is the notification. A waiter that was popped but
//!    is dropped before `wait` returns — before it ran, or while it was taking
//!    the lock back — passes the notification to the next waiter (asyncio
//!    gh-112202, tokio #4668): a `notify(1)` is never absorbed by a task that was
//!    cancelled.
//! 3. A waiter dropped while still queued just leaves.
//! 4. `wait` returns only with the lock held again; if it is dropped first, the
//!    lock is not held by it (the guard was released, and any re-lock is
//!    cancelled, handing the lock on).
//!
//! ```text
//!  wait(guard): queue ──> unlock ──> [waiting] ──notify pops──> [notified] ──> lock().await ──> guard
//!                                        │ drop                     │ drop            │ drop
//!                                        v                          v                 v
//!                                     removed                  notify(1) passed on (rule 2)
//! ```

use std::fmt;
use std::future::Future;
use std::panic::Location;
use std::pin::pin;
use weft_core::waiting::{recorded, WaitOn};

use crate::lock::{Lock, LockGuard, TryLockError};
use crate::loom::Mutex;
use crate::notified::Notified;
use crate::wait_list::WaitList;
use crate::wake_queued::wake_queued;

/// asyncio's `Condition`, over a [`Lock<T>`] that it owns.
///
/// Take the lock with [`lock`](Self::lock), then [`wait`](Self::wait) (or
/// [`wait_for`](Self::wait_for) a predicate) with the guard: the lock is released
/// while waiting and held again when `wait` returns. [`notify`](Self::notify)
/// wakes waiters in the order they started waiting.
///
/// ```
/// use std::sync::Arc;
/// use weft_sync::Condition;
///
/// # tokio::runtime::Runtime::new().unwrap().block_on(async {
/// let cond = Arc::new(Condition::new(Vec::<u32>::new()));
/// let consumer = tokio::spawn({
///     let cond = cond.clone();
///     async move {
///         let guard = cond.lock().await;
///         let mut jobs = cond.wait_for(guard, |jobs| !jobs.is_empty()).await;
///         jobs.pop().unwrap()
///     }
/// });
/// cond.lock().await.push(7);
/// cond.notify(1);
/// assert_eq!(consumer.await.unwrap(), 7);
/// # });
/// ```
pub struct Condition<T> {
    lock: Lock<T>,
    waiters: Mutex<WaitList<()>>,
}

impl<T> Condition<T> {
    /// A condition whose lock holds `value`.
    ///
    /// ```
    /// let cond = weft_sync::Condition::new(0);
    /// assert!(!cond.is_locked());
    /// ```
    pub fn new(value: T) -> Self {
        Condition {
            lock: Lock::new(value),
            waiters: Mutex::new(WaitList::new()),
        }
    }

    /// Waits for the condition's lock; see [`Lock::lock`].
    ///
    /// # Cancel safety
    ///
    /// Cancel safe, as [`Lock::lock`].
    ///
    /// ```
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// let cond = weft_sync::Condition::new(1);
    /// assert_eq!(*cond.lock().await, 1);
    /// # });
    /// ```
    #[track_caller]
    pub fn lock(&self) -> impl Future<Output = LockGuard<'_, T>> + '_ {
        recorded(
            &WaitOn("Condition::lock"),
            Location::caller(),
            self.lock_unrecorded(),
        )
    }

    /// [`lock`](Self::lock) without its wait record.
    async fn lock_unrecorded(&self) -> LockGuard<'_, T> {
        self.lock.lock().await
    }

    /// Takes the condition's lock if it is free and nobody is queued for it.
    ///
    /// ```
    /// let cond = weft_sync::Condition::new(());
    /// let _guard = cond.try_lock().unwrap();
    /// assert!(cond.try_lock().is_err());
    /// ```
    pub fn try_lock(&self) -> Result<LockGuard<'_, T>, TryLockError> {
        self.lock.try_lock()
    }

    /// Whether the condition's lock is held.
    ///
    /// ```
    /// let cond = weft_sync::Condition::new(());
    /// let _guard = cond.try_lock().unwrap();
    /// assert!(cond.is_locked());
    /// ```
    pub fn is_locked(&self) -> bool {
        self.lock.is_locked()
    }

    /// Releases the lock, waits to be notified, takes the lock back and returns
    /// its guard.
    ///
    /// # Panics
    ///
    /// If `guard` is not a guard of this condition's lock.
    ///
    /// # Cancel safety
    ///
    /// Cancel safe, and the lock is not held after the future is dropped. If it
    /// is dropped after it was notified (before it ran, or while taking the lock
    /// back), the notification goes to the next waiter, so `notify(1)` still
    /// wakes a task that will return from `wait`.
    ///
    /// ```
    /// use std::sync::Arc;
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// let cond = Arc::new(weft_sync::Condition::new(false));
    /// let waiter = tokio::spawn({
    ///     let cond = cond.clone();
    ///     async move {
    ///         let mut guard = cond.lock().await;
    ///         while !*guard {
    ///             guard = cond.wait(guard).await;
    ///         }
    ///     }
    /// });
    /// *cond.lock().await = true;
    /// cond.notify_all();
    /// waiter.await.unwrap();
    /// # });
    /// ```
    #[track_caller]
    pub fn wait<'a>(
        &'a self,
        guard: LockGuard<'a, T>,
    ) -> impl Future<Output = LockGuard<'a, T>> + 'a {
        recorded(
            &WaitOn("Condition::wait"),
            Location::caller(),
            self.wait_unrecorded(guard),
        )
    }

    /// [`wait`](Self::wait) without its wait record.
    async fn wait_unrecorded<'a>(&'a self, guard: LockGuard<'a, T>) -> LockGuard<'a, T> {
        assert!(
            std::ptr::eq(LockGuard::lock(&guard), &self.lock),
            "Condition::wait was given a guard of another lock"
        );
        let mut notified = pin!(Notified::new(&self.waiters, |l| l, |_| false, true));
        notified.as_mut().register();
        drop(guard);
        notified.await;
        let pass_on = PassOn { cond: self };
        let guard = self.lock.lock().await;
        std::mem::forget(pass_on);
        guard
    }

    /// Waits until `predicate` holds of the data, checking it with the lock
    /// held: first at once, then after every notification.
    ///
    /// # Panics
    ///
    /// If `guard` is not a guard of this condition's lock.
    ///
    /// # Cancel safety
    ///
    /// As [`wait`](Self::wait).
    ///
    /// ```
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// let cond = weft_sync::Condition::new(3);
    /// let guard = cond.lock().await;
    /// let guard = cond.wait_for(guard, |n| *n == 3).await; // already true
    /// assert_eq!(*guard, 3);
    /// # });
    /// ```
    #[track_caller]
    pub fn wait_for<'a, F>(
        &'a self,
        guard: LockGuard<'a, T>,
        predicate: F,
    ) -> impl Future<Output = LockGuard<'a, T>> + use<'a, T, F>
    where
        F: FnMut(&mut T) -> bool,
    {
        recorded(
            &WaitOn("Condition::wait_for"),
            Location::caller(),
            self.wait_for_unrecorded(guard, predicate),
        )
    }

    /// [`wait_for`](Self::wait_for) without its wait record.
    async fn wait_for_unrecorded<'a, F>(
        &'a self,
        mut guard: LockGuard<'a, T>,
        mut predicate: F,
    ) -> LockGuard<'a, T>
    where
        F: FnMut(&mut T) -> bool,
    {
        while !predicate(&mut guard) {
            guard = self.wait(guard).await;
        }
        guard
    }

    /// Wakes up to `n` of the tasks waiting now, in the order they began to
    /// wait. May be called with or without the lock held.
    ///
    /// ```
    /// let cond = weft_sync::Condition::new(());
    /// cond.notify(1); // nobody waits: nothing happens
    /// ```
    pub fn notify(&self, n: usize) {
        let list = self.waiters.lock();
        let mark = list.mark();
        wake_queued(&self.waiters, list, |l| l, mark, n, |_| {});
    }

    /// Wakes every task waiting now.
    ///
    /// ```
    /// let cond = weft_sync::Condition::new(());
    /// cond.notify_all();
    /// ```
    pub fn notify_all(&self) {
        self.notify(usize::MAX);
    }

    /// Consumes the condition and returns the data.
    ///
    /// ```
    /// assert_eq!(weft_sync::Condition::new(5).into_inner(), 5);
    /// ```
    pub fn into_inner(self) -> T {
        self.lock.into_inner()
    }
}

impl<T: Default> Default for Condition<T> {
    fn default() -> Self {
        Condition::new(T::default())
    }
}

impl<T> fmt::Debug for Condition<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Condition")
            .field("locked", &self.is_locked())
            .finish_non_exhaustive()
    }
}

/// Armed between notification and re-lock: if dropped, passes the
/// notification on (rule 2).
struct PassOn<'a, T> {
    cond: &'a Condition<T>,
}

impl<T> Drop for PassOn<'_, T> {
    fn drop(&mut self) {
        self.cond.notify(1);
    }
}
