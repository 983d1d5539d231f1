//! How listening sockets are made: close-on-exec, non-blocking, and a backlog of
//! [`BACKLOG`].
//!
//! std and mio listen with a backlog of 128. A server that many clients reach at
//! once (1000 connections opened in one burst) overflows that queue before its accept
//! loop runs; Linux then falls back to SYN cookies and drops handshakes, and clients
//! see resets. tokio listens with 1024; so does weft.

use socket2::{Domain, SockAddr, Socket, Type};
use std::io;
use std::net::SocketAddr;
use std::os::fd::OwnedFd;
use std::path::Path;

/// Connections the OS queues for a listener before its accept loop takes them.
const BACKLOG: i32 = 1024;

/// A listening TCP socket on `addr`, with `SO_REUSEADDR` (a restarted server can
/// rebind while old connections linger in `TIME_WAIT`).
pub(crate) fn tcp(addr: SocketAddr) -> io::Result<std::net::TcpListener> {
    let socket = Socket::new(Domain::for_address(addr), Type::STREAM, None)?;
    socket.set_reuse_address(true)?;
    socket.bind(&addr.into())?;
    listen(socket).map(Into::into)
}

/// A listening Unix-domain stream socket at `path`.
pub(crate) fn unix(path: &Path) -> io::Result<std::os::unix::net::UnixListener> {
    let socket = Socket::new(Domain::UNIX, Type::STREAM, None)?;
    socket.bind(&SockAddr::unix(path)?)?;
    let fd = OwnedFd::from(listen(socket)?);
    Ok(std::os::unix::net::UnixListener::from(fd))
}

fn listen(socket: Socket) -> io::Result<Socket> {
    socket.set_nonblocking(true)?;
    socket.listen(BACKLOG)?;
    Ok(socket)
}
