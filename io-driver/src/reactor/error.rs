//! The errors the reactor gives, as the OS's `io::Error` with words a user can act on.

use std::io;

/// An operation on a socket whose reactor has shut down.
pub(crate) fn shut_down() -> io::Error {
    io::Error::other(
        "the weft runtime driving this socket has shut down; \
         sockets cannot be used after their runtime is gone",
    )
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
