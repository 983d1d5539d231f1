//! Child processes on the runtime's reactor: asyncio's subprocesses with std's names —
//! [`Command`], [`Child`], [`Stdio`]. The guide is [`crate::guide::process`].
//!
//! ```
//! use weft::process::Command;
//!
//! weft::run(async {
//!     let output = Command::new("echo").arg("hello").output().await?;
//!     assert_eq!(output.stdout, b"hello\n");
//!     std::io::Result::Ok(())
//! })?;
//! # Ok::<(), std::io::Error>(())
//! ```
//!
//! A child's piped standard streams are non-blocking pipes on the reactor
//! ([`ChildStdin`], [`ChildStdout`], [`ChildStderr`]), and its exit is watched
//! through a pidfd on the reactor, or SIGCHLD where there is none (`exit_watch.rs`).
//!
//! # No zombie, ever: the rules
//!
//! A child that has exited stays a zombie — a process-table entry holding its
//! status — until its parent reaps it with `waitpid`. weft reaps every child it
//! spawns, whatever the program does with the [`Child`]:
//!
//! 1. **A waited child is reaped by its `Child`.** [`Child::wait`],
//!    [`Child::try_wait`], [`Child::kill`], [`Child::communicate`], [`Command::status`]
//!    and [`Command::output`] reap the process when they see its exit, once, by its
//!    own pid (`child.rs`, `exit_watch.rs` rule 3). After that the `Child` forgets the
//!    pid ([`Child::id`] is `None`), so no signal ever reaches a reused pid.
//! 2. **A child whose setup fails is killed and adopted.** Between the OS starting
//!    the child and [`Command::spawn`] returning, the pipes are made non-blocking and
//!    registered and the exit watch is set up; if any of it fails, the child is sent
//!    `SIGKILL` (the caller gets the error and no handle, so nothing could wait for
//!    it or talk to it) and handed to the orphan queue (`command.rs`).
//! 3. **A `Child` dropped before its exit was seen is adopted.** With
//!    [`Command::kill_on_drop`] it is sent `SIGKILL` first. If it has already exited
//!    it is reaped on the spot; otherwise it joins the orphan queue (`child.rs`,
//!    `Process`'s drop).
//! 4. **The orphan queue is reaped at every spawn and on every SIGCHLD.** The queue
//!    is process-wide (a zombie belongs to the process, not to a runtime). Every
//!    [`Command::spawn`] first reaps the orphans that have exited, and every
//!    SIGCHLD that a runtime's signal dispatcher takes reaps them too (`orphans.rs`,
//!    signal rule 7).
//! 5. **No exit slips through.** Before an orphan joins the queue, SIGCHLD gets its
//!    handler and the adopting runtime its signal dispatcher; then the orphan is
//!    reaped on the spot if it has exited, and queued otherwise. An exit before that
//!    spot reap is taken by it; an exit after it raises a SIGCHLD that a dispatcher
//!    sees. A spawn that finds orphans waiting does the same on its own runtime
//!    before its pass, so orphans whose runtimes are all gone are served by the
//!    next runtime that spawns. Meanwhile they wait in the queue, never lost. (A
//!    current-thread runtime dispatches only while it runs `block_on`.)
//!
//! weft only ever reaps its own children, by pid: it never calls `waitpid(-1)`, so
//! it takes no status from a child that other code in the process spawned.

mod child;
mod command;
mod exit_watch;
mod feed_and_drain;
mod orphan_queue;
mod orphans;
mod pipe;

pub use child::Child;
pub use command::Command;
pub use pipe::{ChildStderr, ChildStdin, ChildStdout};
pub use std::process::{ExitStatus, Output, Stdio};
