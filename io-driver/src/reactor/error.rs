//! The errors the reactor gives, as the OS's `io::Error` with words a user can act on.

use std::error::Error;
use std::fmt;
use std::io;

/// The error inside the `io::Error` that every socket operation returns once the
/// runtime driving the socket has shut down (`io::ErrorKind::Other`).
///
/// An accept loop tells it apart from a passing failure (`EMFILE`) with
/// [`RuntimeShutdown::is`], and stops instead of retrying.
///
/// ```
/// use weft_io::RuntimeShutdown;
///
/// let reactor = weft_io::Reactor::new()?;
/// let _guard = reactor.handle().enter();
/// let (socket, _peer) = weft_io::net::UnixDatagram::pair()?;
/// reactor.handle().shutdown();
/// let err = socket.connect("/tmp/nowhere").unwrap_err();
/// assert!(RuntimeShutdown::is(&err));
/// # Ok::<(), std::io::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct RuntimeShutdown;

impl RuntimeShutdown {
    /// Whether `err` says the socket's runtime has shut down.
    ///
    /// ```
    /// let other = std::io::Error::from(std::io::ErrorKind::ConnectionReset);
    /// assert!(!weft_io::RuntimeShutdown::is(&other));
    /// ```
    pub fn is(err: &io::Error) -> bool {
        err.get_ref()
            .is_some_and(|inner| inner.is::<RuntimeShutdown>())
    }
}

impl fmt::Display for RuntimeShutdown {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(
            "the weft runtime driving this socket has shut down; \
             sockets cannot be used after their runtime is gone",
        )
    }
}

impl Error for RuntimeShutdown {}

/// An operation on a socket whose reactor has shut down.
pub(crate) fn shut_down() -> io::Error {
    io::Error::other(RuntimeShutdown)
}

/// A socket created on a thread with no current reactor.
pub(crate) fn no_reactor() -> io::Error {
    io::Error::other(
        "there is no weft reactor on this thread: create sockets from inside a weft \
         runtime (in `weft::run`, `Runtime::block_on` or a task)",
    )
}

/// The registration table is full.
pub(crate) fn too_many_registrations() -> io::Error {
    io::Error::new(
        io::ErrorKind::OutOfMemory,
        "the weft reactor has no room for another socket registration",
    )
}

/// Whether `error` means "not yet: wait for readiness and try again".
pub(crate) fn is_would_block(error: &io::Error) -> bool {
    error.kind() == io::ErrorKind::WouldBlock
}
