//! Reports: what the runtime tells its user outside any await — asyncio's exception
//! handler (`loop.set_exception_handler`), which logs "Exception in callback" and its
//! kin.
//!
//! # Rules
//!
//! 1. A report goes to the runtime's hook when one is set
//!    ([`Builder::report_hook`](crate::Builder::report_hook)), else to standard error,
//!    one line each.
//! 2. A hook that panics is not allowed to unwind into the scheduler: its panic is
//!    caught and the report goes to standard error after all.

use super::TaskId;
use std::fmt;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::Arc;

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

/// Rule 1 without a hook.
pub(crate) fn to_stderr(report: &Report) {
    eprintln!("weft: {report}");
}

impl fmt::Debug for Reporter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Reporter")
            .field("hook", &self.hook.is_some())
            .finish()
    }
}
