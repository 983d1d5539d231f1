//! What the run did and what went wrong, counted by every client task at once.

use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};
use std::sync::Mutex;

/// How many failure messages are kept; the rest are only counted.
const KEPT_FAILURES: usize = 20;

#[derive(Default)]
pub(crate) struct Tally {
    /// Messages whose echo came back and matched, byte for byte.
    pub(crate) messages: AtomicU64,
    /// The bytes of those messages.
    pub(crate) bytes_verified: AtomicU64,
    /// Connections the clients opened (the first ones and the reconnections).
    pub(crate) connections: AtomicU64,
    /// Connections a client closed in the middle of sending a message.
    pub(crate) closed_mid_message: AtomicU64,
    /// Reads a client gave up on (a `timeout` around them fired), then went on.
    pub(crate) cancelled_reads: AtomicU64,
    /// Tasks cancelled and ended by the cancel.
    pub(crate) cancelled_tasks: AtomicU64,
    /// Cancels caught by a `cancellable` region, after which the task cleaned up and
    /// ended normally.
    pub(crate) caught_cancels: AtomicU64,
    /// Tasks that finished before their cancel reached them.
    pub(crate) finished_before_cancel: AtomicU64,
    failure_count: AtomicU64,
    failures: Mutex<Vec<String>>,
}

impl Tally {
    pub(crate) fn add(counter: &AtomicU64, n: u64) {
        counter.fetch_add(n, Relaxed);
    }

    /// Records a failure: a lost or wrong byte, an I/O error the server caused, a
    /// panic.
    pub(crate) fn fail(&self, failure: String) {
        self.failure_count.fetch_add(1, Relaxed);
        let mut failures = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        if failures.len() < KEPT_FAILURES {
            failures.push(failure);
        }
    }

    pub(crate) fn failure_count(&self) -> u64 {
        self.failure_count.load(Relaxed)
    }

    /// The first failures recorded, each on a line, and how many more there were.
    pub(crate) fn failures(&self) -> String {
        let failures = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        let mut text = failures.join("\n");
        let more = self.failure_count() - failures.len() as u64;
        if more > 0 {
            text.push_str(&format!("\n... and {more} more"));
        }
        text
    }
}

impl fmt::Display for Tally {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let get = |counter: &AtomicU64| counter.load(Relaxed);
        write!(
            f,
            "{} messages echoed and verified ({} bytes), {} connections opened, {} closed \
             mid-message, {} reads cancelled by a timeout, {} tasks cancelled ({} caught \
             by a cancellable region, {} finished first), {} failures",
            get(&self.messages),
            get(&self.bytes_verified),
            get(&self.connections),
            get(&self.closed_mid_message),
            get(&self.cancelled_reads),
            get(&self.cancelled_tasks),
            get(&self.caught_cancels),
            get(&self.finished_before_cancel),
            self.failure_count(),
        )
    }
}
