//! [`UnixListener`]: a Unix-domain stream socket accepting connections.

use super::UnixStream;
use crate::net::listen;
use crate::reactor::{Direction, Evented, Op, ReactorHandle};
use mio::Interest;
use std::fmt;
use std::future::Future;
use std::io;
use std::os::unix::net::SocketAddr;
use std::panic::Location;
use std::path::Path;
use weft_core::waiting::{recorded, WaitOn};

/// A Unix-domain socket server (asyncio's `start_unix_server` socket).
///
/// Binding creates the socket file; it is not removed when the listener is dropped
/// (remove it yourself, as with std).
///
/// ```no_run
/// use weft_io::net::UnixListener;
///
/// # async fn demo() -> std::io::Result<()> {
/// let listener = UnixListener::bind("/tmp/weft.sock")?;
/// let (stream, _peer) = listener.accept().await?;
/// # Ok(()) }
/// ```
pub struct UnixListener {
    pub(in crate::net) io: Evented<mio::net::UnixListener>,
}

impl UnixListener {
    /// Binds a listener to the socket file `path`, with a backlog of 1024.
    ///
    /// # Errors
    ///
    /// `AddrInUse` when the file exists, the OS's error for a bad path, or no current
    /// reactor.
    ///
    /// ```no_run
    /// # fn demo() -> std::io::Result<()> {
    /// let listener = weft_io::net::UnixListener::bind("/tmp/weft.sock")?;
    /// # Ok(()) }
    /// ```
    pub fn bind(path: impl AsRef<Path>) -> io::Result<UnixListener> {
        let listener = listen::unix(path.as_ref())?;
        UnixListener::from_mio(mio::net::UnixListener::from_std(listener))
    }

    /// Wraps a std listener, switching it to non-blocking mode and registering it
    /// with the current reactor.
    ///
    /// # Errors
    ///
    /// The OS's error setting non-blocking mode, or no current reactor.
    ///
    /// ```no_run
    /// # fn demo() -> std::io::Result<()> {
    /// let std_listener = std::os::unix::net::UnixListener::bind("/tmp/weft.sock")?;
    /// let listener = weft_io::net::UnixListener::from_std(std_listener)?;
    /// # Ok(()) }
    /// ```
    pub fn from_std(listener: std::os::unix::net::UnixListener) -> io::Result<UnixListener> {
        listener.set_nonblocking(true)?;
        UnixListener::from_mio(mio::net::UnixListener::from_std(listener))
    }

    fn from_mio(listener: mio::net::UnixListener) -> io::Result<UnixListener> {
        let handle = ReactorHandle::current()?;
        Ok(UnixListener {
            io: Evented::with_interest(&handle, listener, Interest::READABLE)?,
        })
    }

    /// Waits for a connection and accepts it.
    ///
    /// # Errors
    ///
    /// The OS's error as a value (`EMFILE` leaves the connection queued and the
    /// listener usable) or the runtime-shut-down error.
    ///
    /// # Cancel safety
    ///
    /// Cancel safe: dropping the future accepts nothing.
    ///
    /// ```no_run
    /// # async fn demo(listener: weft_io::net::UnixListener) -> std::io::Result<()> {
    /// let (stream, _peer) = listener.accept().await?;
    /// # Ok(()) }
    /// ```
    #[track_caller]
    pub fn accept(&self) -> impl Future<Output = io::Result<(UnixStream, SocketAddr)>> + '_ {
        recorded(
            &WaitOn("UnixListener::accept"),
            Location::caller(),
            self.accept_unrecorded(),
        )
    }

    /// [`accept`](Self::accept) without its wait record.
    async fn accept_unrecorded(&self) -> io::Result<(UnixStream, SocketAddr)> {
        let accept = |io: &mio::net::UnixListener| io.accept();
        let (stream, peer) = Op::new(&self.io, Direction::Read, accept).await?;
        Ok((UnixStream::from_mio(&self.io.handle(), stream)?, peer))
    }

    /// The address the listener is bound to.
    ///
    /// # Errors
    ///
    /// The OS's error.
    ///
    /// ```no_run
    /// # fn demo(listener: weft_io::net::UnixListener) -> std::io::Result<()> {
    /// println!("{:?}", listener.local_addr()?.as_pathname());
    /// # Ok(()) }
    /// ```
    pub fn local_addr(&self) -> io::Result<SocketAddr> {
        self.io.get_ref().local_addr()
    }
}

impl fmt::Debug for UnixListener {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UnixListener")
            .field("io", &self.io)
            .finish()
    }
}
