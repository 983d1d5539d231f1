//! The multi-thread work-stealing scheduler.
//!
//! Each worker owns a LIFO slot and a FIFO crossbeam-deque; a global `Injector` takes
//! work from outside the workers. Where a task goes:
//!
//! | event                                   | destination                              |
//! |-----------------------------------------|------------------------------------------|
//! | spawn or wake on a worker of this runtime | the worker's LIFO slot (the previous occupant moves to its deque) |
//! | a task woke itself during its poll (yield) | the back of the worker's deque         |
//! | spawn or wake from any other thread     | the injector, then maybe wake a sleeper  |
//!
//! # Rules
//!
//! 1. A worker takes work in this order: every `global_queue_interval` ticks the
//!    injector first (fairness); then the LIFO slot, at most `LIFO_LIMIT` times in a
//!    row (two tasks waking each other cannot starve the deque); then its deque; then
//!    a batch from the injector; then, as a searcher, a batch stolen from a random
//!    victim; then it parks (no spin: see `Worker::run`).
//! 2. Work from outside always wakes a sleeper when nobody searches (`idle.rs`,
//!    rules 2-3): that is the no-lost-wakeup guarantee. Work a worker queues for
//!    itself wakes a peer only when a second task is already waiting behind it: the
//!    worker will run it soon anyway, and on a small machine a thread wake-up costs
//!    hundreds of times a hand-off.
//! 3. Shutdown: the flag is set, every worker is unparked and exits its loop
//!    dropping what its own queues hold; then the owned list is closed and every task
//!    in it shut down; a push to the injector that races this drains the injector
//!    itself (a SeqCst fence on both sides), so no `Notified` outlives the runtime.

mod idle;
pub(crate) mod lifo;
pub(crate) mod monitor;
mod worker;

pub(crate) use idle::Idle;
#[cfg(any(weft_loom, test))]
pub(crate) use idle::Unparked;
pub(crate) use worker::Worker;

use crate::blocking;
use crate::driver::{self, Driver};
use crate::loom::deque::{Injector, Steal, Stealer};
use crate::loom::sync::atomic::{fence, AtomicBool, Ordering::SeqCst};
use crate::loom::{Arc, Mutex};
use crate::scheduler::counters::PaddedCounters;
use crate::scheduler::local::LocalRegistry;
use crate::scheduler::park::Unparker;
use crate::scheduler::TaskConfig;
use crate::task::debug::{report_pending_at_shutdown, DebugConfig};
use crate::task::report::Report;
use crate::task::{self, list::OwnedTasks, Schedule, TaskRef};
use lifo::LifoSlot;
use monitor::MonitorSleep;
pub(crate) use monitor::DEFAULT_THRESHOLD as DEFAULT_MONITOR_THRESHOLD;

pub(crate) type Notified = task::Notified<Arc<Shared>>;

/// How many ticks between looks at the injector before the local queue.
pub(crate) const GLOBAL_QUEUE_INTERVAL: u32 = 61;
/// How many LIFO-slot polls in a row before the slot yields to the deque.
pub(crate) const LIFO_LIMIT: u8 = 3;

/// What a worker shares with everyone else.
pub(crate) struct Remote {
    /// The worker's LIFO slot: its owner fills it, the monitor may empty it
    /// (`lifo.rs`).
    pub(crate) lifo: LifoSlot<Notified>,
    pub(crate) stealer: Stealer<Notified>,
    pub(crate) unpark: Unparker,
    pub(crate) counters: PaddedCounters,
}

/// The state shared by all workers and every handle of one multi-thread runtime.
pub(crate) struct Shared {
    pub(crate) injector: Injector<Notified>,
    /// Each worker also holds its own, so reaching it costs one load per poll, not an
    /// index into this slice.
    pub(crate) remotes: Box<[Arc<Remote>]>,
    idle: Idle,
    pub(crate) owned: OwnedTasks<Arc<Shared>>,
    shutdown: AtomicBool,
    pub(crate) blocking: blocking::Spawner,
    /// Turned by the worker that parks on it (driver.rs, rule 1).
    pub(crate) driver: Mutex<Driver>,
    pub(crate) driver_handle: driver::Handle,
    pub(crate) config: TaskConfig,
    /// The local schedulers of this runtime's threads (local.rs).
    pub(crate) locals: LocalRegistry,
    /// The monitor's sleep (`monitor.rs`). A runtime without a monitor never sleeps
    /// in it; its workers still pay the fence and load of `worker_unparked` per park.
    pub(crate) monitor: MonitorSleep,
}

impl Shared {
    /// Builds the shared state and the workers that will run on it.
    pub(crate) fn new(
        num_workers: usize,
        blocking: blocking::Spawner,
        (driver, driver_handle): (Driver, driver::Handle),
        config: TaskConfig,
    ) -> (Arc<Shared>, Vec<Worker>) {
        let mut remotes = Vec::with_capacity(num_workers);
        let mut parts = Vec::with_capacity(num_workers);
        for _ in 0..num_workers {
            let local = crate::loom::deque::Worker::new_fifo();
            let parker = crate::scheduler::park::Parker::with_driver(driver_handle.clone());
            remotes.push(Arc::new(Remote {
                lifo: LifoSlot::new(),
                stealer: local.stealer(),
                unpark: parker.unparker(),
                counters: PaddedCounters::default(),
            }));
            parts.push((local, parker));
        }
        let shared = Arc::new(Shared {
            injector: Injector::new(),
            remotes: remotes.into_boxed_slice(),
            idle: Idle::new(num_workers),
            owned: OwnedTasks::new(num_workers * 4),
            shutdown: AtomicBool::new(false),
            blocking,
            driver: Mutex::new(driver),
            driver_handle,
            config,
            locals: LocalRegistry::default(),
            monitor: MonitorSleep::new(),
        });
        let workers = parts
            .into_iter()
            .enumerate()
            .map(|(index, (local, parker))| Worker::new(index, shared.clone(), local, parker))
            .collect();
        (shared, workers)
    }

    fn schedule_task(self: &Arc<Self>, task: Notified, is_yield: bool) {
        let task = crate::scheduler::context::with_worker(|worker| match worker {
            Some(worker) if Arc::ptr_eq(worker.shared(), self) => {
                worker.schedule_local(task, is_yield);
                None
            }
            _ => Some(task),
        });
        if let Some(task) = task {
            self.push_remote(task);
        }
    }

    /// Queues work from outside the workers and wakes one if needed (rule 2).
    pub(crate) fn push_remote(&self, task: Notified) {
        self.injector.push(task);
        fence(SeqCst);
        if self.shutdown.load(SeqCst) {
            // Rule 3: the shutdown pass may have drained already.
            self.drain_injector();
            return;
        }
        self.notify_parked();
    }

    /// Wakes one sleeping worker if nobody searches. The caller published its work and
    /// fenced (idle.rs, rule 3).
    pub(crate) fn notify_parked(&self) {
        if let Some(index) = self.idle.worker_to_notify() {
            self.remotes[index].unpark.unpark();
        }
    }

    pub(crate) fn idle(&self) -> &Idle {
        &self.idle
    }

    /// `true` if any queue a worker could take from holds a task.
    pub(crate) fn has_remote_work(&self) -> bool {
        !self.injector.is_empty() || self.remotes.iter().any(|r| !r.stealer.is_empty())
    }

    pub(crate) fn is_shutdown(&self) -> bool {
        self.shutdown.load(SeqCst)
    }

    /// Starts shutdown: workers stop at their next look at the flag (rule 3).
    pub(crate) fn begin_shutdown(&self) {
        self.shutdown.store(true, SeqCst);
        fence(SeqCst);
        for remote in self.remotes.iter() {
            remote.unpark.unpark();
        }
        self.monitor.wake();
    }

    /// Ends shutdown once the workers are gone (or given up on): cancels every task
    /// left and drops every queued reference.
    pub(crate) fn finish_shutdown(&self) {
        self.locals.shutdown(&self.config);
        report_pending_at_shutdown(&self.owned, self.config.debug.as_ref(), |r| {
            self.config.reporter.report(r)
        });
        self.owned.close_and_shutdown_all();
        self.drain_injector();
        self.driver_handle.shutdown();
    }

    fn drain_injector(&self) {
        loop {
            match self.injector.steal() {
                Steal::Success(task) => drop(task),
                Steal::Empty => break,
                Steal::Retry => continue,
            }
        }
    }
}

impl Schedule for Arc<Shared> {
    fn schedule(&self, task: Notified) {
        self.schedule_task(task, false);
    }

    fn yield_now(&self, task: Notified) {
        self.schedule_task(task, true);
    }

    fn release(&self, task: &TaskRef<Self>) -> Option<TaskRef<Self>> {
        self.owned.remove(task)
    }

    fn report(&self, report: &Report) {
        self.config.reporter.report(report);
    }

    fn debug(&self) -> Option<&DebugConfig> {
        self.config.debug.as_ref()
    }
}
