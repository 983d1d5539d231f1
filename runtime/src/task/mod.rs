//! Tasks: spawning, the `Task<T>` handle, and the machinery under them.
//!
//! A task is one heap allocation (`raw.rs`) driven by one atomic state word
//! (`state.rs`). References to it come in four kinds, each counted once in the state
//! word:
//!
//! | holder                    | type            | given up by                         |
//! |---------------------------|-----------------|-------------------------------------|
//! | the scheduler's owned list | `TaskRef`      | completion (`release`) or shutdown  |
//! | a run queue               | `Notified`      | the poll that consumes it           |
//! | the user's handle         | [`Task<T>`]     | its drop                            |
//! | each waker                | `Waker`         | its drop or `wake`                  |
//!
//! # Rules
//!
//! 1. Spawning creates the three references of the first three rows at once; the
//!    scheduler `bind`s the first into its owned list and queues the second.
//! 2. A scheduler queues only `Notified`s and runs one with `Notified::run`; a
//!    `Notified` dropped unrun (a queue drained at shutdown) only drops its reference.
//! 3. Schedulers implement `Schedule`: where a wake or a yield goes, and how a
//!    completed task leaves the owned list.

mod builder;
pub(crate) mod cancel;
pub(crate) mod context;
mod current;
pub(crate) mod debug;
mod done;
mod dump;
mod error;
mod harness;
mod id;
pub(crate) use id::IdMap;
mod info;
mod join;
pub(crate) mod list;
mod local;
mod local_task;
mod raw;
pub(crate) mod report;
mod side;
pub(crate) mod state;
#[cfg(feature = "tracing")]
mod trace;
mod waker;
mod yield_now;

pub use builder::Builder;
pub use cancel::{cancellable, Cancellable, Cancelled};
pub use current::{current, uncancel, CurrentTask};
pub use done::{DoneCallbackId, TaskDone};
pub use dump::Dump;
pub use error::TaskError;
pub use id::TaskId;
pub use info::{all, TaskInfo, TaskState};
pub use join::Task;
pub use local::{ContextVar, ContextVarToken};
pub use local_task::LocalTask;
pub use yield_now::{yield_now, YieldNow};

pub use report::Report;

pub(crate) use error::panic_message;
pub(crate) use local::ContextMap;
pub(crate) use raw::{CountedRef, Header, RawTask};

use side::Side;
use std::future::Future;
use std::marker::PhantomData;
use std::panic::Location;
use std::sync::Arc;

/// How a scheduler receives its tasks.
pub(crate) trait Schedule: Sized + Send + Sync + 'static {
    /// Queues a task that was woken or spawned.
    fn schedule(&self, task: Notified<Self>);

    /// Queues a task that woke itself while it was being polled: it goes behind the
    /// work already waiting, never into a LIFO slot.
    fn yield_now(&self, task: Notified<Self>) {
        self.schedule(task);
    }

    /// Takes a completed task out of the owned list, returning the list's reference.
    fn release(&self, task: &TaskRef<Self>) -> Option<TaskRef<Self>>;

    /// Tells the user something outside any await (`report.rs`).
    fn report(&self, report: &report::Report) {
        report::to_stderr(report);
    }

    /// Debug mode's settings, if the runtime runs in debug mode (`debug.rs`).
    fn debug(&self) -> Option<&debug::DebugConfig> {
        None
    }
}

/// A counted reference to a task, with no right to poll it.
pub(crate) struct TaskRef<S: 'static> {
    raw: RawTask,
    _scheduler: PhantomData<S>,
}

/// A task reference that sits in a run queue: the right to poll once.
#[must_use = "a Notified task must be run or dropped, never forgotten"]
pub(crate) struct Notified<S: 'static>(TaskRef<S>);

impl<S: 'static> TaskRef<S> {
    /// # Safety
    ///
    /// The caller gives this value one reference it owns.
    pub(crate) unsafe fn from_raw(raw: RawTask) -> TaskRef<S> {
        TaskRef {
            raw,
            _scheduler: PhantomData,
        }
    }

    pub(crate) fn raw(&self) -> RawTask {
        self.raw
    }

    /// Gives the reference up to the caller without dropping it.
    pub(crate) fn into_raw(self) -> RawTask {
        let raw = self.raw;
        std::mem::forget(self);
        raw
    }
}

impl<S: 'static> Drop for TaskRef<S> {
    fn drop(&mut self) {
        // SAFETY: a `TaskRef` owns one reference.
        unsafe { self.raw.drop_reference() };
    }
}

impl<S: 'static> Notified<S> {
    /// # Safety
    ///
    /// The caller gives one reference, for which NOTIFIED is set.
    pub(crate) unsafe fn from_raw(raw: RawTask) -> Notified<S> {
        // SAFETY: the caller's promise.
        Notified(unsafe { TaskRef::from_raw(raw) })
    }

    /// Gives the reference up, NOTIFIED still set for it, to be polled later through
    /// `RawTask::poll`.
    pub(crate) fn into_raw(self) -> RawTask {
        self.0.into_raw()
    }

    /// Polls the task once (or delivers its cancellation), consuming this reference.
    pub(crate) fn run(self) {
        let raw = self.0.into_raw();
        // SAFETY: a `Notified` owns the reference `poll` consumes.
        unsafe { raw.poll() };
    }

    /// Cancels a task that will never be run (its queue is being torn down), consuming
    /// this reference: the future is dropped here and the handle reports cancellation.
    pub(crate) fn shutdown(self) {
        let raw = self.0.into_raw();
        // SAFETY: `shutdown` consumes one owned reference; ours.
        unsafe { raw.shutdown() };
    }
}

// SAFETY: a task reference only reaches the task through atomics and the state-word
// protocol. Futures and outputs are `Send` by `new_task`'s bounds — except a local
// task's, which only its owner thread ever polls, shuts down or reads the output of:
// its scheduler routes every `Notified` to that thread (`new_local_task`'s contract),
// and a reference held anywhere else only counts, wakes or cancels.
unsafe impl<S> Send for TaskRef<S> {}
// SAFETY: as above.
unsafe impl<S> Sync for TaskRef<S> {}

/// How a task ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TaskOutcome {
    /// Its future returned a value.
    Returned,
    /// It panicked.
    Panicked,
    /// It was cancelled: its future was dropped unfinished.
    Cancelled,
    /// As a `TaskGroup` child, it returned an error (which its group reports).
    Failed,
}

impl TaskOutcome {
    fn from_u8(value: u8) -> TaskOutcome {
        match value {
            0 => TaskOutcome::Returned,
            1 => TaskOutcome::Panicked,
            2 => TaskOutcome::Cancelled,
            _ => TaskOutcome::Failed,
        }
    }
}

/// What a spawn decides about a task before it exists.
pub(crate) struct SpawnMeta {
    pub(crate) id: TaskId,
    pub(crate) location: &'static Location<'static>,
    /// Present when the task has a name or inherits context variables; boxed here
    /// already, as the header keeps it, so a `SpawnMeta` stays a few words to move.
    side: Option<Box<Side>>,
    /// How the new task is started.
    pub(crate) start: Start,
    /// A job of the blocking pool (its awaiters wait on `spawn_blocking`).
    pub(crate) blocking_job: bool,
}

/// How a new task is started.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Start {
    /// Polled once inline before it is queued (asyncio's eager tasks).
    Eager,
    /// Queued like a wake: a worker runs it next, in its LIFO slot.
    Queued,
    /// Queued behind the work already waiting (asyncio's `call_soon`: FIFO).
    Behind,
}

impl SpawnMeta {
    /// A task spawned at `location`, inheriting the current context variables.
    pub(crate) fn new(
        location: &'static Location<'static>,
        name: Option<Arc<str>>,
        eager: bool,
    ) -> SpawnMeta {
        let context = context::task_context_snapshot();
        let id = TaskId::next();
        #[cfg(feature = "tracing")]
        let span = trace::task_span(id, name.as_deref(), location);
        #[cfg(not(feature = "tracing"))]
        let span: Option<()> = None;
        let side = (name.is_some() || context.is_some() || span.is_some()).then(|| {
            Box::new(Side {
                name,
                context: crate::loom::Mutex::new(context),
                #[cfg(feature = "tracing")]
                span,
                ..Side::default()
            })
        });
        SpawnMeta {
            id,
            location,
            side,
            start: if eager { Start::Eager } else { Start::Queued },
            blocking_job: false,
        }
    }

    /// Marks a job of the blocking pool.
    pub(crate) fn blocking_job(mut self) -> SpawnMeta {
        self.blocking_job = true;
        self
    }

    /// Starts the task behind the work already queued.
    pub(crate) fn behind(mut self) -> SpawnMeta {
        self.start = Start::Behind;
        self
    }
}

/// Allocates a task: the owned list's reference, the first `Notified`, and the handle.
pub(crate) fn new_task<F, S>(
    future: F,
    scheduler: S,
    meta: SpawnMeta,
) -> (TaskRef<S>, Notified<S>, Task<F::Output>)
where
    F: Future + Send + 'static,
    F::Output: Send + 'static,
    S: Schedule,
{
    // SAFETY: `RawTask::new` counts the three references split here.
    unsafe { split(RawTask::new(future, scheduler, meta)) }
}

/// As [`new_task`], for a future that ends with its own `TaskError` (a TaskGroup
/// child): the handle yields that error as the task's.
pub(crate) fn new_fallible_task<F, S, T>(
    future: F,
    scheduler: S,
    meta: SpawnMeta,
) -> (TaskRef<S>, Notified<S>, Task<T>)
where
    F: Future<Output = Result<T, TaskError>> + Send + 'static,
    T: Send + 'static,
    S: Schedule,
{
    // SAFETY: `RawTask::new_fallible` counts the three references split here, and the
    // handle's `T` is the one its vtable reads.
    unsafe { split(RawTask::new_fallible(future, scheduler, meta)) }
}

/// As [`new_task`], for a future that need not be `Send`: a local task
/// (`spawn_local`), whose handle the caller wraps in a [`LocalTask`].
///
/// # Safety
///
/// Local tasks keep the rule "only the owner thread touches the future and the
/// output": `scheduler` polls the task and shuts it down only on the thread calling
/// this (its owner), and routes a wake from any other thread back to it
/// (`scheduler/local.rs`, rules 1-3); the caller gives the `Task` only to a
/// [`LocalTask`], which cannot leave this thread.
pub(crate) unsafe fn new_local_task<F, S>(
    future: F,
    scheduler: S,
    meta: SpawnMeta,
) -> (TaskRef<S>, Notified<S>, Task<F::Output>)
where
    F: Future + 'static,
    F::Output: 'static,
    S: Schedule,
{
    // SAFETY: as in `new_task`; what makes a future that is not `Send` safe here is the
    // caller's promise.
    unsafe { split(RawTask::new(future, scheduler, meta)) }
}

/// As [`new_local_task`], for a local TaskGroup child (see [`new_fallible_task`]).
///
/// # Safety
///
/// As for [`new_local_task`].
pub(crate) unsafe fn new_local_fallible_task<F, S, T>(
    future: F,
    scheduler: S,
    meta: SpawnMeta,
) -> (TaskRef<S>, Notified<S>, Task<T>)
where
    F: Future<Output = Result<T, TaskError>> + 'static,
    T: 'static,
    S: Schedule,
{
    // SAFETY: as in `new_fallible_task`, with the caller's promise of `new_local_task`.
    unsafe { split(RawTask::new_fallible(future, scheduler, meta)) }
}

/// # Safety
///
/// `raw` is a new task with its three initial references (state.rs, INITIAL_STATE),
/// NOTIFIED set for the second, and an output that its vtable reads as `T`.
unsafe fn split<S: 'static, T>(raw: RawTask) -> (TaskRef<S>, Notified<S>, Task<T>) {
    // SAFETY: the caller's promise: one reference each, NOTIFIED for the `Notified`.
    unsafe {
        (
            TaskRef::from_raw(raw),
            Notified::from_raw(raw),
            Task::from_raw(raw),
        )
    }
}

#[cfg(all(test, not(weft_loom)))]
mod tests;
