//! Introspection: a snapshot of the live tasks (asyncio's `all_tasks()`), each with
//! what it waits on (asyncio's `Task.get_stack()`, one frame deep: weft's own await).

use super::raw::Header;
use super::TaskId;
use crate::loom::sync::atomic::Ordering::{Acquire, Relaxed};
use std::fmt;
use std::panic::Location;
use std::sync::Arc;
use std::time::Duration;
use weft_core::waiting::Wait;

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
    wait: Option<Wait>,
    /// How long it had waited when the snapshot was taken.
    waited: Duration,
}

impl TaskInfo {
    pub(crate) fn of(header: &Header) -> TaskInfo {
        let wait = header.wait.read();
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
            wait,
            waited: wait.map_or(Duration::ZERO, |w| w.waited),
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

    /// What it waits on — `"Queue::get"`, `"TcpStream::read"`, `"sleep"`, `"Task"`
    /// (another task: see [`awaiting`](Self::awaiting)), `"spawn_blocking"` — when it
    /// is suspended at one of weft's own awaits. `None` while it runs, and when it
    /// waits on a future weft does not know (its own `poll` returned `Pending`).
    ///
    /// ```
    /// let rt = weft::Runtime::builder().current_thread().build().unwrap();
    /// rt.block_on(async {
    ///     let event = std::sync::Arc::new(weft::sync::Event::new());
    ///     let waiter = event.clone();
    ///     let line = line!() + 1;
    ///     let task = weft::spawn(async move { waiter.wait().await });
    ///     weft::yield_now().await;
    ///     let info = weft::task::all().into_iter().find(|t| t.id() == task.id()).unwrap();
    ///     assert_eq!(info.waiting_on(), Some("Event::wait"));
    ///     assert_eq!(info.waiting_at().unwrap().line(), line);
    ///     assert!(info.waiting_for().is_some());
    ///     event.set();
    ///     task.await.unwrap();
    /// });
    /// ```
    pub fn waiting_on(&self) -> Option<&'static str> {
        self.wait.map(|w| w.what)
    }

    /// The source line that awaits (the user's, through `#[track_caller]`); `None` for
    /// a wait whose future did not know it (a socket polled through `AsyncRead`
    /// directly rather than through a weft helper such as `read_exact`).
    ///
    /// ```
    /// let rt = weft::Runtime::builder().current_thread().start_paused(true).build().unwrap();
    /// rt.block_on(async {
    ///     let line = line!() + 1;
    ///     let nap = weft::spawn(weft::time::sleep(std::time::Duration::from_secs(9)));
    ///     weft::yield_now().await;
    ///     let info = weft::task::all().into_iter().find(|t| t.id() == nap.id()).unwrap();
    ///     assert_eq!(info.waiting_on(), Some("sleep"));
    ///     assert_eq!(info.waiting_at().map(|at| at.line()), Some(line));
    /// });
    /// ```
    pub fn waiting_at(&self) -> Option<&'static Location<'static>> {
        self.wait.and_then(|w| w.at)
    }

    /// How long it had waited there when the snapshot was taken, on the real clock
    /// (a paused runtime clock does not stop it).
    ///
    /// ```
    /// let rt = weft::Runtime::builder().current_thread().build().unwrap();
    /// rt.block_on(async {
    ///     let event = std::sync::Arc::new(weft::sync::Event::new());
    ///     let waiter = event.clone();
    ///     let task = weft::spawn(async move { waiter.wait().await });
    ///     weft::yield_now().await;
    ///     let info = weft::task::all().into_iter().find(|t| t.id() == task.id()).unwrap();
    ///     assert!(info.waiting_for().unwrap() < std::time::Duration::from_secs(3600));
    ///     event.set();
    /// });
    /// ```
    pub fn waiting_for(&self) -> Option<Duration> {
        self.wait.map(|_| self.waited)
    }

    /// The task it awaits (asyncio's call graph: who awaits whom), or the blocking
    /// job when it waits on `spawn_blocking`.
    ///
    /// ```
    /// let rt = weft::Runtime::builder().current_thread().build().unwrap();
    /// rt.block_on(async {
    ///     let inner = weft::spawn(std::future::pending::<()>());
    ///     let inner_id = inner.id();
    ///     let outer = weft::spawn(async move { inner.await });
    ///     weft::yield_now().await;
    ///     let info = weft::task::all().into_iter().find(|t| t.id() == outer.id()).unwrap();
    ///     assert_eq!(info.awaiting(), Some(inner_id));
    ///     outer.cancel();
    /// });
    /// ```
    pub fn awaiting(&self) -> Option<TaskId> {
        self.wait.and_then(|w| w.awaiting).map(TaskId::from_u64)
    }

    /// "waits on X at L for D" / "awaits task N at L for D", or `None`.
    pub(crate) fn describe_wait(&self) -> Option<WaitDescription<'_>> {
        self.wait.map(|wait| WaitDescription { info: self, wait })
    }
}

/// What a task waits on, in words (`Display`).
pub(crate) struct WaitDescription<'a> {
    info: &'a TaskInfo,
    wait: Wait,
}

impl fmt::Display for WaitDescription<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Wait {
            what, at, awaiting, ..
        } = self.wait;
        match awaiting {
            Some(id) if what == "Task" => write!(f, "awaits task {id}")?,
            Some(id) => write!(f, "waits on {what} (task {id})")?,
            None => write!(f, "waits on {what}")?,
        }
        if let Some(at) = at {
            write!(f, " at {at}")?;
        }
        write!(f, " for {:.1?}", self.info.waited)
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
        if let Some(wait) = self.describe_wait() {
            write!(f, ", {wait}")?;
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
