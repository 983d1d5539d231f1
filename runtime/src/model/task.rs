//! Tasks on a scheduler a model drives by hand: spawn, then run whatever is queued
//! from any model thread, and shut down from any other.
//!
//! Its tasks live in a real owned list (`task/list.rs`), as a runtime's do: a
//! completion takes the list's reference out with its own (the two-reference path of
//! `harness.rs`'s `complete`), and [`ModelScheduler::shutdown`] closes the list and
//! shuts every task in it down, racing whatever polls, wakes or spawns meanwhile.

use crate::loom::{Arc, Mutex};
use crate::task::list::OwnedTasks;
use crate::task::{self, Notified, Schedule, SpawnMeta, Task, TaskRef};
use std::collections::VecDeque;
use std::future::Future;
use std::panic::Location;

/// A run queue and an owned list: wakes and cancels queue the task; `run_queued`
/// polls.
pub struct ModelScheduler {
    queue: Mutex<RunQueue>,
    owned: OwnedTasks<Arc<ModelScheduler>>,
}

/// The queued tasks, and whether shutdown closed the queue: a push after that drops
/// its task (already shut down through the owned list), as the current-thread
/// scheduler's does, so no queued reference outlives the scheduler.
struct RunQueue {
    tasks: VecDeque<Notified<Arc<ModelScheduler>>>,
    closed: bool,
}

impl ModelScheduler {
    /// An empty scheduler.
    pub fn new() -> Arc<ModelScheduler> {
        Arc::new(ModelScheduler {
            queue: Mutex::new(RunQueue {
                tasks: VecDeque::new(),
                closed: false,
            }),
            owned: OwnedTasks::new(1),
        })
    }

    /// Spawns `future` into the owned list, queued, not yet polled; after shutdown it
    /// ends cancelled at once (list.rs, rule 4).
    pub fn spawn<F>(self: &Arc<Self>, future: F) -> Task<F::Output>
    where
        F: Future + Send + 'static,
        F::Output: Send + 'static,
    {
        let meta = SpawnMeta::new(Location::caller(), None, false);
        self.start(task::new_task(future, self.clone(), meta))
    }

    /// Spawns a future that ends with its own `TaskError`, as a TaskGroup child: the
    /// handle reads the two errors as one.
    pub fn spawn_fallible<F, T>(self: &Arc<Self>, future: F) -> Task<T>
    where
        F: Future<Output = Result<T, crate::TaskError>> + Send + 'static,
        T: Send + 'static,
    {
        let meta = SpawnMeta::new(Location::caller(), None, false);
        self.start(task::new_fallible_task(future, self.clone(), meta))
    }

    /// Binds a new task into the owned list and queues it, as a runtime's spawn does.
    fn start<T>(
        &self,
        (list_ref, notified, handle): (TaskRef<Arc<Self>>, Notified<Arc<Self>>, Task<T>),
    ) -> Task<T> {
        if let Some(notified) = self.owned.bind(list_ref, notified) {
            self.push(notified);
        }
        handle
    }

    fn push(&self, task: Notified<Arc<Self>>) {
        let mut queue = self.queue.lock();
        if queue.closed {
            drop(queue);
            drop(task);
            return;
        }
        queue.tasks.push_back(task);
    }

    /// Polls every task queued right now; returns how many.
    pub fn run_queued(&self) -> usize {
        let mut ran = 0;
        loop {
            let next = self.queue.lock().tasks.pop_front();
            let Some(task) = next else { return ran };
            task.run();
            ran += 1;
        }
    }

    /// Drops every queued reference unrun.
    pub fn drain(&self) {
        let drained: Vec<_> = self.queue.lock().tasks.drain(..).collect();
        drop(drained);
    }

    /// Shuts down as a runtime does: closes the owned list and shuts every task in it
    /// down (list.rs, rule 4; `harness.rs`'s `shutdown`), then closes the queue and
    /// drops what it holds.
    pub fn shutdown(&self) {
        self.owned.close_and_shutdown_all();
        self.queue.lock().closed = true;
        self.drain();
    }

    /// How many tasks are in the owned list: spawned and not yet complete.
    pub fn live_tasks(&self) -> usize {
        self.owned.len()
    }
}

impl Schedule for Arc<ModelScheduler> {
    fn schedule(&self, task: Notified<Self>) {
        self.push(task);
    }

    fn release(&self, task: &TaskRef<Self>) -> Option<TaskRef<Self>> {
        self.owned.remove(task)
    }
}
