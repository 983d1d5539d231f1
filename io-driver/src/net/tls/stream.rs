//! [`TlsStream`]: a stream after its TLS handshake, client or server side.

use super::rustls::CommonState;
use futures_io::{AsyncRead, AsyncWrite};
use std::fmt;
use std::io::{self, IoSlice};
use std::pin::Pin;
use std::task::{Context, Poll};

/// A stream `S` (a [`TcpStream`](crate::net::TcpStream) by default) after its TLS
/// handshake, on either side: what [`TlsConnector::connect`](super::TlsConnector::connect)
/// and [`TlsAcceptor::accept`](super::TlsAcceptor::accept) return.
///
/// Implements [`AsyncRead`] and [`AsyncWrite`]: read and write plaintext with the
/// [`io`](crate::io) extension traits, wrap it in a [`BufReader`](crate::io::BufReader),
/// or [`split`](crate::io::split) it into a reader and a writer for two tasks. Flush
/// after writing before waiting for an answer, and close it to end the connection
/// cleanly (`close_notify`); see the [module rules](super).
///
/// ```no_run
/// use weft_io::io::{AsyncReadExt, AsyncWriteExt};
/// use weft_io::net::tls::TlsConnector;
/// use weft_io::net::TcpStream;
///
/// # async fn demo() -> std::io::Result<()> {
/// let connector = TlsConnector::with_webpki_roots()?;
/// let tcp = TcpStream::connect(("example.com", 443)).await?;
/// let mut tls = connector.connect("example.com", tcp).await?;
/// tls.write_all(b"GET / HTTP/1.1\r\nHost: example.com\r\nConnection: close\r\n\r\n").await?;
/// tls.flush().await?;
/// let mut page = Vec::new();
/// tls.read_to_end(&mut page).await?;
/// # Ok(()) }
/// ```
pub struct TlsStream<S = crate::net::TcpStream> {
    inner: futures_rustls::TlsStream<S>,
}

impl<S> TlsStream<S> {
    pub(super) fn new(inner: futures_rustls::TlsStream<S>) -> TlsStream<S> {
        TlsStream { inner }
    }

    /// The stream under the TLS session, for its addresses and options. Reading or
    /// writing it directly corrupts the session.
    pub fn get_ref(&self) -> &S {
        self.inner.get_ref().0
    }

    /// The stream under the TLS session, mutably (for options that need `&mut`).
    /// Reading or writing it directly corrupts the session.
    pub fn get_mut(&mut self) -> &mut S {
        self.inner.get_mut().0
    }

    /// The TLS session's negotiated state: protocol version, cipher suite, the peer's
    /// certificates, ALPN (asyncio's `get_extra_info("ssl_object")`).
    ///
    /// ```no_run
    /// # fn demo(tls: weft_io::net::tls::TlsStream) {
    /// let version = tls.session().protocol_version();
    /// let peer_chain = tls.session().peer_certificates();
    /// # }
    /// ```
    pub fn session(&self) -> &CommonState {
        self.inner.get_ref().1
    }

    /// The application protocol both sides agreed on through ALPN (`b"h2"`,
    /// `b"http/1.1"`), if any.
    pub fn alpn_protocol(&self) -> Option<&[u8]> {
        self.session().alpn_protocol()
    }

    /// On the server side, the host name the client asked for (SNI); `None` on the
    /// client side or when the client sent none.
    pub fn sni_hostname(&self) -> Option<&str> {
        match &self.inner {
            futures_rustls::TlsStream::Server(server) => server.get_ref().1.server_name(),
            futures_rustls::TlsStream::Client(_) => None,
        }
    }

    /// Whether this is the server side of the connection.
    pub fn is_server(&self) -> bool {
        matches!(self.inner, futures_rustls::TlsStream::Server(_))
    }
}

impl<S: AsyncRead + AsyncWrite + Unpin> AsyncRead for TlsStream<S> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut [u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.inner).poll_read(cx, buf)
    }
}

impl<S: AsyncRead + AsyncWrite + Unpin> AsyncWrite for TlsStream<S> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.inner).poll_write(cx, buf)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.inner).poll_write_vectored(cx, bufs)
    }

    /// Sends every record the session holds, then flushes the stream (rule 3).
    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    /// Sends `close_notify`, then closes the stream's write direction (rule 4).
    fn poll_close(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_close(cx)
    }
}

impl<S: fmt::Debug> fmt::Debug for TlsStream<S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let session = self.session();
        f.debug_struct("TlsStream")
            .field("stream", self.get_ref())
            .field("server", &self.is_server())
            .field("protocol_version", &session.protocol_version())
            .field(
                "alpn_protocol",
                &session.alpn_protocol().map(String::from_utf8_lossy),
            )
            .finish_non_exhaustive()
    }
}
