//! `Lock<T>`: asyncio's `Lock`, holding the data it protects, strictly FIFO.
//!
//! A lock is a [`RawSemaphore`] of one permit plus the data. Holding the permit
//! is holding the lock, so everything the semaphore guarantees carries over:
//!
//! 1. Unlocking with tasks queued hands the lock straight to the first of them
//!    (it stays locked throughout), so a newcomer never barges past a waiter.
//! 2. A `lock()` future dropped after the lock was handed to it, but before it
//!    ran, hands the lock on to the next waiter (or unlocks, if there is none).
//! 3. The data is published by the unlock's `Release` and seen through the next
//!    lock's `Acquire` — for a hand-off, through the waiter node's `handed` flag
//!    (`Release` by the unlocker, `Acquire` by the woken waiter) or the waiter
//!    list's mutex.

use std::fmt;
use std::future::Future;
use std::marker::PhantomData;
use std::ops::{Deref, DerefMut};
use std::panic::Location;
use weft_core::waiting::{recorded, WaitOn};

use crate::loom::{Arc, UnsafeCell};
use crate::semaphore::raw::RawSemaphore;

/// An async mutual-exclusion lock holding a `T` (asyncio's `Lock`, with data).
///
/// [`lock`](Self::lock) waits for the lock and returns a guard that derefs to the
/// data; dropping the guard unlocks. Waiters are served strictly in arrival
/// order, and a waiter cancelled at any point loses the lock to nobody: if the
/// lock had already been handed to it, it goes to the next waiter.
///
/// ```
/// use std::sync::Arc;
/// use weft_sync::Lock;
///
/// # tokio::runtime::Runtime::new().unwrap().block_on(async {
/// let counter = Arc::new(Lock::new(0));
/// let mut tasks = Vec::new();
/// for _ in 0..10 {
///     let counter = counter.clone();
///     tasks.push(tokio::spawn(async move {
///         *counter.lock().await += 1;
///     }));
/// }
/// for t in tasks {
///     t.await.unwrap();
/// }
/// assert_eq!(*counter.lock().await, 10);
/// # });
/// ```
pub struct Lock<T> {
    sem: RawSemaphore,
    data: UnsafeCell<T>,
}

// SAFETY: the lock owns a `T`; sending the lock sends the `T`.
unsafe impl<T: Send> Send for Lock<T> {}
// SAFETY: `&Lock` hands out `&mut T` to one guard at a time (the semaphore has
// one permit), so sharing the lock only ever moves `T` access between threads,
// which `T: Send` allows; `T: Sync` is not needed, as with `std::sync::Mutex`.
unsafe impl<T: Send> Sync for Lock<T> {}

/// `try_lock` found the lock held (or tasks queued for it).
///
/// ```
/// let lock = weft_sync::Lock::new(());
/// let _guard = lock.try_lock().unwrap();
/// let err = lock.try_lock().unwrap_err();
/// assert_eq!(err.to_string(), "the lock is held, or tasks are queued for it");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TryLockError(());

impl fmt::Display for TryLockError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the lock is held, or tasks are queued for it")
    }
}

impl std::error::Error for TryLockError {}

impl<T> Lock<T> {
    /// An unlocked lock holding `value`.
    ///
    /// ```
    /// let lock = weft_sync::Lock::new(vec![1, 2]);
    /// assert!(!lock.is_locked());
    /// ```
    pub fn new(value: T) -> Self {
        Lock {
            sem: RawSemaphore::new(1),
            data: UnsafeCell::new(value),
        }
    }

    /// Waits for the lock.
    ///
    /// # Cancel safety
    ///
    /// Cancel safe: dropping the future takes it off the queue, and if the lock
    /// had already been handed to it, passes the lock to the next waiter. Using
    /// `lock()` in `select!` never leaves the lock held by nobody.
    ///
    /// ```
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// let lock = weft_sync::Lock::new(1);
    /// *lock.lock().await += 1;
    /// assert_eq!(*lock.lock().await, 2);
    /// # });
    /// ```
    #[track_caller]
    pub fn lock(&self) -> impl Future<Output = LockGuard<'_, T>> + '_ {
        recorded(
            &WaitOn("Lock::lock"),
            Location::caller(),
            self.lock_unrecorded(),
        )
    }

    /// [`lock`](Self::lock) without its wait record.
    async fn lock_unrecorded(&self) -> LockGuard<'_, T> {
        // A lock is never closed, so acquiring cannot fail.
        let _ = self.sem.acquire(1).await;
        LockGuard {
            lock: self,
            _not_sync: PhantomData,
        }
    }

    /// Takes the lock if it is free and nobody is queued for it.
    ///
    /// ```
    /// let lock = weft_sync::Lock::new(());
    /// let guard = lock.try_lock().unwrap();
    /// assert!(lock.try_lock().is_err());
    /// drop(guard);
    /// assert!(lock.try_lock().is_ok());
    /// ```
    pub fn try_lock(&self) -> Result<LockGuard<'_, T>, TryLockError> {
        match self.sem.try_acquire(1) {
            Ok(()) => Ok(LockGuard {
                lock: self,
                _not_sync: PhantomData,
            }),
            Err(_) => Err(TryLockError(())),
        }
    }

    /// Waits for the lock, held through an `Arc` so the guard is `'static`.
    ///
    /// # Cancel safety
    ///
    /// As [`lock`](Self::lock).
    ///
    /// ```
    /// use std::sync::Arc;
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// let lock = Arc::new(weft_sync::Lock::new(0));
    /// let mut guard = lock.clone().lock_owned().await;
    /// tokio::spawn(async move { *guard = 7 }).await.unwrap();
    /// assert_eq!(*lock.lock().await, 7);
    /// # });
    /// ```
    #[track_caller]
    pub fn lock_owned(self: Arc<Self>) -> impl Future<Output = OwnedLockGuard<T>> {
        recorded(
            &WaitOn("Lock::lock"),
            Location::caller(),
            self.lock_owned_unrecorded(),
        )
    }

    /// [`lock_owned`](Self::lock_owned) without its wait record.
    async fn lock_owned_unrecorded(self: Arc<Self>) -> OwnedLockGuard<T> {
        let _ = self.sem.acquire(1).await;
        OwnedLockGuard {
            lock: self,
            _not_sync: PhantomData,
        }
    }

    /// Takes the lock through an `Arc` if it is free and nobody is queued.
    ///
    /// ```
    /// use std::sync::Arc;
    /// let lock = Arc::new(weft_sync::Lock::new(()));
    /// let guard = lock.clone().try_lock_owned().unwrap();
    /// assert!(lock.is_locked());
    /// ```
    pub fn try_lock_owned(self: Arc<Self>) -> Result<OwnedLockGuard<T>, TryLockError> {
        match self.sem.try_acquire(1) {
            Ok(()) => Ok(OwnedLockGuard {
                lock: self,
                _not_sync: PhantomData,
            }),
            Err(_) => Err(TryLockError(())),
        }
    }

    /// Whether the lock is held (or handed to a waiter that has not run yet).
    ///
    /// ```
    /// let lock = weft_sync::Lock::new(());
    /// let guard = lock.try_lock().unwrap();
    /// assert!(lock.is_locked());
    /// drop(guard);
    /// assert!(!lock.is_locked());
    /// ```
    pub fn is_locked(&self) -> bool {
        self.sem.available() == 0
    }

    /// The data, through an exclusive borrow of the lock (no locking needed).
    ///
    /// ```
    /// let mut lock = weft_sync::Lock::new(1);
    /// *lock.get_mut() = 2;
    /// assert_eq!(lock.into_inner(), 2);
    /// ```
    pub fn get_mut(&mut self) -> &mut T {
        // SAFETY: `&mut self` proves no guard exists.
        self.data.with_mut(|data| unsafe { &mut *data })
    }

    /// Consumes the lock and returns the data.
    ///
    /// ```
    /// assert_eq!(weft_sync::Lock::new("x").into_inner(), "x");
    /// ```
    pub fn into_inner(self) -> T {
        self.data.into_inner()
    }

    /// Unlocks: the lock goes to the first waiter, if any.
    #[inline]
    fn unlock(&self) {
        self.sem.release(1);
    }

    /// The data's address; dereferencing it is sound only while holding the lock.
    fn data_mut(&self) -> *mut T {
        self.data.with_mut(|data| data)
    }
}

impl<T: Default> Default for Lock<T> {
    fn default() -> Self {
        Lock::new(T::default())
    }
}

impl<T> fmt::Debug for Lock<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Lock")
            .field("locked", &self.is_locked())
            .finish_non_exhaustive()
    }
}

/// The lock held, borrowed from a [`Lock`]; unlocks when dropped.
///
/// ```
/// # tokio::runtime::Runtime::new().unwrap().block_on(async {
/// let lock = weft_sync::Lock::new(String::new());
/// let mut guard = lock.lock().await;
/// guard.push_str("held");
/// drop(guard);
/// assert_eq!(*lock.lock().await, "held");
/// # });
/// ```
#[must_use = "the lock is released as soon as the guard is dropped"]
pub struct LockGuard<'a, T> {
    lock: &'a Lock<T>,
    /// `&LockGuard` gives `&T`: the guard is `Sync` only if `T` is.
    _not_sync: PhantomData<&'a mut T>,
}

impl<'a, T> LockGuard<'a, T> {
    /// The lock this guard holds.
    pub(crate) fn lock(this: &Self) -> &'a Lock<T> {
        this.lock
    }
}

impl<T> Deref for LockGuard<'_, T> {
    type Target = T;

    fn deref(&self) -> &T {
        // SAFETY: the guard holds the lock; the shared borrow is tied to `&self`.
        self.lock.data.with(|data| unsafe { &*data })
    }
}

impl<T> DerefMut for LockGuard<'_, T> {
    fn deref_mut(&mut self) -> &mut T {
        // SAFETY: the guard holds the lock; the borrow is tied to `&mut self`.
        unsafe { &mut *self.lock.data_mut() }
    }
}

impl<T> Drop for LockGuard<'_, T> {
    #[inline]
    fn drop(&mut self) {
        self.lock.unlock();
    }
}

impl<T: fmt::Debug> fmt::Debug for LockGuard<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&**self, f)
    }
}

/// The lock held through an `Arc<Lock<T>>`; unlocks when dropped.
///
/// ```
/// use std::sync::Arc;
/// # tokio::runtime::Runtime::new().unwrap().block_on(async {
/// let lock = Arc::new(weft_sync::Lock::new(1));
/// let guard = lock.clone().lock_owned().await;
/// assert_eq!(*guard, 1);
/// assert!(Arc::ptr_eq(weft_sync::OwnedLockGuard::lock(&guard), &lock));
/// # });
/// ```
#[must_use = "the lock is released as soon as the guard is dropped"]
pub struct OwnedLockGuard<T> {
    lock: Arc<Lock<T>>,
    /// As in [`LockGuard`]: `Sync` only if `T` is.
    _not_sync: PhantomData<T>,
}

impl<T> OwnedLockGuard<T> {
    /// The lock this guard holds (an associated function, so it cannot shadow a
    /// method of `T`).
    ///
    /// ```
    /// use std::sync::Arc;
    /// use weft_sync::OwnedLockGuard;
    /// let lock = Arc::new(weft_sync::Lock::new(()));
    /// let guard = lock.clone().try_lock_owned().unwrap();
    /// assert!(OwnedLockGuard::lock(&guard).is_locked());
    /// ```
    pub fn lock(this: &Self) -> &Arc<Lock<T>> {
        &this.lock
    }
}

impl<T> Deref for OwnedLockGuard<T> {
    type Target = T;

    fn deref(&self) -> &T {
        // SAFETY: the guard holds the lock; the shared borrow is tied to `&self`.
        self.lock.data.with(|data| unsafe { &*data })
    }
}

impl<T> DerefMut for OwnedLockGuard<T> {
    fn deref_mut(&mut self) -> &mut T {
        // SAFETY: the guard holds the lock; the borrow is tied to `&mut self`.
        unsafe { &mut *self.lock.data_mut() }
    }
}

impl<T> Drop for OwnedLockGuard<T> {
    #[inline]
    fn drop(&mut self) {
        self.lock.unlock();
    }
}

impl<T: fmt::Debug> fmt::Debug for OwnedLockGuard<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&**self, f)
    }
}
