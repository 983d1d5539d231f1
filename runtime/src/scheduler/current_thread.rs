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
//!    leaves (it is unparked then).
//! 3. Every push unparks the driver's parker: a token when it is awake, a wake-up when
//!    it sleeps (park.rs, rule 1) — no lost wakeups.
//! 4. Shutdown closes the owned list, cancels every task in it, and drains the queue;
//!    a push after that drops its task (it is already cancelled).

use crate::blocking;
use crate::loom::sync::atomic::{
    AtomicBool, Ordering::AcqRel, Ordering::Acquire, Ordering::Release, Ordering::SeqCst,
};
use crate::loom::{Arc, Mutex};
use crate::runtime::{context, RuntimeMetrics};
use crate::scheduler::counters::PaddedCounters;
use crate::scheduler::park::{FlagWake, Parker, Unparker};
use crate::task::{self, list::OwnedTasks, Schedule, Task, TaskId, TaskRef};
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
    counters: PaddedCounters,
    pub(crate) blocking: blocking::Spawner,
}

impl Shared {
    pub(crate) fn new(blocking: blocking::Spawner) -> Arc<Shared> {
        let parker = Parker::new();
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
        })
    }

    pub(crate) fn spawn<F>(self: &Arc<Self>, future: F, id: TaskId) -> Task<F::Output>
    where
        F: Future + Send + 'static,
        F::Output: Send + 'static,
    {
        let (task, notified, handle) = task::new_task(future, self.clone(), id);
        if let Some(notified) = self.owned.bind(task, notified) {
            self.push(notified);
        }
        handle
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
        let mut future = pin!(future);
        loop {
            if self
                .core
                .compare_exchange(false, true, AcqRel, Acquire)
                .is_ok()
            {
                let out = self.drive(future.as_mut());
                self.release_core();
                if let Some(out) = out {
                    return out;
                }
                // Shut down under us: fall through to waiting on our own future.
            }
            if let Some(out) = self.wait_for_core(future.as_mut()) {
                return out;
            }
        }
    }

    /// Runs tasks and the `block_on` future until it completes (or shutdown).
    fn drive<F: Future>(&self, mut future: std::pin::Pin<&mut F>) -> Option<F::Output> {
        // A new flag starts set: the future is polled once with this waker first.
        let woken = FlagWake::new(self.unpark.clone());
        let waker = woken.waker();
        let mut cx = Context::from_waker(&waker);
        loop {
            if woken.take() {
                if let Poll::Ready(out) = future.as_mut().poll(&mut cx) {
                    return Some(out);
                }
            }
            let mut ran = 0;
            while ran < EVENT_INTERVAL {
                let Some(task) = self.pop() else { break };
                self.counters.polls.incr();
                task.run();
                ran += 1;
            }
            if self.shutdown.load(Acquire) {
                return None;
            }
            if ran == 0 && !woken.is_set() {
                self.counters.parks.incr();
                self.parker.park();
            }
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
    fn wait_for_core<F: Future>(&self, mut future: std::pin::Pin<&mut F>) -> Option<F::Output> {
        let parker = Parker::new();
        let waker = parker.unparker().into_waker();
        let mut cx = Context::from_waker(&waker);
        loop {
            if let Poll::Ready(out) = future.as_mut().poll(&mut cx) {
                return Some(out);
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
        self.owned.close_and_shutdown_all();
        let drained: Vec<Notified> = {
            let mut queue = self.queue.lock();
            queue.drain(..).collect()
        };
        drop(drained);
        self.unpark.unpark();
    }

    pub(crate) fn metrics(&self) -> RuntimeMetrics {
        let (blocking_threads, idle_blocking_threads) = self.blocking.thread_counts();
        RuntimeMetrics {
            workers: vec![self.counters.snapshot()],
            live_tasks: self.owned.len(),
            blocking_threads,
            idle_blocking_threads,
        }
    }
}

impl Schedule for Arc<Shared> {
    fn schedule(&self, task: Notified) {
        self.push(task);
    }

    fn release(&self, task: &TaskRef<Self>) -> Option<TaskRef<Self>> {
        self.owned.remove(task)
    }
}
