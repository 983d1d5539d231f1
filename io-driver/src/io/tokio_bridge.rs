//! The tokio bridge (feature `tokio-io`): tokio's [`AsyncRead`](tokio::io::AsyncRead)
//! and [`AsyncWrite`](tokio::io::AsyncWrite) on weft's streams, next to the futures-io
//! traits they already implement, so crates written against tokio's traits —
//! tokio-util's codecs, tokio-rustls, hyper-util's `TokioIo` — take weft streams.
//!
//! Only the traits come from tokio (no runtime, no reactor, no default features): the
//! streams stay driven by weft's reactor. Each impl forwards to the stream's
//! futures-io impl, so the two traits never disagree.
//!
//! # Rules
//!
//! 1. A tokio read fills the unfilled part of tokio's `ReadBuf`, initialising it
//!    first where tokio has not (a read never sees uninitialised memory), and
//!    advances it by the count read; 0 is EOF, as with futures-io.
//! 2. `poll_shutdown` is futures-io's `poll_close`: a socket (or its write half) shuts
//!    its write direction, a TLS stream sends `close_notify` first.
//! 3. `is_write_vectored` is `true` where the futures-io `poll_write_vectored` really
//!    writes several buffers in one call (sockets, their halves, TLS streams), `false`
//!    for a generic [`WriteHalf`], which cannot know.
//!
//! Types that implement both traits make the extension methods ambiguous if both
//! extension traits are imported (`weft::io::AsyncReadExt` and
//! `tokio::io::AsyncReadExt`): import the one you mean in each module.

use super::{BufReader, ReadHalf, WriteHalf};
use crate::net::{OwnedReadHalf, OwnedWriteHalf, SplitStream, TcpStream, UnixStream};
use std::io::{self, IoSlice};
use std::pin::Pin;
use std::task::{ready, Context, Poll};

/// A tokio read through a futures-io read (rule 1).
fn poll_read_into<R: futures_io::AsyncRead + ?Sized>(
    reader: Pin<&mut R>,
    cx: &mut Context<'_>,
    buf: &mut tokio::io::ReadBuf<'_>,
) -> Poll<io::Result<()>> {
    let n = ready!(reader.poll_read(cx, buf.initialize_unfilled()))?;
    buf.advance(n);
    Poll::Ready(Ok(()))
}

/// Implements tokio's `AsyncRead` for each `[generics] Type` through its futures-io
/// `AsyncRead`.
macro_rules! tokio_read {
    ($([$($generics:tt)*] $reader:ty;)*) => {$(
        impl<$($generics)*> tokio::io::AsyncRead for $reader {
            fn poll_read(
                self: Pin<&mut Self>,
                cx: &mut Context<'_>,
                buf: &mut tokio::io::ReadBuf<'_>,
            ) -> Poll<io::Result<()>> {
                poll_read_into(self, cx, buf)
            }
        }
    )*};
}

/// Implements tokio's `AsyncWrite` for each `[generics] Type (vectored)` through its
/// futures-io `AsyncWrite`; `vectored` is `is_write_vectored` (rule 3).
macro_rules! tokio_write {
    ($([$($generics:tt)*] $writer:ty, vectored: $vectored:literal;)*) => {$(
        impl<$($generics)*> tokio::io::AsyncWrite for $writer {
            fn poll_write(
                self: Pin<&mut Self>,
                cx: &mut Context<'_>,
                buf: &[u8],
            ) -> Poll<io::Result<usize>> {
                futures_io::AsyncWrite::poll_write(self, cx, buf)
            }

            fn poll_write_vectored(
                self: Pin<&mut Self>,
                cx: &mut Context<'_>,
                bufs: &[IoSlice<'_>],
            ) -> Poll<io::Result<usize>> {
                futures_io::AsyncWrite::poll_write_vectored(self, cx, bufs)
            }

            fn is_write_vectored(&self) -> bool {
                $vectored
            }

            fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
                futures_io::AsyncWrite::poll_flush(self, cx)
            }

            /// Rule 2.
            fn poll_shutdown(
                self: Pin<&mut Self>,
                cx: &mut Context<'_>,
            ) -> Poll<io::Result<()>> {
                futures_io::AsyncWrite::poll_close(self, cx)
            }
        }
    )*};
}

tokio_read! {
    [] TcpStream;
    [] UnixStream;
    [S: SplitStream] OwnedReadHalf<S>;
    [T: futures_io::AsyncRead + Unpin] ReadHalf<T>;
    [R: futures_io::AsyncRead + Unpin] BufReader<R>;
}

tokio_write! {
    [] TcpStream, vectored: true;
    [] UnixStream, vectored: true;
    [S: SplitStream] OwnedWriteHalf<S>, vectored: true;
    [T: futures_io::AsyncWrite + Unpin] WriteHalf<T>, vectored: false;
}

#[cfg(feature = "tls")]
mod tls {
    use super::*;
    use crate::net::tls::TlsStream;
    use futures_io::{AsyncRead, AsyncWrite};

    tokio_read! {
        [S: AsyncRead + AsyncWrite + Unpin] TlsStream<S>;
    }

    tokio_write! {
        [S: AsyncRead + AsyncWrite + Unpin] TlsStream<S>, vectored: true;
    }
}

impl<R: futures_io::AsyncRead + Unpin> tokio::io::AsyncBufRead for BufReader<R> {
    fn poll_fill_buf(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<&[u8]>> {
        futures_io::AsyncBufRead::poll_fill_buf(self, cx)
    }

    fn consume(self: Pin<&mut Self>, amt: usize) {
        futures_io::AsyncBufRead::consume(self, amt)
    }
}
