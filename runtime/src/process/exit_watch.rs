//! [`ExitWatch`]: how a [`Child`](super::Child) learns that its process exited — a
//! pidfd on the reactor (Linux 5.3 and later), or SIGCHLD through `weft::signal`.
//!
//! # Rules
//!
//! 1. **pidfd first.** `pidfd_open(pid)` gives a descriptor that becomes readable
//!    when the process exits; it is registered with the runtime's reactor. Readable
//!    means exited, so the wait that follows does not block.
//! 2. **SIGCHLD when there is no pidfd.** If `pidfd_open` fails (`ENOSYS` on an old
//!    kernel, `EMFILE`, a sandbox's `EPERM`) or the pidfd cannot be registered, the
//!    watch subscribes to SIGCHLD instead. Every SIGCHLD is a hint, not a verdict: the
//!    watch asks `waitpid(pid, WNOHANG)` after each, and subscribes before its first
//!    ask, so an exit is never missed (signal rule 5) however signals coalesce.
//! 3. **Only our pid.** Either way the status is collected with `waitpid` on the
//!    child's own pid, never `waitpid(-1)`: weft never takes another child's status.

use crate::scheduler;
use crate::signal::unix::{listen, Signal, SignalKind};
use std::io;
use std::os::fd::{FromRawFd, OwnedFd};
use std::process::ExitStatus;
use std::task::{ready, Context, Poll};
use weft_io::io::unix::AsyncFd;

/// Watches one child process for its exit.
#[derive(Debug)]
pub(crate) enum ExitWatch {
    /// Rule 1.
    Pidfd(AsyncFd<OwnedFd>),
    /// Rule 2.
    Sigchld(Signal),
}

impl ExitWatch {
    /// Watches the child `pid` (ours, not reaped), with `runtime`'s reactor current.
    ///
    /// # Errors
    ///
    /// When neither a pidfd nor a SIGCHLD listener can be had: the SIGCHLD error
    /// (`EMFILE`, or the runtime shut down).
    pub(crate) fn new(pid: u32, runtime: &scheduler::Handle) -> io::Result<ExitWatch> {
        let pidfd = pidfd_open(pid).and_then(AsyncFd::new);
        match pidfd {
            Ok(pidfd) => Ok(ExitWatch::Pidfd(pidfd)),
            Err(_) => ExitWatch::sigchld(runtime),
        }
    }

    /// The SIGCHLD watch (rule 2), also on its own for the tests of the fallback.
    pub(crate) fn sigchld(runtime: &scheduler::Handle) -> io::Result<ExitWatch> {
        Ok(ExitWatch::Sigchld(listen(SignalKind::child(), runtime)?))
    }

    /// Ready with the exit status once `child` has exited and been reaped; the status
    /// is in `child` too (std keeps it).
    pub(crate) fn poll_exit(
        &mut self,
        child: &mut std::process::Child,
        cx: &mut Context<'_>,
    ) -> Poll<io::Result<ExitStatus>> {
        match self {
            ExitWatch::Pidfd(pidfd) => {
                // Readable means exited (rule 1); the guard is not cleared, the pidfd
                // stays readable.
                let _exited = ready!(pidfd.poll_read_ready(cx))?;
                match child.try_wait()? {
                    Some(status) => Poll::Ready(Ok(status)),
                    // A readable pidfd whose process `waitpid` does not report: not
                    // something Linux does; look again on the next turn rather than
                    // wait for an event that already came.
                    None => {
                        cx.waker().wake_by_ref();
                        Poll::Pending
                    }
                }
            }
            ExitWatch::Sigchld(sigchld) => loop {
                if let Some(status) = child.try_wait()? {
                    return Poll::Ready(Ok(status));
                }
                if ready!(sigchld.poll_recv(cx)).is_none() {
                    return Poll::Ready(Err(io::Error::other(
                        "the weft runtime watching this child for SIGCHLD has shut down",
                    )));
                }
            },
        }
    }
}

/// `pidfd_open(pid, 0)`: a close-on-exec descriptor for the process `pid`.
fn pidfd_open(pid: u32) -> io::Result<OwnedFd> {
    let pid =
        libc::pid_t::try_from(pid).map_err(|_| io::Error::from(io::ErrorKind::InvalidInput))?;
    // SAFETY: pidfd_open takes a pid and flags and returns a new descriptor or -1; no
    // memory is passed.
    let fd = unsafe { libc::syscall(libc::SYS_pidfd_open, pid, 0) };
    if fd < 0 {
        return Err(io::Error::last_os_error());
    }
    let fd = i32::try_from(fd).map_err(|_| io::Error::from(io::ErrorKind::InvalidData))?;
    // SAFETY: the syscall returned a new open descriptor that nothing else owns.
    Ok(unsafe { OwnedFd::from_raw_fd(fd) })
}

/// The SIGCHLD fallback, which a kernel with pidfds never takes on its own.
#[cfg(all(test, not(weft_loom), not(miri)))]
mod tests {
    use super::*;
    use std::future::poll_fn;

    /// Waits for `child` through a SIGCHLD watch made after it was spawned.
    async fn wait_by_sigchld(mut child: std::process::Child) -> ExitStatus {
        let runtime = crate::scheduler::context::try_current().unwrap();
        let mut watch = ExitWatch::sigchld(&runtime).unwrap();
        poll_fn(|cx| watch.poll_exit(&mut child, cx)).await.unwrap()
    }

    #[test]
    fn the_sigchld_watch_sees_exits_however_the_signals_coalesce() {
        let rt = crate::Runtime::builder().worker_threads(2).build().unwrap();
        rt.block_on(async {
            let waits: Vec<_> = (0..20)
                .map(|code| {
                    let child = std::process::Command::new("sh")
                        .args(["-c", &format!("exit {code}")])
                        .spawn()
                        .unwrap();
                    crate::spawn(async move { (code, wait_by_sigchld(child).await) })
                })
                .collect();
            for wait in waits {
                let (code, status) = wait.await.unwrap();
                assert_eq!(status.code(), Some(code));
            }
        });
    }

    #[test]
    fn the_sigchld_watch_waits_for_a_child_still_running() {
        let rt = crate::Runtime::builder().current_thread().build().unwrap();
        rt.block_on(async {
            let mut child = std::process::Command::new("cat")
                .stdin(std::process::Stdio::piped())
                .spawn()
                .unwrap();
            let stdin = child.stdin.take().unwrap();
            let waiter = crate::spawn(wait_by_sigchld(child));
            crate::yield_now().await; // the waiter subscribes and finds cat running
            drop(stdin); // cat reads EOF and exits
            assert!(waiter.await.unwrap().success());
        });
    }
}
