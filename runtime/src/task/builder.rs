//! `task::Builder`: spawning with a name, or eagerly. Its `spawn` and `spawn_on` need a
//! runtime and live with it (`runtime/spawn.rs`).

use super::SpawnMeta;
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

    /// Names the task ([`Task::name`](super::Task::name), [`task::all`](crate::task::all), dumps).
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

    /// What a spawn with these options decides before the task exists: its meta, with
    /// `eager_by_default` standing for the runtime's default.
    pub(crate) fn meta(
        self,
        location: &'static Location<'static>,
        eager_by_default: impl FnOnce() -> bool,
    ) -> SpawnMeta {
        let eager = self.eager.unwrap_or_else(eager_by_default);
        SpawnMeta::new(location, self.name, eager)
    }
}
