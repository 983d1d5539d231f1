//! The ways a queue operation can fail.

use std::error::Error;
use std::fmt;

/// The queue was [shut down](crate::Queue::shutdown). From `put`, it hands the
/// item back; from `get`, it holds `()` and means nothing more will come.
///
/// ```
/// use weft_sync::{Queue, QueueShutDown};
/// # tokio::runtime::Runtime::new().unwrap().block_on(async {
/// let q = Queue::new(0);
/// q.shutdown(false);
/// assert_eq!(q.put("x").await, Err(QueueShutDown("x")));
/// assert_eq!(q.get().await, Err(QueueShutDown(())));
/// # });
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QueueShutDown<T = ()>(pub T);

impl<T> QueueShutDown<T> {
    /// The item a `put` could not deliver.
    ///
    /// ```
    /// assert_eq!(weft_sync::QueueShutDown(5).into_inner(), 5);
    /// ```
    pub fn into_inner(self) -> T {
        self.0
    }
}

impl<T> fmt::Display for QueueShutDown<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the queue was shut down")
    }
}

impl<T: fmt::Debug> Error for QueueShutDown<T> {}

/// Why `put_nowait` did not put: the item comes back in either case.
///
/// ```
/// use weft_sync::{Queue, TryPutError};
/// let q = Queue::new(1);
/// q.put_nowait(1).unwrap();
/// let err = q.put_nowait(2).unwrap_err();
/// assert!(err.is_full());
/// assert_eq!(err.into_inner(), 2);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TryPutError<T> {
    /// The queue is full (asyncio's `QueueFull`), or earlier puts are waiting.
    Full(T),
    /// The queue was shut down.
    ShutDown(T),
}

impl<T> TryPutError<T> {
    /// The item that was not put.
    ///
    /// ```
    /// assert_eq!(weft_sync::TryPutError::Full(3).into_inner(), 3);
    /// ```
    pub fn into_inner(self) -> T {
        match self {
            TryPutError::Full(item) | TryPutError::ShutDown(item) => item,
        }
    }

    /// Whether the queue was full.
    ///
    /// ```
    /// assert!(weft_sync::TryPutError::Full(()).is_full());
    /// ```
    pub fn is_full(&self) -> bool {
        matches!(self, TryPutError::Full(_))
    }

    /// Whether the queue was shut down.
    ///
    /// ```
    /// assert!(weft_sync::TryPutError::ShutDown(()).is_shut_down());
    /// ```
    pub fn is_shut_down(&self) -> bool {
        matches!(self, TryPutError::ShutDown(_))
    }
}

impl<T> fmt::Display for TryPutError<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TryPutError::Full(_) => f.write_str("the queue is full"),
            TryPutError::ShutDown(_) => f.write_str("the queue was shut down"),
        }
    }
}

impl<T: fmt::Debug> Error for TryPutError<T> {}

/// Why `get_nowait` returned no item.
///
/// ```
/// use weft_sync::{Queue, TryGetError};
/// let q = Queue::<u8>::new(0);
/// assert_eq!(q.get_nowait(), Err(TryGetError::Empty));
/// q.shutdown(false);
/// assert_eq!(q.get_nowait(), Err(TryGetError::ShutDown));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TryGetError {
    /// No item is ready (asyncio's `QueueEmpty`).
    Empty,
    /// The queue was shut down and no item is left.
    ShutDown,
}

impl TryGetError {
    /// Whether the queue was empty (and not shut down).
    ///
    /// ```
    /// assert!(weft_sync::TryGetError::Empty.is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        matches!(self, TryGetError::Empty)
    }

    /// Whether the queue was shut down and drained.
    ///
    /// ```
    /// assert!(weft_sync::TryGetError::ShutDown.is_shut_down());
    /// ```
    pub fn is_shut_down(&self) -> bool {
        matches!(self, TryGetError::ShutDown)
    }
}

impl fmt::Display for TryGetError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TryGetError::Empty => f.write_str("the queue is empty"),
            TryGetError::ShutDown => f.write_str("the queue was shut down and is empty"),
        }
    }
}

impl Error for TryGetError {}

/// `task_done` was called more times than items were put (asyncio raises
/// `ValueError`).
///
/// ```
/// let q = weft_sync::Queue::<u8>::new(0);
/// assert!(q.task_done().is_err());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TaskDoneError(pub(crate) ());

impl fmt::Display for TaskDoneError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("task_done() called more times than there were items put")
    }
}

impl Error for TaskDoneError {}
