//! Local tasks: futures that are not `Send`, run only on the thread that spawned them
//! (`spawn_local`).
//!
//! Every thread that runs a runtime has a `LocalScheduler` of its own for it: each
//! multi-thread worker, and each thread inside `block_on` (either flavour). A local task
//! is bound to the scheduler of the thread that spawned it, so it is polled only there —
//! on a worker, in its turn with the worker's other tasks, never stolen; in `block_on`,
//! while the thread waits for its future.
//!
//! ```text
//!   owner thread                         any other thread
//!   ------------                         ----------------
//!   spawn / wake ──> local (VecDeque)    wake ──> remote (Mutex<Vec>) ──> wake_owner
//!                       │                                  │
//!                       └── run_ready: remote ─▶ local, pop, poll ◀┘
//! ```
//!
//! # Rules
//!
//! 1. **One owner.** A scheduler belongs to the thread it is current on (`CURRENT`,
//!    set by [`LocalScheduler::enter`]): a worker's for the worker's whole life, a
//!    `block_on` thread's while it is inside `block_on`. Only that thread touches
//!    `local`, and so only it pops, polls and shuts down the tasks.
//! 2. **Wakes come home.** `schedule` pushes onto `local` when the scheduler is current
//!    on the calling thread; from any other thread it pushes onto `remote` under its
//!    lock, sets `has_remote`, and then wakes the owner through `wake_owner` (the
//!    worker's parker, or the `block_on` loop's). The owner moves `remote` into `local`
//!    whenever it looks for work, and it looks after every wake-up, so a wake from
//!    another thread is never lost: either the owner's look sees `has_remote`, or the
//!    wake-up comes after it (a parker keeps a wake-up that comes before its park).
//! 3. **Shut down at home.** Tasks are shut down (their futures dropped) only on the
//!    owner thread: by a worker as it exits; by a `block_on` thread when its runtime
//!    shuts down on that thread, or when the thread exits (its thread-local's
//!    destructor). A runtime shutting down on another thread only *closes* the
//!    scheduler — no new local task is accepted — and leaves the rest to the owner. The
//!    tasks of an owner thread that never gets there (a worker stuck past the shutdown
//!    timeout, the main thread, whose thread-locals are not destroyed at exit) are
//!    leaked, never dropped on the wrong thread.
//! 4. **Not in the runtime's list.** Local tasks live in the scheduler's own owned list
//!    (the runtime's shutdown, running on any thread, must not reach their futures);
//!    `task::all()` lists those of the calling thread.

use super::TaskConfig;
use crate::loom::sync::atomic::{AtomicBool, Ordering::Acquire, Ordering::Release};
use crate::loom::{Arc, Mutex, UnsafeCell};
use crate::task::context::{LiveTasks, LiveTasksGuard};
use crate::task::debug::{report_pending_at_shutdown, DebugConfig};
use crate::task::report::Report;
use crate::task::{
    self, list::OwnedTasks, LocalTask, Schedule, SpawnMeta, Start, TaskInfo, TaskRef,
};
use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::future::Future;
use std::sync::Weak;
use std::task::Waker;

type Notified = task::Notified<Arc<LocalScheduler>>;

/// Why `spawn_local` panicked.
pub(crate) const NO_LOCAL_TASKS: &str = "weft::spawn_local was called on a thread that does \
    not run local tasks: call it inside Runtime::block_on or from a task on a worker (not \
    from a blocking job, a plain thread, or under Handle::enter only)";

/// The local tasks of one thread for one runtime (module rules).
pub(crate) struct LocalScheduler {
    /// Tasks ready to run; the owner's alone (rule 1).
    local: UnsafeCell<VecDeque<Notified>>,
    /// Tasks woken from other threads, waiting to move into `local` (rule 2).
    remote: Mutex<Vec<Notified>>,
    has_remote: AtomicBool,
    /// How a wake from another thread reaches the owner (rule 2).
    wake_owner: Mutex<Option<Waker>>,
    owned: OwnedTasks<Arc<LocalScheduler>>,
    config: TaskConfig,
}

// SAFETY: every field but `local` is `Sync` on its own; `local` is touched only by the
// thread the scheduler is current on (rule 1), which each access checks (`is_current`)
// or, for the owner-only methods, has as its documented precondition.
unsafe impl Sync for LocalScheduler {}
// SAFETY: the queued `Notified`s are `Send` (task/mod.rs); moving the scheduler moves
// nothing another thread uses unsynchronised.
unsafe impl Send for LocalScheduler {}

#[cfg(not(weft_loom))]
thread_local! {
    /// The scheduler current on this thread (rule 1).
    static CURRENT: Cell<*const LocalScheduler> = const { Cell::new(std::ptr::null()) };
    /// This thread's schedulers for the runtimes it ran `block_on` for; shut down when
    /// the thread exits (rule 3).
    static BLOCK_ON: ThreadSchedulers = const { ThreadSchedulers(RefCell::new(Vec::new())) };
}

#[cfg(weft_loom)]
loom::thread_local! {
    static CURRENT: Cell<*const LocalScheduler> = Cell::new(std::ptr::null());
    static BLOCK_ON: ThreadSchedulers = ThreadSchedulers(RefCell::new(Vec::new()));
}

impl LocalScheduler {
    /// A scheduler for a thread of the runtime `config` belongs to.
    pub(crate) fn new(config: TaskConfig) -> Arc<LocalScheduler> {
        Arc::new(LocalScheduler {
            local: UnsafeCell::new(VecDeque::new()),
            remote: Mutex::new(Vec::new()),
            has_remote: AtomicBool::new(false),
            wake_owner: Mutex::new(None),
            owned: OwnedTasks::new(1),
            config,
        })
    }

    /// Makes this the thread's current scheduler until the guard drops (rule 1), with
    /// `wake_owner` as the way other threads wake this one.
    pub(crate) fn enter(self: &Arc<Self>, wake_owner: Waker) -> EnterGuard {
        let prev_waker = self.wake_owner.lock().replace(wake_owner);
        let prev = CURRENT.with(|c| c.replace(Arc::as_ptr(self)));
        let live = crate::task::context::enter_local_tasks(self.clone());
        EnterGuard {
            scheduler: self.clone(),
            prev,
            prev_waker,
            _live: live,
        }
    }

    fn is_current(&self) -> bool {
        CURRENT
            .try_with(|c| std::ptr::eq(c.get(), self))
            .unwrap_or(false)
    }

    /// Runs `f` with the scheduler current on this thread, if any.
    pub(crate) fn with_current<R>(f: impl FnOnce(Option<&Arc<LocalScheduler>>) -> R) -> R {
        let ptr = CURRENT.try_with(Cell::get).unwrap_or(std::ptr::null());
        if ptr.is_null() {
            return f(None);
        }
        // SAFETY: a non-null `CURRENT` was set by `enter` from a live `Arc`, which the
        // guard that restores it holds for as long as it is current.
        let arc = std::mem::ManuallyDrop::new(unsafe { Arc::from_raw(ptr) });
        f(Some(&arc))
    }

    /// Spawns `future` as a local task of this (current) scheduler.
    ///
    /// # Panics
    ///
    /// If this scheduler is not current on this thread (a bug in weft: callers look it
    /// up with [`with_current`](Self::with_current)).
    pub(crate) fn spawn<F>(self: &Arc<Self>, future: F, meta: SpawnMeta) -> LocalTask<F::Output>
    where
        F: Future + 'static,
        F::Output: 'static,
    {
        assert!(self.is_current(), "a local task spawned off its thread");
        let start = meta.start;
        // SAFETY: this scheduler is current on this thread, which it polls and shuts its
        // tasks down on only (rules 1, 3), and routes other threads' wakes to (rule 2);
        // the handle goes into a `LocalTask`.
        let parts = unsafe { task::new_local_task(future, self.clone(), meta) };
        LocalTask::new(self.start(parts, start))
    }

    /// As [`spawn`](Self::spawn), for a future that ends with its own `TaskError` (a
    /// local TaskGroup child).
    pub(crate) fn spawn_fallible<F, T>(self: &Arc<Self>, future: F, meta: SpawnMeta) -> LocalTask<T>
    where
        F: Future<Output = Result<T, crate::TaskError>> + 'static,
        T: 'static,
    {
        assert!(self.is_current(), "a local task spawned off its thread");
        let start = meta.start;
        // SAFETY: as in `spawn`.
        let parts = unsafe { task::new_local_fallible_task(future, self.clone(), meta) };
        LocalTask::new(self.start(parts, start))
    }

    fn start<T>(
        self: &Arc<Self>,
        (task, notified, join): (TaskRef<Arc<Self>>, Notified, crate::Task<T>),
        start: Start,
    ) -> crate::Task<T> {
        if let Some(notified) = self.owned.bind(task, notified) {
            match start {
                Start::Eager => notified.run(),
                Start::Queued | Start::Behind => self.push_local(notified),
            }
        }
        join
    }

    /// Whether tasks spawned without saying are eager (`Builder::eager_tasks`).
    pub(crate) fn eager_by_default(&self) -> bool {
        self.config.eager_tasks
    }

    /// Owner only: queues `task` at the back of `local`.
    fn push_local(&self, task: Notified) {
        debug_assert!(self.is_current());
        // SAFETY: called on the owner thread (rule 1), and no borrow of `local` is live:
        // every access is a short push or pop.
        self.local
            .with_mut(|local| unsafe { (*local).push_back(task) });
    }

    /// Owner only: the next task to run, taking in what other threads woke (rule 2).
    fn pop(&self) -> Option<Notified> {
        debug_assert!(self.is_current());
        if self.has_remote.load(Acquire) {
            self.has_remote.store(false, Release);
            let woken = std::mem::take(&mut *self.remote.lock());
            // SAFETY: as in `push_local`.
            self.local
                .with_mut(|local| unsafe { (*local).extend(woken) });
        }
        // SAFETY: as in `push_local`.
        self.local.with_mut(|local| unsafe { (*local).pop_front() })
    }

    /// Owner only: runs up to `max` ready tasks; returns how many ran.
    pub(crate) fn run_ready(&self, max: usize) -> usize {
        let mut ran = 0;
        while ran < max {
            let Some(task) = self.next() else { break };
            task.run();
            ran += 1;
        }
        ran
    }

    /// Owner only: the next ready task, as the worker loop takes it.
    pub(crate) fn next(&self) -> Option<LocalRunnable> {
        self.pop().map(LocalRunnable)
    }

    /// Owner only: whether a task is ready to run here.
    pub(crate) fn has_work(&self) -> bool {
        debug_assert!(self.is_current());
        // SAFETY: as in `push_local`.
        let local = self.local.with(|local| unsafe { !(*local).is_empty() });
        local || self.has_remote.load(Acquire)
    }

    /// Owner only: drops every task's future here (rule 3) and every queued reference.
    ///
    /// The queues are emptied until they stay empty: a queued reference keeps its task
    /// alive, and every task keeps this scheduler alive, so one left behind would leak
    /// both.
    pub(crate) fn shutdown(&self) {
        report_pending_at_shutdown(&self.owned, self.config.debug.as_ref(), |r| {
            self.config.reporter.report(r)
        });
        self.owned.close_and_shutdown_all();
        loop {
            // SAFETY: on the owner thread (the caller's precondition, rule 3), with no
            // other borrow of `local` live.
            let local = self
                .local
                .with_mut(|local| unsafe { std::mem::take(&mut *local) });
            let remote = std::mem::take(&mut *self.remote.lock());
            if local.is_empty() && remote.is_empty() {
                return;
            }
            drop((local, remote));
        }
    }

    /// From any thread: takes no new task; the owner shuts the rest down (rule 3).
    pub(crate) fn close(&self) {
        self.owned.close();
    }

    /// Rule 2 from another thread.
    fn push_remote(&self, task: Notified) {
        self.remote.lock().push(task);
        self.has_remote.store(true, Release);
        let waker = self.wake_owner.lock().clone();
        if let Some(waker) = waker {
            waker.wake();
        }
    }
}

impl Schedule for Arc<LocalScheduler> {
    fn schedule(&self, task: Notified) {
        if self.is_current() {
            self.push_local(task);
        } else {
            self.push_remote(task);
        }
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

impl LiveTasks for LocalScheduler {
    fn infos(&self) -> Vec<TaskInfo> {
        self.owned.infos()
    }
}

/// A local task the worker loop took to run.
pub(crate) struct LocalRunnable(Notified);

impl LocalRunnable {
    pub(crate) fn run(self) {
        self.0.run();
    }
}

/// Keeps a scheduler current on this thread (rule 1).
#[must_use = "the local scheduler is current only until the guard drops"]
pub(crate) struct EnterGuard {
    scheduler: Arc<LocalScheduler>,
    prev: *const LocalScheduler,
    prev_waker: Option<Waker>,
    _live: LiveTasksGuard,
}

impl Drop for EnterGuard {
    fn drop(&mut self) {
        let _ = CURRENT.try_with(|c| c.set(self.prev));
        *self.scheduler.wake_owner.lock() = self.prev_waker.take();
    }
}

/// The local schedulers of every thread of one runtime, so its shutdown can reach them
/// (rule 3).
#[derive(Default)]
pub(crate) struct LocalRegistry {
    schedulers: Mutex<Vec<Weak<LocalScheduler>>>,
}

impl LocalRegistry {
    /// Records `scheduler` as one of the runtime's.
    pub(crate) fn register(&self, scheduler: &Arc<LocalScheduler>) {
        let mut schedulers = self.schedulers.lock();
        schedulers.retain(|weak| weak.strong_count() > 0);
        schedulers.push(Arc::downgrade(scheduler));
    }

    /// This thread's `block_on` scheduler for the runtime `config` belongs to, made and
    /// registered on first use (rule 1).
    pub(crate) fn for_block_on(&self, config: &TaskConfig) -> Arc<LocalScheduler> {
        BLOCK_ON.with(|mine| {
            let mut mine = mine.0.borrow_mut();
            if let Some(found) = mine.iter().find(|s| s.config.runtime == config.runtime) {
                return found.clone();
            }
            let scheduler = LocalScheduler::new(config.clone());
            self.register(&scheduler);
            mine.push(scheduler.clone());
            scheduler
        })
    }

    /// Rule 3 at runtime shutdown: this thread's own scheduler for the runtime is shut
    /// down here; every other one is closed for its owner to finish.
    pub(crate) fn shutdown(&self, config: &TaskConfig) {
        let own = BLOCK_ON
            .try_with(|mine| {
                let mut mine = mine.0.borrow_mut();
                let at = mine
                    .iter()
                    .position(|s| s.config.runtime == config.runtime)?;
                Some(mine.swap_remove(at))
            })
            .ok()
            .flatten();
        let others: Vec<Arc<LocalScheduler>> = self
            .schedulers
            .lock()
            .iter()
            .filter_map(Weak::upgrade)
            .collect();
        for scheduler in &others {
            scheduler.close();
        }
        if let Some(own) = own {
            own.shutdown();
        }
    }
}

/// A thread's `block_on` schedulers; dropping it (the thread exits) shuts them down on
/// their own thread (rule 3).
struct ThreadSchedulers(RefCell<Vec<Arc<LocalScheduler>>>);

impl Drop for ThreadSchedulers {
    fn drop(&mut self) {
        for scheduler in self.0.get_mut().drain(..) {
            scheduler.shutdown();
        }
    }
}

#[cfg(all(test, not(weft_loom)))]
mod tests {
    //! Run under Miri too (`cargo +nightly miri test -p weft-rt --lib`): local tasks
    //! holding `Rc`s, woken and cancelled from another thread, shut down on their own.

    use super::LocalScheduler;
    use crate::scheduler::TaskConfig;
    use crate::task::SpawnMeta;
    use std::cell::Cell;
    use std::panic::Location;
    use std::rc::Rc;
    use std::sync::atomic::{AtomicBool, Ordering::SeqCst};
    use std::sync::{mpsc, Arc};
    use std::task::{Poll, Wake, Waker};
    use std::thread;

    struct UnparkOwner(thread::Thread);

    impl Wake for UnparkOwner {
        fn wake(self: Arc<Self>) {
            self.0.unpark();
        }
    }

    fn scheduler() -> Arc<LocalScheduler> {
        LocalScheduler::new(TaskConfig::default())
    }

    fn meta() -> SpawnMeta {
        SpawnMeta::new(Location::caller(), None, false)
    }

    #[test]
    fn local_tasks_woken_from_another_thread_run_here_and_are_freed() {
        let local = scheduler();
        let _entered = local.enter(Waker::from(Arc::new(UnparkOwner(thread::current()))));
        let counter = Rc::new(Cell::new(0));
        let (wakers_tx, wakers_rx) = mpsc::channel::<Waker>();
        let ready = Arc::new(AtomicBool::new(false));
        let tasks: Vec<_> = (0..4)
            .map(|_| {
                let (counter, wakers_tx, ready) =
                    (counter.clone(), wakers_tx.clone(), ready.clone());
                local.spawn(
                    std::future::poll_fn(move |cx| {
                        if ready.load(SeqCst) {
                            counter.set(counter.get() + 1);
                            return Poll::Ready(counter.clone());
                        }
                        wakers_tx.send(cx.waker().clone()).unwrap();
                        Poll::Pending
                    }),
                    meta(),
                )
            })
            .collect();
        assert_eq!(local.run_ready(usize::MAX), 4);
        let waker = thread::spawn({
            let ready = ready.clone();
            move || {
                ready.store(true, SeqCst);
                for waker in wakers_rx.iter().take(4) {
                    waker.wake();
                }
            }
        });
        while !tasks.iter().all(|t| t.is_finished()) {
            if local.run_ready(usize::MAX) == 0 && !local.has_work() {
                thread::park();
            }
        }
        waker.join().unwrap();
        assert_eq!(counter.get(), 4);
        drop(tasks);
        local.shutdown();
        assert_eq!(Rc::strong_count(&counter), 1, "a task or its output leaked");
    }

    #[test]
    fn shutdown_drops_pending_local_futures_on_the_owner_thread() {
        let local = scheduler();
        let _entered = local.enter(Waker::noop().clone());
        let held = Rc::new(());
        for _ in 0..3 {
            let held = held.clone();
            drop(local.spawn(
                async move {
                    let _held = held;
                    std::future::pending::<()>().await
                },
                meta(),
            ));
        }
        local.run_ready(usize::MAX);
        assert_eq!(Rc::strong_count(&held), 4);
        local.shutdown();
        assert_eq!(Rc::strong_count(&held), 1, "a local future was not dropped");
    }
}
