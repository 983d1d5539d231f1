//! [`Error`]: why a request through [`Client`](crate::Client) (or
//! [`get`](crate::get)) failed, one variant per thing a script would do differently.

use crate::client::ConnectError;
use http::{StatusCode, Uri};
use std::error::Error as StdError;
use std::fmt;
use std::time::Duration;

/// Why a request failed: the URL, the connection, the connect timeout, the exchange,
/// the body, or (from [`Response::error_for_status`](crate::Response::error_for_status))
/// the status. Every message names the URL.
///
/// ```
/// weft::run(async {
///     let err = weft_hyper::get("not a url").await.unwrap_err();
///     assert!(matches!(err, weft_hyper::Error::InvalidUrl { .. }));
///     println!("{err}"); // invalid URL "not a url": ...
/// });
/// ```
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// The URL does not parse, or is not an absolute `http`/`https` URL with a host.
    InvalidUrl {
        /// The URL as given.
        url: String,
        /// What is wrong with it.
        reason: String,
    },
    /// No connection could be opened: an unknown host, a refused connection, an
    /// unreachable network, a TLS handshake that failed (an untrusted certificate),
    /// or a scheme this build cannot speak.
    Connect {
        /// The URL requested.
        url: Uri,
        /// hyper-util's error, with the [`ConnectError`] under it (see
        /// [`connect_error`](Error::connect_error)).
        source: Box<hyper_util::client::legacy::Error>,
    },
    /// The connect timeout ran out.
    Timeout {
        /// The URL requested.
        url: Uri,
        /// The timeout.
        after: Duration,
    },
    /// The request could not be sent or its response head read: the connection
    /// closed, or the server broke the protocol.
    Http {
        /// The URL requested.
        url: Uri,
        /// hyper-util's error.
        source: Box<hyper_util::client::legacy::Error>,
    },
    /// The response body could not be read to its end.
    Body {
        /// The URL requested.
        url: Uri,
        /// hyper's error.
        source: hyper::Error,
    },
    /// The server answered with an error status (4xx or 5xx), and
    /// [`error_for_status`](crate::Response::error_for_status) made that an error.
    Status {
        /// The URL requested.
        url: Uri,
        /// The status.
        status: StatusCode,
    },
}

impl Error {
    /// Sorts hyper-util's error: a connect failure (found as the [`ConnectError`] in its
    /// sources) becomes `Connect` or `Timeout`, anything else `Http`.
    pub(crate) fn from_client(url: Uri, error: hyper_util::client::legacy::Error) -> Error {
        match connect_error_in(&error) {
            Some(ConnectError::Timeout { after, .. }) => Error::Timeout { url, after: *after },
            Some(_) => Error::Connect {
                url,
                source: Box::new(error),
            },
            None => Error::Http {
                url,
                source: Box::new(error),
            },
        }
    }

    /// The connector's error under a [`Connect`](Error::Connect) error: the host and
    /// port tried, and the OS's or the resolver's error.
    ///
    /// ```
    /// # async fn demo() {
    /// match weft_hyper::get("http://127.0.0.1:9/").await {
    ///     Ok(response) => println!("{}", response.status()),
    ///     Err(err) if err.is_timeout() => eprintln!("too slow: {}", err.url()),
    ///     Err(err) if err.is_connect() => eprintln!("no connection: {:?}", err.connect_error()),
    ///     Err(err) => eprintln!("{err} (status: {:?})", err.status()),
    /// }
    /// # }
    /// ```
    pub fn connect_error(&self) -> Option<&ConnectError> {
        match self {
            Error::Connect { source, .. } => connect_error_in(source),
            _ => None,
        }
    }

    /// The URL requested (as given, for an invalid one).
    ///
    /// ```
    /// # async fn demo() {
    /// match weft_hyper::get("http://127.0.0.1:9/").await {
    ///     Ok(response) => println!("{}", response.status()),
    ///     Err(err) if err.is_timeout() => eprintln!("too slow: {}", err.url()),
    ///     Err(err) if err.is_connect() => eprintln!("no connection: {:?}", err.connect_error()),
    ///     Err(err) => eprintln!("{err} (status: {:?})", err.status()),
    /// }
    /// # }
    /// ```
    pub fn url(&self) -> String {
        match self {
            Error::InvalidUrl { url, .. } => url.clone(),
            Error::Connect { url, .. }
            | Error::Timeout { url, .. }
            | Error::Http { url, .. }
            | Error::Body { url, .. }
            | Error::Status { url, .. } => url.to_string(),
        }
    }

    /// `true` if no connection could be opened (the timeout aside).
    ///
    /// ```
    /// # async fn demo() {
    /// match weft_hyper::get("http://127.0.0.1:9/").await {
    ///     Ok(response) => println!("{}", response.status()),
    ///     Err(err) if err.is_timeout() => eprintln!("too slow: {}", err.url()),
    ///     Err(err) if err.is_connect() => eprintln!("no connection: {:?}", err.connect_error()),
    ///     Err(err) => eprintln!("{err} (status: {:?})", err.status()),
    /// }
    /// # }
    /// ```
    pub fn is_connect(&self) -> bool {
        matches!(self, Error::Connect { .. })
    }

    /// `true` if the connect timeout ran out.
    ///
    /// ```
    /// # async fn demo() {
    /// match weft_hyper::get("http://127.0.0.1:9/").await {
    ///     Ok(response) => println!("{}", response.status()),
    ///     Err(err) if err.is_timeout() => eprintln!("too slow: {}", err.url()),
    ///     Err(err) if err.is_connect() => eprintln!("no connection: {:?}", err.connect_error()),
    ///     Err(err) => eprintln!("{err} (status: {:?})", err.status()),
    /// }
    /// # }
    /// ```
    pub fn is_timeout(&self) -> bool {
        matches!(self, Error::Timeout { .. })
    }

    /// The error status, for a [`Status`](Error::Status) error.
    ///
    /// ```
    /// # async fn demo() {
    /// match weft_hyper::get("http://127.0.0.1:9/").await {
    ///     Ok(response) => println!("{}", response.status()),
    ///     Err(err) if err.is_timeout() => eprintln!("too slow: {}", err.url()),
    ///     Err(err) if err.is_connect() => eprintln!("no connection: {:?}", err.connect_error()),
    ///     Err(err) => eprintln!("{err} (status: {:?})", err.status()),
    /// }
    /// # }
    /// ```
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Error::Status { status, .. } => Some(*status),
            _ => None,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::InvalidUrl { url, reason } => write!(f, "invalid URL {url:?}: {reason}"),
            Error::Connect { url, source } => match connect_error_in(source) {
                Some(connect) => write!(f, "{url}: {connect}"),
                None => write!(f, "{url}: {source}"),
            },
            Error::Timeout { url, after } => {
                write!(f, "{url}: connecting timed out after {after:?}")
            }
            Error::Http { url, source } => {
                write!(f, "{url}: the request failed: {source}")?;
                // hyper-util's own message is terse ("client error (SendRequest)"):
                // name what lies under it too.
                let mut cause = source.source();
                while let Some(err) = cause {
                    write!(f, ": {err}")?;
                    cause = err.source();
                }
                Ok(())
            }
            Error::Body { url, source } => write!(f, "{url}: reading the body failed: {source}"),
            Error::Status { url, status } => write!(f, "{url}: the server answered {status}"),
        }
    }
}

impl StdError for Error {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        match self {
            Error::Connect { source, .. } | Error::Http { source, .. } => Some(&**source),
            Error::Body { source, .. } => Some(source),
            Error::InvalidUrl { .. } | Error::Timeout { .. } | Error::Status { .. } => None,
        }
    }
}

/// The [`ConnectError`] among `error`'s sources, if a connect attempt failed.
fn connect_error_in(error: &hyper_util::client::legacy::Error) -> Option<&ConnectError> {
    let mut cause = error.source();
    while let Some(err) = cause {
        if let Some(connect) = err.downcast_ref::<ConnectError>() {
            return Some(connect);
        }
        cause = err.source();
    }
    None
}
