//! Introspection: a snapshot of the live tasks (asyncio's `all_tasks()`), and the
//! text dump behind `Runtime::dump`.

use super::raw::Header;
use super::TaskId;
use crate::loom::sync::atomic::Ordering::{Acquire, Relaxed};
use std::fmt::{self, Write};
use std::panic::Location;
use std::sync::Arc;
use std::time::Duration;

/// What a task is doing at the moment of a snapshot.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TaskState {
    /// Waiting for a wake.
    Idle,
    /// Woken, waiting in a run queue.
    Scheduled,
    /// Being polled.
    Running,
}

/// One live task in a [`all`] snapshot.
#[derive(Clone, Debug)]
pub struct TaskInfo {
    id: TaskId,
    name: Option<Arc<str>>,
    state: TaskState,
    cancelling: usize,
    spawned_at: &'static Location<'static>,
    polls: u64,
    busy: Duration,
}

impl TaskInfo {
    pub(crate) fn of(header: &Header) -> TaskInfo {
        let snapshot = header.state.load();
        let state = if snapshot.is_running() {
            TaskState::Running
        } else if snapshot.is_notified() {
            TaskState::Scheduled
        } else {
            TaskState::Idle
        };
        TaskInfo {
            id: header.id,
            name: header.name().cloned(),
            state,
            cancelling: header.requests.load(Acquire) as usize,
            spawned_at: header.spawned_at,
            polls: u64::from(header.polls()),
            busy: Duration::from_nanos(
                header
                    .side
                    .get()
                    .map_or(0, |side| side.busy_nanos.load(Relaxed)),
            ),
        }
    }

    /// The task's id.
    pub fn id(&self) -> TaskId {
        self.id
    }

    /// Its name, if it has one.
    pub fn name(&self) -> Option<&str> {
        self.name.as_deref()
    }

    /// What it was doing.
    pub fn state(&self) -> TaskState {
        self.state
    }

    /// Its cancel requests not undone.
    pub fn cancelling(&self) -> usize {
        self.cancelling
    }

    /// Where it was spawned.
    pub fn spawned_at(&self) -> &'static Location<'static> {
        self.spawned_at
    }

    /// How many times it has been polled.
    pub fn polls(&self) -> u64 {
        self.polls
    }

    /// The time its polls took in all, measured in debug mode only
    /// ([`Builder::debug`](crate::Builder::debug)); zero otherwise.
    pub fn busy(&self) -> Duration {
        self.busy
    }
}

impl fmt::Display for TaskInfo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "task {}", self.id)?;
        if let Some(name) = &self.name {
            write!(f, " {name:?}")?;
        }
        write!(f, " {:?} spawned at {}", self.state, self.spawned_at)?;
        if self.cancelling > 0 {
            write!(f, " (cancelling: {})", self.cancelling)?;
        }
        Ok(())
    }
}

/// A snapshot of the current runtime's live tasks (spawned and not finished; blocking
/// jobs are not tasks of the runtime's scheduler and are not listed), in no particular
/// order (asyncio's `all_tasks()`). Empty outside a runtime.
///
/// ```
/// let rt = weft::Runtime::builder().current_thread().build().unwrap();
/// rt.block_on(async {
///     let idle = weft::task::Builder::new().name("idler").spawn(std::future::pending::<()>());
///     weft::yield_now().await;
///     let all = weft::task::all();
///     assert!(all.iter().any(|t| t.id() == idle.id() && t.name() == Some("idler")));
/// });
/// ```
pub fn all() -> Vec<TaskInfo> {
    super::context::live_tasks()
}

/// A text listing of live tasks, one per line.
pub(crate) fn dump(tasks: &[TaskInfo]) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{} live tasks", tasks.len());
    for task in tasks {
        let _ = writeln!(out, "  {task}");
    }
    out
}
