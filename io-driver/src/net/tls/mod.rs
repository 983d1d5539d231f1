//! TLS for any weft stream, on rustls (feature `tls`): asyncio's
//! `open_connection(ssl=..)`, `loop.start_tls(..)` and `writer.start_tls(..)`.
//!
//! - [`TlsConnector`] (from an `Arc<`[`rustls::ClientConfig`]`>`) runs the client's
//!   handshake over a connected stream, checking the server's certificate against the
//!   name given; [`TlsAcceptor`] (from an `Arc<`[`rustls::ServerConfig`]`>`) runs the
//!   server's.
//! - Both yield a [`TlsStream`], which implements [`AsyncRead`](crate::io::AsyncRead)
//!   and [`AsyncWrite`](crate::io::AsyncWrite) like the socket under it, and splits
//!   into a reader and a writer with [`split`](crate::io::split).
//! - [`open_connection`] is asyncio's `open_connection(host, port, ssl=ctx)`.
//!
//! The handshake and the records run through futures-rustls, the futures-io side of
//! the tokio-rustls/futures-rustls pair; weft adds no cryptography of its own.
//!
//! # Rules
//!
//! 1. A failed handshake is an `io::Error` whose inner error is rustls's
//!    ([`rustls_error`] finds it): a certificate signed by an unknown authority, issued
//!    for another name, or expired is `InvalidCertificate(..)` on the client, and the
//!    server's handshake fails with the alert the client sent. The handshake never
//!    panics, and ends as soon as either side gives up or closes.
//! 2. A handshake waits for its peer as long as the peer is silent: wrap
//!    `connect`/`accept` in `weft::time::timeout` where that matters. (The runtime's
//!    `weft::net::tls::start_server` does it for the handshakes it runs: 60 s, as
//!    asyncio's `ssl_handshake_timeout`.)
//! 3. Written bytes may wait inside the TLS session until a flush: call
//!    [`flush`](crate::io::AsyncWriteExt::flush) (asyncio's `drain`) before waiting for
//!    an answer. `write_all` followed by `flush`, or `close`, sends everything.
//! 4. Closing the stream (`close().await`, or the write half's) sends `close_notify`
//!    and then shuts the socket's write direction: the peer reads a clean EOF (`0`) and
//!    may still answer. A stream dropped without closing sends no `close_notify`: the
//!    peer's read fails with `UnexpectedEof`, which is how TLS tells a cut connection
//!    from a finished one.
//! 5. An upgrade of a plaintext (reader, writer) pair (`start_tls`) refuses bytes the
//!    reader already buffered: they arrived before the handshake and would be read as
//!    if they were protected (the STARTTLS injection flaw). A peer that follows its
//!    protocol never sends them.

mod acceptor;
mod connector;
mod handshake;
mod open_connection;
mod stream;

pub use acceptor::TlsAcceptor;
pub use connector::TlsConnector;
pub use handshake::Handshake;
pub use open_connection::open_connection;
pub use stream::TlsStream;

/// The rustls weft's `tls` feature is built on: its configuration types
/// ([`ClientConfig`], [`ServerConfig`](rustls::ServerConfig), [`RootCertStore`]), its
/// errors, and
/// [`pki_types`](rustls::pki_types) for certificates and keys. Using this path keeps
/// your rustls the same version as weft's.
pub use futures_rustls::rustls;

use crate::io::BufReader;
use crate::net::{OwnedReadHalf, OwnedWriteHalf, SplitStream};
use rustls::crypto::CryptoProvider;
use rustls::{ClientConfig, RootCertStore};
use std::io;
use std::sync::Arc;

/// The rustls error inside `err`, if a TLS handshake or record failed (rule 1): match on
/// it to tell an untrusted certificate from a refused connection.
///
/// ```
/// use weft_io::net::tls::rustls::{CertificateError, Error};
///
/// fn explain(err: &std::io::Error) -> &'static str {
///     match weft_io::net::tls::rustls_error(err) {
///         Some(Error::InvalidCertificate(CertificateError::UnknownIssuer)) => "untrusted CA",
///         Some(Error::InvalidCertificate(_)) => "bad certificate",
///         Some(_) => "TLS failed",
///         None => "not a TLS error",
///     }
/// }
/// assert_eq!(explain(&std::io::ErrorKind::ConnectionRefused.into()), "not a TLS error");
/// ```
pub fn rustls_error(err: &io::Error) -> Option<&rustls::Error> {
    err.get_ref()?.downcast_ref()
}

/// A client configuration that trusts the Web PKI's roots (Mozilla's list, from the
/// `webpki-roots` crate), the safe default protocol versions, and no client
/// certificate: what a browser trusts. Set its `alpn_protocols` (`h2`, `http/1.1`)
/// before wrapping it in an `Arc` for [`TlsConnector::new`].
///
/// The roots are compiled in rather than read from the system's store, so they are the
/// same on every machine and in every container, with no file to be missing; a
/// private CA goes into a [`RootCertStore`] of your own. The crypto provider is the
/// process default if one is installed
/// ([`CryptoProvider::install_default`]), else rustls's default, aws-lc-rs.
///
/// # Errors
///
/// An installed default provider that supports neither TLS 1.2 nor 1.3.
///
/// ```
/// use std::sync::Arc;
/// use weft_io::net::tls::{webpki_client_config, TlsConnector};
///
/// let mut config = webpki_client_config()?;
/// config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
/// let connector = TlsConnector::new(Arc::new(config));
/// # std::io::Result::Ok(())
/// ```
pub fn webpki_client_config() -> io::Result<ClientConfig> {
    let roots = RootCertStore::from_iter(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
    Ok(ClientConfig::builder_with_provider(crypto_provider())
        .with_safe_default_protocol_versions()
        .map_err(io::Error::other)?
        .with_root_certificates(roots)
        .with_no_client_auth())
}

/// The process-wide default provider, or aws-lc-rs (the one the `tls` feature builds).
fn crypto_provider() -> Arc<CryptoProvider> {
    match CryptoProvider::get_default() {
        Some(provider) => provider.clone(),
        None => Arc::new(rustls::crypto::aws_lc_rs::default_provider()),
    }
}

/// The plaintext stream under a (reader, writer) pair, for an upgrade (rule 5).
fn plaintext_stream<S: SplitStream>(
    reader: BufReader<OwnedReadHalf<S>>,
    writer: OwnedWriteHalf<S>,
) -> io::Result<S> {
    let buffered = reader.buffer().len();
    if buffered != 0 {
        return Err(io::Error::new(
            io::ErrorKind::InvalidData,
            format!(
                "{buffered} plaintext bytes arrived before the TLS handshake; refusing to \
                 upgrade, as they would be read as if the handshake had protected them"
            ),
        ));
    }
    reader.into_inner().reunite(writer).map_err(|_| {
        io::Error::new(
            io::ErrorKind::InvalidInput,
            "start_tls: the reader and the writer belong to different connections",
        )
    })
}
