//! The current-thread scheduler: one thread, tasks run in FIFO order.
//!
//! The thread that calls `block_on` runs the tasks, in exactly the order they were
//! spawned or woken: deterministic, as asyncio's loop is. Other threads may spawn and
//! wake; their tasks join the back of the same queue.
//!
//! # Rules
//!
//! 1. The queue is one FIFO under a mutex; the thread holding `core` (the *driver*) is
//!    the only one that pops it.
//! 2. `core` is taken by the first `block_on`; a second, concurrent `block_on` on
//!    another thread only polls its own future, and takes `core` over when the driver
//!    leaves (it is unparked then). The driver leaves however `block_on` ends — with
//!    its future's output, at shutdown, or unwinding from a panic of that future.
//! 3. Every push unparks the driving thread's parker: a token when it is awake, a
//!    wake-up when it sleeps, in the driver or not (park.rs, rule 1) — no lost wakeups.
//! 4. The driving thread turns the driver (I/O and timers): blocking in it when idle,
//!    and without blocking after every `EVENT_INTERVAL` tasks, so a busy queue does not
//!    starve I/O.
//! 5. On a paused clock, when the queue is empty, the `block_on` future was not woken,
//!    ready I/O and due timers woke nothing, and no blocking-pool job is in flight (it
//!    could wake a task at any moment), the clock jumps to the next timer
//!    (auto-advance). With nothing to jump to it waits for I/O or a wake.
//! 6. Shutdown closes the owned list, cancels every task in it, and drains the queue;
//!    a push after that drops its task (it is already cancelled). Local tasks are shut
//!    down on their own thread (`local.rs`, rule 3).
//! 7. Each thread in `block_on` runs its own local tasks (`spawn_local`): the driver
//!    after each batch of the queue's, a waiting thread whenever it wakes. They wake
//!    it through the parker it sleeps on.

use crate::blocking;
use crate::driver::{self, Driver};
use crate::loom::sync::atomic::{
    AtomicBool, Ordering::AcqRel, Ordering::Acquire, Ordering::Release, Ordering::SeqCst,
};
use crate::loom::{Arc, Mutex};
use crate::scheduler::context;
use crate::scheduler::counters::PaddedCounters;
use crate::scheduler::local::{LocalRegistry, LocalScheduler};
use crate::scheduler::park::{FlagWake, Parker, Unparker};
use crate::scheduler::TaskConfig;
use crate::task::debug::{report_pending_at_shutdown, DebugConfig};
use crate::task::report::Report;
use crate::task::{self, list::OwnedTasks, Schedule, TaskRef};
use std::collections::VecDeque;
use std::future::Future;
use std::pin::pin;
use std::task::{Context, Poll};

type Notified = task::Notified<Arc<Shared>>;

/// How many tasks run between two looks at the `block_on` future.
const EVENT_INTERVAL: usize = 61;

pub(crate) struct Shared {
    queue: Mutex<VecDeque<Notified>>,
    pub(crate) owned: OwnedTasks<Arc<Shared>>,
    /// The driver sleeps on this parker (rule 3).
    parker: Parker,
    unpark: Unparker,
    /// Held by the driving thread (rule 2).
    core: AtomicBool,
    /// `block_on` callers waiting for `core`.
    waiting: Mutex<Vec<Unparker>>,
    shutdown: AtomicBool,
    pub(crate) counters: PaddedCounters,
    pub(crate) blocking: blocking::Spawner,
    /// Turned by the thread holding `core` (rule 4).
    driver: Mutex<Driver>,
    pub(crate) driver_handle: driver::Handle,
    pub(crate) config: TaskConfig,
    /// The local schedulers of this runtime's threads (local.rs).
    pub(crate) locals: LocalRegistry,
}

impl Shared {
    pub(crate) fn new(
        blocking: blocking::Spawner,
        (driver, driver_handle): (Driver, driver::Handle),
        config: TaskConfig,
    ) -> Arc<Shared> {
        let parker = Parker::with_driver(driver_handle.clone());
        Arc::new(Shared {
            queue: Mutex::new(VecDeque::new()),
            owned: OwnedTasks::new(1),
            unpark: parker.unparker(),
            parker,
            core: AtomicBool::new(false),
            waiting: Mutex::new(Vec::new()),
            shutdown: AtomicBool::new(false),
            counters: PaddedCounters::default(),
            blocking,
            driver: Mutex::new(driver),
            driver_handle,
            config,
            locals: LocalRegistry::default(),
        })
    }

    fn push(&self, task: Notified) {
        {
            let mut queue = self.queue.lock();
            if self.shutdown.load(Acquire) {
                drop(queue);
                drop(task);
                return;
            }
            queue.push_back(task);
        }
        self.unpark.unpark();
    }

    fn pop(&self) -> Option<Notified> {
        self.queue.lock().pop_front()
    }

    /// Runs `future` to completion on this thread, running the runtime's tasks while it
    /// waits (rule 2 when another thread already drives).
    pub(crate) fn block_on<F: Future>(
        self: &Arc<Self>,
        handle: crate::scheduler::Handle,
        future: F,
    ) -> F::Output {
        let _enter = context::enter_runtime(handle, "Runtime::block_on");
        let local_tasks = self.locals.for_block_on(&self.config);
        let mut future = pin!(future);
        loop {
            if self
                .core
                .compare_exchange(false, true, AcqRel, Acquire)
                .is_ok()
            {
                // Released however `drive` ends, a panic of the future included
                // (rule 2): a core left taken would leave every later `block_on` waiting
                // for a driver that is gone.
                let core = CoreGuard(self);
                let out = self.drive(future.as_mut(), &local_tasks);
                drop(core);
                if let Some(out) = out {
                    return out;
                }
                // Shut down under us: fall through to waiting on our own future.
            }
            if let Some(out) = self.wait_for_core(future.as_mut(), &local_tasks) {
                return out;
            }
        }
    }

    /// Runs tasks and the `block_on` future until it completes (or shutdown). This
    /// thread's local tasks run after each batch of the queue's (rule 7).
    fn drive<F: Future>(
        &self,
        mut future: std::pin::Pin<&mut F>,
        local_tasks: &Arc<LocalScheduler>,
    ) -> Option<F::Output> {
        // A new flag starts set: the future is polled once with this waker first.
        let woken = FlagWake::new(self.unpark.clone());
        let waker = woken.waker();
        let mut cx = Context::from_waker(&waker);
        let _local = local_tasks.enter(self.unpark.clone().into_waker());
        loop {
            if woken.take() {
                if let Poll::Ready(out) = future.as_mut().poll(&mut cx) {
                    return Some(out);
                }
            }
            let mut ran = 0;
            while ran < EVENT_INTERVAL {
                let Some(task) = self.pop() else { break };
                self.counters
                    .count_poll(self.config.poll_time_histogram, || task.run());
                ran += 1;
            }
            let ran_local = local_tasks.run_ready(EVENT_INTERVAL);
            if self.shutdown.load(Acquire) {
                return None;
            }
            if ran == EVENT_INTERVAL || ran_local == EVENT_INTERVAL {
                self.driver.lock().turn_without_blocking();
            } else if ran == 0 && ran_local == 0 && !woken.is_set() {
                self.park(&woken, local_tasks);
            }
        }
    }

    /// Sleeps until there is work: in the driver, or on a paused clock by jumping it
    /// to the next timer (rule 5).
    fn park(&self, woken: &FlagWake, local_tasks: &LocalScheduler) {
        if self.driver_handle.timers.clock().is_paused() {
            let mut driver = self.driver.lock();
            driver.turn_without_blocking();
            if !self.queue.lock().is_empty() || woken.is_set() || local_tasks.has_work() {
                return;
            }
            if !self.blocking.has_jobs_in_flight() && driver.auto_advance() {
                return;
            }
        }
        self.counters.parks.incr();
        self.parker.park_in_driver(&self.driver);
    }

    /// The blocking pool drained: a paused clock held back by a job may jump, so the
    /// driving thread re-checks (rule 5).
    pub(crate) fn blocking_jobs_done(&self) {
        if self.driver_handle.timers.clock().is_paused() {
            self.unpark.unpark();
        }
    }

    fn release_core(&self) {
        self.core.store(false, Release);
        let waiting = std::mem::take(&mut *self.waiting.lock());
        for unpark in waiting {
            unpark.unpark();
        }
    }

    /// Another thread drives: poll our future when woken, and come back for `core`
    /// when the driver leaves. Returns the output if the future completed.
    fn wait_for_core<F: Future>(
        &self,
        mut future: std::pin::Pin<&mut F>,
        local_tasks: &Arc<LocalScheduler>,
    ) -> Option<F::Output> {
        let parker = Parker::new();
        let waker = parker.unparker().into_waker();
        let mut cx = Context::from_waker(&waker);
        let _local = local_tasks.enter(waker.clone());
        loop {
            if let Poll::Ready(out) = future.as_mut().poll(&mut cx) {
                return Some(out);
            }
            // This thread's local tasks run here, whoever drives (rule 7).
            if local_tasks.run_ready(EVENT_INTERVAL) > 0 || local_tasks.has_work() {
                continue;
            }
            self.waiting.lock().push(parker.unparker());
            if !self.core.load(SeqCst) {
                return None;
            }
            parker.park();
            if !self.core.load(SeqCst) {
                return None;
            }
        }
    }

    pub(crate) fn shutdown(&self) {
        self.shutdown.store(true, Release);
        self.locals.shutdown(&self.config);
        report_pending_at_shutdown(&self.owned, self.config.debug.as_ref(), |r| {
            self.config.reporter.report(r)
        });
        self.owned.close_and_shutdown_all();
        let drained: Vec<Notified> = {
            let mut queue = self.queue.lock();
            queue.drain(..).collect()
        };
        drop(drained);
        self.driver_handle.shutdown();
        self.unpark.unpark();
    }
}

/// Holds `core` for the thread that drives, and hands it on when dropped (rule 2).
struct CoreGuard<'a>(&'a Shared);

impl Drop for CoreGuard<'_> {
    fn drop(&mut self) {
        self.0.release_core();
    }
}

impl Schedule for Arc<Shared> {
    fn schedule(&self, task: Notified) {
        self.push(task);
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
