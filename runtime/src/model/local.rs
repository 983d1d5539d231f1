//! Local tasks on a `LocalScheduler` a model drives by hand: the owner thread spawns
//! and runs; any model thread wakes.

use crate::loom::Arc;
use crate::scheduler::local::{EnterGuard, LocalScheduler};
use crate::scheduler::TaskConfig;
use crate::task::{LocalTask, SpawnMeta};
use std::future::Future;
use std::panic::Location;
use std::task::Waker;

/// The real `LocalScheduler` (`scheduler/local.rs`), entered on the thread that makes
/// it, with `wake_owner` as the way other threads reach it.
pub struct ModelLocal {
    scheduler: Arc<LocalScheduler>,
    _entered: EnterGuard,
}

impl ModelLocal {
    /// A local scheduler current on this (the owner) thread.
    pub fn enter(wake_owner: Waker) -> ModelLocal {
        let scheduler = LocalScheduler::new(TaskConfig::default());
        let entered = scheduler.enter(wake_owner);
        ModelLocal {
            scheduler,
            _entered: entered,
        }
    }

    /// Spawns a local task (queued, not yet polled).
    pub fn spawn<F>(&self, future: F) -> LocalTask<F::Output>
    where
        F: Future + 'static,
        F::Output: 'static,
    {
        let meta = SpawnMeta::new(Location::caller(), None, false);
        self.scheduler.spawn(future, meta)
    }

    /// Runs every task ready now, on this (the owner) thread; returns how many.
    pub fn run_ready(&self) -> usize {
        self.scheduler.run_ready(usize::MAX)
    }

    /// Whether a task is ready to run here (a wake from another thread included).
    pub fn has_work(&self) -> bool {
        self.scheduler.has_work()
    }

    /// Drops every task's future, on this thread.
    pub fn shutdown(&self) {
        self.scheduler.shutdown();
    }
}

/// Cancels a local task from any thread, as a `Send` handle to it (`current()`, a task
/// group's) does.
pub struct RemoteCancel(crate::task::CountedRef);

impl RemoteCancel {
    /// Requests cancellation and wakes the task.
    pub fn cancel(&self) {
        crate::task::cancel::request(self.0.raw(), None);
    }
}

/// A `Send` canceller for `task`.
pub fn remote_cancel<T>(task: &LocalTask<T>) -> RemoteCancel {
    // SAFETY: `task` holds a reference for the length of the call.
    RemoteCancel(unsafe { crate::task::CountedRef::new(task.raw()) })
}
