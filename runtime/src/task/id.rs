//! Task ids: unique for the life of the process, never reused.

use crate::loom::sync::atomic::{AtomicU64, Ordering::Relaxed};
use std::fmt;

/// An opaque identifier of a task, unique among all tasks of the process.
///
/// ```
/// let rt = weft::Runtime::builder().current_thread().build().unwrap();
/// let (a, b) = rt.block_on(async { (weft::spawn(async {}), weft::spawn(async {})) });
/// assert_ne!(a.id(), b.id());
/// ```
#[derive(Clone, Copy, Debug, Hash, Eq, PartialEq, Ord, PartialOrd)]
pub struct TaskId(u64);

impl TaskId {
    pub(crate) fn next() -> TaskId {
        #[cfg(not(loom))]
        static NEXT: AtomicU64 = AtomicU64::new(1);
        #[cfg(loom)]
        loom::lazy_static! {
            static ref NEXT: AtomicU64 = AtomicU64::new(1);
        }
        TaskId(NEXT.fetch_add(1, Relaxed))
    }

    /// The id as a number (for logs and metrics).
    pub fn as_u64(self) -> u64 {
        self.0
    }
}

impl fmt::Display for TaskId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}
