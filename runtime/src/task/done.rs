//! Done-callbacks: functions run once a task has finished (asyncio's
//! `add_done_callback`).
//!
//! # Rules
//!
//! 1. A callback added before the task finishes runs once, on the thread that
//!    completes the task, right after the output is stored and before the `Task` handle
//!    is woken. One added after runs at once, on the adding thread.
//! 2. Which of the two runs it is decided without a lost callback, even for a task
//!    that has no side block yet when it completes: the adder registers the callback
//!    under the side block's lock, then reads the state word with `load_ordered`; the
//!    completer looks for callbacks only after `transition_to_complete` (state.rs,
//!    rule 8). Whoever finds the callbacks unfired fires them, under the lock — once.
//! 3. Callbacks run outside every lock, one after another in the order they were added;
//!    a panic in one is caught and reported (`report.rs`), and the others still run.
//! 4. `remove` succeeds only for a callback that has not run.

use super::raw::Header;
use super::report::Report;
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

pub(crate) type Callback = Box<dyn FnOnce(&TaskDone) + Send>;

/// A task's done-callbacks, in the order they were added.
#[derive(Default)]
pub(crate) struct DoneCallbacks {
    next_id: u64,
    pending: Vec<(DoneCallbackId, Callback)>,
    /// Set once the task finished and the callbacks were taken (rules 1-2).
    fired: bool,
}

impl DoneCallbacks {
    fn next_id(&mut self) -> DoneCallbackId {
        let id = DoneCallbackId(self.next_id);
        self.next_id += 1;
        id
    }

    /// Rule 4.
    pub(crate) fn remove(&mut self, id: DoneCallbackId) -> bool {
        let before = self.pending.len();
        self.pending.retain(|(cb_id, _)| *cb_id != id);
        self.pending.len() != before
    }

    /// Marks the callbacks fired and takes those to run; none if they fired already.
    fn fire(&mut self) -> Vec<Callback> {
        if std::mem::replace(&mut self.fired, true) {
            return Vec::new();
        }
        self.pending.drain(..).map(|(_, cb)| cb).collect()
    }
}

/// Adds `callback` to the task `header` belongs to, or runs it at once if the task has
/// finished (rules 1-2). `report` takes a callback's panic.
pub(crate) fn add(header: &Header, callback: Callback, report: impl Fn(&Report)) -> DoneCallbackId {
    let side = header.side.get_or_init();
    let id = {
        let mut done = side.done.lock();
        let id = done.next_id();
        if done.fired {
            drop(done);
            run(vec![callback], header, report);
            return id;
        }
        done.pending.push((id, callback));
        id
    };
    // Rule 2: the completer may have looked for callbacks before ours was there.
    if header.state.load_ordered().is_complete() {
        fire(header, report);
    }
    id
}

/// Runs the callbacks of a task that has completed, if nobody has (rules 1-2).
pub(crate) fn fire(header: &Header, report: impl Fn(&Report)) {
    let Some(side) = header.side.get() else {
        return;
    };
    let callbacks = side.done.lock().fire();
    if !callbacks.is_empty() {
        run(callbacks, header, report);
    }
}

/// Runs callbacks in order, each shielded from the others' panics (rule 3).
fn run(callbacks: Vec<Callback>, header: &Header, report: impl Fn(&Report)) {
    let done = TaskDone {
        id: header.id,
        name: header.name().cloned(),
        outcome: header.outcome(),
    };
    for callback in callbacks {
        if let Err(payload) = catch_unwind(AssertUnwindSafe(|| callback(&done))) {
            report(&Report::DoneCallbackPanicked {
                task: done.id,
                name: done.name.clone(),
                message: super::panic_message(&*payload)
                    .unwrap_or("a done-callback panicked")
                    .to_owned(),
            });
        }
    }
}

impl fmt::Debug for DoneCallbacks {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DoneCallbacks")
            .field("pending", &self.pending.len())
            .field("fired", &self.fired)
            .finish()
    }
}
