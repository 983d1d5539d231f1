//! `Task<T>`: the handle to a spawned task (asyncio's `Task`).

use super::raw::RawTask;
use super::state::TransitionToNotified;
use super::{TaskError, TaskId};
use std::fmt;
use std::future::Future;
use std::marker::PhantomData;
use std::pin::Pin;
use std::task::{Context, Poll};

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
pub struct Task<T> {
    raw: RawTask,
    _output: PhantomData<T>,
}

// SAFETY: the handle only moves `T` out (needs `T: Send` to cross threads) and
// touches the task through atomics and the state-word protocol.
unsafe impl<T: Send> Send for Task<T> {}
// SAFETY: every `&self` method reads or updates the atomic state word only; `T` is
// never reached through `&Task<T>`.
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

    /// Requests cancellation and wakes the task; at its next poll the runtime drops its
    /// future and the task ends with [`TaskError::is_cancelled`].
    ///
    /// Returns `false` if the task had already finished (nothing to cancel), `true`
    /// otherwise. Cancelling twice is harmless.
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
        let state = self.raw.state();
        let finished = state.load().is_complete();
        match state.transition_to_notified_and_cancel() {
            // SAFETY: the transition counted a reference for the `Notified`.
            TransitionToNotified::Submit => unsafe { self.raw.schedule() },
            TransitionToNotified::DoNothing => {}
            TransitionToNotified::Dealloc => unreachable!("cancel never drops a reference"),
        }
        !finished
    }

    /// `true` once the task has finished: returned, panicked or been cancelled.
    pub fn is_finished(&self) -> bool {
        self.raw.state().load().is_complete()
    }

    /// The task's id.
    pub fn id(&self) -> TaskId {
        self.raw.header().id
    }

    /// Waits for the task from a plain thread, blocking it (asyncio's
    /// `run_coroutine_threadsafe(...).result()`).
    ///
    /// ```
    /// let rt = weft::Runtime::builder().worker_threads(1).build().unwrap();
    /// let task = rt.handle().spawn(async { "done" });
    /// assert_eq!(task.join_blocking().unwrap(), "done");
    /// ```
    ///
    /// # Panics
    ///
    /// If called on a thread that runs a weft runtime (a worker or inside
    /// `block_on`): blocking there could stop the very task it waits for. Await the
    /// task instead.
    #[track_caller]
    pub fn join_blocking(self) -> Result<T, TaskError> {
        crate::runtime::block_on_plain_thread("Task::join_blocking", self)
    }
}

impl<T> Future for Task<T> {
    type Output = Result<T, TaskError>;

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
        ret
    }
}

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
            .field("finished", &self.is_finished())
            .finish()
    }
}
