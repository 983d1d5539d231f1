//! The one way `weft::fs` reaches the blocking pool: [`spawn_on_pool`] starts a job
//! (an error, not a panic, outside a runtime or after its shutdown),
//! [`blocking_call`] runs one and waits for its result, and [`job_failed`] says what
//! a job that never produced a result means.

use crate::{Handle, Task, TaskError};
use std::future::Future;
use std::io;
use std::pin::Pin;
use weft_core::waiting::{self, WaitOn};

/// Whether a shutdown of the pool that finds the job still queued runs it anyway
/// (`blocking/pool.rs`, rule 4).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Shutdown {
    /// Cancel the job: nobody was told it would be done.
    Cancels,
    /// Run the job: a caller was told its bytes were taken.
    Runs,
}

/// Starts `f` on the current runtime's blocking pool.
///
/// # Errors
///
/// `Other` outside a runtime, or when the pool refused the job because it is shut
/// down; `f` has not run and will not.
pub(super) fn spawn_on_pool<F, T>(f: F, shutdown: Shutdown) -> io::Result<Task<T>>
where
    F: FnOnce() -> T + Send + 'static,
    T: Send + 'static,
{
    let handle =
        Handle::try_current().map_err(|err| io::Error::other(format!("weft::fs: {err}")))?;
    let pool = handle.inner.blocking();
    let task = match shutdown {
        Shutdown::Cancels => pool.spawn_blocking(Some(handle.inner.clone()), f),
        Shutdown::Runs => pool.spawn_mandatory_blocking(Some(handle.inner.clone()), f),
    };
    // A refused job's task is cancelled before the spawn returns (pool.rs, rule 4);
    // no other job is cancelled this early.
    if task.is_cancelled() {
        return Err(io::Error::other(
            "weft::fs: the runtime's blocking pool is shut down; nothing was done",
        ));
    }
    Ok(task)
}

/// Runs `f` on the blocking pool and returns its result.
///
/// Dropping the future does not stop `f`: a job that has started runs to its end,
/// and only its result is lost (what each public caller documents as its cancel
/// safety).
pub(super) async fn blocking_call<F, T>(f: F) -> io::Result<T>
where
    F: FnOnce() -> io::Result<T> + Send + 'static,
    T: Send + 'static,
{
    let mut task = spawn_on_pool(f, Shutdown::Cancels)?;
    let done = std::future::poll_fn(|cx| {
        let poll = Pin::new(&mut task).poll(cx);
        if poll.is_pending() {
            // The user's line is not known here; the job's spawn line would be ours.
            waiting::record_unlocated(&WaitOn("weft::fs"));
        }
        poll
    });
    match done.await {
        Ok(result) => result,
        Err(err) => Err(job_failed(err, "the file system call")),
    }
}

/// The error for a pool job that produced no result: the runtime shut down before it
/// ran (its work was not done), or it panicked. `what` names the work in the message.
pub(super) fn job_failed(err: TaskError, what: &str) -> io::Error {
    if err.is_cancelled() {
        io::Error::other(format!(
            "{what} did not run: the runtime's blocking pool shut down first"
        ))
    } else {
        io::Error::other(format!("{what} panicked on the blocking pool: {err}"))
    }
}
