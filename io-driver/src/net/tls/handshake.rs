//! [`Handshake`]: a TLS handshake under way, on either side, or one that failed before
//! it began (a bad server name, a plaintext pair that cannot be upgraded).

use super::TlsStream;
use futures_io::{AsyncRead, AsyncWrite};
use std::fmt;
use std::future::Future;
use std::io;
use std::pin::Pin;
use std::task::{Context, Poll};

/// The TLS handshake over a stream `S`, from [`TlsConnector::connect`],
/// [`TlsAcceptor::accept`] and their `start_tls`; resolves to the [`TlsStream`].
///
/// [`TlsConnector::connect`]: super::TlsConnector::connect
/// [`TlsAcceptor::accept`]: super::TlsAcceptor::accept
#[must_use = "futures do nothing unless polled"]
pub struct Handshake<S> {
    state: State<S>,
}

enum State<S> {
    Client(futures_rustls::Connect<S>),
    Server(futures_rustls::Accept<S>),
    /// Taken by the first poll; `None` after that.
    Failed(Option<io::Error>),
}

impl<S> Handshake<S> {
    pub(super) fn client(handshake: futures_rustls::Connect<S>) -> Handshake<S> {
        Handshake {
            state: State::Client(handshake),
        }
    }

    pub(super) fn server(handshake: futures_rustls::Accept<S>) -> Handshake<S> {
        Handshake {
            state: State::Server(handshake),
        }
    }

    pub(super) fn failed(err: io::Error) -> Handshake<S> {
        Handshake {
            state: State::Failed(Some(err)),
        }
    }
}

impl<S: AsyncRead + AsyncWrite + Unpin> Future for Handshake<S> {
    type Output = io::Result<TlsStream<S>>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let stream = match &mut self.state {
            State::Client(handshake) => Pin::new(handshake)
                .poll(cx)
                .map_ok(futures_rustls::TlsStream::Client),
            State::Server(handshake) => Pin::new(handshake)
                .poll(cx)
                .map_ok(futures_rustls::TlsStream::Server),
            State::Failed(err) => Poll::Ready(Err(err.take().unwrap_or_else(|| {
                io::Error::other("a TLS handshake was polled after it completed")
            }))),
        };
        stream.map_ok(TlsStream::new)
    }
}

impl<S> fmt::Debug for Handshake<S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let side = match self.state {
            State::Client(_) => "client",
            State::Server(_) => "server",
            State::Failed(_) => "failed",
        };
        f.debug_struct("Handshake")
            .field("side", &side)
            .finish_non_exhaustive()
    }
}
