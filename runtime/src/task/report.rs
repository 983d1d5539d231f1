//! Reports: what the runtime tells its user outside any await — asyncio's exception
//! handler (`loop.set_exception_handler`), which logs "Exception in callback" and its
//! kin.
//!
//! # Rules
//!
//! 1. A report goes to the runtime's hook when one is set
//!    ([`Builder::report_hook`](crate::Builder::report_hook)), else — with the
//!    `tracing` feature and a subscriber listening — to a `tracing` event (target
//!    `weft`), else to standard error, one line each.
//! 2. A hook that panics is not allowed to unwind into the scheduler: its panic is
//!    caught and the report goes to standard error after all.

use super::{TaskId, TaskInfo};
use std::fmt;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::Arc;
use std::time::Duration;

/// Something a runtime reports outside any await: nobody is there to return it to.
///
/// ```
/// use std::sync::{Arc, Mutex};
///
/// let seen = Arc::new(Mutex::new(Vec::new()));
/// let rt = weft::Runtime::builder()
///     .current_thread()
///     .report_hook({
///         let seen = seen.clone();
///         move |report| seen.lock().unwrap().push(report.to_string())
///     })
///     .build()
///     .unwrap();
/// rt.block_on(async {
///     let task = weft::spawn(async {});
///     task.add_done_callback(|_| panic!("oops"));
///     let _ = task.await;
/// });
/// assert!(seen.lock().unwrap()[0].contains("oops"));
/// ```
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum Report {
    /// A done-callback panicked (asyncio: "Exception in callback"). The other
    /// callbacks still ran.
    DoneCallbackPanicked {
        /// The task the callback was added to.
        task: TaskId,
        /// Its name, if it has one.
        name: Option<Arc<str>>,
        /// The panic's message.
        message: String,
    },
    /// Debug mode: one poll held its worker at least the slow-poll threshold
    /// (asyncio: "Executing `<Task>` took 0.150 seconds"). Something in the task blocks
    /// or computes without awaiting.
    SlowPoll {
        /// The task, as it was after the poll.
        task: TaskInfo,
        /// How long the poll took.
        took: Duration,
    },
    /// Debug mode: a task panicked and its output was dropped unread (asyncio: "Task
    /// exception was never retrieved").
    PanicNeverRetrieved {
        /// The task.
        task: TaskInfo,
        /// The panic's message.
        message: String,
    },
    /// Debug mode: the runtime shut down while this task was still pending; it is
    /// cancelled now (asyncio: "Task was destroyed but it is pending!").
    PendingAtShutdown {
        /// The task.
        task: TaskInfo,
    },
}

/// "task 3 `fetch` (spawned at src/main.rs:10:5)".
struct Subject<'a>(&'a TaskInfo);

impl fmt::Display for Subject<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "task {}", self.0.id())?;
        if let Some(name) = self.0.name() {
            write!(f, " `{name}`")?;
        }
        write!(f, " (spawned at {})", self.0.spawned_at())
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Report::DoneCallbackPanicked {
                task,
                name,
                message,
            } => {
                write!(f, "a done-callback of task {task}")?;
                if let Some(name) = name {
                    write!(f, " `{name}`")?;
                }
                write!(f, " panicked: {message}")
            }
            Report::SlowPoll { task, took } => {
                write!(
                    f,
                    "{} held its worker for {took:?} in one poll",
                    Subject(task)
                )
            }
            Report::PanicNeverRetrieved { task, message } => write!(
                f,
                "{} panicked and nobody retrieved it: {message}",
                Subject(task)
            ),
            Report::PendingAtShutdown { task } => write!(
                f,
                "{} was still pending when the runtime shut down; it is cancelled",
                Subject(task)
            ),
        }
    }
}

/// The hook a runtime sends its reports to (rule 1).
pub(crate) type ReportHook = Arc<dyn Fn(&Report) + Send + Sync>;

/// Where one runtime's reports go (rule 1).
#[derive(Clone, Default)]
pub(crate) struct Reporter {
    hook: Option<ReportHook>,
}

impl Reporter {
    pub(crate) fn new(hook: Option<ReportHook>) -> Reporter {
        Reporter { hook }
    }

    /// Sends `report` to the hook, or to standard error (rules 1-2).
    pub(crate) fn report(&self, report: &Report) {
        if let Some(hook) = &self.hook {
            if catch_unwind(AssertUnwindSafe(|| hook(report))).is_ok() {
                return;
            }
        }
        to_stderr(report);
    }
}

/// Rule 1 without a hook: to `tracing` when the `tracing` feature is on and a
/// subscriber listens, else to standard error.
pub(crate) fn to_stderr(report: &Report) {
    #[cfg(feature = "tracing")]
    if super::trace::report(report) {
        return;
    }
    eprintln!("weft: {report}");
}

impl fmt::Debug for Reporter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Reporter")
            .field("hook", &self.hook.is_some())
            .finish()
    }
}
