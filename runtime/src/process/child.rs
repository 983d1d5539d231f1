//! [`Child`]: a running child process — its pipes, its exit, and what happens to it
//! when nobody waits for it any more (process rules 1 to 3).

use super::exit_watch::ExitWatch;
use super::feed_and_drain::feed_and_drain;
use super::orphans;
use super::pipe::{ChildStderr, ChildStdin, ChildStdout};
use crate::scheduler;
use crate::signal::unix::SignalKind;
use std::fmt;
use std::future::poll_fn;
use std::future::Future;
use std::io;
use std::panic::Location;
use std::process::{ExitStatus, Output};
use std::task::{Context, Poll};
use weft_core::waiting::{recorded, WaitOn};

/// A child process spawned by [`Command::spawn`](super::Command::spawn) (asyncio's
/// `Process`): its pipes, and async `wait`, `kill`, `communicate`.
///
/// Dropping a `Child` does not wait for the process, and does not kill it unless
/// [`kill_on_drop`](super::Command::kill_on_drop) was set; either way the process
/// never stays a zombie: the runtime reaps it once it exits (process rule 3).
///
/// ```
/// use weft::process::Command;
///
/// weft::run(async {
///     let mut child = Command::new("sh").args(["-c", "exit 3"]).spawn()?;
///     assert!(child.id().is_some());
///     let status = child.wait().await?;
///     assert_eq!(status.code(), Some(3));
///     assert_eq!(child.id(), None, "reaped: the pid may belong to someone else now");
///     std::io::Result::Ok(())
/// })?;
/// # Ok::<(), std::io::Error>(())
/// ```
pub struct Child {
    /// The child's stdin, if [`Stdio::piped`](super::Stdio::piped) (asyncio's
    /// `proc.stdin`). Take it to write; drop it to give the child end of file.
    pub stdin: Option<ChildStdin>,
    /// The child's stdout, if piped (asyncio's `proc.stdout`).
    pub stdout: Option<ChildStdout>,
    /// The child's stderr, if piped (asyncio's `proc.stderr`).
    pub stderr: Option<ChildStderr>,
    process: Process,
}

/// The process itself; its `Drop` keeps process rule 3 (a separate type, so that the
/// pipe fields of [`Child`] can be moved out).
struct Process {
    /// `None` once reaped.
    std: Option<std::process::Child>,
    /// The exit watch; dropped once the exit is seen.
    watch: Option<ExitWatch>,
    status: Option<ExitStatus>,
    kill_on_drop: bool,
    /// The runtime whose dispatcher watches SIGCHLD if this is dropped early
    /// (process rule 5).
    runtime: scheduler::Handle,
}

impl Child {
    pub(super) fn new(
        std: std::process::Child,
        watch: ExitWatch,
        pipes: (Option<ChildStdin>, Option<ChildStdout>, Option<ChildStderr>),
        kill_on_drop: bool,
        runtime: scheduler::Handle,
    ) -> Child {
        let (stdin, stdout, stderr) = pipes;
        Child {
            stdin,
            stdout,
            stderr,
            process: Process {
                std: Some(std),
                watch: Some(watch),
                status: None,
                kill_on_drop,
                runtime,
            },
        }
    }

    /// The process id (asyncio's `proc.pid`), or `None` once the process has been
    /// waited for: its id may then belong to another process.
    ///
    /// ```
    /// # weft::run(async {
    /// let child = weft::process::Command::new("true").spawn()?;
    /// println!("started {}", child.id().unwrap());
    /// # std::io::Result::Ok(())
    /// # }).unwrap();
    /// ```
    pub fn id(&self) -> Option<u32> {
        self.process.std.as_ref().map(std::process::Child::id)
    }

    /// Waits for the process to exit and returns its status (asyncio's
    /// `await proc.wait()`). Closes the child's stdin first, as std's `wait` does, so
    /// a child reading it to the end is not waited on forever.
    ///
    /// Reading the child's stdout or stderr is up to the caller: a child that fills a
    /// pipe nobody reads never exits. [`communicate`](Self::communicate) reads them
    /// while it waits.
    ///
    /// # Errors
    ///
    /// The OS's error from `waitpid` (`ECHILD` if something else in the process
    /// reaped the child), or an error saying the runtime shut down.
    ///
    /// # Cancel safety
    ///
    /// Cancel-safe: the status is kept by the `Child` once seen, and a later `wait`
    /// picks up where the dropped one stopped. (Stdin is closed from the first poll.)
    ///
    /// ```
    /// # weft::run(async {
    /// let mut child = weft::process::Command::new("true").spawn()?;
    /// assert!(child.wait().await?.success());
    /// assert!(child.wait().await?.success(), "the status is kept");
    /// # std::io::Result::Ok(())
    /// # }).unwrap();
    /// ```
    #[track_caller]
    pub fn wait(&mut self) -> impl Future<Output = io::Result<ExitStatus>> + '_ {
        recorded(
            &WaitOn("Child::wait"),
            Location::caller(),
            self.wait_unrecorded(),
        )
    }

    /// [`wait`](Self::wait) without its wait record.
    async fn wait_unrecorded(&mut self) -> io::Result<ExitStatus> {
        drop(self.stdin.take());
        poll_fn(|cx| self.process.poll_wait(cx)).await
    }

    /// The exit status if the process has exited (asyncio's `proc.returncode`), or
    /// `None` if it still runs. Never blocks.
    ///
    /// # Errors
    ///
    /// The OS's error from `waitpid`.
    ///
    /// ```
    /// # weft::run(async {
    /// let mut child = weft::process::Command::new("sleep").arg("10").spawn()?;
    /// assert_eq!(child.try_wait()?, None);
    /// child.kill().await?;
    /// assert!(child.try_wait()?.is_some());
    /// # std::io::Result::Ok(())
    /// # }).unwrap();
    /// ```
    pub fn try_wait(&mut self) -> io::Result<Option<ExitStatus>> {
        self.process.try_wait()
    }

    /// Sends `SIGKILL` without waiting (asyncio's `proc.kill()`); follow it with
    /// [`wait`](Self::wait), or use [`kill`](Self::kill), which does both. Does
    /// nothing once the process has exited and been waited for.
    ///
    /// # Errors
    ///
    /// The OS's error from `kill(2)`.
    ///
    /// ```
    /// # weft::run(async {
    /// let mut child = weft::process::Command::new("sleep").arg("10").spawn()?;
    /// child.start_kill()?;
    /// let status = child.wait().await?;
    /// assert!(!status.success());
    /// # std::io::Result::Ok(())
    /// # }).unwrap();
    /// ```
    pub fn start_kill(&mut self) -> io::Result<()> {
        self.send_signal(SignalKind::from_raw(libc::SIGKILL))
    }

    /// Kills the process and waits for it: `SIGKILL`, then [`wait`](Self::wait).
    ///
    /// Async, as tokio's `Child::kill`: once it returns, the process is gone and
    /// reaped, which is what a caller of `kill` nearly always wants next; asyncio's
    /// synchronous `proc.kill()` is [`start_kill`](Self::start_kill).
    ///
    /// # Errors
    ///
    /// The OS's error from `kill(2)` or `waitpid`.
    ///
    /// # Cancel safety
    ///
    /// The signal is sent at the first poll; dropping the future after that leaves a
    /// dying process, which a later `wait` (or the drop of the `Child`) reaps.
    ///
    /// ```
    /// # weft::run(async {
    /// let mut child = weft::process::Command::new("sleep").arg("10").spawn()?;
    /// child.kill().await?;
    /// assert_eq!(child.id(), None);
    /// # std::io::Result::Ok(())
    /// # }).unwrap();
    /// ```
    pub async fn kill(&mut self) -> io::Result<()> {
        self.start_kill()?;
        self.wait().await.map(drop)
    }

    /// Sends `signal` to the process (asyncio's `proc.send_signal(sig)`;
    /// `proc.terminate()` is `send_signal(SignalKind::terminate())`). Does nothing
    /// once the process has exited and been waited for: its pid is never signalled
    /// after it may have been reused.
    ///
    /// # Errors
    ///
    /// The OS's error from `kill(2)` (`EINVAL` for a number that is no signal).
    ///
    /// ```
    /// use weft::signal::unix::SignalKind;
    ///
    /// # weft::run(async {
    /// let mut child = weft::process::Command::new("sleep").arg("10").spawn()?;
    /// child.send_signal(SignalKind::terminate())?;
    /// use std::os::unix::process::ExitStatusExt;
    /// assert_eq!(child.wait().await?.signal(), Some(libc::SIGTERM));
    /// # std::io::Result::Ok(())
    /// # }).unwrap();
    /// ```
    pub fn send_signal(&self, signal: SignalKind) -> io::Result<()> {
        self.process.send_signal(signal)
    }

    /// Feeds `input` to the child's stdin and closes it, while reading its stdout and
    /// stderr to the end, all at once; then waits for it (asyncio's
    /// `await proc.communicate(input)`). Outputs larger than a pipe's buffer never
    /// deadlock. A stream that was not piped comes back empty.
    ///
    /// A child that exits without reading all its input is not an error (the
    /// `BrokenPipe` is ignored, as asyncio does).
    ///
    /// # Errors
    ///
    /// `InvalidInput` when `input` is given but stdin was not piped; otherwise the
    /// OS's errors reading, writing or waiting.
    ///
    /// # Cancel safety
    ///
    /// Not cancel-safe: the pipes are taken out of the `Child` at the first poll, so
    /// dropping the future closes them and loses what was read. The process itself
    /// stays: `wait` or `kill` it as usual.
    ///
    /// ```
    /// use weft::process::{Command, Stdio};
    ///
    /// weft::run(async {
    ///     let mut child = Command::new("tr")
    ///         .arg("a-z")
    ///         .arg("A-Z")
    ///         .stdin(Stdio::piped())
    ///         .stdout(Stdio::piped())
    ///         .spawn()?;
    ///     let output = child.communicate(Some(b"hello".to_vec())).await?;
    ///     assert_eq!(output.stdout, b"HELLO");
    ///     assert!(output.status.success());
    ///     std::io::Result::Ok(())
    /// })?;
    /// # Ok::<(), std::io::Error>(())
    /// ```
    #[track_caller]
    pub fn communicate(
        &mut self,
        input: Option<Vec<u8>>,
    ) -> impl Future<Output = io::Result<Output>> + '_ {
        recorded(
            &WaitOn("Child::communicate"),
            Location::caller(),
            self.communicate_unrecorded(input),
        )
    }

    /// [`communicate`](Self::communicate) without its wait record.
    async fn communicate_unrecorded(&mut self, input: Option<Vec<u8>>) -> io::Result<Output> {
        if input.is_some() && self.stdin.is_none() {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                "communicate was given input but the child's stdin is not a pipe: \
                 spawn it with .stdin(Stdio::piped())",
            ));
        }
        let (stdout, stderr) = feed_and_drain(
            self.stdin.take(),
            input,
            self.stdout.take(),
            self.stderr.take(),
        )
        .await?;
        let status = self.wait().await?;
        Ok(Output {
            status,
            stdout,
            stderr,
        })
    }

    /// Closes stdin, reads stdout and stderr to the end while waiting for the
    /// process, and returns all three (std's `wait_with_output`;
    /// [`communicate`](Self::communicate) without input).
    ///
    /// # Errors
    ///
    /// The OS's errors reading or waiting.
    ///
    /// # Cancel safety
    ///
    /// Not cancel-safe: dropping the future drops the `Child` (process rule 3).
    ///
    /// ```
    /// use weft::process::{Command, Stdio};
    ///
    /// # weft::run(async {
    /// let child = Command::new("echo").arg("hi").stdout(Stdio::piped()).spawn()?;
    /// let output = child.wait_with_output().await?;
    /// assert_eq!(output.stdout, b"hi\n");
    /// # std::io::Result::Ok(())
    /// # }).unwrap();
    /// ```
    pub async fn wait_with_output(mut self) -> io::Result<Output> {
        self.communicate(None).await
    }
}

impl Process {
    /// Process rule 1: the status, reaped by this `Child` through its exit watch.
    fn poll_wait(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<ExitStatus>> {
        if let Some(status) = self.status {
            return Poll::Ready(Ok(status));
        }
        let (Some(std), Some(watch)) = (self.std.as_mut(), self.watch.as_mut()) else {
            unreachable!("a process without a status still has its std child and watch")
        };
        let status = std::task::ready!(watch.poll_exit(std, cx))?;
        Poll::Ready(Ok(self.exited(status)))
    }

    fn try_wait(&mut self) -> io::Result<Option<ExitStatus>> {
        if let Some(status) = self.status {
            return Ok(Some(status));
        }
        let std = self
            .std
            .as_mut()
            .expect("a process without a status has its child");
        Ok(std.try_wait()?.map(|status| self.exited(status)))
    }

    /// Records the exit and lets go of what watched for it.
    fn exited(&mut self, status: ExitStatus) -> ExitStatus {
        self.status = Some(status);
        self.std = None;
        self.watch = None;
        status
    }

    fn send_signal(&self, signal: SignalKind) -> io::Result<()> {
        let Some(std) = &self.std else {
            return Ok(()); // reaped: the pid is not ours any more
        };
        let pid = libc::pid_t::try_from(std.id())
            .map_err(|_| io::Error::from(io::ErrorKind::InvalidInput))?;
        // SAFETY: kill(2) takes two integers; `pid` is our unreaped child, so it
        // names that process and no other.
        if unsafe { libc::kill(pid, signal.as_raw_value()) } != 0 {
            return Err(io::Error::last_os_error());
        }
        Ok(())
    }
}

impl Drop for Process {
    /// Process rule 3: kill if asked, reap if exited, otherwise adopt.
    fn drop(&mut self) {
        let Some(mut std) = self.std.take() else {
            return;
        };
        if self.kill_on_drop {
            let _ = std.kill();
        }
        orphans::adopt(std, &self.runtime);
    }
}

impl fmt::Debug for Child {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Child")
            .field("id", &self.id())
            .field("status", &self.process.status)
            .field("stdin", &self.stdin)
            .field("stdout", &self.stdout)
            .field("stderr", &self.stderr)
            .finish()
    }
}
