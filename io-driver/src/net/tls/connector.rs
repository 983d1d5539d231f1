//! [`TlsConnector`]: the client side of TLS, with the server's name checked.

use super::rustls::pki_types::ServerName;
use super::rustls::ClientConfig;
use super::{plaintext_stream, webpki_client_config, Handshake};
use crate::io::BufReader;
use crate::net::{OwnedReadHalf, OwnedWriteHalf, SplitStream};
use futures_io::{AsyncRead, AsyncWrite};
use std::io;
use std::sync::Arc;

/// Runs the client side of TLS handshakes with one [`ClientConfig`] (asyncio's client
/// `SSLContext`). Cheap to clone: clones share the configuration, and with it the
/// session cache that resumes later connections.
///
/// ```
/// use std::sync::Arc;
/// use weft_io::net::tls::rustls::{ClientConfig, RootCertStore};
/// use weft_io::net::tls::TlsConnector;
///
/// // Trust a private CA only (add it with `roots.add(ca_certificate)`).
/// let roots = RootCertStore::empty();
/// let config = ClientConfig::builder().with_root_certificates(roots).with_no_client_auth();
/// let connector = TlsConnector::new(Arc::new(config));
/// ```
#[derive(Clone, Debug)]
pub struct TlsConnector {
    config: Arc<ClientConfig>,
}

impl TlsConnector {
    /// A connector with `config`: its roots decide which servers are trusted, its
    /// `alpn_protocols` what is offered.
    pub fn new(config: Arc<ClientConfig>) -> TlsConnector {
        TlsConnector { config }
    }

    /// A connector that trusts the Web PKI (see [`webpki_client_config`]): what
    /// `ssl.create_default_context()` gives an asyncio client.
    ///
    /// # Errors
    ///
    /// As [`webpki_client_config`].
    ///
    /// ```
    /// let connector = weft_io::net::tls::TlsConnector::with_webpki_roots()?;
    /// # std::io::Result::Ok(())
    /// ```
    pub fn with_webpki_roots() -> io::Result<TlsConnector> {
        Ok(TlsConnector::new(Arc::new(webpki_client_config()?)))
    }

    /// The configuration it connects with.
    pub fn config(&self) -> &Arc<ClientConfig> {
        &self.config
    }

    /// Runs the client handshake over the connected `stream` and checks that the
    /// server's certificate chains to a trusted root and is valid for `server_name` (a
    /// DNS name, or an IP address for a certificate issued to one); `server_name` is
    /// also sent as SNI. This is asyncio's `loop.start_tls(.., server_hostname=..)`
    /// upgrade, for any stream.
    ///
    /// # Errors
    ///
    /// `InvalidInput` for a `server_name` that is neither a DNS name nor an IP
    /// address; a handshake failure (module rule 1) — an untrusted, misnamed or expired
    /// certificate, an alert from the server; `UnexpectedEof` when the server closes
    /// during the handshake; the stream's own errors.
    ///
    /// # Cancel safety
    ///
    /// Dropping the future abandons the handshake and drops (closes) the stream.
    ///
    /// ```no_run
    /// use weft_io::net::tls::TlsConnector;
    /// use weft_io::net::TcpStream;
    ///
    /// # async fn demo(connector: TlsConnector) -> std::io::Result<()> {
    /// let tcp = TcpStream::connect(("example.com", 443)).await?;
    /// let tls = connector.connect("example.com", tcp).await?;
    /// # Ok(()) }
    /// ```
    pub fn connect<S>(&self, server_name: &str, stream: S) -> Handshake<S>
    where
        S: AsyncRead + AsyncWrite + Unpin,
    {
        match ServerName::try_from(server_name) {
            Ok(name) => Handshake::client(
                futures_rustls::TlsConnector::from(self.config.clone())
                    .connect(name.to_owned(), stream),
            ),
            Err(err) => Handshake::failed(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!("invalid TLS server name {server_name:?}: {err}"),
            )),
        }
    }

    /// asyncio's `writer.start_tls(ctx, server_hostname=..)`: upgrades the plaintext
    /// pair of a connection — from [`open_connection`](crate::net::open_connection), or
    /// a [`TcpStream`](crate::net::TcpStream)'s `into_split` — to TLS, as
    /// [`connect`](TlsConnector::connect) does a whole stream. Split the result again
    /// with [`split`](crate::io::split) for a new pair.
    ///
    /// # Errors
    ///
    /// As [`connect`](TlsConnector::connect); and, before any handshake,
    /// `InvalidData` when `reader` has bytes buffered (module rule 5) and
    /// `InvalidInput` when the two halves belong to different connections (both are
    /// dropped then).
    ///
    /// # Cancel safety
    ///
    /// As [`connect`](TlsConnector::connect).
    ///
    /// ```no_run
    /// use weft_io::io::{split, AsyncWriteExt, BufReader};
    /// use weft_io::net::tls::TlsConnector;
    ///
    /// # async fn demo(connector: TlsConnector) -> std::io::Result<()> {
    /// let (mut reader, mut writer) = weft_io::net::open_connection("mail.example.com:587").await?;
    /// let mut line = String::new();
    /// reader.read_line(&mut line).await?; // the greeting
    /// writer.write_all(b"STARTTLS\r\n").await?;
    /// line.clear();
    /// reader.read_line(&mut line).await?; // "220 ready"
    /// let tls = connector.start_tls("mail.example.com", reader, writer).await?;
    /// let (reader, writer) = split(tls);
    /// let reader = BufReader::new(reader);
    /// # Ok(()) }
    /// ```
    pub fn start_tls<S>(
        &self,
        server_name: &str,
        reader: BufReader<OwnedReadHalf<S>>,
        writer: OwnedWriteHalf<S>,
    ) -> Handshake<S>
    where
        S: SplitStream + AsyncRead + AsyncWrite + Unpin,
    {
        match plaintext_stream(reader, writer) {
            Ok(stream) => self.connect(server_name, stream),
            Err(err) => Handshake::failed(err),
        }
    }
}

impl From<Arc<ClientConfig>> for TlsConnector {
    fn from(config: Arc<ClientConfig>) -> TlsConnector {
        TlsConnector::new(config)
    }
}
