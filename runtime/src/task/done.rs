//! Done-callbacks: functions run once a task has finished (asyncio's
//! `add_done_callback`).
//!
//! # Rules
//!
//! 1. A callback added before the task finishes runs once, on the thread that
//!    completes the task, right after the output is stored and before the `Task` handle
//!    is woken. One added after runs at once, on the adding thread.
//! 2. Callbacks run outside every lock, one after another in the order they were added;
//!    a panic in one is caught and dropped, and the others still run.
//! 3. `remove` succeeds only for a callback that has not run.

use super::{TaskId, TaskOutcome};
use std::fmt;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::Arc;

/// What a done-callback learns about the task that finished.
#[derive(Clone, Debug)]
pub struct TaskDone {
    pub(crate) id: TaskId,
    pub(crate) name: Option<Arc<str>>,
    pub(crate) outcome: TaskOutcome,
}

impl TaskDone {
    /// The task's id.
    pub fn id(&self) -> TaskId {
        self.id
    }

    /// The task's name, if it was given one.
    pub fn name(&self) -> Option<&str> {
        self.name.as_deref()
    }

    /// How it ended.
    pub fn outcome(&self) -> TaskOutcome {
        self.outcome
    }
}

/// Names a done-callback, to remove it with
/// [`Task::remove_done_callback`](crate::Task::remove_done_callback).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct DoneCallbackId(u64);

type Callback = Box<dyn FnOnce(&TaskDone) + Send>;

/// A task's done-callbacks, in the order they were added.
#[derive(Default)]
pub(crate) struct DoneCallbacks {
    next_id: u64,
    pending: Vec<(DoneCallbackId, Callback)>,
    /// Set once the task finished and the callbacks were taken (rule 1).
    fired: Option<TaskDone>,
}

impl DoneCallbacks {
    /// Adds a callback; if the task already finished, hands it back with what to call
    /// it with (rule 1).
    pub(crate) fn add(
        &mut self,
        callback: Callback,
    ) -> Result<DoneCallbackId, (Callback, TaskDone)> {
        if let Some(done) = &self.fired {
            return Err((callback, done.clone()));
        }
        let id = DoneCallbackId(self.next_id);
        self.next_id += 1;
        self.pending.push((id, callback));
        Ok(id)
    }

    /// An id for a callback that ran at once (the task had finished): it can never
    /// be removed.
    pub(crate) fn ran_at_once(&mut self) -> DoneCallbackId {
        let id = DoneCallbackId(self.next_id);
        self.next_id += 1;
        id
    }

    /// Rule 3.
    pub(crate) fn remove(&mut self, id: DoneCallbackId) -> bool {
        let before = self.pending.len();
        self.pending.retain(|(cb_id, _)| *cb_id != id);
        self.pending.len() != before
    }

    /// Marks the task done and takes the callbacks to run (outside the lock).
    pub(crate) fn fire(&mut self, done: TaskDone) -> (Vec<Callback>, TaskDone) {
        self.fired = Some(done.clone());
        let callbacks = self.pending.drain(..).map(|(_, cb)| cb).collect();
        (callbacks, done)
    }
}

/// Runs callbacks in order, each shielded from the others' panics (rule 2).
pub(crate) fn run_callbacks(callbacks: Vec<Callback>, done: &TaskDone) {
    for callback in callbacks {
        let _ = catch_unwind(AssertUnwindSafe(|| callback(done)));
    }
}

impl fmt::Debug for DoneCallbacks {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DoneCallbacks")
            .field("pending", &self.pending.len())
            .field("fired", &self.fired.is_some())
            .finish()
    }
}
