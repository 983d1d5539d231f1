//! Schedulers: where tasks wait and which thread runs them.
//!
//! Two flavours share the task machinery: [`multi_thread`] (work-stealing workers)
//! and [`current_thread`] (one thread, FIFO). [`Handle`] is the runtime-independent
//! view the rest of the crate uses.

pub(crate) mod context;
pub(crate) mod counters;
pub(crate) mod current_thread;
pub(crate) mod local;
pub(crate) mod multi_thread;
pub(crate) mod park;

use crate::blocking;
use crate::loom::Arc;
use crate::task::context::LiveTasks;
use crate::task::debug::DebugConfig;
use crate::task::report::Reporter;
use crate::task::{
    self, list::OwnedTasks, Notified, RawTask, Schedule, SpawnMeta, Start, Task, TaskError,
    TaskInfo, TaskRef,
};
use counters::WorkerCounters;
use std::future::Future;

/// Which runtime: unique for the life of the process.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct RuntimeId(u64);

impl RuntimeId {
    pub(crate) fn next() -> RuntimeId {
        static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
        RuntimeId(NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed))
    }
}

/// What the builder decided for every task of one runtime.
#[derive(Clone, Debug)]
pub(crate) struct TaskConfig {
    /// The runtime these tasks belong to.
    pub(crate) runtime: RuntimeId,
    /// Tasks spawned without saying are eager (`Builder::eager_tasks`).
    pub(crate) eager_tasks: bool,
    /// Where reports go (`Builder::report_hook`).
    pub(crate) reporter: Reporter,
    /// Workers time each poll into their histogram (`Builder::poll_time_histogram`).
    pub(crate) poll_time_histogram: bool,
    /// Debug mode (`Builder::debug`), if on.
    pub(crate) debug: Option<DebugConfig>,
}

impl Default for TaskConfig {
    /// A new runtime's settings when nothing was asked for.
    fn default() -> TaskConfig {
        TaskConfig {
            runtime: RuntimeId::next(),
            eager_tasks: false,
            reporter: Reporter::default(),
            poll_time_histogram: false,
            debug: None,
        }
    }
}

/// A scheduler that keeps its live tasks in an owned list (both flavours; not the
/// blocking pool).
pub(crate) trait OwnsTasks: Schedule {
    fn owned(&self) -> &OwnedTasks<Self>;
}

impl LiveTasks for multi_thread::Shared {
    fn infos(&self) -> Vec<TaskInfo> {
        self.owned.infos()
    }
}

impl LiveTasks for current_thread::Shared {
    fn infos(&self) -> Vec<TaskInfo> {
        self.owned.infos()
    }
}

impl OwnsTasks for Arc<multi_thread::Shared> {
    fn owned(&self) -> &OwnedTasks<Self> {
        &self.owned
    }
}

impl OwnsTasks for Arc<current_thread::Shared> {
    fn owned(&self) -> &OwnedTasks<Self> {
        &self.owned
    }
}

/// Starts a new task: into the owned list, then queued, queued behind the work already
/// waiting, or — an eager task (asyncio's: finished in its first poll, it is never
/// queued) — handed back for its first poll.
fn start_task<S: OwnsTasks, T>(
    scheduler: &S,
    (task, notified, join): (TaskRef<S>, Notified<S>, Task<T>),
    start: Start,
) -> (Task<T>, Option<FirstPoll>) {
    let mut first_poll = None;
    if let Some(notified) = scheduler.owned().bind(task, notified) {
        match start {
            Start::Eager => first_poll = Some(FirstPoll(notified.into_raw())),
            Start::Queued => scheduler.schedule(notified),
            Start::Behind => scheduler.yield_now(notified),
        }
    }
    (join, first_poll)
}

/// An eager task's first poll, to be run by whoever spawned it.
#[must_use = "an eager task is polled for the first time only by `run`"]
pub(crate) struct FirstPoll(RawTask);

impl FirstPoll {
    /// Polls the task inline, on this thread.
    pub(crate) fn run(self) {
        let raw = self.0;
        std::mem::forget(self);
        // SAFETY: a `FirstPoll` owns the `Notified` reference it was made from.
        unsafe { raw.poll() };
    }
}

impl Drop for FirstPoll {
    fn drop(&mut self) {
        // Never run here (the spawner unwound first): queue it like any new task, so
        // its NOTIFIED bit still stands for a `Notified` somewhere.
        // SAFETY: a `FirstPoll` owns one `Notified` reference, which `schedule` queues.
        unsafe { self.0.schedule() };
    }
}

/// A handle to either flavour of scheduler.
#[derive(Clone)]
pub(crate) enum Handle {
    MultiThread(Arc<multi_thread::Shared>),
    CurrentThread(Arc<current_thread::Shared>),
}

impl Handle {
    pub(crate) fn spawn<F>(&self, future: F, meta: SpawnMeta) -> Task<F::Output>
    where
        F: Future + Send + 'static,
        F::Output: Send + 'static,
    {
        let (task, first_poll) = self.spawn_deferred(future, meta);
        if let Some(first_poll) = first_poll {
            let _current = crate::scheduler::context::enter_unless_current(self);
            first_poll.run();
        }
        task
    }

    /// As [`spawn`](Self::spawn), but an eager task's first poll is handed back to run
    /// rather than run here: for a caller that holds a borrow of this thread's context
    /// (`weft::spawn`), which the task's own code may need to change (it may enter
    /// another runtime's handle, or drop a runtime). The caller runs it at once, with
    /// this handle current.
    pub(crate) fn spawn_deferred<F>(
        &self,
        future: F,
        meta: SpawnMeta,
    ) -> (Task<F::Output>, Option<FirstPoll>)
    where
        F: Future + Send + 'static,
        F::Output: Send + 'static,
    {
        let start = meta.start;
        match self {
            Handle::MultiThread(s) => start_task(s, task::new_task(future, s.clone(), meta), start),
            Handle::CurrentThread(s) => {
                start_task(s, task::new_task(future, s.clone(), meta), start)
            }
        }
    }

    /// Spawns a future that ends with its own `TaskError` (a TaskGroup child).
    pub(crate) fn spawn_fallible<F, T>(&self, future: F, meta: SpawnMeta) -> Task<T>
    where
        F: Future<Output = Result<T, TaskError>> + Send + 'static,
        T: Send + 'static,
    {
        let start = meta.start;
        let (task, first_poll) = match self {
            Handle::MultiThread(s) => {
                start_task(s, task::new_fallible_task(future, s.clone(), meta), start)
            }
            Handle::CurrentThread(s) => {
                start_task(s, task::new_fallible_task(future, s.clone(), meta), start)
            }
        };
        if let Some(first_poll) = first_poll {
            let _current = crate::scheduler::context::enter_unless_current(self);
            first_poll.run();
        }
        task
    }

    /// `true` if both are handles to the same runtime.
    pub(crate) fn ptr_eq(&self, other: &Handle) -> bool {
        match (self, other) {
            (Handle::MultiThread(a), Handle::MultiThread(b)) => Arc::ptr_eq(a, b),
            (Handle::CurrentThread(a), Handle::CurrentThread(b)) => Arc::ptr_eq(a, b),
            _ => false,
        }
    }

    /// Whether tasks spawned without saying are eager (`Builder::eager_tasks`).
    pub(crate) fn eager_by_default(&self) -> bool {
        match self {
            Handle::MultiThread(shared) => shared.config.eager_tasks,
            Handle::CurrentThread(shared) => shared.config.eager_tasks,
        }
    }

    /// A snapshot of the live tasks.
    pub(crate) fn task_infos(&self) -> Vec<TaskInfo> {
        self.live_tasks().infos()
    }

    /// The runtime's live tasks, as the task layer's `task::all()` reads them.
    pub(crate) fn live_tasks(&self) -> Arc<dyn LiveTasks> {
        match self {
            Handle::MultiThread(shared) => shared.clone(),
            Handle::CurrentThread(shared) => shared.clone(),
        }
    }

    pub(crate) fn blocking(&self) -> &blocking::Spawner {
        match self {
            Handle::MultiThread(shared) => &shared.blocking,
            Handle::CurrentThread(shared) => &shared.blocking,
        }
    }

    /// What the builder decided for this runtime's tasks.
    pub(crate) fn config(&self) -> &TaskConfig {
        match self {
            Handle::MultiThread(shared) => &shared.config,
            Handle::CurrentThread(shared) => &shared.config,
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

    /// Each worker's counters, in index order (one for the current-thread flavour).
    pub(crate) fn worker_counters(&self) -> Vec<&WorkerCounters> {
        match self {
            Handle::MultiThread(shared) => shared.remotes.iter().map(|r| &*r.counters).collect(),
            Handle::CurrentThread(shared) => vec![&*shared.counters],
        }
    }

    /// How many tasks are alive.
    pub(crate) fn live_task_count(&self) -> usize {
        match self {
            Handle::MultiThread(shared) => shared.owned.len(),
            Handle::CurrentThread(shared) => shared.owned.len(),
        }
    }
}
