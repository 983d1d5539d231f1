//! [`Command`]: std's process builder, spawning children whose pipes and exit live
//! on the runtime's reactor (process rules 1, 2 and 4).

use super::child::Child;
use super::exit_watch::ExitWatch;
use super::orphans;
use super::pipe::{ChildStderr, ChildStdin, ChildStdout};
use crate::scheduler;
use std::ffi::OsStr;
use std::fmt;
use std::io;
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{ExitStatus, Output, Stdio};

/// A process builder with std's names (`std::process::Command`) whose children are
/// awaited instead of blocked on (asyncio's `create_subprocess_exec`).
///
/// `Command::new("sh").arg("-c").arg(line)` is asyncio's `create_subprocess_shell`.
///
/// ```
/// use weft::process::Command;
///
/// weft::run(async {
///     let output = Command::new("sh")
///         .arg("-c")
///         .arg("echo $GREETING from $PWD")
///         .env("GREETING", "hello")
///         .current_dir("/")
///         .output()
///         .await?;
///     assert_eq!(output.stdout, b"hello from /\n");
///     std::io::Result::Ok(())
/// })?;
/// # Ok::<(), std::io::Error>(())
/// ```
pub struct Command {
    std: std::process::Command,
    kill_on_drop: bool,
    /// Which standard streams the caller set, so `output` changes only the others.
    stdio_set: [bool; 3],
}

impl Command {
    /// A command running `program`, found in `PATH` unless it has a `/`, with no
    /// arguments, the parent's environment, directory and standard streams.
    ///
    /// ```
    /// let command = weft::process::Command::new("ls");
    /// ```
    pub fn new(program: impl AsRef<OsStr>) -> Command {
        Command::from(std::process::Command::new(program))
    }

    /// Adds an argument.
    ///
    /// ```
    /// let mut command = weft::process::Command::new("ls");
    /// command.arg("-l").arg("/tmp");
    /// ```
    pub fn arg(&mut self, arg: impl AsRef<OsStr>) -> &mut Command {
        self.std.arg(arg);
        self
    }

    /// Adds arguments.
    ///
    /// ```
    /// let mut command = weft::process::Command::new("ls");
    /// command.args(["-l", "-a"]);
    /// ```
    pub fn args<I, S>(&mut self, args: I) -> &mut Command
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        self.std.args(args);
        self
    }

    /// Sets an environment variable for the child.
    ///
    /// ```
    /// let mut command = weft::process::Command::new("env");
    /// command.env("RUST_LOG", "debug");
    /// ```
    pub fn env(&mut self, key: impl AsRef<OsStr>, value: impl AsRef<OsStr>) -> &mut Command {
        self.std.env(key, value);
        self
    }

    /// Sets several environment variables.
    ///
    /// ```
    /// let mut command = weft::process::Command::new("env");
    /// command.envs([("A", "1"), ("B", "2")]);
    /// ```
    pub fn envs<I, K, V>(&mut self, vars: I) -> &mut Command
    where
        I: IntoIterator<Item = (K, V)>,
        K: AsRef<OsStr>,
        V: AsRef<OsStr>,
    {
        self.std.envs(vars);
        self
    }

    /// Removes a variable from the child's environment.
    ///
    /// ```
    /// let mut command = weft::process::Command::new("env");
    /// command.env_remove("HOME");
    /// ```
    pub fn env_remove(&mut self, key: impl AsRef<OsStr>) -> &mut Command {
        self.std.env_remove(key);
        self
    }

    /// Starts the child with an empty environment (then add to it with `env`).
    ///
    /// ```
    /// let mut command = weft::process::Command::new("/usr/bin/env");
    /// command.env_clear().env("ONLY", "this");
    /// ```
    pub fn env_clear(&mut self) -> &mut Command {
        self.std.env_clear();
        self
    }

    /// Sets the child's working directory (asyncio's `cwd=`).
    ///
    /// ```
    /// let mut command = weft::process::Command::new("ls");
    /// command.current_dir("/tmp");
    /// ```
    pub fn current_dir(&mut self, dir: impl AsRef<Path>) -> &mut Command {
        self.std.current_dir(dir);
        self
    }

    /// Sets the child's stdin: [`Stdio::piped`] to write to it through
    /// [`Child::stdin`], [`Stdio::null`], [`Stdio::inherit`] (the default), or
    /// another child's pipe.
    ///
    /// ```
    /// use weft::process::{Command, Stdio};
    /// let mut command = Command::new("cat");
    /// command.stdin(Stdio::piped());
    /// ```
    pub fn stdin(&mut self, stdin: impl Into<Stdio>) -> &mut Command {
        self.std.stdin(stdin);
        self.stdio_set[0] = true;
        self
    }

    /// Sets the child's stdout; see [`stdin`](Self::stdin).
    ///
    /// ```
    /// use weft::process::{Command, Stdio};
    /// let mut command = Command::new("ls");
    /// command.stdout(Stdio::piped());
    /// ```
    pub fn stdout(&mut self, stdout: impl Into<Stdio>) -> &mut Command {
        self.std.stdout(stdout);
        self.stdio_set[1] = true;
        self
    }

    /// Sets the child's stderr; see [`stdin`](Self::stdin).
    ///
    /// ```
    /// use weft::process::{Command, Stdio};
    /// let mut command = Command::new("ls");
    /// command.stderr(Stdio::null());
    /// ```
    pub fn stderr(&mut self, stderr: impl Into<Stdio>) -> &mut Command {
        self.std.stderr(stderr);
        self.stdio_set[2] = true;
        self
    }

    /// Whether dropping the [`Child`] before it exited kills it (`SIGKILL`). Off by
    /// default, as in std and asyncio; either way the child is reaped (process
    /// rule 3).
    ///
    /// ```
    /// let mut command = weft::process::Command::new("sleep");
    /// command.arg("3600").kill_on_drop(true);
    /// ```
    pub fn kill_on_drop(&mut self, kill_on_drop: bool) -> &mut Command {
        self.kill_on_drop = kill_on_drop;
        self
    }

    /// Puts the child in process group `pgroup` (0: a new group led by the child), so
    /// a signal to the group reaches it and its own children (std's
    /// `CommandExt::process_group`).
    ///
    /// ```
    /// let mut command = weft::process::Command::new("sh");
    /// command.process_group(0);
    /// ```
    pub fn process_group(&mut self, pgroup: i32) -> &mut Command {
        self.std.process_group(pgroup);
        self
    }

    /// Runs the child as user `uid` (std's `CommandExt::uid`; needs the privilege).
    ///
    /// ```
    /// let mut command = weft::process::Command::new("id");
    /// command.uid(65534);
    /// ```
    pub fn uid(&mut self, uid: u32) -> &mut Command {
        self.std.uid(uid);
        self
    }

    /// Runs the child with group `gid` (std's `CommandExt::gid`).
    ///
    /// ```
    /// let mut command = weft::process::Command::new("id");
    /// command.gid(65534);
    /// ```
    pub fn gid(&mut self, gid: u32) -> &mut Command {
        self.std.gid(gid);
        self
    }

    /// The std command underneath, for what this builder does not wrap
    /// (`CommandExt::arg0`, `pre_exec`, `get_args`, ...).
    ///
    /// ```
    /// use std::os::unix::process::CommandExt;
    ///
    /// let mut command = weft::process::Command::new("sh");
    /// command.as_std_mut().arg0("my-shell");
    /// assert_eq!(command.as_std().get_program(), "sh");
    /// ```
    pub fn as_std(&self) -> &std::process::Command {
        &self.std
    }

    /// The std command underneath, mutably; see [`as_std`](Self::as_std).
    ///
    /// ```
    /// let mut command = weft::process::Command::new("ls");
    /// command.as_std_mut().arg("-l");
    /// ```
    pub fn as_std_mut(&mut self) -> &mut std::process::Command {
        &mut self.std
    }

    /// Starts the child (asyncio's `await create_subprocess_exec(...)`), with its
    /// piped streams and its exit watched on the current runtime's reactor.
    ///
    /// Reaps the orphans of earlier children that have exited first (process
    /// rule 4).
    ///
    /// # Errors
    ///
    /// `NotFound` when the program does not exist, `PermissionDenied` when it is not
    /// executable, the OS's other errors; an error saying so outside a weft runtime,
    /// checked before anything is started. If the OS started the child but its pipes
    /// or exit watch cannot be set up (`EMFILE`, the runtime shut down), the child is
    /// killed and reaped by the runtime, and the error returned (process rule 2).
    ///
    /// ```
    /// use weft::process::Command;
    ///
    /// weft::run(async {
    ///     let err = Command::new("/no/such/program").spawn().unwrap_err();
    ///     assert_eq!(err.kind(), std::io::ErrorKind::NotFound);
    ///     let mut child = Command::new("true").spawn()?;
    ///     assert!(child.wait().await?.success());
    ///     std::io::Result::Ok(())
    /// })?;
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn spawn(&mut self) -> io::Result<Child> {
        let runtime = crate::scheduler::context::try_current().ok_or_else(|| {
            io::Error::other(
                "weft::process::Command::spawn was called outside a weft runtime: call it \
                 from inside Runtime::block_on or a task",
            )
        })?;
        orphans::reap(&runtime);
        let mut child = self.std.spawn()?;
        // Registered with this runtime's reactor, whichever thread we are on.
        let _reactor = runtime.driver().io.enter();
        match set_up(&mut child, &runtime) {
            Ok((watch, pipes)) => Ok(Child::new(child, watch, pipes, self.kill_on_drop, runtime)),
            Err(err) => {
                // Process rule 2: the caller gets an error and no handle; the child
                // must neither run on unseen nor stay a zombie.
                let _ = child.kill();
                orphans::adopt(child, &runtime);
                Err(err)
            }
        }
    }

    /// Runs the child to its end and returns its status (std's `status`); the
    /// standard streams are inherited unless set.
    ///
    /// # Errors
    ///
    /// As [`spawn`](Self::spawn) and [`Child::wait`].
    ///
    /// # Cancel safety
    ///
    /// Dropping the future drops the [`Child`]: it runs on (or is killed, with
    /// [`kill_on_drop`](Self::kill_on_drop)) and is reaped either way (process
    /// rule 3).
    ///
    /// ```
    /// # weft::run(async {
    /// let status = weft::process::Command::new("false").status().await?;
    /// assert_eq!(status.code(), Some(1));
    /// # std::io::Result::Ok(())
    /// # }).unwrap();
    /// ```
    pub async fn status(&mut self) -> io::Result<ExitStatus> {
        self.spawn()?.wait().await
    }

    /// Runs the child to its end and collects its output (std's `output`): stdout
    /// and stderr are piped and read while it runs, and stdin is empty (`/dev/null`),
    /// unless set otherwise.
    ///
    /// # Errors
    ///
    /// As [`spawn`](Self::spawn) and [`Child::communicate`].
    ///
    /// # Cancel safety
    ///
    /// As [`status`](Self::status): the child is dropped with the future, and what it
    /// wrote so far is lost.
    ///
    /// ```
    /// # weft::run(async {
    /// let output = weft::process::Command::new("echo").arg("hi").output().await?;
    /// assert_eq!(output.stdout, b"hi\n");
    /// # std::io::Result::Ok(())
    /// # }).unwrap();
    /// ```
    pub async fn output(&mut self) -> io::Result<Output> {
        let set = self.stdio_set;
        let defaults = [Stdio::null, Stdio::piped, Stdio::piped];
        self.apply_unset(set, defaults);
        let spawned = self.spawn();
        // Back to std's defaults for a later `spawn`: what was unset stays unset.
        self.apply_unset(set, [Stdio::inherit, Stdio::inherit, Stdio::inherit]);
        self.stdio_set = set;
        spawned?.wait_with_output().await
    }

    /// Sets the standard streams not in `set` from `streams` (stdin, stdout, stderr).
    fn apply_unset(&mut self, set: [bool; 3], streams: [fn() -> Stdio; 3]) {
        let [stdin, stdout, stderr] = streams;
        if !set[0] {
            self.std.stdin(stdin());
        }
        if !set[1] {
            self.std.stdout(stdout());
        }
        if !set[2] {
            self.std.stderr(stderr());
        }
    }
}

/// A child's pipes: stdin, stdout, stderr.
type Pipes = (Option<ChildStdin>, Option<ChildStdout>, Option<ChildStderr>);

/// The pipes and exit watch of a child the OS just started: every step that can fail
/// after the spawn (process rule 2).
fn set_up(
    child: &mut std::process::Child,
    runtime: &scheduler::Handle,
) -> io::Result<(ExitWatch, Pipes)> {
    let stdin = child.stdin.take().map(ChildStdin::new).transpose()?;
    let stdout = child.stdout.take().map(ChildStdout::new).transpose()?;
    let stderr = child.stderr.take().map(ChildStderr::new).transpose()?;
    let watch = ExitWatch::new(child.id(), runtime)?;
    Ok((watch, (stdin, stdout, stderr)))
}

impl From<std::process::Command> for Command {
    /// Wraps a std command; its standard streams count as unset for
    /// [`Command::output`].
    fn from(std: std::process::Command) -> Command {
        Command {
            std,
            kill_on_drop: false,
            stdio_set: [false; 3],
        }
    }
}

impl fmt::Debug for Command {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Command")
            .field("std", &self.std)
            .field("kill_on_drop", &self.kill_on_drop)
            .finish()
    }
}
