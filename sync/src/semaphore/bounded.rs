//! `BoundedSemaphore`: a semaphore that refuses to grow past its initial value.
//!
//! Permits are RAII, so the only way to "release" one by hand is to have taken
//! it out of circulation first ([`SemaphorePermit::forget`]). The invariant:
//! permits in circulation (free + held + set aside for waiters) never exceed the
//! initial value; [`BoundedSemaphore::release`] puts back a forgotten permit and
//! returns [`BoundExceeded`] when none is missing.

use std::fmt;
use std::future::Future;
use std::panic::Location;
use weft_core::waiting::{recorded, WaitOn};

use crate::semaphore::error::{AcquireError, BoundExceeded, TryAcquireError};
use crate::semaphore::{Semaphore, SemaphorePermit};

/// asyncio's `BoundedSemaphore`: a [`Semaphore`] whose `release` fails (with an
/// error value, never a panic) rather than raise the count past its initial value.
///
/// asyncio code that calls `acquire()` in one place and `release()` in another
/// becomes `acquire().await?.forget()` and [`release`](Self::release):
///
/// ```
/// use weft_sync::BoundedSemaphore;
///
/// # tokio::runtime::Runtime::new().unwrap().block_on(async {
/// let sem = BoundedSemaphore::new(1);
/// sem.acquire().await.unwrap().forget(); // acquire without a guard
/// assert_eq!(sem.available_permits(), 0);
/// sem.release().unwrap();                // give it back
/// assert!(sem.release().is_err());       // one release too many
/// assert_eq!(sem.available_permits(), 1);
/// # });
/// ```
pub struct BoundedSemaphore {
    sem: Semaphore,
    bound: usize,
}

impl BoundedSemaphore {
    /// A semaphore with `permits` permits, which is also its bound.
    ///
    /// # Panics
    ///
    /// If `permits` exceeds [`Semaphore::MAX_PERMITS`].
    ///
    /// ```
    /// assert_eq!(weft_sync::BoundedSemaphore::new(2).bound(), 2);
    /// ```
    pub fn new(permits: usize) -> Self {
        BoundedSemaphore {
            sem: Semaphore::new(permits),
            bound: permits,
        }
    }

    /// The initial, and largest, number of permits.
    ///
    /// ```
    /// assert_eq!(weft_sync::BoundedSemaphore::new(5).bound(), 5);
    /// ```
    pub fn bound(&self) -> usize {
        self.bound
    }

    /// Waits for one permit; see [`Semaphore::acquire`].
    ///
    /// # Cancel safety
    ///
    /// Cancel safe, as [`Semaphore::acquire`].
    ///
    /// ```
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// let sem = weft_sync::BoundedSemaphore::new(1);
    /// let _permit = sem.acquire().await.unwrap();
    /// # });
    /// ```
    #[track_caller]
    pub fn acquire(&self) -> impl Future<Output = Result<SemaphorePermit<'_>, AcquireError>> + '_ {
        recorded(
            &WaitOn("BoundedSemaphore::acquire"),
            Location::caller(),
            self.acquire_unrecorded(),
        )
    }

    /// [`acquire`](Self::acquire) without its wait record.
    async fn acquire_unrecorded(&self) -> Result<SemaphorePermit<'_>, AcquireError> {
        self.sem.acquire().await
    }

    /// Waits for `n` permits; see [`Semaphore::acquire_many`].
    ///
    /// # Cancel safety
    ///
    /// Cancel safe, as [`Semaphore::acquire_many`].
    ///
    /// ```
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// let sem = weft_sync::BoundedSemaphore::new(2);
    /// assert_eq!(sem.acquire_many(2).await.unwrap().num_permits(), 2);
    /// # });
    /// ```
    #[track_caller]
    pub fn acquire_many(
        &self,
        n: usize,
    ) -> impl Future<Output = Result<SemaphorePermit<'_>, AcquireError>> + '_ {
        recorded(
            &WaitOn("BoundedSemaphore::acquire"),
            Location::caller(),
            self.acquire_many_unrecorded(n),
        )
    }

    /// [`acquire_many`](Self::acquire_many) without its wait record.
    async fn acquire_many_unrecorded(&self, n: usize) -> Result<SemaphorePermit<'_>, AcquireError> {
        self.sem.acquire_many(n).await
    }

    /// Takes one permit if one is free and nobody is queued.
    ///
    /// ```
    /// let sem = weft_sync::BoundedSemaphore::new(1);
    /// assert!(sem.try_acquire().is_ok());
    /// ```
    pub fn try_acquire(&self) -> Result<SemaphorePermit<'_>, TryAcquireError> {
        self.sem.try_acquire()
    }

    /// Puts back one permit that was [forgotten](SemaphorePermit::forget).
    ///
    /// Returns [`BoundExceeded`] (and changes nothing) if no permit is out of
    /// circulation, i.e. the release would raise the count past
    /// [`bound`](Self::bound).
    ///
    /// ```
    /// let sem = weft_sync::BoundedSemaphore::new(1);
    /// sem.try_acquire().unwrap().forget();
    /// assert!(sem.release().is_ok());
    /// assert!(sem.release().is_err());
    /// ```
    pub fn release(&self) -> Result<(), BoundExceeded> {
        if self.sem.restore_forgotten() {
            Ok(())
        } else {
            Err(BoundExceeded { bound: self.bound })
        }
    }

    /// Permits free right now (0 while anyone is queued).
    ///
    /// ```
    /// assert_eq!(weft_sync::BoundedSemaphore::new(3).available_permits(), 3);
    /// ```
    pub fn available_permits(&self) -> usize {
        self.sem.available_permits()
    }

    /// Closes the semaphore; see [`Semaphore::close`].
    ///
    /// ```
    /// let sem = weft_sync::BoundedSemaphore::new(1);
    /// sem.close();
    /// assert!(sem.is_closed());
    /// ```
    pub fn close(&self) {
        self.sem.close();
    }

    /// Whether [`close`](Self::close) was called.
    ///
    /// ```
    /// assert!(!weft_sync::BoundedSemaphore::new(1).is_closed());
    /// ```
    pub fn is_closed(&self) -> bool {
        self.sem.is_closed()
    }
}

impl fmt::Debug for BoundedSemaphore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BoundedSemaphore")
            .field("bound", &self.bound)
            .field("available_permits", &self.available_permits())
            .field("closed", &self.is_closed())
            .finish()
    }
}
