//! The multi-thread scheduler itself (`scheduler/multi_thread/`): its shared state,
//! workers that run their real loop (LIFO slot, deque, injector batches, stealing,
//! parking in the driver or on the condition variable), spawns from outside, and
//! shutdown in its two steps.
//!
//! A model starts each [`ModelWorker`] on a loom thread — its whole loop, or its turns
//! until it finds nothing to do, which leaves out parking and keeps the model small —
//! spawns from another, and ends with [`MultiThreadModel::begin_shutdown`], joining
//! the workers, and [`MultiThreadModel::finish_shutdown`]: what `Runtime::shutdown`
//! does.

use super::parts::{ModelHandle, RuntimeParts};
use crate::blocking::BlockingPool;
use crate::loom::Arc;
use crate::scheduler::context;
use crate::scheduler::multi_thread::{Shared, Worker};
use crate::scheduler::Handle;
use crate::task::Task;
use std::future::Future;

/// One multi-thread runtime's shared state, seen from outside its workers.
pub struct MultiThreadModel {
    shared: Arc<Shared>,
    handle: ModelHandle,
    _pool: BlockingPool,
}

/// One worker, to be run on its own model thread.
pub struct ModelWorker {
    worker: Worker,
    handle: ModelHandle,
}

impl MultiThreadModel {
    /// A runtime with `workers` workers, none of them running yet.
    pub fn new(workers: usize) -> (MultiThreadModel, Vec<ModelWorker>) {
        let parts = RuntimeParts::new();
        let (shared, workers) = Shared::new(
            workers,
            parts.pool.spawner().clone(),
            parts.driver,
            parts.config,
        );
        let handle = Handle::MultiThread(shared.clone());
        let workers = workers
            .into_iter()
            .map(|worker| ModelWorker {
                worker,
                handle: ModelHandle(handle.clone()),
            })
            .collect();
        let model = MultiThreadModel {
            shared,
            handle: ModelHandle(handle),
            _pool: parts.pool,
        };
        (model, workers)
    }

    /// Spawns from a thread that is no worker: into the injector, waking a sleeping
    /// worker if nobody searches (`Shared::push_remote`).
    pub fn handle(&self) -> &ModelHandle {
        &self.handle
    }

    /// Shutdown's first step: the flag, and every worker unparked (mod.rs, rule 3).
    pub fn begin_shutdown(&self) {
        self.shared.begin_shutdown();
    }

    /// Shutdown's last step, once the workers are gone: every task left is shut down
    /// through the owned list and the injector is drained (mod.rs, rule 3).
    pub fn finish_shutdown(&self) {
        self.shared.finish_shutdown();
    }

    /// Tasks in the owned list: spawned, not yet complete or shut down.
    pub fn live_tasks(&self) -> usize {
        self.shared.owned.len()
    }

    /// Whether the injector holds a queued task.
    pub fn injector_has_work(&self) -> bool {
        !self.shared.injector.is_empty()
    }

    /// How many hold the scheduler's shared state: the model (twice: itself and its
    /// handle), each worker not yet finished, and each task not yet freed (a task holds
    /// its scheduler). Once the workers are joined and every handle is dropped, more
    /// than 2 means a task leaked.
    pub fn holders(&self) -> usize {
        Arc::strong_count(&self.shared)
    }
}

impl ModelWorker {
    /// Runs the worker's loop (`Worker::run`) until shutdown.
    pub fn run(self) {
        self.worker.run(self.handle.0);
    }

    /// Runs tasks as the worker's loop does — LIFO slot, deque, injector, stealing —
    /// until it finds none, and returns instead of parking: the loop's turns alone
    /// (`Worker::run_next`), in the worker's context, as `Worker::run` enters it.
    pub fn run_until_idle(&self) {
        let _runtime = context::enter_runtime(self.handle.0.clone(), "a model worker");
        let _worker = context::set_worker(&self.worker);
        while self.worker.run_next() {}
    }

    /// Spawns `future` as a task running on this worker does: into the worker's LIFO
    /// slot, moving the slot's previous task onto its deque (`Worker::schedule_local`).
    #[track_caller]
    pub fn spawn<F>(&self, future: F) -> Task<F::Output>
    where
        F: Future + Send + 'static,
        F::Output: Send + 'static,
    {
        let _worker = context::set_worker(&self.worker);
        self.handle.spawn(future)
    }
}
