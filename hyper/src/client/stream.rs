//! [`MaybeHttpsStream`]: a connection the client's [`Connector`](super::Connector)
//! opened — plain TCP, or (feature `tls`) TLS over TCP.

use futures_io::{AsyncRead, AsyncWrite};
use hyper_util::client::legacy::connect::{Connected, Connection};
use std::fmt;
use std::io::{self, IoSlice};
use std::pin::Pin;
use std::task::{Context, Poll};
use weft::net::TcpStream;

use crate::rt::WeftIo;

/// A connection opened by [`Connector`](super::Connector): plain TCP for `http`
/// URLs; with the `tls` feature, TLS over TCP for `https` ones. One type for both, so
/// the pooled client's type is the same in every build.
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

/// The transports a connection can have.
enum Transport {
    Tcp(TcpStream),
    /// Boxed: a TLS session is large, and the stream moves into hyper's connection.
    #[cfg(feature = "tls")]
    Tls(Box<weft::net::tls::TlsStream<TcpStream>>),
}

impl MaybeHttpsStream {
    pub(crate) fn from_tcp(stream: TcpStream) -> MaybeHttpsStream {
        MaybeHttpsStream {
            transport: Transport::Tcp(stream),
        }
    }

    #[cfg(feature = "tls")]
    pub(crate) fn from_tls(stream: weft::net::tls::TlsStream<TcpStream>) -> MaybeHttpsStream {
        MaybeHttpsStream {
            transport: Transport::Tls(Box::new(stream)),
        }
    }

    /// `true` if the server chose HTTP/2 in the TLS handshake (ALPN `h2`).
    fn negotiated_h2(&self) -> bool {
        match &self.transport {
            Transport::Tcp(_) => false,
            #[cfg(feature = "tls")]
            Transport::Tls(tls) => tls.alpn_protocol() == Some(b"h2"),
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
            #[cfg(feature = "tls")]
            Transport::Tls(_) => true,
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
            #[cfg(feature = "tls")]
            Transport::Tls(tls) => tls.get_ref(),
        }
    }

    /// The stream to read and write: the socket, or the TLS session over it.
    fn io(self: Pin<&mut Self>) -> Pin<&mut (dyn Duplex + '_)> {
        match &mut self.get_mut().transport {
            Transport::Tcp(stream) => Pin::new(stream),
            #[cfg(feature = "tls")]
            Transport::Tls(tls) => Pin::new(&mut **tls),
        }
    }
}

/// What both transports are: a futures-io stream.
trait Duplex: AsyncRead + AsyncWrite + Unpin {}

impl<T: AsyncRead + AsyncWrite + Unpin> Duplex for T {}

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
        if self.inner().negotiated_h2() {
            Connected::new().negotiated_h2()
        } else {
            Connected::new()
        }
    }
}

impl fmt::Debug for MaybeHttpsStream {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.transport {
            Transport::Tcp(stream) => f
                .debug_tuple("MaybeHttpsStream::Tcp")
                .field(stream)
                .finish(),
            #[cfg(feature = "tls")]
            Transport::Tls(tls) => f.debug_tuple("MaybeHttpsStream::Tls").field(tls).finish(),
        }
    }
}
