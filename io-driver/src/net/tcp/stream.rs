//! [`TcpStream`]: a connected TCP socket.

use crate::net::addr::{first_success, ToSocketAddrs};
use crate::net::split::{self, OwnedReadHalf, OwnedWriteHalf};
use crate::reactor::{Direction, Evented, Op, ReactorHandle};
use mio::Interest;
use std::fmt;
use std::future::Future;
use std::io;
use std::net::{Shutdown, SocketAddr};
use std::panic::Location;
use weft_core::waiting::{recorded, WaitOn};

/// A TCP connection: implements [`AsyncRead`](crate::io::AsyncRead) and
/// [`AsyncWrite`](crate::io::AsyncWrite); read and write with the
/// [`io`](crate::io) extension traits, or [`into_split`](TcpStream::into_split) it to
/// read and write from two tasks.
///
/// ```no_run
/// use weft_io::io::{AsyncReadExt, AsyncWriteExt};
/// use weft_io::net::TcpStream;
///
/// # async fn demo() -> std::io::Result<()> {
/// let mut stream = TcpStream::connect("127.0.0.1:8080").await?;
/// stream.write_all(b"ping").await?;
/// let mut reply = [0; 4];
/// stream.read_exact(&mut reply).await?;
/// # Ok(()) }
/// ```
pub struct TcpStream {
    pub(in crate::net) io: Evented<mio::net::TcpStream>,
}

stream_socket!(TcpStream);

impl TcpStream {
    /// Connects to `addr`; a host name is resolved off-thread and each address tried in
    /// turn until one accepts.
    ///
    /// # Errors
    ///
    /// The OS's error for the last address tried: `ConnectionRefused` when nothing
    /// listens there, `TimedOut`, `HostUnreachable`...; the resolver's error for an
    /// unknown host; no current reactor; the runtime-shut-down error.
    ///
    /// # Cancel safety
    ///
    /// Dropping the future abandons the connection attempt and closes its socket; the
    /// peer may have seen the connection open and close.
    ///
    /// ```no_run
    /// # async fn demo() -> std::io::Result<()> {
    /// let stream = weft_io::net::TcpStream::connect(("localhost", 8080)).await?;
    /// # Ok(()) }
    /// ```
    #[track_caller]
    pub fn connect(addr: impl ToSocketAddrs) -> impl Future<Output = io::Result<TcpStream>> {
        recorded(
            &WaitOn("TcpStream::connect"),
            Location::caller(),
            Self::connect_unrecorded(addr),
        )
    }

    /// [`connect`](Self::connect) without its wait record.
    async fn connect_unrecorded(addr: impl ToSocketAddrs) -> io::Result<TcpStream> {
        first_success(&addr, TcpStream::connect_addr).await
    }

    async fn connect_addr(addr: SocketAddr) -> io::Result<TcpStream> {
        let stream = TcpStream::from_mio(
            &ReactorHandle::current()?,
            mio::net::TcpStream::connect(addr)?,
        )?;
        // mio's recipe: wait for writability, then `SO_ERROR`, then a peer address
        // (none yet means a spurious wakeup: wait again).
        let connected = |io: &mio::net::TcpStream| {
            if let Some(err) = io.take_error()? {
                return Err(err);
            }
            match io.peer_addr() {
                Ok(_) => Ok(()),
                Err(err) if err.kind() == io::ErrorKind::NotConnected => {
                    Err(io::ErrorKind::WouldBlock.into())
                }
                Err(err) => Err(err),
            }
        };
        Op::new(&stream.io, Direction::Write, connected).await?;
        Ok(stream)
    }

    /// Wraps a connected std stream, switching it to non-blocking mode and
    /// registering it with the current reactor.
    ///
    /// # Errors
    ///
    /// The OS's error setting non-blocking mode, or no current reactor.
    ///
    /// ```no_run
    /// # fn demo() -> std::io::Result<()> {
    /// let std_stream = std::net::TcpStream::connect("127.0.0.1:8080")?;
    /// let stream = weft_io::net::TcpStream::from_std(std_stream)?;
    /// # Ok(()) }
    /// ```
    pub fn from_std(stream: std::net::TcpStream) -> io::Result<TcpStream> {
        stream.set_nonblocking(true)?;
        TcpStream::from_mio(
            &ReactorHandle::current()?,
            mio::net::TcpStream::from_std(stream),
        )
    }

    pub(in crate::net) fn from_mio(
        handle: &ReactorHandle,
        stream: mio::net::TcpStream,
    ) -> io::Result<TcpStream> {
        let interest = Interest::READABLE | Interest::WRITABLE;
        Ok(TcpStream {
            io: Evented::with_interest(handle, stream, interest)?,
        })
    }

    /// Reads into `buf` without consuming: the next read returns the same bytes.
    /// Returns 0 at EOF.
    ///
    /// # Errors
    ///
    /// The OS's error (`ConnectionReset`...) or the runtime-shut-down error.
    ///
    /// # Cancel safety
    ///
    /// Cancel safe: peeking consumes nothing.
    ///
    /// ```no_run
    /// # async fn demo(stream: weft_io::net::TcpStream) -> std::io::Result<()> {
    /// let mut first = [0; 1];
    /// stream.peek(&mut first).await?;
    /// # Ok(()) }
    /// ```
    pub async fn peek(&self, buf: &mut [u8]) -> io::Result<usize> {
        Op::new(&self.io, Direction::Read, |io: &mio::net::TcpStream| {
            io.peek(buf)
        })
        .await
    }

    /// Shuts down one or both directions. `Shutdown::Write` is the half-close: the
    /// peer reads EOF, and this side can still read what the peer sends.
    ///
    /// # Errors
    ///
    /// The OS's error (`NotConnected`) or the runtime-shut-down error.
    ///
    /// ```no_run
    /// use std::net::Shutdown;
    ///
    /// # async fn demo(stream: weft_io::net::TcpStream) -> std::io::Result<()> {
    /// stream.shutdown(Shutdown::Write)?; // asyncio's writer.write_eof()
    /// # Ok(()) }
    /// ```
    pub fn shutdown(&self, how: Shutdown) -> io::Result<()> {
        self.io.try_io(|io| io.shutdown(how))
    }

    /// Splits the stream into a read half and a write half that two tasks can own.
    /// Dropping the write half shuts down the write direction.
    ///
    /// ```no_run
    /// # async fn demo(stream: weft_io::net::TcpStream) {
    /// let (reader, writer) = stream.into_split();
    /// # }
    /// ```
    pub fn into_split(self) -> (OwnedReadHalf<TcpStream>, OwnedWriteHalf<TcpStream>) {
        split::split(self)
    }

    /// The local address of the connection.
    ///
    /// # Errors
    ///
    /// The OS's error.
    ///
    /// ```no_run
    /// # fn demo(stream: weft_io::net::TcpStream) -> std::io::Result<()> {
    /// println!("{}", stream.local_addr()?);
    /// # Ok(()) }
    /// ```
    pub fn local_addr(&self) -> io::Result<SocketAddr> {
        self.io.get_ref().local_addr()
    }

    /// The peer's address.
    ///
    /// # Errors
    ///
    /// The OS's error (`NotConnected` once the peer is gone on some systems).
    ///
    /// ```no_run
    /// # fn demo(stream: weft_io::net::TcpStream) -> std::io::Result<()> {
    /// println!("{}", stream.peer_addr()?);
    /// # Ok(()) }
    /// ```
    pub fn peer_addr(&self) -> io::Result<SocketAddr> {
        self.io.get_ref().peer_addr()
    }

    /// Sets `TCP_NODELAY`: `true` sends small writes at once instead of batching them
    /// (Nagle's algorithm off).
    ///
    /// # Errors
    ///
    /// The OS's error.
    ///
    /// ```no_run
    /// # fn demo(stream: weft_io::net::TcpStream) -> std::io::Result<()> {
    /// stream.set_nodelay(true)?;
    /// # Ok(()) }
    /// ```
    pub fn set_nodelay(&self, nodelay: bool) -> io::Result<()> {
        self.io.get_ref().set_nodelay(nodelay)
    }

    /// Whether `TCP_NODELAY` is set.
    ///
    /// # Errors
    ///
    /// The OS's error.
    ///
    /// ```no_run
    /// # fn demo(stream: weft_io::net::TcpStream) -> std::io::Result<()> {
    /// let on = stream.nodelay()?;
    /// # Ok(()) }
    /// ```
    pub fn nodelay(&self) -> io::Result<bool> {
        self.io.get_ref().nodelay()
    }
}

impl fmt::Debug for TcpStream {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TcpStream").field("io", &self.io).finish()
    }
}
