//! The ways acquiring or releasing a semaphore permit can fail.

use std::error::Error;
use std::fmt;

/// `acquire` failed because the semaphore was [closed](crate::Semaphore::close).
///
/// ```
/// use weft_sync::Semaphore;
/// # tokio::runtime::Runtime::new().unwrap().block_on(async {
/// let sem = Semaphore::new(1);
/// sem.close();
/// assert!(sem.acquire().await.is_err());
/// # });
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AcquireError(pub(crate) ());

impl fmt::Display for AcquireError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the semaphore was closed: no permit will be handed out")
    }
}

impl Error for AcquireError {}

/// Why `try_acquire` returned no permit.
///
/// ```
/// use weft_sync::{Semaphore, TryAcquireError};
///
/// let sem = Semaphore::new(0);
/// assert_eq!(sem.try_acquire().unwrap_err(), TryAcquireError::NoPermits);
/// sem.close();
/// assert!(sem.try_acquire().unwrap_err().is_closed());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TryAcquireError {
    /// The semaphore was closed.
    Closed,
    /// Not enough permits are free (or earlier waiters are queued for them).
    NoPermits,
}

impl TryAcquireError {
    /// Whether the semaphore was closed.
    ///
    /// ```
    /// # use weft_sync::TryAcquireError;
    /// assert!(TryAcquireError::Closed.is_closed());
    /// ```
    pub fn is_closed(&self) -> bool {
        matches!(self, TryAcquireError::Closed)
    }

    /// Whether there were not enough free permits.
    ///
    /// ```
    /// # use weft_sync::TryAcquireError;
    /// assert!(TryAcquireError::NoPermits.is_no_permits());
    /// ```
    pub fn is_no_permits(&self) -> bool {
        matches!(self, TryAcquireError::NoPermits)
    }
}

impl fmt::Display for TryAcquireError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TryAcquireError::Closed => f.write_str("the semaphore was closed"),
            TryAcquireError::NoPermits => {
                f.write_str("not enough free permits (or earlier waiters queued for them)")
            }
        }
    }
}

impl Error for TryAcquireError {}

/// A [`BoundedSemaphore`](crate::BoundedSemaphore) was released more often than
/// permits were taken out of it: the release would have raised the number of
/// permits past the initial value, so it was refused.
///
/// ```
/// use weft_sync::BoundedSemaphore;
///
/// let sem = BoundedSemaphore::new(1);
/// assert!(sem.release().is_err());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BoundExceeded {
    pub(crate) bound: usize,
}

impl BoundExceeded {
    /// The semaphore's initial (and maximum) number of permits.
    ///
    /// ```
    /// # use weft_sync::BoundedSemaphore;
    /// assert_eq!(BoundedSemaphore::new(3).release().unwrap_err().bound(), 3);
    /// ```
    pub fn bound(&self) -> usize {
        self.bound
    }
}

impl fmt::Display for BoundExceeded {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "BoundedSemaphore released past its initial value of {} permits",
            self.bound
        )
    }
}

impl Error for BoundExceeded {}
