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
//!    TCP, which needs weft's `tls` feature and is refused with an error saying so
//!    until then. The response type, [`MaybeHttpsStream`], is the same either way, so
//!    the client's type does not change with the feature.

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
}

impl Connector {
    /// A connector with the defaults.
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
        }
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

/// Connects to `uri`'s host and port (rules 1-3).
async fn connect(uri: Uri, connector: Connector) -> Result<WeftIo<MaybeHttpsStream>, ConnectError> {
    let (host, port) = target(&uri)?;
    let attempt = TcpStream::connect((host, port));
    let stream = match connector.connect_timeout {
        Some(limit) => weft::time::timeout(limit, attempt)
            .await
            .map_err(|_elapsed| ConnectError::Timeout {
                target: format!("{host}:{port}"),
                after: limit,
            })?,
        None => attempt.await,
    }
    .map_err(|error| ConnectError::Io {
        target: format!("{host}:{port}"),
        error,
    })?;
    // A socket option the OS refuses costs latency, not correctness.
    let _ = stream.set_nodelay(connector.nodelay);
    Ok(WeftIo::new(MaybeHttpsStream::from_tcp(stream)))
}

/// The host (without an IPv6 literal's brackets) and port `uri` names, for a scheme
/// this connector speaks (rule 3).
fn target(uri: &Uri) -> Result<(&str, u16), ConnectError> {
    let invalid = |reason| ConnectError::InvalidUri {
        uri: uri.clone(),
        reason,
    };
    let default_port = match uri.scheme_str() {
        Some("http") => 80,
        Some("https") => return Err(invalid(HTTPS_NEEDS_TLS)),
        Some(_) => return Err(invalid("the scheme is neither http nor https")),
        None => return Err(invalid("the URL has no scheme (http://...)")),
    };
    let host = uri.host().ok_or_else(|| invalid("the URL has no host"))?;
    let host = host
        .strip_prefix('[')
        .and_then(|h| h.strip_suffix(']'))
        .unwrap_or(host);
    Ok((host, uri.port_u16().unwrap_or(default_port)))
}

/// Why `https` is refused for now (rule 3).
const HTTPS_NEEDS_TLS: &str =
    "https needs TLS, which comes with weft's `tls` feature (not in this build)";

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
            ConnectError::Timeout { target, after } => {
                write!(f, "connecting to {target} timed out after {after:?}")
            }
        }
    }
}

impl Error for ConnectError {
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        match self {
            ConnectError::Io { error, .. } => Some(error),
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
        assert_eq!(target(&uri).unwrap(), ("example.com", 80));
        let uri: Uri = "http://[::1]:8080/".parse().unwrap();
        assert_eq!(target(&uri).unwrap(), ("::1", 8080));
    }

    #[test]
    fn https_and_other_schemes_are_refused_with_a_reason() {
        let https: Uri = "https://example.com/".parse().unwrap();
        let err = target(&https).unwrap_err();
        assert!(err.to_string().contains("tls"), "{err}");
        let ftp: Uri = "ftp://example.com/".parse().unwrap();
        assert!(matches!(target(&ftp), Err(ConnectError::InvalidUri { .. })));
        let relative: Uri = "/path".parse().unwrap();
        assert!(matches!(
            target(&relative),
            Err(ConnectError::InvalidUri { .. })
        ));
    }
}
