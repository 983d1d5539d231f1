//! What the task layer's handles do that only a runtime can: `task::Builder`'s spawns
//! (local ones too) and `Task::join_blocking`. The types are the task layer's (`task/builder.rs`,
//! `task/join.rs`); these methods sit here so that layer needs no runtime.

use super::{block_on_plain_thread, Handle};
use crate::scheduler::local::{LocalScheduler, NO_LOCAL_TASKS};
use crate::task::{Builder, LocalTask, Task, TaskError};
use std::future::Future;
use std::panic::Location;

impl Builder {
    /// Spawns on the current runtime.
    ///
    /// # Cancel safety
    ///
    /// Awaiting the returned [`Task`] by reference is cancel safe; see [`Task`].
    ///
    /// # Panics
    ///
    /// Outside a weft runtime; use [`spawn_on`](Self::spawn_on) from anywhere.
    #[track_caller]
    pub fn spawn<F>(self, future: F) -> Task<F::Output>
    where
        F: Future + Send + 'static,
        F::Output: Send + 'static,
    {
        let location = Location::caller();
        match Handle::try_current() {
            Ok(handle) => self.spawn_at(future, &handle, location),
            Err(err) => panic!("weft::task::Builder::spawn: {err}"),
        }
    }

    /// Spawns on the runtime `handle` belongs to, from any thread.
    ///
    /// # Cancel safety
    ///
    /// Awaiting the returned [`Task`] by reference is cancel safe; see [`Task`].
    #[track_caller]
    pub fn spawn_on<F>(self, future: F, handle: &Handle) -> Task<F::Output>
    where
        F: Future + Send + 'static,
        F::Output: Send + 'static,
    {
        self.spawn_at(future, handle, Location::caller())
    }

    fn spawn_at<F>(
        self,
        future: F,
        handle: &Handle,
        location: &'static Location<'static>,
    ) -> Task<F::Output>
    where
        F: Future + Send + 'static,
        F::Output: Send + 'static,
    {
        let meta = self.meta(location, || handle.inner.eager_by_default());
        handle.inner.spawn(future, meta)
    }
}

impl Builder {
    /// Spawns a local task on this thread ([`weft::spawn_local`](crate::spawn_local)):
    /// its future need not be `Send`, and it runs only on this thread.
    ///
    /// ```
    /// let rt = weft::Runtime::builder().current_thread().build().unwrap();
    /// rt.block_on(async {
    ///     let here = std::rc::Rc::new("not Send");
    ///     let task = weft::task::Builder::new()
    ///         .name("local")
    ///         .spawn_local(async move { weft::task::current().unwrap().name().map(|n| (n.to_owned(), *here)) });
    ///     assert_eq!(task.await.unwrap(), Some(("local".to_owned(), "not Send")));
    /// });
    /// ```
    ///
    /// # Panics
    ///
    /// As [`weft::spawn_local`](crate::spawn_local): on a thread with no local tasks.
    #[track_caller]
    pub fn spawn_local<F>(self, future: F) -> LocalTask<F::Output>
    where
        F: Future + 'static,
        F::Output: 'static,
    {
        let location = Location::caller();
        LocalScheduler::with_current(|local| match local {
            Some(local) => {
                let meta = self.meta(location, || local.eager_by_default());
                local.spawn(future, meta)
            }
            None => panic!("{NO_LOCAL_TASKS}"),
        })
    }
}

impl<T> Task<T> {
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
        block_on_plain_thread("Task::join_blocking", self)
    }
}
