//! Owned read and write halves of a stream socket ([`OwnedReadHalf`],
//! [`OwnedWriteHalf`]), for reading in one task while writing in another.
//!
//! Both halves share the stream (an `Arc`); the read half is the stream's reader, the
//! write half its writer. Each direction keeps its own waiter, so the two tasks never
//! steal each other's wakeups.
//!
//! # Rules
//!
//! 1. The stream closes when both halves are dropped.
//! 2. Dropping (or closing) the write half shuts down the write direction: the peer
//!    reads EOF while this side can still read — asyncio's `writer.close()` plus
//!    `write_eof()`. The one exception is [`OwnedReadHalf::reunite`], which takes the
//!    write half back without shutting anything down.
//!
//! Any other duplex stream (a TLS stream) splits with [`crate::io::split`], which
//! needs a lock; these halves need none.

use crate::io::ReuniteError;
use crate::loom::Arc;
use futures_io::{AsyncRead, AsyncWrite};
use std::fmt;
use std::io::{self, IoSlice};
use std::pin::Pin;
use std::task::{Context, Poll};

use super::TcpStream;

/// A stream socket that can be split into owned halves: [`TcpStream`] and
/// [`UnixStream`](super::UnixStream). Sealed.
pub trait SplitStream: sealed::SharedIo + Sized {
    /// Splits the stream into its owned halves: [`TcpStream::into_split`] for code
    /// generic over the stream type.
    ///
    /// ```no_run
    /// use weft_io::net::{OwnedReadHalf, OwnedWriteHalf, SplitStream};
    ///
    /// fn halves<S: SplitStream>(stream: S) -> (OwnedReadHalf<S>, OwnedWriteHalf<S>) {
    ///     SplitStream::into_split(stream)
    /// }
    /// ```
    fn into_split(self) -> (OwnedReadHalf<Self>, OwnedWriteHalf<Self>) {
        split(self)
    }
}

/// The seal: shared-reference I/O, unnameable outside the crate.
pub(crate) mod sealed {
    use std::io::{self, IoSlice};
    use std::task::{Context, Poll};

    /// Reads and writes through `&self`: each direction has its own waiter slot, so a
    /// reader and a writer may share the stream.
    // `pub` only because a public trait's supertrait must be; the module is private.
    #[allow(unreachable_pub)]
    pub trait SharedIo: Send + Sync + 'static {
        /// `AsyncRead::poll_read` through a shared reference.
        fn poll_read_shared(&self, cx: &mut Context<'_>, buf: &mut [u8])
            -> Poll<io::Result<usize>>;
        /// `AsyncWrite::poll_write` through a shared reference.
        fn poll_write_shared(&self, cx: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>>;
        /// `AsyncWrite::poll_write_vectored` through a shared reference.
        fn poll_write_vectored_shared(
            &self,
            cx: &mut Context<'_>,
            bufs: &[IoSlice<'_>],
        ) -> Poll<io::Result<usize>>;
        /// Shuts down the write direction (`shutdown(SHUT_WR)`).
        fn shutdown_write(&self) -> io::Result<()>;
    }
}

/// Splits `stream` into its halves.
pub(crate) fn split<S: SplitStream>(stream: S) -> (OwnedReadHalf<S>, OwnedWriteHalf<S>) {
    let stream = Arc::new(stream);
    (
        OwnedReadHalf {
            stream: stream.clone(),
        },
        OwnedWriteHalf {
            stream,
            shutdown_on_drop: true,
        },
    )
}

/// The reading half of a stream, from [`TcpStream::into_split`] (or
/// [`UnixStream::into_split`](super::UnixStream::into_split)); asyncio's
/// `StreamReader` side. Implements [`AsyncRead`].
///
/// ```no_run
/// use weft_io::io::AsyncReadExt;
/// use weft_io::net::TcpStream;
///
/// # async fn demo() -> std::io::Result<()> {
/// let (mut reader, _writer) = TcpStream::connect("127.0.0.1:8080").await?.into_split();
/// let mut buf = [0; 1024];
/// let n = reader.read(&mut buf).await?;
/// # Ok(()) }
/// ```
pub struct OwnedReadHalf<S: SplitStream = TcpStream> {
    stream: Arc<S>,
}

/// The writing half of a stream, from [`TcpStream::into_split`] (or
/// [`UnixStream::into_split`](super::UnixStream::into_split)); asyncio's
/// `StreamWriter` side. Implements [`AsyncWrite`].
///
/// Dropping it, or [`close`](crate::io::AsyncWriteExt::close)-ing it, shuts down the
/// write direction: the peer reads EOF and the read half still reads.
///
/// ```no_run
/// use weft_io::io::AsyncWriteExt;
/// use weft_io::net::TcpStream;
///
/// # async fn demo() -> std::io::Result<()> {
/// let (_reader, mut writer) = TcpStream::connect("127.0.0.1:8080").await?.into_split();
/// writer.write_all(b"hello\n").await?;
/// writer.close().await?; // the peer reads EOF
/// # Ok(()) }
/// ```
pub struct OwnedWriteHalf<S: SplitStream = TcpStream> {
    stream: Arc<S>,
    /// Cleared only by [`OwnedReadHalf::reunite`] (rule 2).
    shutdown_on_drop: bool,
}

impl<S: SplitStream> OwnedReadHalf<S> {
    /// Whether `other` is the write half of the same stream.
    pub fn is_pair_of(&self, other: &OwnedWriteHalf<S>) -> bool {
        Arc::ptr_eq(&self.stream, &other.stream)
    }

    /// Puts the two halves of one stream back together, without shutting anything
    /// down, and returns the stream — to upgrade it to TLS, say.
    ///
    /// # Errors
    ///
    /// [`ReuniteError`] holding both halves, unchanged, when `other` belongs to another
    /// stream.
    ///
    /// ```no_run
    /// # async fn demo(stream: weft_io::net::TcpStream) {
    /// let (reader, writer) = stream.into_split();
    /// let stream = reader.reunite(writer).unwrap();
    /// # }
    /// ```
    pub fn reunite(
        self,
        mut other: OwnedWriteHalf<S>,
    ) -> Result<S, ReuniteError<OwnedReadHalf<S>, OwnedWriteHalf<S>>> {
        if !self.is_pair_of(&other) {
            return Err(ReuniteError(self, other));
        }
        other.shutdown_on_drop = false;
        drop(other);
        match Arc::try_unwrap(self.stream) {
            Ok(stream) => Ok(stream),
            // The two halves hold the only references, and both are gone but this one.
            Err(_) => unreachable!("a split socket is shared by its two halves only"),
        }
    }
}

impl<S: SplitStream> AsRef<S> for OwnedReadHalf<S> {
    /// The shared stream, for its addresses and options.
    fn as_ref(&self) -> &S {
        &self.stream
    }
}

impl<S: SplitStream> AsRef<S> for OwnedWriteHalf<S> {
    /// The shared stream, for its addresses and options.
    fn as_ref(&self) -> &S {
        &self.stream
    }
}

impl<S: SplitStream> AsyncRead for OwnedReadHalf<S> {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut [u8],
    ) -> Poll<io::Result<usize>> {
        self.stream.poll_read_shared(cx, buf)
    }
}

impl<S: SplitStream> AsyncWrite for OwnedWriteHalf<S> {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        self.stream.poll_write_shared(cx, buf)
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        self.stream.poll_write_vectored_shared(cx, bufs)
    }

    /// Nothing is buffered: always ready.
    fn poll_flush(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Poll::Ready(Ok(()))
    }

    /// Shuts down the write direction (rule 2).
    fn poll_close(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Poll::Ready(self.stream.shutdown_write())
    }
}

impl<S: SplitStream> Drop for OwnedWriteHalf<S> {
    fn drop(&mut self) {
        // Rule 2. Errors (already shut, peer gone, runtime gone) leave nothing to do.
        if self.shutdown_on_drop {
            let _ = self.stream.shutdown_write();
        }
    }
}

impl<S: SplitStream + fmt::Debug> fmt::Debug for OwnedReadHalf<S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("OwnedReadHalf").field(&self.stream).finish()
    }
}

impl<S: SplitStream + fmt::Debug> fmt::Debug for OwnedWriteHalf<S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("OwnedWriteHalf").field(&self.stream).finish()
    }
}

/// Implements the stream-socket traits for a type whose `io` field is an
/// `Evented` stream socket: the seal ([`sealed::SharedIo`]), [`SplitStream`],
/// [`AsyncRead`] and [`AsyncWrite`]. One definition for TCP and Unix streams.
macro_rules! stream_socket {
    ($stream:ty) => {
        impl $crate::net::split::sealed::SharedIo for $stream {
            fn poll_read_shared(
                &self,
                cx: &mut ::std::task::Context<'_>,
                buf: &mut [u8],
            ) -> ::std::task::Poll<::std::io::Result<usize>> {
                self.io.poll_read(cx, buf)
            }

            fn poll_write_shared(
                &self,
                cx: &mut ::std::task::Context<'_>,
                buf: &[u8],
            ) -> ::std::task::Poll<::std::io::Result<usize>> {
                self.io.poll_write(cx, buf)
            }

            fn poll_write_vectored_shared(
                &self,
                cx: &mut ::std::task::Context<'_>,
                bufs: &[::std::io::IoSlice<'_>],
            ) -> ::std::task::Poll<::std::io::Result<usize>> {
                self.io.poll_write_vectored(cx, bufs)
            }

            fn shutdown_write(&self) -> ::std::io::Result<()> {
                self.io
                    .try_io(|io| io.shutdown(::std::net::Shutdown::Write))
            }
        }

        impl $crate::net::split::SplitStream for $stream {}

        impl ::futures_io::AsyncRead for $stream {
            fn poll_read(
                self: ::std::pin::Pin<&mut Self>,
                cx: &mut ::std::task::Context<'_>,
                buf: &mut [u8],
            ) -> ::std::task::Poll<::std::io::Result<usize>> {
                self.io.poll_read(cx, buf)
            }
        }

        impl ::futures_io::AsyncWrite for $stream {
            fn poll_write(
                self: ::std::pin::Pin<&mut Self>,
                cx: &mut ::std::task::Context<'_>,
                buf: &[u8],
            ) -> ::std::task::Poll<::std::io::Result<usize>> {
                self.io.poll_write(cx, buf)
            }

            fn poll_write_vectored(
                self: ::std::pin::Pin<&mut Self>,
                cx: &mut ::std::task::Context<'_>,
                bufs: &[::std::io::IoSlice<'_>],
            ) -> ::std::task::Poll<::std::io::Result<usize>> {
                self.io.poll_write_vectored(cx, bufs)
            }

            /// Nothing is buffered: always ready.
            fn poll_flush(
                self: ::std::pin::Pin<&mut Self>,
                _cx: &mut ::std::task::Context<'_>,
            ) -> ::std::task::Poll<::std::io::Result<()>> {
                ::std::task::Poll::Ready(Ok(()))
            }

            /// Shuts down the write direction: the peer reads EOF, this side can still
            /// read.
            fn poll_close(
                self: ::std::pin::Pin<&mut Self>,
                _cx: &mut ::std::task::Context<'_>,
            ) -> ::std::task::Poll<::std::io::Result<()>> {
                use $crate::net::split::sealed::SharedIo as _;
                ::std::task::Poll::Ready(self.shutdown_write())
            }
        }
    };
}
