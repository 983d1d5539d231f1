//! Tasks on a scheduler a model drives by hand: spawn, then run whatever is queued
//! from any model thread.

use crate::loom::{Arc, Mutex};
use crate::task::{self, Notified, Schedule, SpawnMeta, Task, TaskRef};
use std::collections::VecDeque;
use std::future::Future;
use std::panic::Location;

/// A run queue and nothing else: wakes and cancels queue the task; `run_queued` polls.
pub struct ModelScheduler {
    queue: Mutex<VecDeque<Notified<Arc<ModelScheduler>>>>,
}

impl ModelScheduler {
    /// An empty scheduler.
    pub fn new() -> Arc<ModelScheduler> {
        Arc::new(ModelScheduler {
            queue: Mutex::new(VecDeque::new()),
        })
    }

    /// Spawns `future` (queued, not yet polled). The task is in no owned list.
    pub fn spawn<F>(self: &Arc<Self>, future: F) -> Task<F::Output>
    where
        F: Future + Send + 'static,
        F::Output: Send + 'static,
    {
        let meta = SpawnMeta::new(Location::caller(), None, false);
        let (list_ref, notified, handle) = task::new_task(future, self.clone(), meta);
        drop(list_ref);
        self.queue.lock().push_back(notified);
        handle
    }

    /// Spawns a future that ends with its own `TaskError`, as a TaskGroup child: the
    /// handle reads the two errors as one.
    pub fn spawn_fallible<F, T>(self: &Arc<Self>, future: F) -> Task<T>
    where
        F: Future<Output = Result<T, crate::TaskError>> + Send + 'static,
        T: Send + 'static,
    {
        let meta = SpawnMeta::new(Location::caller(), None, false);
        let (list_ref, notified, handle) = task::new_fallible_task(future, self.clone(), meta);
        drop(list_ref);
        self.queue.lock().push_back(notified);
        handle
    }

    /// Polls every task queued right now; returns how many.
    pub fn run_queued(&self) -> usize {
        let mut ran = 0;
        loop {
            let next = self.queue.lock().pop_front();
            let Some(task) = next else { return ran };
            task.run();
            ran += 1;
        }
    }

    /// Drops every queued reference unrun (a scheduler shutting down).
    pub fn drain(&self) {
        let drained: Vec<_> = self.queue.lock().drain(..).collect();
        drop(drained);
    }
}

impl Schedule for Arc<ModelScheduler> {
    fn schedule(&self, task: Notified<Self>) {
        self.queue.lock().push_back(task);
    }

    fn release(&self, _task: &TaskRef<Self>) -> Option<TaskRef<Self>> {
        None
    }
}
