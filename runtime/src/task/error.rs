//! `TaskError`: how a task can end without producing its value.

use super::TaskId;
use std::any::Any;
use std::fmt;
use std::sync::Arc;

/// Why awaiting a [`Task`](crate::Task) gave no value: it was cancelled, it panicked,
/// or — as a [`TaskGroup`](crate::TaskGroup) child — it returned an error.
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
    /// With the message of the request that cancelled it, if it had one.
    Cancelled(Option<Arc<str>>),
    Panicked(PanicPayload),
    /// A TaskGroup child's error, shared with the group's `GroupError`.
    Failed(Arc<dyn std::error::Error + Send + Sync>),
}

/// A panic payload that may be moved between threads. The payload itself need not be
/// `Sync`; see the `Sync` impl for why sharing a `TaskError` is still sound.
struct PanicPayload(Box<dyn Any + Send + 'static>);

// SAFETY: through `&PanicPayload` the only access to the payload is
// `PanicPayload::message`, which calls `type_id` (reads no data, only the vtable) and, on a
// match, reads a `&'static str` or a `String`, both of which are `Sync`. Every other
// access takes the payload by value. So no non-`Sync` data is ever reached from two
// threads through a shared reference.
unsafe impl Sync for PanicPayload {}

impl TaskError {
    pub(crate) fn cancelled(id: TaskId, message: Option<Arc<str>>) -> TaskError {
        TaskError {
            id,
            repr: Repr::Cancelled(message),
        }
    }

    pub(crate) fn failed(id: TaskId, error: Arc<dyn std::error::Error + Send + Sync>) -> TaskError {
        TaskError {
            id,
            repr: Repr::Failed(error),
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
        matches!(self.repr, Repr::Cancelled(_))
    }

    /// `true` if the task was a [`TaskGroup`](crate::TaskGroup) child that returned an
    /// error; [`failure`](Self::failure) is that error.
    pub fn is_failed(&self) -> bool {
        matches!(self.repr, Repr::Failed(_))
    }

    /// The error a failed TaskGroup child returned.
    pub fn failure(&self) -> Option<&(dyn std::error::Error + Send + Sync + 'static)> {
        match &self.repr {
            Repr::Failed(err) => Some(&**err),
            _ => None,
        }
    }

    /// The message given to [`Task::cancel_with`](crate::Task::cancel_with) by the
    /// request that cancelled the task.
    pub fn cancel_message(&self) -> Option<&str> {
        match &self.repr {
            Repr::Cancelled(message) => message.as_deref(),
            _ => None,
        }
    }

    /// How the task ended.
    pub(crate) fn outcome(&self) -> super::TaskOutcome {
        match self.repr {
            Repr::Cancelled(_) => super::TaskOutcome::Cancelled,
            Repr::Panicked(_) => super::TaskOutcome::Panicked,
            Repr::Failed(_) => super::TaskOutcome::Failed,
        }
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
    /// If the task did not panic; see [`try_into_panic`](Self::try_into_panic) for
    /// the non-panicking form.
    #[track_caller]
    pub fn into_panic(self) -> Box<dyn Any + Send + 'static> {
        self.try_into_panic()
            .expect("TaskError::into_panic called on the error of a task that did not panic")
    }

    /// The panic payload, or the error back if the task did not panic.
    pub fn try_into_panic(self) -> Result<Box<dyn Any + Send + 'static>, TaskError> {
        match self.repr {
            Repr::Panicked(p) => Ok(p.0),
            _ => Err(self),
        }
    }

    /// The panic's message, if its payload was a string.
    pub(crate) fn panic_message(&self) -> Option<&str> {
        match &self.repr {
            Repr::Panicked(p) => p.message(),
            _ => None,
        }
    }
}

impl PanicPayload {
    fn message(&self) -> Option<&str> {
        panic_message(&*self.0)
    }
}

/// A panic payload's message, when it is a string (as `panic!` makes it).
pub(crate) fn panic_message(payload: &(dyn Any + Send)) -> Option<&str> {
    payload
        .downcast_ref::<&'static str>()
        .copied()
        .or_else(|| payload.downcast_ref::<String>().map(String::as_str))
}

impl fmt::Display for TaskError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.repr {
            Repr::Cancelled(None) => write!(f, "task {} was cancelled", self.id),
            Repr::Cancelled(Some(msg)) => write!(f, "task {} was cancelled: {msg}", self.id),
            Repr::Panicked(_) => match self.panic_message() {
                Some(msg) => write!(f, "task {} panicked with message {msg:?}", self.id),
                None => write!(f, "task {} panicked", self.id),
            },
            Repr::Failed(err) => write!(f, "task {} failed: {err}", self.id),
        }
    }
}

impl fmt::Debug for TaskError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.repr {
            Repr::Cancelled(message) => write!(f, "TaskError::Cancelled({}, {message:?})", self.id),
            Repr::Panicked(_) => match self.panic_message() {
                Some(msg) => write!(f, "TaskError::Panicked({}, {msg:?})", self.id),
                None => write!(f, "TaskError::Panicked({}, ..)", self.id),
            },
            Repr::Failed(err) => write!(f, "TaskError::Failed({}, {err:?})", self.id),
        }
    }
}

impl std::error::Error for TaskError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match &self.repr {
            Repr::Failed(err) => Some(&**err),
            _ => None,
        }
    }
}

impl From<TaskError> for std::io::Error {
    fn from(err: TaskError) -> std::io::Error {
        std::io::Error::other(err)
    }
}
