//! `Semaphore`: a count of permits handed out first-come, first-served.
//!
//! The permit word and its waiters live in [`raw`]; this file adds the RAII
//! permits. A permit dropped returns to the front waiter; a permit
//! [`forget`](SemaphorePermit::forget)-ed leaves circulation (and is counted, so a
//! [`BoundedSemaphore`](crate::BoundedSemaphore) knows how many it may take back).

pub(crate) mod bounded;
pub(crate) mod error;
pub(crate) mod raw;

use std::fmt;
use std::future::Future;
use std::panic::Location;
use weft_core::waiting::{recorded, WaitOn};

use crate::loom::atomic::{AtomicUsize, Ordering::Relaxed};
use crate::loom::Arc;
use error::{AcquireError, TryAcquireError};
use raw::RawSemaphore;

/// An async counting semaphore (asyncio's `Semaphore`), strictly FIFO.
///
/// A task waits in [`acquire`](Self::acquire) until a permit is free; the permit
/// returns when the [`SemaphorePermit`] is dropped. Permits are handed to waiters
/// in arrival order: when a permit is released and tasks are waiting, it goes
/// straight to the first of them (the count stays 0), so a newcomer never
/// overtakes a waiter, and a waiter for many permits is not starved by requests
/// for few.
///
/// Drop-safe: an `acquire` future dropped at any point — queued, or after a
/// permit was assigned to it but before it ran — gives what it held to the next
/// waiter.
///
/// ```
/// use std::sync::Arc;
/// use weft_sync::Semaphore;
///
/// # tokio::runtime::Runtime::new().unwrap().block_on(async {
/// let sem = Arc::new(Semaphore::new(2));
/// let mut tasks = Vec::new();
/// for i in 0..5 {
///     let sem = sem.clone();
///     tasks.push(tokio::spawn(async move {
///         let _permit = sem.acquire().await.unwrap(); // at most two at a time
///         i * 2
///     }));
/// }
/// for t in tasks {
///     t.await.unwrap();
/// }
/// assert_eq!(sem.available_permits(), 2);
/// # });
/// ```
pub struct Semaphore {
    raw: RawSemaphore,
    /// Permits taken out of circulation by `forget`, not yet given back.
    forgotten: AtomicUsize,
}

impl Semaphore {
    /// The most permits a semaphore can hold (`usize::MAX >> 2`).
    ///
    /// ```
    /// assert_eq!(weft_sync::Semaphore::MAX_PERMITS, usize::MAX >> 2);
    /// ```
    pub const MAX_PERMITS: usize = raw::MAX_PERMITS;

    /// A semaphore with `permits` free permits.
    ///
    /// # Panics
    ///
    /// If `permits` exceeds [`Semaphore::MAX_PERMITS`].
    ///
    /// ```
    /// let sem = weft_sync::Semaphore::new(3);
    /// assert_eq!(sem.available_permits(), 3);
    /// ```
    pub fn new(permits: usize) -> Self {
        Semaphore {
            raw: RawSemaphore::new(permits),
            forgotten: AtomicUsize::new(0),
        }
    }

    /// Waits for one permit.
    ///
    /// Fails only once the semaphore is [closed](Self::close).
    ///
    /// # Cancel safety
    ///
    /// Cancel safe. Dropping the future before it completes gives any permit
    /// already assigned to it to the next waiter, and takes it off the queue.
    ///
    /// ```
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// let sem = weft_sync::Semaphore::new(1);
    /// let permit = sem.acquire().await.unwrap();
    /// assert_eq!(sem.available_permits(), 0);
    /// drop(permit);
    /// assert_eq!(sem.available_permits(), 1);
    /// # });
    /// ```
    #[track_caller]
    pub fn acquire(&self) -> impl Future<Output = Result<SemaphorePermit<'_>, AcquireError>> + '_ {
        recorded(
            &WaitOn("Semaphore::acquire"),
            Location::caller(),
            self.acquire_unrecorded(),
        )
    }

    /// [`acquire`](Self::acquire) without its wait record.
    async fn acquire_unrecorded(&self) -> Result<SemaphorePermit<'_>, AcquireError> {
        self.raw.acquire(1).await?;
        Ok(SemaphorePermit {
            sem: self,
            permits: 1,
        })
    }

    /// Waits for `n` permits, taken together.
    ///
    /// The request keeps its place in the queue: permits released while it waits
    /// are set aside for it until it has `n`, rather than going to smaller
    /// requests behind it.
    ///
    /// # Cancel safety
    ///
    /// Cancel safe. Dropping the future returns the permits set aside for it so
    /// far to the next waiter.
    ///
    /// ```
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// let sem = weft_sync::Semaphore::new(5);
    /// let three = sem.acquire_many(3).await.unwrap();
    /// assert_eq!(three.num_permits(), 3);
    /// assert_eq!(sem.available_permits(), 2);
    /// # });
    /// ```
    #[track_caller]
    pub fn acquire_many(
        &self,
        n: usize,
    ) -> impl Future<Output = Result<SemaphorePermit<'_>, AcquireError>> + '_ {
        recorded(
            &WaitOn("Semaphore::acquire"),
            Location::caller(),
            self.acquire_many_unrecorded(n),
        )
    }

    /// [`acquire_many`](Self::acquire_many) without its wait record.
    async fn acquire_many_unrecorded(&self, n: usize) -> Result<SemaphorePermit<'_>, AcquireError> {
        self.raw.acquire(n).await?;
        Ok(SemaphorePermit {
            sem: self,
            permits: n,
        })
    }

    /// Takes one permit if one is free and nobody is queued.
    ///
    /// ```
    /// let sem = weft_sync::Semaphore::new(1);
    /// let permit = sem.try_acquire().unwrap();
    /// assert!(sem.try_acquire().is_err());
    /// drop(permit);
    /// assert!(sem.try_acquire().is_ok());
    /// ```
    pub fn try_acquire(&self) -> Result<SemaphorePermit<'_>, TryAcquireError> {
        self.try_acquire_many(1)
    }

    /// Takes `n` permits if they are free and nobody is queued.
    ///
    /// ```
    /// let sem = weft_sync::Semaphore::new(2);
    /// assert!(sem.try_acquire_many(3).is_err());
    /// assert!(sem.try_acquire_many(2).is_ok());
    /// ```
    pub fn try_acquire_many(&self, n: usize) -> Result<SemaphorePermit<'_>, TryAcquireError> {
        self.raw.try_acquire(n)?;
        Ok(SemaphorePermit {
            sem: self,
            permits: n,
        })
    }

    /// Waits for one permit, held by an `Arc` so the permit is `'static`.
    ///
    /// # Cancel safety
    ///
    /// As [`acquire`](Self::acquire).
    ///
    /// ```
    /// use std::sync::Arc;
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// let sem = Arc::new(weft_sync::Semaphore::new(1));
    /// let permit = sem.clone().acquire_owned().await.unwrap();
    /// tokio::spawn(async move { drop(permit) }).await.unwrap();
    /// assert_eq!(sem.available_permits(), 1);
    /// # });
    /// ```
    #[track_caller]
    pub fn acquire_owned(
        self: Arc<Self>,
    ) -> impl Future<Output = Result<OwnedSemaphorePermit, AcquireError>> {
        recorded(
            &WaitOn("Semaphore::acquire"),
            Location::caller(),
            self.acquire_owned_unrecorded(),
        )
    }

    /// [`acquire_owned`](Self::acquire_owned) without its wait record.
    async fn acquire_owned_unrecorded(
        self: Arc<Self>,
    ) -> Result<OwnedSemaphorePermit, AcquireError> {
        self.acquire_many_owned(1).await
    }

    /// Waits for `n` permits, held by an `Arc` so the permit is `'static`.
    ///
    /// # Cancel safety
    ///
    /// As [`acquire_many`](Self::acquire_many).
    ///
    /// ```
    /// use std::sync::Arc;
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// let sem = Arc::new(weft_sync::Semaphore::new(4));
    /// let permit = sem.clone().acquire_many_owned(4).await.unwrap();
    /// assert_eq!(permit.num_permits(), 4);
    /// # });
    /// ```
    #[track_caller]
    pub fn acquire_many_owned(
        self: Arc<Self>,
        n: usize,
    ) -> impl Future<Output = Result<OwnedSemaphorePermit, AcquireError>> {
        recorded(
            &WaitOn("Semaphore::acquire"),
            Location::caller(),
            self.acquire_many_owned_unrecorded(n),
        )
    }

    /// [`acquire_many_owned`](Self::acquire_many_owned) without its wait record.
    async fn acquire_many_owned_unrecorded(
        self: Arc<Self>,
        n: usize,
    ) -> Result<OwnedSemaphorePermit, AcquireError> {
        self.raw.acquire(n).await?;
        Ok(OwnedSemaphorePermit {
            sem: self,
            permits: n,
        })
    }

    /// Takes one permit, held by an `Arc`, if one is free and nobody is queued.
    ///
    /// ```
    /// use std::sync::Arc;
    /// let sem = Arc::new(weft_sync::Semaphore::new(1));
    /// let permit = sem.clone().try_acquire_owned().unwrap();
    /// assert!(sem.clone().try_acquire_owned().is_err());
    /// ```
    pub fn try_acquire_owned(self: Arc<Self>) -> Result<OwnedSemaphorePermit, TryAcquireError> {
        self.raw.try_acquire(1)?;
        Ok(OwnedSemaphorePermit {
            sem: self,
            permits: 1,
        })
    }

    /// Adds `n` permits, handing them to queued waiters first.
    ///
    /// # Panics
    ///
    /// If the total would exceed [`Semaphore::MAX_PERMITS`].
    ///
    /// ```
    /// let sem = weft_sync::Semaphore::new(0);
    /// sem.add_permits(2);
    /// assert_eq!(sem.available_permits(), 2);
    /// ```
    pub fn add_permits(&self, n: usize) {
        self.raw.release(n);
    }

    /// Permits free right now (0 while anyone is queued).
    ///
    /// ```
    /// assert_eq!(weft_sync::Semaphore::new(4).available_permits(), 4);
    /// ```
    pub fn available_permits(&self) -> usize {
        self.raw.available()
    }

    /// Closes the semaphore: queued and future `acquire`s fail with
    /// [`AcquireError`], `try_acquire` with [`TryAcquireError::Closed`]. Permits
    /// already held stay valid.
    ///
    /// ```
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// let sem = weft_sync::Semaphore::new(0);
    /// sem.close();
    /// assert!(sem.is_closed());
    /// assert!(sem.acquire().await.is_err());
    /// # });
    /// ```
    pub fn close(&self) {
        self.raw.close();
    }

    /// Whether [`close`](Self::close) was called.
    ///
    /// ```
    /// assert!(!weft_sync::Semaphore::new(1).is_closed());
    /// ```
    pub fn is_closed(&self) -> bool {
        self.raw.is_closed()
    }

    /// Takes `n` permits out of circulation (a permit was forgotten).
    fn forget(&self, n: usize) {
        self.forgotten.fetch_add(n, Relaxed);
    }

    /// Puts one forgotten permit back; `false` if none was forgotten.
    fn restore_forgotten(&self) -> bool {
        let mut cur = self.forgotten.load(Relaxed);
        loop {
            if cur == 0 {
                return false;
            }
            match self
                .forgotten
                .compare_exchange_weak(cur, cur - 1, Relaxed, Relaxed)
            {
                Ok(_) => break,
                Err(actual) => cur = actual,
            }
        }
        self.raw.release(1);
        true
    }
}

impl fmt::Debug for Semaphore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Semaphore")
            .field("available_permits", &self.available_permits())
            .field("closed", &self.is_closed())
            .finish()
    }
}

/// Permits borrowed from a [`Semaphore`]; dropping it gives them back.
///
/// ```
/// # tokio::runtime::Runtime::new().unwrap().block_on(async {
/// let sem = weft_sync::Semaphore::new(1);
/// {
///     let _permit = sem.acquire().await.unwrap();
///     assert_eq!(sem.available_permits(), 0);
/// }
/// assert_eq!(sem.available_permits(), 1);
/// # });
/// ```
#[must_use = "the permit is released as soon as it is dropped"]
pub struct SemaphorePermit<'a> {
    sem: &'a Semaphore,
    permits: usize,
}

impl SemaphorePermit<'_> {
    /// Keeps the permits out of the semaphore for good.
    ///
    /// ```
    /// let sem = weft_sync::Semaphore::new(1);
    /// sem.try_acquire().unwrap().forget();
    /// assert_eq!(sem.available_permits(), 0);
    /// ```
    pub fn forget(mut self) {
        self.sem.forget(std::mem::take(&mut self.permits));
    }

    /// How many permits this holds.
    ///
    /// ```
    /// let sem = weft_sync::Semaphore::new(3);
    /// assert_eq!(sem.try_acquire_many(2).unwrap().num_permits(), 2);
    /// ```
    pub fn num_permits(&self) -> usize {
        self.permits
    }
}

impl Drop for SemaphorePermit<'_> {
    #[inline]
    fn drop(&mut self) {
        self.sem.raw.release(self.permits);
    }
}

impl fmt::Debug for SemaphorePermit<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SemaphorePermit")
            .field("permits", &self.permits)
            .finish()
    }
}

/// Permits from a [`Semaphore`] held through an `Arc`; dropping it gives them back.
///
/// ```
/// use std::sync::Arc;
/// let sem = Arc::new(weft_sync::Semaphore::new(1));
/// let permit = sem.clone().try_acquire_owned().unwrap();
/// assert!(Arc::ptr_eq(permit.semaphore(), &sem));
/// ```
#[must_use = "the permit is released as soon as it is dropped"]
pub struct OwnedSemaphorePermit {
    sem: Arc<Semaphore>,
    permits: usize,
}

impl OwnedSemaphorePermit {
    /// Keeps the permits out of the semaphore for good.
    ///
    /// ```
    /// use std::sync::Arc;
    /// let sem = Arc::new(weft_sync::Semaphore::new(1));
    /// sem.clone().try_acquire_owned().unwrap().forget();
    /// assert_eq!(sem.available_permits(), 0);
    /// ```
    pub fn forget(mut self) {
        self.sem.forget(std::mem::take(&mut self.permits));
    }

    /// How many permits this holds.
    ///
    /// ```
    /// use std::sync::Arc;
    /// let sem = Arc::new(weft_sync::Semaphore::new(1));
    /// assert_eq!(sem.try_acquire_owned().unwrap().num_permits(), 1);
    /// ```
    pub fn num_permits(&self) -> usize {
        self.permits
    }

    /// The semaphore the permits came from.
    ///
    /// ```
    /// use std::sync::Arc;
    /// let sem = Arc::new(weft_sync::Semaphore::new(1));
    /// let permit = sem.clone().try_acquire_owned().unwrap();
    /// assert_eq!(permit.semaphore().available_permits(), 0);
    /// ```
    pub fn semaphore(&self) -> &Arc<Semaphore> {
        &self.sem
    }
}

impl Drop for OwnedSemaphorePermit {
    #[inline]
    fn drop(&mut self) {
        self.sem.raw.release(self.permits);
    }
}

impl fmt::Debug for OwnedSemaphorePermit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OwnedSemaphorePermit")
            .field("permits", &self.permits)
            .finish()
    }
}
