//! One worker: its queues and its loop.
//!
//! A `Worker` lives on its own thread for the life of the runtime. Everything in it
//! that is not `Remote` (in `mod.rs`) is touched by that thread only, through the
//! pointer the context keeps (`context.rs`, rule 3), so plain `Cell`s suffice.

use super::idle::Unparked;
use super::{Notified, Remote, Shared, GLOBAL_QUEUE_INTERVAL, LIFO_LIMIT};
use crate::loom::deque::{Steal, Worker as LocalQueue};
use crate::loom::Arc;
use crate::scheduler::context;
use crate::scheduler::local::{LocalRunnable, LocalScheduler};
use crate::scheduler::park::Parker;
use std::cell::Cell;

pub(crate) struct Worker {
    index: usize,
    shared: Arc<Shared>,
    /// `shared.remotes[index]`.
    remote: Arc<Remote>,
    local: LocalQueue<Notified>,
    /// LIFO-slot polls in a row (rule 1 of `mod.rs`).
    lifo_streak: Cell<u8>,
    tick: Cell<u32>,
    rand: Cell<u64>,
    /// Counted as searching in `Idle`.
    is_searching: Cell<bool>,
    /// Woken by a peer and has not found work yet (for the `noop_wakes` counter).
    woken: Cell<bool>,
    parker: Parker,
    /// The tasks pinned to this worker (`spawn_local`), never stolen.
    local_tasks: Arc<LocalScheduler>,
    /// `Builder::poll_time_histogram`, read once: every poll asks.
    time_polls: bool,
}

/// What the loop runs next: a task any worker may run, or one pinned to this one.
enum Runnable {
    Shared(Notified),
    Local(LocalRunnable),
}

impl Worker {
    pub(super) fn new(
        index: usize,
        shared: Arc<Shared>,
        local: LocalQueue<Notified>,
        parker: Parker,
    ) -> Worker {
        let local_tasks = LocalScheduler::new(shared.config.clone());
        let time_polls = shared.config.poll_time_histogram;
        shared.locals.register(&local_tasks);
        Worker {
            index,
            remote: shared.remotes[index].clone(),
            shared,
            local,
            lifo_streak: Cell::new(0),
            tick: Cell::new(0),
            rand: Cell::new(0x9E37_79B9_7F4A_7C15 ^ ((index as u64 + 1) << 17)),
            is_searching: Cell::new(false),
            woken: Cell::new(false),
            local_tasks,
            parker,
            time_polls,
        }
    }

    pub(super) fn shared(&self) -> &Arc<Shared> {
        &self.shared
    }

    fn remote(&self) -> &Remote {
        &self.remote
    }

    /// The worker's loop; returns at shutdown.
    pub(crate) fn run(self, handle: crate::scheduler::Handle) {
        let _runtime = context::enter_runtime(handle, "a weft worker");
        let _worker = context::set_worker(&self);
        let local_tasks = self.local_tasks.enter(self.parker.unparker().into_waker());
        while !self.shared.is_shutdown() {
            if self.run_next() {
                continue;
            }
            // No spin first: a worker with nothing to do parks at once, as tokio's does.
            // A bounded spin (127 `spin_loop`s) made a lightly loaded echo server spend
            // about a fifth more CPU per request and spawns from outside the workers
            // take a third longer, and won nothing measurable (docs/performance.md,
            // item 7).
            self.park();
        }
        // Rule 3 of `mod.rs`: drop what this worker still holds. Tasks are shut down
        // through the owned list; these are only queue references. The local tasks
        // are shut down here, on their own thread (local.rs, rule 3).
        self.local_tasks.shutdown();
        drop(local_tasks);
        drop(_worker);
        drop(self.remote().lifo.take());
        while self.local.pop().is_some() {}
    }

    /// Finds a task — its own queues, its pinned tasks and the injector, then stealing
    /// — and runs it; `false` if there was none (rule 1 of `mod.rs`). One turn of the
    /// loop, short of parking; a loom model (`model/multi_thread.rs`) runs the worker
    /// through it.
    pub(crate) fn run_next(&self) -> bool {
        match self.next_task() {
            Some(Runnable::Shared(task)) => self.run_task(task),
            Some(Runnable::Local(task)) => self.run_local(task),
            None => match self.steal_work() {
                Some(task) => self.run_task(task),
                None => return false,
            },
        }
        true
    }

    fn run_local(&self, task: LocalRunnable) {
        self.woken.set(false);
        self.count_poll(|| task.run());
    }

    fn count_poll(&self, poll: impl FnOnce()) {
        self.remote().counters.count_poll(self.time_polls, poll);
    }

    fn run_task(&self, task: Notified) {
        // Found work: a wake that led here was not a no-op.
        self.woken.set(false);
        if self.is_searching.replace(false) {
            let more_work = || !self.local.is_empty() || !self.shared.injector.is_empty();
            if let Some(index) = self.shared.idle().searcher_found_work(more_work) {
                self.shared.remotes[index].unpark.unpark();
            }
        }
        self.count_poll(|| task.run());
    }

    /// LIFO slot, own deque and pinned tasks in turn, injector (rule 1 of `mod.rs`).
    fn next_task(&self) -> Option<Runnable> {
        let tick = self.tick.get().wrapping_add(1);
        self.tick.set(tick);
        if tick % GLOBAL_QUEUE_INTERVAL == 0 {
            self.turn_driver_if_free();
            if let Some(task) = self.pop_injector() {
                return Some(Runnable::Shared(task));
            }
        }
        if let Some(task) = self.remote().lifo.take() {
            let streak = self.lifo_streak.get();
            if streak < LIFO_LIMIT {
                self.lifo_streak.set(streak + 1);
                self.remote().counters.lifo_hits.incr();
                return Some(Runnable::Shared(task));
            }
            // The slot had its turns: it queues behind the others.
            self.local.push(task);
        }
        self.lifo_streak.set(0);
        // Pinned tasks take turns with the deque: on odd ticks they go first.
        if tick % 2 == 1 {
            if let Some(task) = self.local_tasks.next() {
                return Some(Runnable::Local(task));
            }
        }
        if let Some(task) = self.local.pop() {
            return Some(Runnable::Shared(task));
        }
        if let Some(task) = self.local_tasks.next() {
            return Some(Runnable::Local(task));
        }
        self.pop_injector().map(Runnable::Shared)
    }

    /// A busy worker's look at I/O and timers (driver.rs): without blocking, and only
    /// if no other thread is turning the driver already.
    fn turn_driver_if_free(&self) {
        if let Some(mut driver) = self.shared.driver.try_lock() {
            driver.turn_without_blocking();
        }
    }

    /// `true` if this worker's own queues hold a task (one the driver woke while this
    /// worker slept in it, for instance).
    fn has_local_work(&self) -> bool {
        self.remote().lifo.is_full() || !self.local.is_empty() || self.local_tasks.has_work()
    }

    fn pop_injector(&self) -> Option<Notified> {
        loop {
            match self.shared.injector.steal_batch_and_pop(&self.local) {
                Steal::Success(task) => {
                    self.remote().counters.injector_pops.incr();
                    return Some(task);
                }
                Steal::Empty => return None,
                Steal::Retry => continue,
            }
        }
    }

    /// Steals a batch from a random victim, as a searcher (idle.rs, rule 1).
    fn steal_work(&self) -> Option<Notified> {
        if !self.is_searching.get() {
            if !self.shared.idle().transition_worker_to_searching() {
                return None;
            }
            self.is_searching.set(true);
        }
        let remotes = &self.shared.remotes;
        let n = remotes.len();
        let start = self.next_rand() as usize % n;
        for i in 0..n {
            let victim = (start + i) % n;
            if victim == self.index {
                continue;
            }
            loop {
                match remotes[victim].stealer.steal_batch_and_pop(&self.local) {
                    Steal::Success(task) => {
                        self.remote().counters.steals.incr();
                        return Some(task);
                    }
                    Steal::Empty => break,
                    Steal::Retry => continue,
                }
            }
        }
        self.pop_injector()
    }

    fn park(&self) {
        if self.woken.replace(false) {
            self.remote().counters.noop_wakes.incr();
        }
        let was_searching = self.is_searching.replace(false);
        let has_work = || {
            // The driver may have woken tasks onto this worker's own queues while it
            // slept in it.
            self.shared.has_remote_work() || self.shared.is_shutdown() || self.has_local_work()
        };
        let sleep = || {
            self.remote().counters.parks.incr();
            self.parker.park_in_driver(&self.shared.driver);
        };
        match self
            .shared
            .idle()
            .park_worker(self.index, was_searching, has_work, sleep)
        {
            Unparked::FoundWork => {}
            Unparked::FoundWorkAndNotified => self.is_searching.set(true),
            Unparked::Notified => {
                self.is_searching.set(true);
                self.woken.set(true);
            }
        }
        // Counted unparked by now (monitor.rs, rule 4).
        self.shared.monitor.worker_unparked();
    }

    /// Queues a task from this worker's own thread (rule 2 of `mod.rs`).
    pub(super) fn schedule_local(&self, task: Notified, is_yield: bool) {
        if self.shared.is_shutdown() {
            // The loop is about to exit and drop its queues; the task is shut down
            // through the owned list.
            drop(task);
            return;
        }
        if is_yield {
            self.local.push(task);
        } else {
            match self.remote().lifo.put(task) {
                None => return,
                Some(prev) => self.local.push(prev),
            }
        }
        if self.local.len() > 1 && self.shared.idle().has_sleepers_relaxed() {
            self.shared.notify_parked();
        }
    }

    fn next_rand(&self) -> u64 {
        // xorshift64*
        let mut x = self.rand.get();
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.rand.set(x);
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
}
