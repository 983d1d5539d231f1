//! Unix descriptors on the reactor: [`AsyncFd`] registers any pollable descriptor (a
//! pipe, a pidfd, an eventfd, a terminal) so a task can wait until it is readable or
//! writable and make the system call itself — what `weft::process` builds its pipes
//! and its exit watch on.
//!
//! ```no_run
//! use std::io::Read;
//! use weft_io::io::unix::AsyncFd;
//!
//! /// Reads from a non-blocking descriptor, waiting on the reactor in between.
//! async fn read(fd: &AsyncFd<std::fs::File>, buf: &mut [u8]) -> std::io::Result<usize> {
//!     loop {
//!         let mut guard = fd.readable().await?;
//!         if let Ok(result) = guard.try_io(|fd| fd.get_ref().read(buf)) {
//!             return result;
//!         }
//!     }
//! }
//! ```

pub use crate::reactor::{AsyncFd, AsyncFdReadyGuard, TryIoError};
