//! What must be back where it started once every connection is closed: the process's
//! open descriptors, and each runtime's I/O registrations, live tasks and timers.
//!
//! A task leaves the runtime's count of live tasks on its worker just after its output
//! is handed to whoever awaits it, so the counts are read again, for up to a grace
//! period, until they match: a leak never settles, a task still winding down does at
//! once.

use crate::fd_count::open_fds;
use std::fmt;
use std::thread;
use std::time::{Duration, Instant};
use weft::Handle;

/// How often the counts are read again while they settle.
const RECHECK: Duration = Duration::from_millis(10);

/// One runtime's counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct RuntimeCounts {
    io_registrations: usize,
    live_tasks: usize,
    timers: usize,
}

impl RuntimeCounts {
    fn of(handle: &Handle) -> RuntimeCounts {
        let metrics = handle.metrics();
        RuntimeCounts {
            io_registrations: metrics.io_registrations(),
            live_tasks: metrics.live_tasks(),
            timers: metrics.timers(),
        }
    }
}

impl fmt::Display for RuntimeCounts {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} I/O registrations, {} live tasks, {} timers",
            self.io_registrations, self.live_tasks, self.timers
        )
    }
}

/// The descriptors and both runtimes' counts at one moment.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Resources {
    fds: usize,
    server: RuntimeCounts,
    clients: RuntimeCounts,
}

impl Resources {
    /// Reads them now.
    pub(crate) fn take(server: &Handle, clients: &Handle) -> Result<Resources, String> {
        Ok(Resources {
            fds: open_fds().map_err(|err| format!("cannot count descriptors: {err}"))?,
            server: RuntimeCounts::of(server),
            clients: RuntimeCounts::of(clients),
        })
    }

    /// Waits up to `grace` for the resources to be back to `self`; returns how long
    /// that took.
    ///
    /// # Errors
    ///
    /// What is still held, against the baseline, once `grace` has passed.
    pub(crate) fn wait_for_return(
        &self,
        server: &Handle,
        clients: &Handle,
        grace: Duration,
    ) -> Result<Duration, String> {
        let start = Instant::now();
        loop {
            let now = Resources::take(server, clients)?;
            if now == *self {
                return Ok(start.elapsed());
            }
            if start.elapsed() >= grace {
                return Err(format!(
                    "resources not back to the baseline {grace:?} after every connection \
                     closed:\n  baseline: {self}\n  now:      {now}"
                ));
            }
            thread::sleep(RECHECK);
        }
    }
}

impl fmt::Display for Resources {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} open fds; server: {}; clients: {}",
            self.fds, self.server, self.clients
        )
    }
}
