//! [`Connector`]: how the pooled client opens connections — weft's TCP, names resolved
//! off the worker thread, under a connect timeout (hyper-util's `HttpConnector`).
//!
//! # Rules
//!
//! 1. **A worker never waits on DNS.** A host name goes to `weft::net::TcpStream::
//!    connect`, which resolves it on a resolver thread and tries each address in turn;
//!    an IP literal is parsed in place.
//! 2. **The connect timeout covers the whole attempt**: the lookup and every address
//!    tried. When it runs out, the attempt is dropped (its socket closed) and the
//!    error says which host and how long.
//! 3. **The scheme decides the transport.** `http` is plain TCP; `https` is TLS over
//!    TCP (feature `tls`; without it, refused with an error saying so), the server's
//!    certificate checked against the host name, HTTP/2 offered by ALPN. The response
//!    type, [`MaybeHttpsStream`], is the same either way, so the client's type does
//!    not change with the feature.
//! 4. **The connect timeout covers the TLS handshake too**: a server that accepts the
//!    TCP connection and never answers the handshake times out like one that never
//!    accepts.

use super::stream::MaybeHttpsStream;
use crate::rt::WeftIo;
use http::Uri;
use std::error::Error;
use std::fmt;
use std::future::Future;
use std::io;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;
use weft::net::TcpStream;

/// The default connect timeout.
const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(30);

/// Opens the pooled client's connections: a tower `Service<Uri>`, as hyper-util's
/// legacy `Client` takes them (hyper-util's `HttpConnector`, on weft).
///
/// Defaults: `TCP_NODELAY` on, a 30 s connect timeout covering the name lookup and
/// every address tried.
///
/// ```
/// use std::time::Duration;
/// use weft_hyper::client::{self, Connector};
///
/// let connector = Connector::new().connect_timeout(Duration::from_secs(3));
/// let hyper_client: client::HyperClient = client::builder().build(connector);
/// let client = weft_hyper::Client::from(hyper_client);
/// # drop(client);
/// ```
#[derive(Clone, Debug)]
pub struct Connector {
    connect_timeout: Option<Duration>,
    nodelay: bool,
    /// How `https` connections are made (rule 3); the error if the default could
    /// not be built, reported by every `https` connect.
    #[cfg(feature = "tls")]
    tls: Result<weft::net::tls::TlsConnector, std::sync::Arc<io::Error>>,
}

impl Connector {
    /// A connector with the defaults; with the `tls` feature, `https` trusts the Web
    /// PKI's roots (weft's `webpki_client_config`) and offers HTTP/2 and HTTP/1.1 by
    /// ALPN.
    ///
    /// ```
    /// let client = weft_hyper::Client::from(
    ///     weft_hyper::client::builder().build(weft_hyper::client::Connector::new()),
    /// );
    /// # drop(client);
    /// ```
    pub fn new() -> Connector {
        Connector {
            connect_timeout: Some(DEFAULT_CONNECT_TIMEOUT),
            nodelay: true,
            #[cfg(feature = "tls")]
            tls: default_tls().map_err(std::sync::Arc::new),
        }
    }

    /// How `https` connections are made (feature `tls`): a
    /// [`TlsConnector`](weft::net::tls::TlsConnector) with the roots to trust — a
    /// private CA, say. Put `h2` (and `http/1.1`) in its configuration's
    /// `alpn_protocols` for HTTP/2 to be negotiated.
    ///
    /// ```
    /// use std::sync::Arc;
    /// use weft::net::tls::rustls::{ClientConfig, RootCertStore};
    /// use weft::net::tls::TlsConnector;
    ///
    /// let roots = RootCertStore::empty(); // `roots.add(your_ca)`
    /// let mut config = ClientConfig::builder().with_root_certificates(roots).with_no_client_auth();
    /// config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    /// let connector = weft_hyper::client::Connector::new().tls(TlsConnector::new(Arc::new(config)));
    /// # drop(connector);
    /// ```
    #[cfg(feature = "tls")]
    pub fn tls(mut self, tls: weft::net::tls::TlsConnector) -> Connector {
        self.tls = Ok(tls);
        self
    }

    /// How long a connection attempt may take, name lookup included; `None` waits as
    /// long as the OS does (minutes, for a host that never answers).
    ///
    /// ```
    /// let connector = weft_hyper::client::Connector::new().connect_timeout(None);
    /// # drop(connector);
    /// ```
    pub fn connect_timeout(mut self, timeout: impl Into<Option<Duration>>) -> Connector {
        self.connect_timeout = timeout.into();
        self
    }

    /// Whether connections get `TCP_NODELAY` (default `true`).
    ///
    /// ```
    /// let connector = weft_hyper::client::Connector::new().nodelay(false);
    /// # drop(connector);
    /// ```
    pub fn nodelay(mut self, nodelay: bool) -> Connector {
        self.nodelay = nodelay;
        self
    }
}

impl Default for Connector {
    fn default() -> Connector {
        Connector::new()
    }
}

impl tower_service::Service<Uri> for Connector {
    type Response = WeftIo<MaybeHttpsStream>;
    type Error = ConnectError;
    type Future = Connecting;

    fn poll_ready(&mut self, _cx: &mut Context<'_>) -> Poll<Result<(), ConnectError>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, uri: Uri) -> Connecting {
        Connecting(Box::pin(connect(uri, self.clone())))
    }
}

/// The future of one connection attempt, from [`Connector`].
///
/// # Cancel safety
///
/// Dropping it abandons the attempt and closes its socket (a lookup in progress
/// finishes on its thread and is thrown away).
#[must_use = "futures do nothing unless awaited"]
pub struct Connecting(
    Pin<Box<dyn Future<Output = Result<WeftIo<MaybeHttpsStream>, ConnectError>> + Send>>,
);

impl Future for Connecting {
    type Output = Result<WeftIo<MaybeHttpsStream>, ConnectError>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        self.0.as_mut().poll(cx)
    }
}

impl fmt::Debug for Connecting {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Connecting").finish_non_exhaustive()
    }
}

/// Connects to `uri`'s host and port (rules 1-4).
async fn connect(uri: Uri, connector: Connector) -> Result<WeftIo<MaybeHttpsStream>, ConnectError> {
    let (scheme, host, port) = target(&uri)?;
    let attempt = open(scheme, host, port, &connector);
    let stream = match connector.connect_timeout {
        Some(limit) => weft::time::timeout(limit, attempt)
            .await
            .map_err(|_elapsed| ConnectError::Timeout {
                target: format!("{host}:{port}"),
                after: limit,
            })?,
        None => attempt.await,
    }?;
    Ok(WeftIo::new(stream))
}

/// Opens the TCP connection, and the TLS session over it for `https`.
async fn open(
    scheme: Scheme,
    host: &str,
    port: u16,
    connector: &Connector,
) -> Result<MaybeHttpsStream, ConnectError> {
    let io_error = |error| ConnectError::Io {
        target: format!("{host}:{port}"),
        error,
    };
    let tcp = TcpStream::connect((host, port)).await.map_err(io_error)?;
    // A socket option the OS refuses costs latency, not correctness.
    let _ = tcp.set_nodelay(connector.nodelay);
    match scheme {
        Scheme::Http => Ok(MaybeHttpsStream::from_tcp(tcp)),
        #[cfg(feature = "tls")]
        Scheme::Https => {
            let tls_error = |error| ConnectError::Tls {
                target: format!("{host}:{port}"),
                error,
            };
            let tls = match &connector.tls {
                Ok(tls) => tls,
                Err(err) => return Err(tls_error(io::Error::new(err.kind(), err.to_string()))),
            };
            let stream = tls.connect(host, tcp).await.map_err(tls_error)?;
            Ok(MaybeHttpsStream::from_tls(stream))
        }
    }
}

/// The default `https` configuration (rule 3): the Web PKI's roots, `h2` and
/// `http/1.1` offered.
#[cfg(feature = "tls")]
fn default_tls() -> io::Result<weft::net::tls::TlsConnector> {
    let mut config = weft::net::tls::webpki_client_config()?;
    config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    Ok(weft::net::tls::TlsConnector::new(std::sync::Arc::new(
        config,
    )))
}

/// The transports a URL's scheme can ask for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Scheme {
    Http,
    #[cfg(feature = "tls")]
    Https,
}

/// The scheme, the host (without an IPv6 literal's brackets) and the port `uri` names,
/// for a scheme this connector speaks (rule 3).
fn target(uri: &Uri) -> Result<(Scheme, &str, u16), ConnectError> {
    let invalid = |reason| ConnectError::InvalidUri {
        uri: uri.clone(),
        reason,
    };
    let (scheme, default_port) = match uri.scheme_str() {
        Some("http") => (Scheme::Http, 80),
        #[cfg(feature = "tls")]
        Some("https") => (Scheme::Https, 443),
        #[cfg(not(feature = "tls"))]
        Some("https") => return Err(invalid(HTTPS_NEEDS_TLS)),
        Some(_) => return Err(invalid("the scheme is neither http nor https")),
        None => return Err(invalid("the URL has no scheme (http://...)")),
    };
    let host = uri.host().ok_or_else(|| invalid("the URL has no host"))?;
    let host = host
        .strip_prefix('[')
        .and_then(|h| h.strip_suffix(']'))
        .unwrap_or(host);
    Ok((scheme, host, uri.port_u16().unwrap_or(default_port)))
}

/// Why `https` is refused without the `tls` feature (rule 3).
#[cfg(not(feature = "tls"))]
const HTTPS_NEEDS_TLS: &str = "https needs TLS: turn on weft-rt-hyper's `tls` feature";

/// Why [`Connector`] could not open a connection.
#[derive(Debug)]
#[non_exhaustive]
pub enum ConnectError {
    /// The URL names no host, or a scheme this connector does not speak.
    InvalidUri {
        /// The URL.
        uri: Uri,
        /// What is wrong with it.
        reason: &'static str,
    },
    /// The name lookup or the connection failed: an unknown host, a refused
    /// connection, an unreachable network.
    Io {
        /// `host:port`.
        target: String,
        /// The resolver's or the OS's error.
        error: io::Error,
    },
    /// The TLS handshake failed (feature `tls`): a certificate that is untrusted,
    /// for another name or expired, an alert from the server;
    /// [`weft::net::tls::rustls_error`] on `error` tells which.
    Tls {
        /// `host:port`.
        target: String,
        /// The handshake's error.
        error: io::Error,
    },
    /// The connect timeout ran out.
    Timeout {
        /// `host:port`.
        target: String,
        /// The timeout.
        after: Duration,
    },
}

impl ConnectError {
    /// `true` if the connect timeout ran out.
    ///
    /// ```
    /// # fn demo(err: &weft_hyper::Error) {
    /// if err.connect_error().is_some_and(|e| e.is_timeout()) {
    ///     eprintln!("the host did not answer in time");
    /// }
    /// # }
    /// ```
    pub fn is_timeout(&self) -> bool {
        matches!(self, ConnectError::Timeout { .. })
    }
}

impl fmt::Display for ConnectError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ConnectError::InvalidUri { uri, reason } => {
                write!(f, "cannot connect for {uri}: {reason}")
            }
            ConnectError::Io { target, error } => write!(f, "connecting to {target}: {error}"),
            ConnectError::Tls { target, error } => {
                write!(f, "the TLS handshake with {target} failed: {error}")
            }
            ConnectError::Timeout { target, after } => {
                write!(f, "connecting to {target} timed out after {after:?}")
            }
        }
    }
}

impl Error for ConnectError {
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        match self {
            ConnectError::Io { error, .. } | ConnectError::Tls { error, .. } => Some(error),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_take_default_ports_and_drop_ipv6_brackets() {
        let uri: Uri = "http://example.com/x".parse().unwrap();
        assert_eq!(target(&uri).unwrap(), (Scheme::Http, "example.com", 80));
        let uri: Uri = "http://[::1]:8080/".parse().unwrap();
        assert_eq!(target(&uri).unwrap(), (Scheme::Http, "::1", 8080));
    }

    #[cfg(feature = "tls")]
    #[test]
    fn https_defaults_to_port_443() {
        let uri: Uri = "https://example.com/".parse().unwrap();
        assert_eq!(target(&uri).unwrap(), (Scheme::Https, "example.com", 443));
    }

    #[cfg(not(feature = "tls"))]
    #[test]
    fn https_without_the_feature_is_refused_with_a_reason() {
        let https: Uri = "https://example.com/".parse().unwrap();
        let err = target(&https).unwrap_err();
        assert!(err.to_string().contains("`tls` feature"), "{err}");
    }

    #[test]
    fn other_schemes_are_refused_with_a_reason() {
        let ftp: Uri = "ftp://example.com/".parse().unwrap();
        assert!(matches!(target(&ftp), Err(ConnectError::InvalidUri { .. })));
        let relative: Uri = "/path".parse().unwrap();
        assert!(matches!(
            target(&relative),
            Err(ConnectError::InvalidUri { .. })
        ));
    }
}
