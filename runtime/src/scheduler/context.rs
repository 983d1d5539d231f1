//! The scheduler layer's per-thread state: which runtime this thread belongs to,
//! whether it is running one, and which worker it is.
//!
//! Two thread-locals: `CONTEXT` holds what owns resources (the runtime handle) and is
//! touched on entering a runtime; `WORKER` is a plain `Cell` of a pointer, no
//! destructor, read by every wake and spawn.
//!
//! # Rules
//!
//! 1. `handle` is the runtime that `weft::spawn` and `Handle::current` use here. It is
//!    set by worker threads, blocking-pool threads, `block_on` and `Handle::enter`, and
//!    restored by the guard that set it (guards nest). The runtime's driver and its
//!    list of live tasks are entered with it, so sockets created here register with
//!    that runtime's reactor, sleeps with its timers, and `task::all()` lists its
//!    tasks.
//! 2. `runtime` is set while this thread *drives* a runtime (a worker, or inside
//!    `block_on`). Entering again is the nested-`block_on` mistake and panics with a
//!    message naming it, instead of deadlocking.
//! 3. `WORKER` points to the multi-thread worker running on this thread, for the whole
//!    life of that worker, so that wakes and spawns from its tasks go to its local
//!    queue. It is null everywhere else.

use super::multi_thread::Worker;
use super::Handle;
use std::cell::{Cell, RefCell};

/// What owns resources (rules 1-2).
struct Context {
    handle: RefCell<Option<Handle>>,
    runtime: Cell<bool>,
}

#[cfg(not(weft_loom))]
thread_local! {
    static CONTEXT: Context = const {
        Context {
            handle: RefCell::new(None),
            runtime: Cell::new(false),
        }
    };

    static WORKER: Cell<*const Worker> = const { Cell::new(std::ptr::null()) };
}

#[cfg(weft_loom)]
loom::thread_local! {
    static CONTEXT: Context = Context {
        handle: RefCell::new(None),
        runtime: Cell::new(false),
    };

    static WORKER: Cell<*const Worker> = Cell::new(std::ptr::null());
}

/// The current runtime handle, if any (rule 1).
pub(crate) fn try_current() -> Option<Handle> {
    CONTEXT
        .try_with(|c| c.handle.borrow().clone())
        .ok()
        .flatten()
}

/// Runs `f` with the current handle without cloning it. `f` must not change the
/// context (enter a handle, drop a runtime): it runs inside the context's borrow.
pub(crate) fn with_current<R>(f: impl FnOnce(Option<&Handle>) -> R) -> R {
    let mut f = Some(f);
    match CONTEXT.try_with(|c| (f.take().expect("called once"))(c.handle.borrow().as_ref())) {
        Ok(r) => r,
        // The thread is tearing down its thread-locals: act as outside a runtime.
        Err(_) => (f.take().expect("not called yet"))(None),
    }
}

/// Restores the previous handle on drop.
#[must_use = "the handle is current only until the guard drops"]
pub(crate) struct SetHandleGuard {
    prev: Option<Handle>,
    /// Restore the previous driver and task registry after the handle (fields drop
    /// after `drop`).
    _driver: crate::driver::EnterGuard,
    _live_tasks: crate::task::context::LiveTasksGuard,
}

pub(crate) fn set_handle(handle: Handle) -> SetHandleGuard {
    let driver = handle.driver().enter();
    let live_tasks = crate::task::context::enter_live_tasks(handle.live_tasks());
    let prev = CONTEXT.with(|c| c.handle.replace(Some(handle)));
    SetHandleGuard {
        prev,
        _driver: driver,
        _live_tasks: live_tasks,
    }
}

/// Makes `handle` current unless it already is (rule 1); `None` when it was.
pub(crate) fn enter_unless_current(handle: &Handle) -> Option<SetHandleGuard> {
    let is_current = CONTEXT
        .try_with(|c| c.handle.borrow().as_ref().is_some_and(|h| h.ptr_eq(handle)))
        .unwrap_or(false);
    (!is_current).then(|| set_handle(handle.clone()))
}

impl Drop for SetHandleGuard {
    fn drop(&mut self) {
        let prev = self.prev.take();
        let _ = CONTEXT.try_with(|c| *c.handle.borrow_mut() = prev);
    }
}

/// Marks this thread as driving a runtime (rule 2).
#[must_use = "the thread counts as driving a runtime only until the guard drops"]
pub(crate) struct EnterRuntimeGuard {
    _handle: SetHandleGuard,
}

/// Enters `handle` as the runtime this thread drives.
///
/// # Panics
///
/// If this thread already drives a runtime: `what` names the call that tried.
#[track_caller]
pub(crate) fn enter_runtime(handle: Handle, what: &str) -> EnterRuntimeGuard {
    assert_not_in_runtime(what);
    CONTEXT.with(|c| c.runtime.set(true));
    EnterRuntimeGuard {
        _handle: set_handle(handle),
    }
}

/// # Panics
///
/// If this thread drives a runtime (rule 2).
#[track_caller]
pub(crate) fn assert_not_in_runtime(what: &str) {
    if CONTEXT.try_with(|c| c.runtime.get()).unwrap_or(false) {
        panic!(
            "{what} was called on a thread that is already running a weft runtime \
             (a worker thread, or inside block_on). Blocking here would stop the tasks it \
             waits for. Use `.await` instead, or move the blocking call into \
             weft::spawn_blocking."
        );
    }
}

impl Drop for EnterRuntimeGuard {
    fn drop(&mut self) {
        let _ = CONTEXT.try_with(|c| c.runtime.set(false));
    }
}

/// Records the multi-thread worker running on this thread (rule 3).
pub(crate) fn set_worker(worker: &Worker) -> WorkerGuard {
    WORKER.with(|w| w.set(worker));
    WorkerGuard(())
}

/// Clears the worker pointer on drop.
#[must_use = "the worker is registered only until the guard drops"]
pub(crate) struct WorkerGuard(());

impl Drop for WorkerGuard {
    fn drop(&mut self) {
        let _ = WORKER.try_with(|w| w.set(std::ptr::null()));
    }
}

/// Runs `f` with the worker running on this thread, if any (rule 3).
pub(crate) fn with_worker<R>(f: impl FnOnce(Option<&Worker>) -> R) -> R {
    let worker = WORKER.try_with(Cell::get).unwrap_or(std::ptr::null());
    // SAFETY: the pointer is set only by `set_worker` for the worker living on this
    // thread, whose `run` holds the guard that clears it before the worker is dropped
    // (rule 3); `f` runs on this thread, inside that window.
    f(unsafe { worker.as_ref() })
}
