//! [`TcpListener`]: a TCP socket accepting connections.

use super::TcpStream;
use crate::net::addr::{first_success, ToSocketAddrs};
use crate::net::listen;
use crate::reactor::{Direction, Evented, Op, ReactorHandle};
use mio::Interest;
use std::fmt;
use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::panic::Location;
use std::task::{Context, Poll};
use weft_core::waiting::{recorded, WaitOn};

/// A TCP socket server, listening for connections (the socket behind asyncio's
/// `start_server`).
///
/// Created inside a weft runtime; accepted streams register with the same reactor.
///
/// ```no_run
/// use weft_io::net::TcpListener;
///
/// # async fn demo() -> std::io::Result<()> {
/// let listener = TcpListener::bind("127.0.0.1:0").await?;
/// println!("listening on {}", listener.local_addr()?);
/// loop {
///     let (stream, peer) = listener.accept().await?;
///     println!("connection from {peer}");
///     drop(stream);
/// }
/// # }
/// ```
pub struct TcpListener {
    pub(in crate::net) io: Evented<mio::net::TcpListener>,
}

impl TcpListener {
    /// Binds a listener to `addr`, with `SO_REUSEADDR` and a backlog of 1024 (std and
    /// mio use 128, which a burst of clients overflows).
    ///
    /// Port 0 asks the OS for a free port; [`TcpListener::local_addr`] tells which.
    /// A host name is resolved off-thread and each address tried in turn.
    ///
    /// # Errors
    ///
    /// `AddrInUse` when another socket listens there, `AddrNotAvailable` for an
    /// address that is not local, the resolver's error for an unknown host, and an
    /// error telling you to call from inside a weft runtime when no reactor is
    /// current on this thread.
    ///
    /// # Cancel safety
    ///
    /// Dropping the future before it completes binds nothing (a host-name lookup
    /// still running is abandoned).
    ///
    /// ```no_run
    /// # async fn demo() -> std::io::Result<()> {
    /// let listener = weft_io::net::TcpListener::bind("127.0.0.1:8080").await?;
    /// # Ok(()) }
    /// ```
    pub async fn bind(addr: impl ToSocketAddrs) -> io::Result<TcpListener> {
        first_success(&addr, |addr| async move {
            let listener = listen::tcp(addr)?;
            TcpListener::from_mio(mio::net::TcpListener::from_std(listener))
        })
        .await
    }

    /// Wraps a listener bound with std (or socket2), switching it to non-blocking mode
    /// and registering it with the current reactor.
    ///
    /// # Errors
    ///
    /// The OS's error setting non-blocking mode, or no current reactor.
    ///
    /// ```no_run
    /// # fn demo() -> std::io::Result<()> {
    /// let std_listener = std::net::TcpListener::bind("127.0.0.1:0")?;
    /// let listener = weft_io::net::TcpListener::from_std(std_listener)?;
    /// # Ok(()) }
    /// ```
    pub fn from_std(listener: std::net::TcpListener) -> io::Result<TcpListener> {
        listener.set_nonblocking(true)?;
        TcpListener::from_mio(mio::net::TcpListener::from_std(listener))
    }

    fn from_mio(listener: mio::net::TcpListener) -> io::Result<TcpListener> {
        Ok(TcpListener {
            io: Evented::with_interest(&ReactorHandle::current()?, listener, Interest::READABLE)?,
        })
    }

    /// Waits for a connection and accepts it.
    ///
    /// Any number of tasks may wait in `accept` on one listener; each connection goes
    /// to one of them.
    ///
    /// # Errors
    ///
    /// The OS's error, as a value: `EMFILE`/`ENFILE` when the process or system is out
    /// of file descriptors (the connection stays queued; the listener stays usable,
    /// and a later `accept` takes it), `ECONNABORTED` for a connection reset while
    /// queued, or the runtime-shut-down error.
    ///
    /// # Cancel safety
    ///
    /// Cancel safe: dropping the future accepts nothing, and a queued connection
    /// waits for the next `accept`.
    ///
    /// ```no_run
    /// # async fn demo(listener: weft_io::net::TcpListener) -> std::io::Result<()> {
    /// let (stream, peer) = listener.accept().await?;
    /// # Ok(()) }
    /// ```
    #[track_caller]
    pub fn accept(&self) -> impl Future<Output = io::Result<(TcpStream, SocketAddr)>> + '_ {
        recorded(
            &WaitOn("TcpListener::accept"),
            Location::caller(),
            self.accept_unrecorded(),
        )
    }

    /// [`accept`](Self::accept) without its wait record.
    async fn accept_unrecorded(&self) -> io::Result<(TcpStream, SocketAddr)> {
        let accept = |io: &mio::net::TcpListener| io.accept();
        let (stream, peer) = Op::new(&self.io, Direction::Read, accept).await?;
        Ok((self.adopt(stream)?, peer))
    }

    /// Polls for a connection, as the listener's single stream-side waiter (the last
    /// task to poll is the one woken). For accept loops written as `poll` functions;
    /// prefer [`TcpListener::accept`] elsewhere.
    ///
    /// # Errors
    ///
    /// As [`TcpListener::accept`].
    ///
    /// ```no_run
    /// # async fn demo(listener: weft_io::net::TcpListener) -> std::io::Result<()> {
    /// let (stream, peer) = std::future::poll_fn(|cx| listener.poll_accept(cx)).await?;
    /// # Ok(()) }
    /// ```
    pub fn poll_accept(&self, cx: &mut Context<'_>) -> Poll<io::Result<(TcpStream, SocketAddr)>> {
        match self.io.poll_io(Direction::Read, cx, |io| io.accept()) {
            Poll::Ready(Ok((stream, peer))) => Poll::Ready(Ok((self.adopt(stream)?, peer))),
            Poll::Ready(Err(err)) => Poll::Ready(Err(err)),
            Poll::Pending => Poll::Pending,
        }
    }

    /// Registers an accepted stream with the listener's own reactor.
    fn adopt(&self, stream: mio::net::TcpStream) -> io::Result<TcpStream> {
        TcpStream::from_mio(&self.io.handle(), stream)
    }

    /// The address the listener is bound to (the port the OS chose for port 0).
    ///
    /// # Errors
    ///
    /// The OS's error.
    ///
    /// ```no_run
    /// # async fn demo() -> std::io::Result<()> {
    /// let listener = weft_io::net::TcpListener::bind("127.0.0.1:0").await?;
    /// assert_ne!(listener.local_addr()?.port(), 0);
    /// # Ok(()) }
    /// ```
    pub fn local_addr(&self) -> io::Result<SocketAddr> {
        self.io.get_ref().local_addr()
    }
}

impl fmt::Debug for TcpListener {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TcpListener").field("io", &self.io).finish()
    }
}
