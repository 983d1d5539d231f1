//! [`TlsAcceptor`]: the server side of TLS.

use super::rustls::ServerConfig;
use super::{plaintext_stream, Handshake};
use crate::io::BufReader;
use crate::net::{OwnedReadHalf, OwnedWriteHalf, SplitStream};
use futures_io::{AsyncRead, AsyncWrite};
use std::sync::Arc;

/// Runs the server side of TLS handshakes with one [`ServerConfig`] (asyncio's server
/// `SSLContext`: the certificate chain and its key). Cheap to clone.
///
/// ```no_run
/// use std::sync::Arc;
/// use weft_io::net::tls::rustls::pki_types::pem::PemObject;
/// use weft_io::net::tls::rustls::pki_types::{CertificateDer, PrivateKeyDer};
/// use weft_io::net::tls::rustls::ServerConfig;
/// use weft_io::net::tls::TlsAcceptor;
///
/// # fn demo() -> Result<(), Box<dyn std::error::Error>> {
/// // asyncio: ctx.load_cert_chain("cert.pem", "key.pem")
/// let chain = CertificateDer::pem_file_iter("cert.pem")?.collect::<Result<Vec<_>, _>>()?;
/// let key = PrivateKeyDer::from_pem_file("key.pem")?;
/// let config = ServerConfig::builder().with_no_client_auth().with_single_cert(chain, key)?;
/// let acceptor = TlsAcceptor::new(Arc::new(config));
/// # Ok(()) }
/// ```
#[derive(Clone, Debug)]
pub struct TlsAcceptor {
    config: Arc<ServerConfig>,
}

impl TlsAcceptor {
    /// An acceptor with `config`.
    pub fn new(config: Arc<ServerConfig>) -> TlsAcceptor {
        TlsAcceptor { config }
    }

    /// The configuration it accepts with.
    pub fn config(&self) -> &Arc<ServerConfig> {
        &self.config
    }

    /// Runs the server handshake over the accepted `stream` (asyncio's
    /// `loop.start_tls(.., server_side=True)`, for any stream).
    ///
    /// # Errors
    ///
    /// A handshake failure (module rule 1): the alert of a client that rejected the
    /// certificate, a client that speaks no TLS; `UnexpectedEof` when the client closes
    /// during the handshake; the stream's own errors.
    ///
    /// # Cancel safety
    ///
    /// Dropping the future abandons the handshake and drops (closes) the stream.
    ///
    /// ```no_run
    /// use weft_io::net::tls::TlsAcceptor;
    /// use weft_io::net::TcpListener;
    ///
    /// # async fn demo(acceptor: TlsAcceptor) -> std::io::Result<()> {
    /// let listener = TcpListener::bind("127.0.0.1:8443").await?;
    /// let (tcp, _peer) = listener.accept().await?;
    /// let tls = acceptor.accept(tcp).await?;
    /// # Ok(()) }
    /// ```
    pub fn accept<S>(&self, stream: S) -> Handshake<S>
    where
        S: AsyncRead + AsyncWrite + Unpin,
    {
        Handshake::server(futures_rustls::TlsAcceptor::from(self.config.clone()).accept(stream))
    }

    /// asyncio's `writer.start_tls(ctx)` on the server side: upgrades the plaintext
    /// pair a `start_server` handler got (or a stream's `into_split`) to TLS, as
    /// [`accept`](TlsAcceptor::accept) does a whole stream.
    ///
    /// # Errors
    ///
    /// As [`accept`](TlsAcceptor::accept); and, before any handshake, `InvalidData`
    /// when `reader` has bytes buffered (module rule 5: a client that sent its TLS
    /// hello before the server's go-ahead) and `InvalidInput` when the two halves
    /// belong to different connections (both are dropped then).
    ///
    /// # Cancel safety
    ///
    /// As [`accept`](TlsAcceptor::accept).
    ///
    /// ```no_run
    /// use weft_io::io::{split, AsyncWriteExt, BufReader};
    /// use weft_io::net::tls::TlsAcceptor;
    /// use weft_io::net::{OwnedReadHalf, OwnedWriteHalf};
    ///
    /// # async fn demo(acceptor: TlsAcceptor, mut reader: BufReader<OwnedReadHalf>, mut writer: OwnedWriteHalf) -> std::io::Result<()> {
    /// let mut line = String::new();
    /// reader.read_line(&mut line).await?; // "STARTTLS"
    /// writer.write_all(b"220 ready\r\n").await?;
    /// let tls = acceptor.start_tls(reader, writer).await?;
    /// let (reader, writer) = split(tls);
    /// # Ok(()) }
    /// ```
    pub fn start_tls<S>(
        &self,
        reader: BufReader<OwnedReadHalf<S>>,
        writer: OwnedWriteHalf<S>,
    ) -> Handshake<S>
    where
        S: SplitStream + AsyncRead + AsyncWrite + Unpin,
    {
        match plaintext_stream(reader, writer) {
            Ok(stream) => self.accept(stream),
            Err(err) => Handshake::failed(err),
        }
    }
}

impl From<Arc<ServerConfig>> for TlsAcceptor {
    fn from(config: Arc<ServerConfig>) -> TlsAcceptor {
        TlsAcceptor::new(config)
    }
}
