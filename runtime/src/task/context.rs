//! The task layer's per-thread state: which task this thread is polling, the chain of
//! cancel scopes that poll is inside, and the context variables in effect.
//!
//! Two thread-locals: `POLL` holds what every poll reads — plain `Cell`s of `Copy`
//! values, no destructor, so each access is a load from the thread's block with no lazy
//! initialisation — and `VARIABLES` holds the context variables, which own memory.
//!
//! # Rules
//!
//! 1. While a task is polled, `task` is that task, `scope_chain` starts empty, and
//!    `variables` holds its context variables; the harness swaps them in and back out
//!    around every poll (a nested poll, such as an eager spawn, restores the outer
//!    ones). Outside any task, `variables` are the thread's own.
//! 2. `has_variables` is true exactly when `variables` is `Some`. A poll with no
//!    variables to bring in, on a thread with none, touches only `POLL`.
//! 3. Every scope frame on the chain lives on the stack of the `within` call that
//!    pushed it (`cancel/scope.rs`, rule 1).
//! 4. `LIVE` is the registry of live tasks of the runtime entered on this thread, and
//!    `LOCAL_LIVE` that of this thread's local tasks, for `task::all()`: the scheduler
//!    registers them when a runtime handle (a local scheduler) is entered, and the
//!    guard restores the previous one (guards nest). The task layer knows it only
//!    as a [`LiveTasks`], so it depends on no scheduler.

use super::cancel::ScopeFrame;
use super::{ContextMap, RawTask, TaskInfo};
use crate::loom::Arc;
use std::cell::{Cell, RefCell};
use weft_core::waiting;

/// A runtime's list of live tasks, as `task::all()` sees it (rule 4).
pub(crate) trait LiveTasks: Send + Sync {
    /// A snapshot of the live tasks, in spawn order.
    fn infos(&self) -> Vec<TaskInfo>;
}

/// What every poll reads (rules 1-3).
struct Poll {
    task: Cell<Option<RawTask>>,
    scope_chain: Cell<*const ScopeFrame>,
    has_variables: Cell<bool>,
}

#[cfg(not(weft_loom))]
thread_local! {
    static POLL: Poll = const {
        Poll {
            task: Cell::new(None),
            scope_chain: Cell::new(std::ptr::null()),
            has_variables: Cell::new(false),
        }
    };

    static VARIABLES: RefCell<Option<ContextMap>> = const { RefCell::new(None) };

    static LIVE: RefCell<Option<Arc<dyn LiveTasks>>> = const { RefCell::new(None) };

    static LOCAL_LIVE: RefCell<Option<Arc<dyn LiveTasks>>> = const { RefCell::new(None) };
}

#[cfg(weft_loom)]
loom::thread_local! {
    static POLL: Poll = Poll {
        task: Cell::new(None),
        scope_chain: Cell::new(std::ptr::null()),
        has_variables: Cell::new(false),
    };

    static VARIABLES: RefCell<Option<ContextMap>> = RefCell::new(None);

    static LIVE: RefCell<Option<Arc<dyn LiveTasks>>> = RefCell::new(None);

    static LOCAL_LIVE: RefCell<Option<Arc<dyn LiveTasks>>> = RefCell::new(None);
}

#[cfg(not(weft_loom))]
type Registry = std::thread::LocalKey<RefCell<Option<Arc<dyn LiveTasks>>>>;
#[cfg(weft_loom)]
type Registry = loom::thread::LocalKey<RefCell<Option<Arc<dyn LiveTasks>>>>;

/// Makes `live` the registry `task::all()` reads on this thread until the guard drops
/// (rule 4).
pub(crate) fn enter_live_tasks(live: Arc<dyn LiveTasks>) -> LiveTasksGuard {
    enter_registry(&LIVE, live)
}

/// As [`enter_live_tasks`], for the local tasks of this thread (rule 4).
pub(crate) fn enter_local_tasks(live: Arc<dyn LiveTasks>) -> LiveTasksGuard {
    enter_registry(&LOCAL_LIVE, live)
}

fn enter_registry(key: &'static Registry, live: Arc<dyn LiveTasks>) -> LiveTasksGuard {
    let prev = key.with(|l| l.replace(Some(live)));
    LiveTasksGuard { key, prev }
}

/// Restores the previous registry on drop.
#[must_use = "the registry is current only until the guard drops"]
pub(crate) struct LiveTasksGuard {
    key: &'static Registry,
    prev: Option<Arc<dyn LiveTasks>>,
}

impl Drop for LiveTasksGuard {
    fn drop(&mut self) {
        let prev = self.prev.take();
        let _ = self.key.try_with(|l| *l.borrow_mut() = prev);
    }
}

/// The live tasks of the runtime entered on this thread, then this thread's local ones;
/// none outside a runtime (rule 4).
pub(crate) fn live_tasks() -> Vec<TaskInfo> {
    let infos = |key: &'static Registry| {
        key.try_with(|l| l.borrow().as_ref().map(|live| live.infos()))
            .ok()
            .flatten()
            .unwrap_or_default()
    };
    let mut all = infos(&LIVE);
    all.extend(infos(&LOCAL_LIVE));
    all
}

/// Makes `task` the one being polled, with its context variables (rule 1), and its
/// wait slot the one its awaits record into (`weft_core::waiting`). A task with no
/// variables, on a thread with none, touches `POLL` and the wait hook alone (rule 2).
///
/// # Safety
///
/// `task` stays alive until the guard is left or dropped, on this thread, before any
/// guard entered after it.
pub(crate) unsafe fn enter_task(task: RawTask, variables: Option<ContextMap>) -> TaskGuard {
    let Ok((outer_task, scope_chain, outer_has_variables)) = POLL.try_with(|p| {
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
    // Last, so that nothing above unwinds with the hook entered.
    // SAFETY: the caller keeps the task, and so its header's slot, alive and in place
    // until the guard (which holds `wait`) is gone, and guards nest.
    let wait = unsafe { waiting::enter(&task.header().wait) };
    TaskGuard {
        saved: Some(Saved {
            task: outer_task,
            scope_chain,
            outer_variables,
            _wait: wait,
        }),
    }
}

/// Puts `variables` in place of the thread's (rules 1-2), returning those.
fn swap_variables(variables: Option<ContextMap>) -> Option<ContextMap> {
    let has = variables.is_some();
    let outer = VARIABLES.try_with(|v| v.replace(variables)).ok().flatten();
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
    /// Gives the wait hook back when the saved state goes.
    _wait: waiting::Entered,
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

/// The innermost frame of this thread's scope chain (`cancel/scope.rs`).
pub(crate) fn scope_chain() -> *const ScopeFrame {
    POLL.try_with(|p| p.scope_chain.get())
        .unwrap_or(std::ptr::null())
}

/// Pushes `frame` on the scope chain until the guard drops (rule 3).
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
    match VARIABLES.try_with(|v| (f.take().expect("called once"))(v.borrow().as_ref())) {
        Ok(r) => r,
        Err(_) => (f.take().expect("not called yet"))(None),
    }
}

/// Runs `f` on the current context variables, mutably (rule 2 kept).
pub(crate) fn update_task_context<R>(f: impl FnOnce(&mut Option<ContextMap>) -> R) -> R {
    let mut f = Some(f);
    let result = VARIABLES.try_with(|v| {
        let mut variables = v.borrow_mut();
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
