//! `TaskError`: how a task can end without producing its value.

use super::TaskId;
use std::any::Any;
use std::fmt;

/// Why awaiting a [`Task`](crate::Task) gave no value: it was cancelled, or it panicked.
///
/// ```
/// let rt = weft::Runtime::builder().current_thread().build().unwrap();
/// let err = rt
///     .block_on(async { weft::spawn(async { panic!("boom") }).await })
///     .unwrap_err();
/// assert!(err.is_panic());
/// assert_eq!(err.into_panic().downcast_ref::<&str>(), Some(&"boom"));
/// ```
pub struct TaskError {
    id: TaskId,
    repr: Repr,
}

enum Repr {
    Cancelled,
    Panicked(PanicPayload),
}

/// A panic payload that may be moved between threads. The payload itself need not be
/// `Sync`; see the `Sync` impl for why sharing a `TaskError` is still sound.
struct PanicPayload(Box<dyn Any + Send + 'static>);

// SAFETY: through `&PanicPayload` the only access to the payload is
// `panic_message`, which calls `type_id` (reads no data, only the vtable) and, on a
// match, reads a `&'static str` or a `String`, both of which are `Sync`. Every other
// access takes the payload by value. So no non-`Sync` data is ever reached from two
// threads through a shared reference.
unsafe impl Sync for PanicPayload {}

impl TaskError {
    pub(crate) fn cancelled(id: TaskId) -> TaskError {
        TaskError {
            id,
            repr: Repr::Cancelled,
        }
    }

    pub(crate) fn panicked(id: TaskId, payload: Box<dyn Any + Send + 'static>) -> TaskError {
        TaskError {
            id,
            repr: Repr::Panicked(PanicPayload(payload)),
        }
    }

    /// `true` if the task was cancelled (by [`Task::cancel`](crate::Task::cancel) or
    /// because its runtime shut down) before it finished.
    pub fn is_cancelled(&self) -> bool {
        matches!(self.repr, Repr::Cancelled)
    }

    /// `true` if the task panicked.
    pub fn is_panic(&self) -> bool {
        matches!(self.repr, Repr::Panicked(_))
    }

    /// The id of the task that failed.
    pub fn id(&self) -> TaskId {
        self.id
    }

    /// The panic payload, to inspect or to resume with `std::panic::resume_unwind`.
    ///
    /// # Panics
    ///
    /// If the task was cancelled rather than panicking; see
    /// [`try_into_panic`](Self::try_into_panic) for the non-panicking form.
    #[track_caller]
    pub fn into_panic(self) -> Box<dyn Any + Send + 'static> {
        self.try_into_panic()
            .expect("TaskError::into_panic called on a cancelled task's error")
    }

    /// The panic payload, or the error back if the task was cancelled.
    pub fn try_into_panic(self) -> Result<Box<dyn Any + Send + 'static>, TaskError> {
        match self.repr {
            Repr::Panicked(p) => Ok(p.0),
            Repr::Cancelled => Err(self),
        }
    }

    fn panic_message(&self) -> Option<&str> {
        match &self.repr {
            Repr::Panicked(p) => {
                p.0.downcast_ref::<&'static str>()
                    .copied()
                    .or_else(|| p.0.downcast_ref::<String>().map(String::as_str))
            }
            Repr::Cancelled => None,
        }
    }
}

impl fmt::Display for TaskError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.repr {
            Repr::Cancelled => write!(f, "task {} was cancelled", self.id),
            Repr::Panicked(_) => match self.panic_message() {
                Some(msg) => write!(f, "task {} panicked with message {msg:?}", self.id),
                None => write!(f, "task {} panicked", self.id),
            },
        }
    }
}

impl fmt::Debug for TaskError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.repr {
            Repr::Cancelled => write!(f, "TaskError::Cancelled({})", self.id),
            Repr::Panicked(_) => match self.panic_message() {
                Some(msg) => write!(f, "TaskError::Panicked({}, {msg:?})", self.id),
                None => write!(f, "TaskError::Panicked({}, ..)", self.id),
            },
        }
    }
}

impl std::error::Error for TaskError {}

impl From<TaskError> for std::io::Error {
    fn from(err: TaskError) -> std::io::Error {
        std::io::Error::other(err)
    }
}
