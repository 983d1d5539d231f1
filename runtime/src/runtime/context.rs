//! The per-thread context: which runtime this thread belongs to, whether it is
//! running one, which worker it is, and which task it is polling.
//!
//! # Rules
//!
//! 1. `handle` is the runtime that `weft::spawn` and `Handle::current` use here. It is
//!    set by worker threads, blocking-pool threads, `block_on` and `Handle::enter`, and
//!    restored by the guard that set it (guards nest). The runtime's reactor is entered
//!    with it, so sockets created here register with that runtime's driver.
//! 2. `runtime` is set while this thread *drives* a runtime (a worker, or inside
//!    `block_on`). Entering again is the nested-`block_on` mistake and panics with a
//!    message naming it, instead of deadlocking.
//! 3. `worker` points to the multi-thread worker running on this thread, for the whole
//!    life of that worker, so that wakes and spawns from its tasks go to its local
//!    queue. It is null everywhere else.

use crate::scheduler;
use crate::task::TaskId;
use std::cell::{Cell, RefCell};

struct Context {
    handle: RefCell<Option<scheduler::Handle>>,
    runtime: Cell<bool>,
    worker: Cell<*const ()>,
    current_task: Cell<Option<TaskId>>,
}

#[cfg(not(loom))]
thread_local! {
    static CONTEXT: Context = const {
        Context {
            handle: RefCell::new(None),
            runtime: Cell::new(false),
            worker: Cell::new(std::ptr::null()),
            current_task: Cell::new(None),
        }
    };
}

#[cfg(loom)]
loom::thread_local! {
    static CONTEXT: Context = Context {
        handle: RefCell::new(None),
        runtime: Cell::new(false),
        worker: Cell::new(std::ptr::null()),
        current_task: Cell::new(None),
    };
}

/// The current runtime handle, if any (rule 1).
pub(crate) fn try_current() -> Option<scheduler::Handle> {
    CONTEXT
        .try_with(|c| c.handle.borrow().clone())
        .ok()
        .flatten()
}

/// Runs `f` with the current handle without cloning it.
pub(crate) fn with_current<R>(f: impl FnOnce(Option<&scheduler::Handle>) -> R) -> R {
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
    prev: Option<scheduler::Handle>,
    /// Restores the previous reactor after the handle (fields drop after `drop`).
    _io: weft_io::EnterGuard,
}

pub(crate) fn set_handle(handle: scheduler::Handle) -> SetHandleGuard {
    let io = handle.driver().io.enter();
    let prev = CONTEXT.with(|c| c.handle.replace(Some(handle)));
    SetHandleGuard { prev, _io: io }
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
pub(crate) fn enter_runtime(handle: scheduler::Handle, what: &str) -> EnterRuntimeGuard {
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
pub(crate) fn set_worker(worker: *const ()) -> WorkerGuard {
    CONTEXT.with(|c| c.worker.set(worker));
    WorkerGuard(())
}

/// Clears the worker pointer on drop.
#[must_use = "the worker is registered only until the guard drops"]
pub(crate) struct WorkerGuard(());

impl Drop for WorkerGuard {
    fn drop(&mut self) {
        let _ = CONTEXT.try_with(|c| c.worker.set(std::ptr::null()));
    }
}

/// The worker running on this thread, or null.
pub(crate) fn worker() -> *const () {
    CONTEXT
        .try_with(|c| c.worker.get())
        .unwrap_or(std::ptr::null())
}

/// Sets the id of the task being polled, restoring the previous one on drop.
pub(crate) fn set_current_task(id: TaskId) -> CurrentTaskGuard {
    let prev = CONTEXT
        .try_with(|c| c.current_task.replace(Some(id)))
        .ok()
        .flatten();
    CurrentTaskGuard { prev }
}

/// Restores the previously polled task's id.
#[must_use = "the task is current only until the guard drops"]
pub(crate) struct CurrentTaskGuard {
    prev: Option<TaskId>,
}

impl Drop for CurrentTaskGuard {
    fn drop(&mut self) {
        let prev = self.prev;
        let _ = CONTEXT.try_with(|c| c.current_task.set(prev));
    }
}
