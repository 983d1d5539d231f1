//! `Handle`: a cloneable reference to a runtime, usable from any thread.

use super::RuntimeMetrics;
use crate::scheduler;
use crate::scheduler::context;
use crate::task::Task;
use std::fmt;
use std::future::Future;
use std::marker::PhantomData;

/// A handle to a runtime: spawn onto it from any thread, even one that is not part of
/// the runtime (asyncio's `run_coroutine_threadsafe`).
///
/// ```
/// let rt = weft::Runtime::builder().worker_threads(1).build().unwrap();
/// let handle = rt.handle().clone();
/// let from_thread = std::thread::spawn(move || handle.spawn(async { 7 }).join_blocking());
/// assert_eq!(from_thread.join().unwrap().unwrap(), 7);
/// ```
#[derive(Clone)]
pub struct Handle {
    pub(crate) inner: scheduler::Handle,
}

/// There is no weft runtime on this thread; returned by [`Handle::try_current`].
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct TryCurrentError;

impl fmt::Display for TryCurrentError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(
            "there is no weft runtime on this thread: call from inside Runtime::block_on, \
             a weft task, or after Handle::enter",
        )
    }
}

impl std::error::Error for TryCurrentError {}

impl Handle {
    /// The handle of the runtime this thread is in.
    ///
    /// # Panics
    ///
    /// If there is none; see [`try_current`](Self::try_current).
    #[track_caller]
    pub fn current() -> Handle {
        match Handle::try_current() {
            Ok(handle) => handle,
            Err(err) => panic!("Handle::current: {err}"),
        }
    }

    /// The handle of the runtime this thread is in, or an error saying there is none.
    ///
    /// ```
    /// assert!(weft::Handle::try_current().is_err());
    /// let rt = weft::Runtime::builder().current_thread().build().unwrap();
    /// rt.block_on(async { assert!(weft::Handle::try_current().is_ok()) });
    /// ```
    pub fn try_current() -> Result<Handle, TryCurrentError> {
        context::try_current()
            .map(|inner| Handle { inner })
            .ok_or(TryCurrentError)
    }

    /// Spawns a task onto this runtime, from any thread.
    ///
    /// # Cancel safety
    ///
    /// Awaiting the returned [`Task`] by reference is cancel safe; see [`Task`].
    #[track_caller]
    pub fn spawn<F>(&self, future: F) -> Task<F::Output>
    where
        F: Future + Send + 'static,
        F::Output: Send + 'static,
    {
        crate::task::Builder::new().spawn_on(future, self)
    }

    /// Runs `f` on this runtime's blocking pool; see [`crate::spawn_blocking`].
    ///
    /// # Cancel safety
    ///
    /// Awaiting the returned [`Task`] by reference is cancel safe; see [`Task`].
    pub fn spawn_blocking<F, R>(&self, f: F) -> Task<R>
    where
        F: FnOnce() -> R + Send + 'static,
        R: Send + 'static,
    {
        self.inner
            .blocking()
            .spawn_blocking(Some(self.inner.clone()), f)
    }

    /// Every live task of this runtime — id, name, state, where it was spawned, what it
    /// waits on at which line and for how long — and the chains of tasks awaiting one
    /// another (asyncio's `Task.print_stack()` for all tasks, and 3.14's
    /// `print_call_graph`). Print it with `{}`; see [`Dump`](crate::task::Dump). Only
    /// weft's own awaits are named: a task suspended in a future of its own shows no
    /// wait. The future given to `block_on` is not a task and is not listed.
    ///
    /// ```
    /// #[weft::main(flavor = "current_thread")]
    /// async fn main() {
    ///     let queue = std::sync::Arc::new(weft::sync::Queue::<u32>::new(0));
    ///     let consumer = queue.clone();
    ///     let task = weft::task::Builder::new()
    ///         .name("consumer")
    ///         .spawn(async move { consumer.get().await });
    ///     weft::yield_now().await;
    ///     let dump = weft::runtime::Handle::current().dump().to_string();
    ///     assert!(dump.contains(r#""consumer""#) && dump.contains("waits on Queue::get"), "{dump}");
    ///     queue.put_nowait(1).unwrap();
    ///     assert_eq!(task.await.unwrap().unwrap(), 1);
    /// }
    /// ```
    pub fn dump(&self) -> crate::task::Dump {
        crate::task::Dump::new(self.inner.task_infos())
    }

    /// A snapshot of the runtime's counters.
    pub fn metrics(&self) -> RuntimeMetrics {
        RuntimeMetrics::of(&self.inner)
    }

    /// `true` if the runtime runs in debug mode (asyncio's `loop.get_debug()`); see
    /// [`Builder::debug`](crate::Builder::debug).
    ///
    /// ```
    /// let rt = weft::Runtime::builder().current_thread().debug(true).build().unwrap();
    /// assert!(rt.handle().is_debug());
    /// ```
    pub fn is_debug(&self) -> bool {
        self.inner.config().debug.is_some()
    }

    /// Makes this the current runtime of the thread until the guard drops, so
    /// `weft::spawn` and `Handle::current` work there.
    ///
    /// ```
    /// let rt = weft::Runtime::builder().worker_threads(1).build().unwrap();
    /// let _guard = rt.handle().enter();
    /// let task = weft::spawn(async { 5 });
    /// assert_eq!(task.join_blocking().unwrap(), 5);
    /// ```
    pub fn enter(&self) -> EnterGuard {
        EnterGuard {
            _not_send: PhantomData,
            _guard: context::set_handle(self.inner.clone()),
        }
    }
}

/// Keeps a runtime current on this thread; returned by [`Handle::enter`].
#[must_use = "the runtime is current only until the guard drops"]
pub struct EnterGuard {
    /// Neither `Send` nor `Sync`, said here rather than left to the fields: the guard
    /// restores *this* thread's context when dropped.
    _not_send: PhantomData<*const ()>,
    _guard: context::SetHandleGuard,
}

impl fmt::Debug for EnterGuard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("EnterGuard")
    }
}

impl fmt::Debug for Handle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let flavor = match self.inner {
            scheduler::Handle::MultiThread(_) => "multi_thread",
            scheduler::Handle::CurrentThread(_) => "current_thread",
        };
        f.debug_struct("Handle").field("flavor", &flavor).finish()
    }
}
