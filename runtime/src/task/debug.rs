//! Debug mode: what a runtime built with `Builder::debug(true)` (or run with
//! `WEFT_DEBUG=1`) watches for, as asyncio's debug mode does.
//!
//! | asyncio (`debug=True`)                       | weft report                      |
//! |----------------------------------------------|----------------------------------|
//! | "Executing <Task ..> took 0.150 seconds"     | [`Report::SlowPoll`]             |
//! | "Task exception was never retrieved"         | [`Report::PanicNeverRetrieved`]  |
//! | "Task was destroyed but it is pending!"      | [`Report::PendingAtShutdown`]    |
//!
//! # Rules
//!
//! 1. Off, it costs one branch per poll on a value the scheduler already holds, and
//!    nothing else: no clock read, no allocation, no timer held across the poll (the
//!    timed poll is a cold function of its own, `harness::poll_timed`).
//! 2. On, every poll is timed; the time goes to the task's busy total (its side block)
//!    and a poll at or over the threshold is reported once, after it returns, with the
//!    task's id, name and spawn location.
//! 3. A panic is *retrieved* when the task's handle reads the output. A task whose
//!    future panicked (caught by the harness, not by a task group, which retrieves its
//!    children's panics itself) and whose output is dropped unread is reported when the
//!    last holder of the output lets it go: the handle's drop, or the completion of a
//!    task whose handle is already gone.
//! 4. At shutdown, every task still in the runtime's list is reported before it is
//!    cancelled.

use super::list::OwnedTasks;
use super::raw::Header;
use super::report::Report;
use super::{TaskError, TaskInfo};
use crate::loom::sync::atomic::Ordering::Relaxed;
use std::time::{Duration, Instant};

/// asyncio's default `slow_callback_duration`.
pub(crate) const DEFAULT_SLOW_POLL: Duration = Duration::from_millis(100);

/// The environment variable that turns debug mode on (as `PYTHONASYNCIODEBUG` does):
/// any value but empty or `0`.
pub(crate) const ENV_VAR: &str = "WEFT_DEBUG";

/// Debug mode's settings for one runtime.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct DebugConfig {
    /// A poll at least this long is reported (rule 2).
    pub(crate) slow_poll: Duration,
}

/// `true` if the environment asks for debug mode.
pub(crate) fn env_asks_for_debug() -> bool {
    std::env::var_os(ENV_VAR).is_some_and(|value| !value.is_empty() && value != "0")
}

/// Times one poll in debug mode (rule 2); the harness builds one only when debug mode
/// is on, on a path of its own (rule 1).
pub(crate) struct PollTimer {
    started: Instant,
}

impl PollTimer {
    pub(crate) fn start() -> PollTimer {
        PollTimer {
            started: Instant::now(),
        }
    }

    /// Rule 2: adds the poll to the task's busy time and reports it if slow.
    pub(crate) fn finish(self, header: &Header, debug: &DebugConfig, report: impl FnOnce(&Report)) {
        let took = self.started.elapsed();
        let nanos = u64::try_from(took.as_nanos()).unwrap_or(u64::MAX);
        let busy = &header.side.get_or_init().busy_nanos;
        // Polls of one task never overlap (RUNNING), so a load and a store suffice.
        busy.store(busy.load(Relaxed).saturating_add(nanos), Relaxed);
        if took >= debug.slow_poll {
            report(&Report::SlowPoll {
                task: TaskInfo::of(header),
                took,
            });
        }
    }
}

/// Rule 3: reports `output` if it is a panic nobody read. The caller runs in debug
/// mode.
pub(crate) fn report_unretrieved<T>(
    header: &Header,
    output: &Result<T, TaskError>,
    report: impl FnOnce(&Report),
) {
    if let Err(err) = output {
        if err.is_panic() {
            report(&Report::PanicNeverRetrieved {
                task: TaskInfo::of(header),
                message: err.panic_message().unwrap_or("(not a string)").to_owned(),
            });
        }
    }
}

/// Rule 4: closes `owned` (no task joins it after the look) and reports each task in
/// it; the caller then shuts them down.
pub(crate) fn report_pending_at_shutdown<S: super::Schedule>(
    owned: &OwnedTasks<S>,
    debug: Option<&DebugConfig>,
    report: impl Fn(&Report),
) {
    if debug.is_none() {
        return;
    }
    owned.close();
    for task in owned.infos() {
        report(&Report::PendingAtShutdown { task });
    }
}
