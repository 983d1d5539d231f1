//! Schedulers: where tasks wait and which thread runs them.
//!
//! Two flavours share the task machinery: [`multi_thread`] (work-stealing workers)
//! and [`current_thread`] (one thread, FIFO). [`Handle`] is the runtime-independent
//! view the rest of the crate uses.

mod arc_waker;
pub(crate) mod counters;
pub(crate) mod current_thread;
pub(crate) mod multi_thread;
pub(crate) mod park;

use crate::blocking;
use crate::loom::Arc;
use crate::runtime::RuntimeMetrics;
use crate::task::{Task, TaskId};
use std::future::Future;

/// A handle to either flavour of scheduler.
#[derive(Clone)]
pub(crate) enum Handle {
    MultiThread(Arc<multi_thread::Shared>),
    CurrentThread(Arc<current_thread::Shared>),
}

impl Handle {
    pub(crate) fn spawn<F>(&self, future: F, id: TaskId) -> Task<F::Output>
    where
        F: Future + Send + 'static,
        F::Output: Send + 'static,
    {
        match self {
            Handle::MultiThread(shared) => shared.spawn(future, id),
            Handle::CurrentThread(shared) => shared.spawn(future, id),
        }
    }

    pub(crate) fn blocking(&self) -> &blocking::Spawner {
        match self {
            Handle::MultiThread(shared) => &shared.blocking,
            Handle::CurrentThread(shared) => &shared.blocking,
        }
    }

    pub(crate) fn driver(&self) -> &crate::driver::Handle {
        match self {
            Handle::MultiThread(shared) => &shared.driver_handle,
            Handle::CurrentThread(shared) => &shared.driver_handle,
        }
    }

    /// The blocking pool has no job in flight any more (blocking/pool.rs, rule 6).
    pub(crate) fn blocking_jobs_done(&self) {
        if let Handle::CurrentThread(shared) = self {
            shared.blocking_jobs_done();
        }
    }

    pub(crate) fn metrics(&self) -> RuntimeMetrics {
        match self {
            Handle::MultiThread(shared) => shared.metrics(),
            Handle::CurrentThread(shared) => shared.metrics(),
        }
    }
}
