//! [`UnixDatagram`]: datagrams over a Unix-domain socket.

use crate::reactor::{Direction, Evented, Op, ReactorHandle};
use mio::Interest;
use std::fmt;
use std::io;
use std::net::Shutdown;
use std::os::unix::net::SocketAddr;
use std::path::Path;

/// A Unix-domain datagram socket. Every method takes `&self`; any number of tasks
/// may send and receive at once.
///
/// ```no_run
/// use weft_io::net::UnixDatagram;
///
/// # async fn demo() -> std::io::Result<()> {
/// let (a, b) = UnixDatagram::pair()?;
/// a.send(b"ping").await?;
/// let mut buf = [0; 64];
/// let len = b.recv(&mut buf).await?;
/// # Ok(()) }
/// ```
pub struct UnixDatagram {
    pub(in crate::net) io: Evented<mio::net::UnixDatagram>,
}

impl UnixDatagram {
    /// A socket bound to the file `path`.
    ///
    /// # Errors
    ///
    /// `AddrInUse` when the file exists, the OS's error, or no current reactor.
    ///
    /// ```no_run
    /// # fn demo() -> std::io::Result<()> {
    /// let socket = weft_io::net::UnixDatagram::bind("/tmp/weft.dgram")?;
    /// # Ok(()) }
    /// ```
    pub fn bind(path: impl AsRef<Path>) -> io::Result<UnixDatagram> {
        UnixDatagram::from_mio(
            &ReactorHandle::current()?,
            mio::net::UnixDatagram::bind(path)?,
        )
    }

    /// A socket bound to no address (it can send, and receive replies only if
    /// connected).
    ///
    /// # Errors
    ///
    /// The OS's error or no current reactor.
    ///
    /// ```no_run
    /// # fn demo() -> std::io::Result<()> {
    /// let socket = weft_io::net::UnixDatagram::unbound()?;
    /// # Ok(()) }
    /// ```
    pub fn unbound() -> io::Result<UnixDatagram> {
        UnixDatagram::from_mio(
            &ReactorHandle::current()?,
            mio::net::UnixDatagram::unbound()?,
        )
    }

    /// A connected pair of sockets (`socketpair`).
    ///
    /// # Errors
    ///
    /// The OS's error or no current reactor.
    ///
    /// ```no_run
    /// # fn demo() -> std::io::Result<()> {
    /// let (a, b) = weft_io::net::UnixDatagram::pair()?;
    /// # Ok(()) }
    /// ```
    pub fn pair() -> io::Result<(UnixDatagram, UnixDatagram)> {
        let handle = ReactorHandle::current()?;
        let (a, b) = mio::net::UnixDatagram::pair()?;
        Ok((
            UnixDatagram::from_mio(&handle, a)?,
            UnixDatagram::from_mio(&handle, b)?,
        ))
    }

    /// Wraps a std socket, switching it to non-blocking mode and registering it with
    /// the current reactor.
    ///
    /// # Errors
    ///
    /// The OS's error setting non-blocking mode, or no current reactor.
    ///
    /// ```no_run
    /// # fn demo() -> std::io::Result<()> {
    /// let std_socket = std::os::unix::net::UnixDatagram::unbound()?;
    /// let socket = weft_io::net::UnixDatagram::from_std(std_socket)?;
    /// # Ok(()) }
    /// ```
    pub fn from_std(socket: std::os::unix::net::UnixDatagram) -> io::Result<UnixDatagram> {
        socket.set_nonblocking(true)?;
        UnixDatagram::from_mio(
            &ReactorHandle::current()?,
            mio::net::UnixDatagram::from_std(socket),
        )
    }

    fn from_mio(
        handle: &ReactorHandle,
        socket: mio::net::UnixDatagram,
    ) -> io::Result<UnixDatagram> {
        let interest = Interest::READABLE | Interest::WRITABLE;
        Ok(UnixDatagram {
            io: Evented::with_interest(handle, socket, interest)?,
        })
    }

    /// Sets the default peer for [`UnixDatagram::send`] and [`UnixDatagram::recv`].
    ///
    /// # Errors
    ///
    /// The OS's error or the runtime-shut-down error.
    ///
    /// ```no_run
    /// # fn demo(socket: weft_io::net::UnixDatagram) -> std::io::Result<()> {
    /// socket.connect("/tmp/weft.dgram")?;
    /// # Ok(()) }
    /// ```
    pub fn connect(&self, path: impl AsRef<Path>) -> io::Result<()> {
        self.io.try_io(|io| io.connect(path))
    }

    /// Sends one datagram to the socket at `path`.
    ///
    /// # Errors
    ///
    /// The OS's error or the runtime-shut-down error.
    ///
    /// # Cancel safety
    ///
    /// Cancel safe: a dropped future has sent nothing.
    ///
    /// ```no_run
    /// # async fn demo(socket: weft_io::net::UnixDatagram) -> std::io::Result<()> {
    /// socket.send_to(b"ping", "/tmp/weft.dgram").await?;
    /// # Ok(()) }
    /// ```
    pub async fn send_to(&self, buf: &[u8], path: impl AsRef<Path>) -> io::Result<usize> {
        let path = path.as_ref();
        Op::new(&self.io, Direction::Write, |io: &mio::net::UnixDatagram| {
            io.send_to(buf, path)
        })
        .await
    }

    /// Receives one datagram: its length and sender.
    ///
    /// # Errors
    ///
    /// The OS's error or the runtime-shut-down error.
    ///
    /// # Cancel safety
    ///
    /// Cancel safe: a dropped future has received nothing.
    ///
    /// ```no_run
    /// # async fn demo(socket: weft_io::net::UnixDatagram) -> std::io::Result<()> {
    /// let mut buf = [0; 64];
    /// let (len, from) = socket.recv_from(&mut buf).await?;
    /// # Ok(()) }
    /// ```
    pub async fn recv_from(&self, buf: &mut [u8]) -> io::Result<(usize, SocketAddr)> {
        Op::new(&self.io, Direction::Read, |io: &mio::net::UnixDatagram| {
            io.recv_from(buf)
        })
        .await
    }

    /// Sends one datagram to the connected peer.
    ///
    /// # Errors
    ///
    /// `NotConnected`, the OS's error, or the runtime-shut-down error.
    ///
    /// # Cancel safety
    ///
    /// Cancel safe: a dropped future has sent nothing.
    ///
    /// ```no_run
    /// # async fn demo(socket: weft_io::net::UnixDatagram) -> std::io::Result<()> {
    /// socket.send(b"ping").await?;
    /// # Ok(()) }
    /// ```
    pub async fn send(&self, buf: &[u8]) -> io::Result<usize> {
        Op::new(&self.io, Direction::Write, |io: &mio::net::UnixDatagram| {
            io.send(buf)
        })
        .await
    }

    /// Receives one datagram from the connected peer.
    ///
    /// # Errors
    ///
    /// The OS's error or the runtime-shut-down error.
    ///
    /// # Cancel safety
    ///
    /// Cancel safe: a dropped future has received nothing.
    ///
    /// ```no_run
    /// # async fn demo(socket: weft_io::net::UnixDatagram) -> std::io::Result<()> {
    /// let mut buf = [0; 64];
    /// let len = socket.recv(&mut buf).await?;
    /// # Ok(()) }
    /// ```
    pub async fn recv(&self, buf: &mut [u8]) -> io::Result<usize> {
        Op::new(&self.io, Direction::Read, |io: &mio::net::UnixDatagram| {
            io.recv(buf)
        })
        .await
    }

    /// Shuts down one or both directions.
    ///
    /// # Errors
    ///
    /// The OS's error or the runtime-shut-down error.
    ///
    /// ```no_run
    /// # fn demo(socket: weft_io::net::UnixDatagram) -> std::io::Result<()> {
    /// socket.shutdown(std::net::Shutdown::Both)?;
    /// # Ok(()) }
    /// ```
    pub fn shutdown(&self, how: Shutdown) -> io::Result<()> {
        self.io.try_io(|io| io.shutdown(how))
    }

    /// The address the socket is bound to.
    ///
    /// # Errors
    ///
    /// The OS's error.
    ///
    /// ```no_run
    /// # fn demo(socket: weft_io::net::UnixDatagram) -> std::io::Result<()> {
    /// let addr = socket.local_addr()?;
    /// # Ok(()) }
    /// ```
    pub fn local_addr(&self) -> io::Result<SocketAddr> {
        self.io.get_ref().local_addr()
    }

    /// The connected peer's address.
    ///
    /// # Errors
    ///
    /// `NotConnected` when not connected.
    ///
    /// ```no_run
    /// # fn demo(socket: weft_io::net::UnixDatagram) -> std::io::Result<()> {
    /// let addr = socket.peer_addr()?;
    /// # Ok(()) }
    /// ```
    pub fn peer_addr(&self) -> io::Result<SocketAddr> {
        self.io.get_ref().peer_addr()
    }
}

impl fmt::Debug for UnixDatagram {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UnixDatagram")
            .field("io", &self.io)
            .finish()
    }
}
