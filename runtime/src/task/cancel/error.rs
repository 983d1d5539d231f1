//! `Cancelled`: what a region returns when it caught a cancellation request.

use super::scope::Scope;
use crate::task::CountedRef;
use std::fmt;
use std::sync::Arc;

/// A cancellable region caught a cancellation request (asyncio's `CancelledError`).
///
/// Dropping it swallows the request, as `except CancelledError: pass` does; the task
/// goes on and is not cancelled. [`rearm`](Cancelled::rearm) re-raises it.
pub struct Cancelled {
    message: Option<Arc<str>>,
    /// The task whose request was taken, to re-arm it.
    task: Option<CountedRef>,
    /// The scopes whose requests were taken.
    scopes: Vec<Arc<Scope>>,
}

impl Cancelled {
    pub(super) fn new(
        message: Option<Arc<str>>,
        task: Option<CountedRef>,
        scopes: Vec<Arc<Scope>>,
    ) -> Cancelled {
        Cancelled {
            message,
            task,
            scopes,
        }
    }

    /// The message given with [`Task::cancel_with`](crate::Task::cancel_with), if any.
    pub fn message(&self) -> Option<&str> {
        self.message.as_deref()
    }

    /// `true` if the request came from a timeout or a task group around the region,
    /// rather than (or as well as) a cancel of the whole task.
    pub fn is_scoped(&self) -> bool {
        !self.scopes.is_empty()
    }

    /// Re-raises: puts back every request this region took, so that an outer region,
    /// the timeout or task group, or the runtime sees it (asyncio's bare `raise` in an
    /// `except CancelledError:` block). It does not count as a new request.
    ///
    /// ```
    /// use weft::task::cancellable;
    ///
    /// let rt = weft::Runtime::builder().current_thread().build().unwrap();
    /// let err = rt.block_on(async {
    ///     let task = weft::spawn(async {
    ///         if let Err(cancelled) = cancellable(std::future::pending::<()>()).await {
    ///             cancelled.rearm(); // cleaned up; now let the task end cancelled
    ///         }
    ///         std::future::pending::<()>().await
    ///     });
    ///     weft::yield_now().await;
    ///     task.cancel();
    ///     task.await.unwrap_err()
    /// });
    /// assert!(err.is_cancelled());
    /// ```
    pub fn rearm(self) {
        if let Some(task) = &self.task {
            super::arm(task.raw(), self.message.clone());
        }
        for scope in &self.scopes {
            scope.request();
        }
    }
}

impl Cancelled {
    /// Re-arms every request this region took *behind an error* (mod.rs, rule 6): a
    /// task group returning its `GroupError` after it caught an outer cancellation.
    pub(crate) fn rearm_behind_error(self) {
        if let Some(task) = &self.task {
            super::arm_behind_error(task.raw(), self.message.clone());
        }
        for scope in &self.scopes {
            scope.request_behind_error();
        }
    }
}

impl fmt::Display for Cancelled {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.message {
            Some(message) => write!(f, "cancelled: {message}"),
            None => f.write_str("cancelled"),
        }
    }
}

impl fmt::Debug for Cancelled {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Cancelled")
            .field("message", &self.message)
            .field("task", &self.task.as_ref().map(|t| t.header().id))
            .field("scopes", &self.scopes.len())
            .finish()
    }
}

impl std::error::Error for Cancelled {}
