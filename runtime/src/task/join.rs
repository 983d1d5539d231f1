//! `Task<T>`: the handle to a spawned task (asyncio's `Task`).

use super::done::{self, DoneCallbackId, TaskDone};
use super::raw::RawTask;
use super::{cancel, TaskError, TaskId, TaskOutcome};
use crate::loom::sync::atomic::Ordering::Acquire;
use std::fmt;
use std::future::Future;
use std::marker::PhantomData;
use std::panic::Location;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use weft_core::waiting::{self, WaitOn};

/// A handle to a spawned task; awaiting it gives the task's output.
///
/// `Task<T>` is a future of `Result<T, TaskError>`: `Ok` with the value the task
/// returned, or an error saying it was cancelled or panicked. Dropping the handle
/// *detaches* the task: it keeps running and its output is dropped (asyncio's
/// fire-and-forget `create_task`).
///
/// ```
/// let rt = weft::Runtime::builder().worker_threads(2).build().unwrap();
/// let answer = rt.block_on(async {
///     let task: weft::Task<u32> = weft::spawn(async { 6 * 7 });
///     task.await
/// });
/// assert_eq!(answer.unwrap(), 42);
/// ```
///
/// # Cancel safety
///
/// Cancel safe to await by reference (`&mut task`, as a `select!` branch in a loop):
/// dropping that await loses nothing; the task runs on and the next await gets its
/// output. Awaiting the `Task` by value and dropping that future drops the handle,
/// which detaches the task: it is not cancelled, but its output is lost.
pub struct Task<T> {
    raw: RawTask,
    _output: PhantomData<T>,
}

// SAFETY: the handle only moves `T` out (needs `T: Send` to cross threads) and
// touches the task through atomics and the state-word protocol.
unsafe impl<T: Send> Send for Task<T> {}
// SAFETY: `T` is never reached through `&Task<T>`, and every `&self` method touches
// only what is safe to share: the atomic state word and counters (`cancel`,
// `cancelling`, `is_finished`, `outcome`), fields fixed at spawn (`id`, `name`), and the
// side block behind its own locks (`cancel_with`'s message, the done-callbacks). The
// join-waker slot, which the handle alone may write (state.rs, rule 5), is written only
// through `&mut self` (`poll`, `poll_finished`) or by value (`drop`).
unsafe impl<T: Send> Sync for Task<T> {}

impl<T> Unpin for Task<T> {}

impl<T> Task<T> {
    /// # Safety
    ///
    /// The caller gives one reference; the task's output type is `T`.
    pub(super) unsafe fn from_raw(raw: RawTask) -> Task<T> {
        Task {
            raw,
            _output: PhantomData,
        }
    }

    /// Requests cancellation and wakes the task (asyncio's `task.cancel()`).
    ///
    /// If the task is inside a [`cancellable`](crate::task::cancellable) region, the
    /// innermost region polled catches the request and the task goes on; otherwise the
    /// runtime drops its future at the next poll and the task ends with
    /// [`TaskError::is_cancelled`]. Every call counts (see [`cancelling`](Self::cancelling)).
    ///
    /// Returns `false` if the task had already finished (nothing to cancel), `true`
    /// otherwise.
    ///
    /// ```
    /// let rt = weft::Runtime::builder().current_thread().build().unwrap();
    /// rt.block_on(async {
    ///     let task = weft::spawn(std::future::pending::<()>());
    ///     assert!(task.cancel());
    ///     assert!(task.await.unwrap_err().is_cancelled());
    /// });
    /// ```
    pub fn cancel(&self) -> bool {
        cancel::request(self.raw, None)
    }

    /// As [`cancel`](Self::cancel), with a message the catching region's
    /// [`Cancelled`](crate::task::Cancelled) (or the task's `TaskError`) carries
    /// (asyncio's `cancel(msg)`).
    ///
    /// ```
    /// let rt = weft::Runtime::builder().current_thread().build().unwrap();
    /// rt.block_on(async {
    ///     let task = weft::spawn(std::future::pending::<()>());
    ///     task.cancel_with("shutting down");
    ///     assert_eq!(task.await.unwrap_err().cancel_message(), Some("shutting down"));
    /// });
    /// ```
    pub fn cancel_with(&self, message: impl Into<Arc<str>>) -> bool {
        cancel::request(self.raw, Some(message.into()))
    }

    /// How many cancel requests the task has had, less those undone by
    /// [`uncancel`](crate::task::uncancel) (asyncio's `cancelling()`).
    pub fn cancelling(&self) -> usize {
        self.raw.header().requests.load(Acquire) as usize
    }

    /// `true` once the task has finished: returned, panicked or been cancelled.
    pub fn is_finished(&self) -> bool {
        self.raw.state().load().is_complete()
    }

    /// `true` if the task ended by cancellation (asyncio's `cancelled()`). A task that
    /// caught its cancellation and returned a value is not cancelled.
    pub fn is_cancelled(&self) -> bool {
        self.outcome() == Some(TaskOutcome::Cancelled)
    }

    /// How the task ended, once it has.
    pub fn outcome(&self) -> Option<TaskOutcome> {
        self.is_finished().then(|| self.raw.header().outcome())
    }

    /// The task's id.
    pub fn id(&self) -> TaskId {
        self.raw.header().id
    }

    /// The task's name, if it was spawned with one
    /// ([`task::Builder::name`](crate::task::Builder::name)).
    pub fn name(&self) -> Option<&str> {
        self.raw.header().name().map(|name| &**name)
    }

    /// Runs `callback` once the task has finished (asyncio's `add_done_callback`): on
    /// the thread that completes it, or at once, on this thread, if it already has. A
    /// callback that panics is reported ([`Report::DoneCallbackPanicked`]) and the
    /// others still run.
    ///
    /// [`Report::DoneCallbackPanicked`]: crate::task::Report::DoneCallbackPanicked
    ///
    /// ```
    /// use std::sync::atomic::{AtomicBool, Ordering};
    /// use std::sync::Arc;
    ///
    /// let rt = weft::Runtime::builder().current_thread().build().unwrap();
    /// rt.block_on(async {
    ///     let seen = Arc::new(AtomicBool::new(false));
    ///     let task = weft::spawn(async { 1 });
    ///     let flag = seen.clone();
    ///     task.add_done_callback(move |done| {
    ///         assert_eq!(done.outcome(), weft::task::TaskOutcome::Returned);
    ///         flag.store(true, Ordering::SeqCst);
    ///     });
    ///     task.await.unwrap();
    ///     assert!(seen.load(Ordering::SeqCst));
    /// });
    /// ```
    pub fn add_done_callback(
        &self,
        callback: impl FnOnce(&TaskDone) + Send + 'static,
    ) -> DoneCallbackId {
        let raw = self.raw;
        done::add(raw.header(), Box::new(callback), |report| {
            // SAFETY: the handle holds a reference for the length of the call.
            unsafe { raw.report(report) }
        })
    }

    /// Removes a callback that has not run; `false` if it ran already (or is unknown).
    pub fn remove_done_callback(&self, id: DoneCallbackId) -> bool {
        self.raw
            .header()
            .side
            .get()
            .is_some_and(|side| side.done.lock().remove(id))
    }

    pub(crate) fn raw(&self) -> RawTask {
        self.raw
    }

    /// `Ready` once the task has finished, without taking its output; registers the
    /// waker otherwise (for `wait` and `as_completed`). It writes the join-waker slot,
    /// which the handle owns (state.rs, rule 5): hence `&mut self`, like `poll`.
    pub(crate) fn poll_finished(&mut self, cx: &mut Context<'_>) -> Poll<()> {
        if super::harness::can_read_output(self.raw.header(), cx.waker()) {
            Poll::Ready(())
        } else {
            Poll::Pending
        }
    }
}

impl<T> Future for Task<T> {
    type Output = Result<T, TaskError>;

    /// `#[track_caller]`: the awaiting task's dump names the line of its `.await`.
    #[track_caller]
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let mut ret: Poll<Result<T, TaskError>> = Poll::Pending;
        // SAFETY: `ret` is a `Poll<Result<T, TaskError>>` of this task's output type,
        // and we are its handle.
        unsafe {
            self.raw.try_read_output(
                &mut ret as *mut Poll<Result<T, TaskError>> as *mut (),
                cx.waker(),
            )
        };
        if ret.is_pending() {
            let header = self.raw.header();
            let what = if header.blocking_job {
                &SPAWN_BLOCKING
            } else {
                &AWAIT_TASK
            };
            waiting::record_task(what, Location::caller(), header.id.as_u64());
        }
        ret
    }
}

/// What a task awaiting another waits on, in a dump.
static AWAIT_TASK: WaitOn = WaitOn("Task");
/// ... and awaiting a blocking job (`spawn_blocking`, `to_thread`).
static SPAWN_BLOCKING: WaitOn = WaitOn("spawn_blocking");

impl<T> Drop for Task<T> {
    fn drop(&mut self) {
        if self.raw.state().drop_join_handle_fast().is_ok() {
            return;
        }
        // SAFETY: the handle's reference, given up once, here.
        unsafe { self.raw.drop_join_handle_slow() };
    }
}

impl<T> fmt::Debug for Task<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Task")
            .field("id", &self.id())
            .field("name", &self.name())
            .field("finished", &self.is_finished())
            .finish()
    }
}
