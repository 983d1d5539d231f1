//! `current()`: the task being polled, as asyncio's `current_task()`.

use super::context;
use super::{cancel, CountedRef, TaskId};
use crate::loom::sync::atomic::Ordering::{AcqRel, Acquire};
use std::fmt;
use std::sync::Arc;

/// The task this code runs in, or `None` outside any task (in a `block_on` future, or
/// on a plain thread) (asyncio's `current_task()`).
///
/// ```
/// let rt = weft::Runtime::builder().current_thread().build().unwrap();
/// rt.block_on(async {
///     assert!(weft::task::current().is_none()); // the block_on future is not a task
///     let task = weft::task::Builder::new().name("worker").spawn(async {
///         weft::task::current().unwrap().name().map(str::to_owned)
///     });
///     assert_eq!(task.await.unwrap().as_deref(), Some("worker"));
/// });
/// ```
pub fn current() -> Option<CurrentTask> {
    context::current_task().map(|raw| CurrentTask {
        // SAFETY: the task being polled is kept alive by its poller.
        task: unsafe { CountedRef::new(raw) },
    })
}

/// Undoes one cancel request of the current task (asyncio's `uncancel()`), returning
/// how many remain; 0 outside a task. Structured code that caught a cancellation it
/// asked for itself calls it so that [`Task::cancelling`](crate::Task::cancelling)
/// counts only the requests still meant for the task. When the count reaches zero, a
/// request no region has taken yet is withdrawn as well: the task is not cancelled
/// at its next await (asyncio 3.13).
///
/// ```
/// use weft::task::{cancellable, current, uncancel};
///
/// let rt = weft::Runtime::builder().current_thread().build().unwrap();
/// rt.block_on(rt.spawn(async {
///     let me = current().unwrap();
///     me.cancel(); // a task may cancel itself
///     assert!(cancellable(std::future::pending::<()>()).await.is_err());
///     assert_eq!(me.cancelling(), 1);
///     assert_eq!(uncancel(), 0);
/// }))
/// .unwrap();
/// ```
pub fn uncancel() -> usize {
    current().map_or(0, |task| task.uncancel())
}

/// The task being polled; see [`current`].
pub struct CurrentTask {
    task: CountedRef,
}

impl CurrentTask {
    /// Its id.
    pub fn id(&self) -> TaskId {
        self.task.header().id
    }

    /// Its name, if it was spawned with one.
    pub fn name(&self) -> Option<&str> {
        self.task.header().name().map(|name| &**name)
    }

    /// Cancel requests not undone (asyncio's `cancelling()`).
    pub fn cancelling(&self) -> usize {
        self.task.header().requests.load(Acquire) as usize
    }

    /// Requests its own cancellation (see [`Task::cancel`](crate::Task::cancel)).
    pub fn cancel(&self) -> bool {
        cancel::request(self.task.raw(), None)
    }

    /// Requests its own cancellation with a message.
    pub fn cancel_with(&self, message: impl Into<Arc<str>>) -> bool {
        cancel::request(self.task.raw(), Some(message.into()))
    }

    /// Undoes one cancel request; see [`uncancel`]. Called from the task itself, an
    /// undo that brings the count to zero also withdraws the request still waiting
    /// (`cancel/mod.rs`, rule 3); from anywhere else it only counts.
    pub fn uncancel(&self) -> usize {
        let requests = &self.task.header().requests;
        let prev = requests
            .fetch_update(AcqRel, Acquire, |n| Some(n.saturating_sub(1)))
            .unwrap_or(0);
        let left = prev.saturating_sub(1);
        if prev == 1 && context::current_task() == Some(self.task.raw()) {
            cancel::withdraw(self.task.raw());
        }
        left as usize
    }
}

impl fmt::Debug for CurrentTask {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CurrentTask")
            .field("id", &self.id())
            .field("name", &self.name())
            .field("cancelling", &self.cancelling())
            .finish()
    }
}
