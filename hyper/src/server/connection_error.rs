//! [`ConnectionError`]: why one connection of a server ended badly.

use std::any::Any;
use std::error::Error;
use std::fmt;
use std::net::SocketAddr;

/// Why one connection ended badly, or a request on it panicked. The server goes on:
/// it counts the failure
/// ([`Stats`](super::Stats)) and hands it to the hook set with
/// [`Serve::on_connection_error`](super::Serve::on_connection_error).
///
/// ```
/// use http_body_util::Empty;
/// use hyper::body::Bytes;
///
/// # fn demo(listener: weft::net::TcpListener) {
/// let empty = hyper::service::service_fn(|_req| async {
///     Ok::<_, std::convert::Infallible>(hyper::Response::new(Empty::<Bytes>::new()))
/// });
/// let serve = weft_hyper::server::serve(listener, empty).on_connection_error(|err| {
///     eprintln!("{err}"); // "connection from 127.0.0.1:53012: ..."
/// });
/// # drop(serve);
/// # }
/// ```
#[derive(Debug)]
#[non_exhaustive]
pub enum ConnectionError {
    /// hyper's error serving it: a malformed request, an I/O error, the header-read
    /// timeout, an error the service returned.
    Http {
        /// The client's address.
        peer: SocketAddr,
        /// hyper's error.
        error: Box<dyn Error + Send + Sync>,
    },
    /// The service panicked serving a request on it. A panic in the service's call
    /// answered that request `500 Internal Server Error` and the connection went on;
    /// one elsewhere (in a response body) ended the connection.
    Panic {
        /// The client's address.
        peer: SocketAddr,
        /// The panic's message, when it was a string.
        message: Option<String>,
    },
}

impl ConnectionError {
    pub(crate) fn panic(peer: SocketAddr, payload: &(dyn Any + Send)) -> ConnectionError {
        let message = payload
            .downcast_ref::<&str>()
            .map(|s| (*s).to_owned())
            .or_else(|| payload.downcast_ref::<String>().cloned());
        ConnectionError::Panic { peer, message }
    }

    /// The client's address.
    ///
    /// ```
    /// # fn demo(err: &weft_hyper::server::ConnectionError) {
    /// if err.is_timeout() || err.is_panic() {
    ///     eprintln!("{}: {err}", err.peer());
    /// }
    /// # }
    /// ```
    pub fn peer(&self) -> SocketAddr {
        match self {
            ConnectionError::Http { peer, .. } | ConnectionError::Panic { peer, .. } => *peer,
        }
    }

    /// `true` if the connection ended because the header-read timeout fired (on a
    /// request head, or on a client that sent nothing at all).
    ///
    /// ```
    /// # fn demo(err: &weft_hyper::server::ConnectionError) {
    /// if err.is_timeout() || err.is_panic() {
    ///     eprintln!("{}: {err}", err.peer());
    /// }
    /// # }
    /// ```
    pub fn is_timeout(&self) -> bool {
        match self {
            ConnectionError::Http { error, .. } => {
                error
                    .downcast_ref::<hyper::Error>()
                    .is_some_and(hyper::Error::is_timeout)
                    || error
                        .downcast_ref::<std::io::Error>()
                        .is_some_and(|io| io.kind() == std::io::ErrorKind::TimedOut)
            }
            ConnectionError::Panic { .. } => false,
        }
    }

    /// `true` if the service panicked.
    ///
    /// ```
    /// # fn demo(err: &weft_hyper::server::ConnectionError) {
    /// if err.is_timeout() || err.is_panic() {
    ///     eprintln!("{}: {err}", err.peer());
    /// }
    /// # }
    /// ```
    pub fn is_panic(&self) -> bool {
        matches!(self, ConnectionError::Panic { .. })
    }
}

impl fmt::Display for ConnectionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ConnectionError::Http { peer, error } => {
                write!(f, "connection from {peer}: {error}")
            }
            ConnectionError::Panic {
                peer,
                message: Some(message),
            } => write!(f, "connection from {peer}: the service panicked: {message}"),
            ConnectionError::Panic {
                peer,
                message: None,
            } => write!(f, "connection from {peer}: the service panicked"),
        }
    }
}

impl Error for ConnectionError {
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        match self {
            ConnectionError::Http { error, .. } => Some(&**error),
            ConnectionError::Panic { .. } => None,
        }
    }
}
