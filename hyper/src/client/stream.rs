//! [`MaybeHttpsStream`]: a connection the client's [`Connector`](super::Connector)
//! opened — plain TCP now; TLS over TCP where weft's `tls` feature is on.

use futures_io::{AsyncRead, AsyncWrite};
use hyper_util::client::legacy::connect::{Connected, Connection};
use std::fmt;
use std::io::{self, IoSlice};
use std::pin::Pin;
use std::task::{Context, Poll};
use weft::net::TcpStream;

use crate::rt::WeftIo;

/// A connection opened by [`Connector`](super::Connector): plain TCP for `http`
/// URLs; with TLS (weft's `tls` feature), TLS over TCP for `https` ones. One type for
/// both, so the pooled client's type is the same in every build.
///
/// ```
/// # fn demo(stream: &weft_hyper::client::MaybeHttpsStream) -> std::io::Result<()> {
/// println!("{} -> {}", stream.tcp().local_addr()?, stream.tcp().peer_addr()?);
/// assert!(!stream.is_https());
/// # Ok(()) }
/// ```
pub struct MaybeHttpsStream {
    transport: Transport,
}

/// The transports a connection can have (TLS joins here).
enum Transport {
    Tcp(TcpStream),
}

impl MaybeHttpsStream {
    pub(crate) fn from_tcp(stream: TcpStream) -> MaybeHttpsStream {
        MaybeHttpsStream {
            transport: Transport::Tcp(stream),
        }
    }

    /// `true` for a TLS connection.
    ///
    /// ```
    /// # fn demo(stream: &weft_hyper::client::MaybeHttpsStream) -> std::io::Result<()> {
    /// let scheme = if stream.is_https() { "https" } else { "http" };
    /// println!("{scheme} to {}", stream.tcp().peer_addr()?);
    /// # Ok(()) }
    /// ```
    pub fn is_https(&self) -> bool {
        match self.transport {
            Transport::Tcp(_) => false,
        }
    }

    /// The TCP socket underneath, for its addresses and options.
    ///
    /// ```
    /// # fn demo(stream: &weft_hyper::client::MaybeHttpsStream) -> std::io::Result<()> {
    /// let scheme = if stream.is_https() { "https" } else { "http" };
    /// println!("{scheme} to {}", stream.tcp().peer_addr()?);
    /// # Ok(()) }
    /// ```
    pub fn tcp(&self) -> &TcpStream {
        match &self.transport {
            Transport::Tcp(stream) => stream,
        }
    }

    fn io(self: Pin<&mut Self>) -> Pin<&mut TcpStream> {
        match &mut self.get_mut().transport {
            Transport::Tcp(stream) => Pin::new(stream),
        }
    }
}

impl AsyncRead for MaybeHttpsStream {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut [u8],
    ) -> Poll<io::Result<usize>> {
        self.io().poll_read(cx, buf)
    }
}

impl AsyncWrite for MaybeHttpsStream {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        self.io().poll_write(cx, buf)
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        self.io().poll_write_vectored(cx, bufs)
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        self.io().poll_flush(cx)
    }

    fn poll_close(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        self.io().poll_close(cx)
    }
}

impl Connection for WeftIo<MaybeHttpsStream> {
    fn connected(&self) -> Connected {
        Connected::new()
    }
}

impl fmt::Debug for MaybeHttpsStream {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.transport {
            Transport::Tcp(stream) => f
                .debug_tuple("MaybeHttpsStream::Tcp")
                .field(stream)
                .finish(),
        }
    }
}
