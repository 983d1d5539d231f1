//! `task::Builder`: spawning with a name, or eagerly.

use super::{SpawnMeta, Task};
use crate::runtime::Handle;
use std::future::Future;
use std::panic::Location;
use std::sync::Arc;

/// Spawns a task with options (asyncio's `create_task(coro, name=...)` and eager
/// tasks).
///
/// ```
/// let rt = weft::Runtime::builder().current_thread().build().unwrap();
/// rt.block_on(async {
///     let task = weft::task::Builder::new()
///         .name("fetch")
///         .eager(true) // runs inline until its first pending await
///         .spawn(async { 42 });
///     assert!(task.is_finished()); // finished inline: never queued
///     assert_eq!(task.name(), Some("fetch"));
///     assert_eq!(task.await.unwrap(), 42);
/// });
/// ```
#[derive(Clone, Debug, Default)]
#[must_use = "a Builder spawns nothing until `spawn` is called"]
pub struct Builder {
    name: Option<Arc<str>>,
    eager: Option<bool>,
}

impl Builder {
    /// A builder with no name, eager as the runtime's default.
    pub fn new() -> Builder {
        Builder::default()
    }

    /// Names the task ([`Task::name`], [`task::all`](crate::task::all), dumps).
    pub fn name(mut self, name: impl Into<Arc<str>>) -> Builder {
        self.name = Some(name.into());
        self
    }

    /// Polls the future once inline, in `spawn`, before it is queued (asyncio's eager
    /// task): if it finishes there it is never scheduled at all. The default is the
    /// runtime's ([`Builder::eager_tasks`](crate::Builder::eager_tasks)).
    pub fn eager(mut self, eager: bool) -> Builder {
        self.eager = Some(eager);
        self
    }

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
        let eager = self
            .eager
            .unwrap_or_else(|| handle.inner.eager_by_default());
        handle
            .inner
            .spawn(future, SpawnMeta::new(location, self.name, eager))
    }
}
