//! The per-thread context: which runtime this thread belongs to, whether it is
//! running one, which worker it is, and which task it is polling.
//!
//! Two thread-locals: `CONTEXT` holds what owns resources (the runtime handle, the
//! context variables outside tasks) and is touched on entering a runtime; `POLL`
//! holds what every poll, wake and spawn reads — plain `Cell`s of `Copy` values, no
//! destructor, so each access is a load from the thread's block with no lazy
//! initialisation.
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
//! 4. While a task is polled, `task` is that task, `scope_chain` starts empty, and
//!    `variables` holds its context variables; the harness swaps them in and back out
//!    around every poll (a nested poll, such as an eager spawn, restores the outer
//!    ones). Outside any task, `variables` are the thread's own.
//! 5. `has_variables` is true exactly when `variables` is `Some`. A poll with no
//!    variables to bring in, on a thread with none, touches only `POLL`.

use crate::scheduler;
use crate::task::cancel::ScopeFrame;
use crate::task::{ContextMap, RawTask};
use std::cell::{Cell, RefCell};

/// What owns resources (rules 1, 2, 4).
struct Context {
    handle: RefCell<Option<scheduler::Handle>>,
    runtime: Cell<bool>,
    variables: RefCell<Option<ContextMap>>,
}

/// What every poll, wake and spawn reads (rules 3-5).
struct Poll {
    worker: Cell<*const ()>,
    task: Cell<Option<RawTask>>,
    scope_chain: Cell<*const ScopeFrame>,
    has_variables: Cell<bool>,
}

#[cfg(not(weft_loom))]
thread_local! {
    static CONTEXT: Context = const {
        Context {
            handle: RefCell::new(None),
            runtime: Cell::new(false),
            variables: RefCell::new(None),
        }
    };

    static POLL: Poll = const {
        Poll {
            worker: Cell::new(std::ptr::null()),
            task: Cell::new(None),
            scope_chain: Cell::new(std::ptr::null()),
            has_variables: Cell::new(false),
        }
    };
}

#[cfg(weft_loom)]
loom::thread_local! {
    static CONTEXT: Context = Context {
        handle: RefCell::new(None),
        runtime: Cell::new(false),
        variables: RefCell::new(None),
    };

    static POLL: Poll = Poll {
        worker: Cell::new(std::ptr::null()),
        task: Cell::new(None),
        scope_chain: Cell::new(std::ptr::null()),
        has_variables: Cell::new(false),
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

/// Makes `handle` current unless it already is (rule 1); `None` when it was.
pub(crate) fn enter_unless_current(handle: &scheduler::Handle) -> Option<SetHandleGuard> {
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
    POLL.with(|p| p.worker.set(worker));
    WorkerGuard(())
}

/// Clears the worker pointer on drop.
#[must_use = "the worker is registered only until the guard drops"]
pub(crate) struct WorkerGuard(());

impl Drop for WorkerGuard {
    fn drop(&mut self) {
        let _ = POLL.try_with(|p| p.worker.set(std::ptr::null()));
    }
}

/// The worker running on this thread, or null.
pub(crate) fn worker() -> *const () {
    POLL.try_with(|p| p.worker.get())
        .unwrap_or(std::ptr::null())
}

/// Makes `task` the one being polled, with its context variables (rule 4). A task
/// with none, on a thread with none, touches `POLL` alone (rule 5).
pub(crate) fn enter_task(task: RawTask, variables: Option<ContextMap>) -> TaskGuard {
    let Ok((task, scope_chain, outer_has_variables)) = POLL.try_with(|p| {
        (
            p.task.replace(Some(task)),
            p.scope_chain.replace(std::ptr::null()),
            p.has_variables.get(),
        )
    }) else {
        return TaskGuard { saved: None };
    };
    let outer_variables = if variables.is_some() || outer_has_variables {
        swap_variables(variables)
    } else {
        None
    };
    TaskGuard {
        saved: Some(Saved {
            task,
            scope_chain,
            outer_variables,
        }),
    }
}

/// Puts `variables` in place of the thread's (rules 4-5), returning those.
fn swap_variables(variables: Option<ContextMap>) -> Option<ContextMap> {
    let has = variables.is_some();
    let outer = CONTEXT
        .try_with(|c| c.variables.replace(variables))
        .ok()
        .flatten();
    let _ = POLL.try_with(|p| p.has_variables.set(has));
    outer
}

/// Restores what [`enter_task`] replaced.
#[must_use = "the task is current only until the guard is left or dropped"]
pub(crate) struct TaskGuard {
    saved: Option<Saved>,
}

struct Saved {
    task: Option<RawTask>,
    scope_chain: *const ScopeFrame,
    outer_variables: Option<ContextMap>,
}

impl TaskGuard {
    /// Leaves the task, returning its context variables as the poll left them.
    pub(crate) fn leave(mut self) -> Option<ContextMap> {
        self.restore()
    }

    fn restore(&mut self) -> Option<ContextMap> {
        let saved = self.saved.take()?;
        let has_variables = POLL
            .try_with(|p| {
                p.task.set(saved.task);
                p.scope_chain.set(saved.scope_chain);
                p.has_variables.get()
            })
            .unwrap_or(false);
        if has_variables || saved.outer_variables.is_some() {
            swap_variables(saved.outer_variables)
        } else {
            None
        }
    }
}

impl Drop for TaskGuard {
    fn drop(&mut self) {
        drop(self.restore());
    }
}

/// Runs `f` with no current task, the context variables unchanged: a blocking job's
/// closure runs on a thread of its own, where asyncio's `to_thread` has no current task.
pub(crate) fn outside_task<R>(f: impl FnOnce() -> R) -> R {
    struct Restore(Option<RawTask>);

    impl Drop for Restore {
        fn drop(&mut self) {
            let task = self.0.take();
            let _ = POLL.try_with(|p| p.task.set(task));
        }
    }

    let _restore = Restore(POLL.try_with(|p| p.task.replace(None)).ok().flatten());
    f()
}

/// The task being polled on this thread.
pub(crate) fn current_task() -> Option<RawTask> {
    POLL.try_with(|p| p.task.get()).ok().flatten()
}

/// The innermost frame of this thread's scope chain (`task/cancel/scope.rs`).
pub(crate) fn scope_chain() -> *const ScopeFrame {
    POLL.try_with(|p| p.scope_chain.get())
        .unwrap_or(std::ptr::null())
}

/// Pushes `frame` on the scope chain until the guard drops.
pub(crate) fn push_scope_frame(frame: &ScopeFrame) -> ScopeChainGuard {
    let prev = POLL
        .try_with(|p| p.scope_chain.replace(frame))
        .unwrap_or(std::ptr::null());
    ScopeChainGuard { prev }
}

/// Pops a scope frame.
#[must_use = "the frame stays on the chain only until the guard drops"]
pub(crate) struct ScopeChainGuard {
    prev: *const ScopeFrame,
}

impl Drop for ScopeChainGuard {
    fn drop(&mut self) {
        let _ = POLL.try_with(|p| p.scope_chain.set(self.prev));
    }
}

/// Runs `f` on the current context variables.
pub(crate) fn with_task_context<R>(f: impl FnOnce(Option<&ContextMap>) -> R) -> R {
    if !POLL.try_with(|p| p.has_variables.get()).unwrap_or(false) {
        return f(None);
    }
    let mut f = Some(f);
    match CONTEXT.try_with(|c| (f.take().expect("called once"))(c.variables.borrow().as_ref())) {
        Ok(r) => r,
        Err(_) => (f.take().expect("not called yet"))(None),
    }
}

/// Runs `f` on the current context variables, mutably (rule 5 kept).
pub(crate) fn update_task_context<R>(f: impl FnOnce(&mut Option<ContextMap>) -> R) -> R {
    let mut f = Some(f);
    let result = CONTEXT.try_with(|c| {
        let mut variables = c.variables.borrow_mut();
        let r = (f.take().expect("called once"))(&mut variables);
        (r, variables.is_some())
    });
    match result {
        Ok((r, has)) => {
            let _ = POLL.try_with(|p| p.has_variables.set(has));
            r
        }
        Err(_) => (f.take().expect("not called yet"))(&mut None),
    }
}

/// A copy of the current context variables, for a task being spawned.
pub(crate) fn task_context_snapshot() -> Option<ContextMap> {
    with_task_context(|map| map.cloned())
}
