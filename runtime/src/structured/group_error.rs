//! `GroupError`: every failure of a `TaskGroup`'s children, like asyncio's
//! `ExceptionGroup`.

use crate::task::{TaskError, TaskId};
use std::error::Error;
use std::fmt;
use std::sync::Arc;

/// Why a [`TaskGroup`](crate::TaskGroup) ended without its body's value: every child
/// that failed (returned an error or panicked), in the order they failed — not the
/// children that were cancelled because of them — or, with no failure, a
/// [`TaskGroup::cancel`](crate::TaskGroup::cancel) that stopped the body.
///
/// A group inside a group nests: the inner `GroupError` is the failure of the child
/// that ran it (see [`GroupFailure::error`]).
pub struct GroupError {
    failures: Vec<GroupFailure>,
}

/// One failed child of a [`TaskGroup`](crate::TaskGroup).
pub struct GroupFailure {
    task: TaskId,
    kind: FailureKind,
}

enum FailureKind {
    /// The error the child returned (also its `Task`'s `TaskError::failure`).
    Error(Arc<dyn Error + Send + Sync>),
    /// The child's panic, payload included.
    Panic(TaskError),
}

impl GroupFailure {
    pub(crate) fn returned(task: TaskId, error: Arc<dyn Error + Send + Sync>) -> GroupFailure {
        GroupFailure {
            task,
            kind: FailureKind::Error(error),
        }
    }

    pub(crate) fn panicked(task: TaskId, panic: TaskError) -> GroupFailure {
        GroupFailure {
            task,
            kind: FailureKind::Panic(panic),
        }
    }

    /// The child's id.
    pub fn task_id(&self) -> TaskId {
        self.task
    }

    /// The error it returned; `None` if it panicked. Downcast it to the child's error
    /// type (a nested group's failure downcasts to [`GroupError`]).
    pub fn error(&self) -> Option<&(dyn Error + Send + Sync + 'static)> {
        match &self.kind {
            FailureKind::Error(err) => Some(&**err),
            FailureKind::Panic(_) => None,
        }
    }

    /// `true` if it panicked.
    pub fn is_panic(&self) -> bool {
        matches!(self.kind, FailureKind::Panic(_))
    }

    /// The panic, as the `TaskError` carrying its payload; `None` if it returned an
    /// error.
    pub fn into_panic(self) -> Option<TaskError> {
        match self.kind {
            FailureKind::Panic(panic) => Some(panic),
            FailureKind::Error(_) => None,
        }
    }
}

impl GroupError {
    pub(crate) fn new(failures: Vec<GroupFailure>) -> GroupError {
        GroupError { failures }
    }

    /// The failures, in the order they happened.
    pub fn failures(&self) -> &[GroupFailure] {
        &self.failures
    }

    /// The failures, by value.
    pub fn into_failures(self) -> Vec<GroupFailure> {
        self.failures
    }

    /// `true` if no child failed: [`TaskGroup::cancel`](crate::TaskGroup::cancel)
    /// stopped the body before it returned a value.
    pub fn is_cancelled(&self) -> bool {
        self.failures.is_empty()
    }
}

impl fmt::Display for GroupFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            FailureKind::Error(err) => write!(f, "task {} failed: {err}", self.task),
            FailureKind::Panic(panic) => panic.fmt(f),
        }
    }
}

impl fmt::Debug for GroupFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl fmt::Display for GroupError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.failures.len() {
            0 => f.write_str("the task group was cancelled before its body finished"),
            1 => write!(f, "a task group child failed: {}", self.failures[0]),
            n => {
                write!(f, "{n} task group children failed")?;
                for failure in &self.failures {
                    write!(f, "; {failure}")?;
                }
                Ok(())
            }
        }
    }
}

impl fmt::Debug for GroupError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("GroupError")
            .field("failures", &self.failures)
            .finish()
    }
}

impl Error for GroupError {
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        self.failures
            .first()
            .and_then(|failure| failure.error())
            .map(|err| err as &(dyn Error + 'static))
    }
}
