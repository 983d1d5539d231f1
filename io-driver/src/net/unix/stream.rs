//! [`UnixStream`]: a connected Unix-domain stream socket.

use crate::net::split::{self, OwnedReadHalf, OwnedWriteHalf};
use crate::reactor::{Direction, Evented, Op, ReactorHandle};
use mio::Interest;
use std::fmt;
use std::future::Future;
use std::io;
use std::net::Shutdown;
use std::os::unix::net::SocketAddr;
use std::panic::Location;
use std::path::Path;
use weft_core::waiting::{recorded, WaitOn};

/// A Unix-domain stream connection: implements
/// [`AsyncRead`](crate::io::AsyncRead) and [`AsyncWrite`](crate::io::AsyncWrite),
/// and splits into owned halves like [`TcpStream`](crate::net::TcpStream).
///
/// ```no_run
/// use weft_io::io::AsyncWriteExt;
/// use weft_io::net::UnixStream;
///
/// # async fn demo() -> std::io::Result<()> {
/// let mut stream = UnixStream::connect("/tmp/weft.sock").await?;
/// stream.write_all(b"hello").await?;
/// # Ok(()) }
/// ```
pub struct UnixStream {
    pub(in crate::net) io: Evented<mio::net::UnixStream>,
}

stream_socket!(UnixStream);

impl UnixStream {
    /// Connects to the socket file `path`.
    ///
    /// # Errors
    ///
    /// `NotFound` when no file is there, `ConnectionRefused` when nothing listens on
    /// it, `WouldBlock` when the listener's backlog is full, no current reactor, or
    /// the runtime-shut-down error.
    ///
    /// # Cancel safety
    ///
    /// Dropping the future abandons the attempt and closes its socket.
    ///
    /// ```no_run
    /// # async fn demo() -> std::io::Result<()> {
    /// let stream = weft_io::net::UnixStream::connect("/tmp/weft.sock").await?;
    /// # Ok(()) }
    /// ```
    #[track_caller]
    pub fn connect(path: impl AsRef<Path>) -> impl Future<Output = io::Result<UnixStream>> {
        recorded(
            &WaitOn("UnixStream::connect"),
            Location::caller(),
            Self::connect_unrecorded(path),
        )
    }

    /// [`connect`](Self::connect) without its wait record.
    async fn connect_unrecorded(path: impl AsRef<Path>) -> io::Result<UnixStream> {
        let handle = ReactorHandle::current()?;
        let stream = UnixStream::from_mio(&handle, mio::net::UnixStream::connect(path)?)?;
        let connected = |io: &mio::net::UnixStream| match io.take_error()? {
            Some(err) => Err(err),
            None => Ok(()),
        };
        Op::new(&stream.io, Direction::Write, connected).await?;
        Ok(stream)
    }

    /// A connected pair of streams (`socketpair`), both registered with the current
    /// reactor.
    ///
    /// # Errors
    ///
    /// The OS's error or no current reactor.
    ///
    /// ```no_run
    /// # fn demo() -> std::io::Result<()> {
    /// let (a, b) = weft_io::net::UnixStream::pair()?;
    /// # Ok(()) }
    /// ```
    pub fn pair() -> io::Result<(UnixStream, UnixStream)> {
        let handle = ReactorHandle::current()?;
        let (a, b) = mio::net::UnixStream::pair()?;
        Ok((
            UnixStream::from_mio(&handle, a)?,
            UnixStream::from_mio(&handle, b)?,
        ))
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
    /// let std_stream = std::os::unix::net::UnixStream::connect("/tmp/weft.sock")?;
    /// let stream = weft_io::net::UnixStream::from_std(std_stream)?;
    /// # Ok(()) }
    /// ```
    pub fn from_std(stream: std::os::unix::net::UnixStream) -> io::Result<UnixStream> {
        stream.set_nonblocking(true)?;
        UnixStream::from_mio(
            &ReactorHandle::current()?,
            mio::net::UnixStream::from_std(stream),
        )
    }

    pub(in crate::net) fn from_mio(
        handle: &ReactorHandle,
        stream: mio::net::UnixStream,
    ) -> io::Result<UnixStream> {
        let interest = Interest::READABLE | Interest::WRITABLE;
        Ok(UnixStream {
            io: Evented::with_interest(handle, stream, interest)?,
        })
    }

    /// Shuts down one or both directions; `Shutdown::Write` is the half-close.
    ///
    /// # Errors
    ///
    /// The OS's error or the runtime-shut-down error.
    ///
    /// ```no_run
    /// # fn demo(stream: weft_io::net::UnixStream) -> std::io::Result<()> {
    /// stream.shutdown(std::net::Shutdown::Write)?;
    /// # Ok(()) }
    /// ```
    pub fn shutdown(&self, how: Shutdown) -> io::Result<()> {
        self.io.try_io(|io| io.shutdown(how))
    }

    /// Splits the stream into owned read and write halves. Dropping the write half
    /// shuts down the write direction.
    ///
    /// ```no_run
    /// # fn demo(stream: weft_io::net::UnixStream) {
    /// let (reader, writer) = stream.into_split();
    /// # }
    /// ```
    pub fn into_split(self) -> (OwnedReadHalf<UnixStream>, OwnedWriteHalf<UnixStream>) {
        split::split(self)
    }

    /// This end's address (usually unnamed for a connecting stream).
    ///
    /// # Errors
    ///
    /// The OS's error.
    ///
    /// ```no_run
    /// # fn demo(stream: weft_io::net::UnixStream) -> std::io::Result<()> {
    /// let addr = stream.local_addr()?;
    /// # Ok(()) }
    /// ```
    pub fn local_addr(&self) -> io::Result<SocketAddr> {
        self.io.get_ref().local_addr()
    }

    /// The peer's address.
    ///
    /// # Errors
    ///
    /// The OS's error.
    ///
    /// ```no_run
    /// # fn demo(stream: weft_io::net::UnixStream) -> std::io::Result<()> {
    /// let addr = stream.peer_addr()?;
    /// # Ok(()) }
    /// ```
    pub fn peer_addr(&self) -> io::Result<SocketAddr> {
        self.io.get_ref().peer_addr()
    }
}

impl fmt::Debug for UnixStream {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UnixStream").field("io", &self.io).finish()
    }
}
