//! [`UdpSocket`]: datagrams over UDP.

use crate::net::addr::{first_success, resolve, ToSocketAddrs};
use crate::reactor::{Direction, Evented, Op};
use std::fmt;
use std::io;
use std::net::SocketAddr;

/// A UDP socket: `send_to`/`recv_from` any peer, or `connect` to one and
/// `send`/`recv` (asyncio's datagram endpoint, without the protocol callbacks).
///
/// Every method takes `&self`; any number of tasks may send and receive on one socket
/// at once (share it in an `Arc`).
///
/// ```no_run
/// use weft_io::net::UdpSocket;
///
/// # async fn demo() -> std::io::Result<()> {
/// let socket = UdpSocket::bind("127.0.0.1:0").await?;
/// socket.send_to(b"ping", "127.0.0.1:9999").await?;
/// let mut buf = [0; 1500];
/// let (len, from) = socket.recv_from(&mut buf).await?;
/// # Ok(()) }
/// ```
pub struct UdpSocket {
    pub(in crate::net) io: Evented<mio::net::UdpSocket>,
}

impl UdpSocket {
    /// Binds a socket to `addr` (port 0: any free port). A host name is resolved
    /// off-thread and each address tried in turn.
    ///
    /// # Errors
    ///
    /// `AddrInUse`, `AddrNotAvailable`, the resolver's error, or no current reactor.
    ///
    /// # Cancel safety
    ///
    /// Dropping the future before it completes binds nothing.
    ///
    /// ```no_run
    /// # async fn demo() -> std::io::Result<()> {
    /// let socket = weft_io::net::UdpSocket::bind("0.0.0.0:5353").await?;
    /// # Ok(()) }
    /// ```
    pub async fn bind(addr: impl ToSocketAddrs) -> io::Result<UdpSocket> {
        first_success(&addr, |addr| async move {
            UdpSocket::from_mio(mio::net::UdpSocket::bind(addr)?)
        })
        .await
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
    /// let socket = weft_io::net::UdpSocket::from_std(std::net::UdpSocket::bind("127.0.0.1:0")?)?;
    /// # Ok(()) }
    /// ```
    pub fn from_std(socket: std::net::UdpSocket) -> io::Result<UdpSocket> {
        socket.set_nonblocking(true)?;
        UdpSocket::from_mio(mio::net::UdpSocket::from_std(socket))
    }

    fn from_mio(socket: mio::net::UdpSocket) -> io::Result<UdpSocket> {
        Ok(UdpSocket {
            io: Evented::new(socket)?,
        })
    }

    /// Sets the default peer: [`UdpSocket::send`] goes there and
    /// [`UdpSocket::recv`] takes datagrams only from there. A host name is resolved
    /// off-thread; the first address that connects is kept.
    ///
    /// # Errors
    ///
    /// The OS's error, the resolver's error, or the runtime-shut-down error.
    ///
    /// # Cancel safety
    ///
    /// Dropping the future during a host-name lookup leaves the socket as it was.
    ///
    /// ```no_run
    /// # async fn demo(socket: weft_io::net::UdpSocket) -> std::io::Result<()> {
    /// socket.connect("127.0.0.1:9999").await?;
    /// socket.send(b"ping").await?;
    /// # Ok(()) }
    /// ```
    pub async fn connect(&self, addr: impl ToSocketAddrs) -> io::Result<()> {
        first_success(&addr, |addr| async move {
            self.io.try_io(|io| io.connect(addr))
        })
        .await
    }

    /// Sends one datagram to `target`; returns the bytes sent (all of `buf`, or an
    /// error: UDP does not send part of a datagram). A host name is resolved
    /// off-thread on every call: for repeated sends, resolve once with
    /// [`lookup_host`](crate::net::lookup_host) or [`UdpSocket::connect`].
    ///
    /// # Errors
    ///
    /// The OS's error (`EMSGSIZE` for a datagram too large), the resolver's error, or
    /// the runtime-shut-down error.
    ///
    /// # Cancel safety
    ///
    /// Cancel safe: a dropped future has sent nothing.
    ///
    /// ```no_run
    /// # async fn demo(socket: weft_io::net::UdpSocket) -> std::io::Result<()> {
    /// socket.send_to(b"ping", "127.0.0.1:9999").await?;
    /// # Ok(()) }
    /// ```
    pub async fn send_to(&self, buf: &[u8], target: impl ToSocketAddrs) -> io::Result<usize> {
        let target = resolve(&target).await?[0];
        Op::new(&self.io, Direction::Write, |io: &mio::net::UdpSocket| {
            io.send_to(buf, target)
        })
        .await
    }

    /// Receives one datagram into `buf`: its length and sender. A datagram longer
    /// than `buf` is truncated.
    ///
    /// # Errors
    ///
    /// The OS's error (`ConnectionRefused` after an ICMP port-unreachable on a
    /// connected socket) or the runtime-shut-down error.
    ///
    /// # Cancel safety
    ///
    /// Cancel safe: a dropped future has received nothing.
    ///
    /// ```no_run
    /// # async fn demo(socket: weft_io::net::UdpSocket) -> std::io::Result<()> {
    /// let mut buf = [0; 1500];
    /// let (len, from) = socket.recv_from(&mut buf).await?;
    /// # Ok(()) }
    /// ```
    pub async fn recv_from(&self, buf: &mut [u8]) -> io::Result<(usize, SocketAddr)> {
        Op::new(&self.io, Direction::Read, |io: &mio::net::UdpSocket| {
            io.recv_from(buf)
        })
        .await
    }

    /// Sends one datagram to the connected peer.
    ///
    /// # Errors
    ///
    /// `NotConnected` when [`UdpSocket::connect`] was not called, the OS's error, or
    /// the runtime-shut-down error.
    ///
    /// # Cancel safety
    ///
    /// Cancel safe: a dropped future has sent nothing.
    ///
    /// ```no_run
    /// # async fn demo(socket: weft_io::net::UdpSocket) -> std::io::Result<()> {
    /// socket.send(b"ping").await?;
    /// # Ok(()) }
    /// ```
    pub async fn send(&self, buf: &[u8]) -> io::Result<usize> {
        Op::new(&self.io, Direction::Write, |io: &mio::net::UdpSocket| {
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
    /// # async fn demo(socket: weft_io::net::UdpSocket) -> std::io::Result<()> {
    /// let mut buf = [0; 1500];
    /// let len = socket.recv(&mut buf).await?;
    /// # Ok(()) }
    /// ```
    pub async fn recv(&self, buf: &mut [u8]) -> io::Result<usize> {
        Op::new(&self.io, Direction::Read, |io: &mio::net::UdpSocket| {
            io.recv(buf)
        })
        .await
    }

    /// The address the socket is bound to.
    ///
    /// # Errors
    ///
    /// The OS's error.
    ///
    /// ```no_run
    /// # fn demo(socket: weft_io::net::UdpSocket) -> std::io::Result<()> {
    /// println!("{}", socket.local_addr()?);
    /// # Ok(()) }
    /// ```
    pub fn local_addr(&self) -> io::Result<SocketAddr> {
        self.io.get_ref().local_addr()
    }

    /// The connected peer's address.
    ///
    /// # Errors
    ///
    /// `NotConnected` when [`UdpSocket::connect`] was not called.
    ///
    /// ```no_run
    /// # fn demo(socket: weft_io::net::UdpSocket) -> std::io::Result<()> {
    /// println!("{}", socket.peer_addr()?);
    /// # Ok(()) }
    /// ```
    pub fn peer_addr(&self) -> io::Result<SocketAddr> {
        self.io.get_ref().peer_addr()
    }

    /// Sets `SO_BROADCAST`, allowing sends to a broadcast address.
    ///
    /// # Errors
    ///
    /// The OS's error.
    ///
    /// ```no_run
    /// # fn demo(socket: weft_io::net::UdpSocket) -> std::io::Result<()> {
    /// socket.set_broadcast(true)?;
    /// # Ok(()) }
    /// ```
    pub fn set_broadcast(&self, on: bool) -> io::Result<()> {
        self.io.get_ref().set_broadcast(on)
    }
}

impl fmt::Debug for UdpSocket {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UdpSocket").field("io", &self.io).finish()
    }
}
