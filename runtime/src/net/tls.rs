//! TLS for weft's streams and servers, on rustls (feature `tls`): asyncio's
//! `open_connection(ssl=..)`, `start_server(ssl=..)` and `start_tls`.
//!
//! Everything of `weft-io`'s TLS module — [`TlsConnector`], [`TlsAcceptor`],
//! [`TlsStream`], [`open_connection`], [`rustls`] — plus [`start_server`], which needs
//! the runtime to spawn tasks and time handshakes out. The guide is
//! [the net chapter's TLS section](crate::guide::net#tls); the rules the streams keep
//! (errors, flushing, `close_notify`) are in [`weft_io::net::tls`].
//!
//! ```
//! use std::sync::Arc;
//! use weft::io::AsyncWriteExt;
//! use weft::net::tls::rustls::pki_types::{CertificateDer, PrivateKeyDer};
//! use weft::net::tls::rustls::{ClientConfig, RootCertStore, ServerConfig};
//! use weft::net::tls::{open_connection, start_server, TlsAcceptor, TlsConnector};
//!
//! # fn certificate() -> (CertificateDer<'static>, PrivateKeyDer<'static>) {
//! #     let cert = rcgen::generate_simple_self_signed(vec!["localhost".into()]).unwrap();
//! #     (cert.cert.der().clone(), PrivateKeyDer::Pkcs8(cert.key_pair.serialize_der().into()))
//! # }
//! #[weft::main]
//! async fn main() -> Result<(), Box<dyn std::error::Error>> {
//!     // A certificate for "localhost" and its key (from files, in real life).
//!     let (cert, key) = certificate();
//!     let server_config =
//!         ServerConfig::builder().with_no_client_auth().with_single_cert(vec![cert.clone()], key)?;
//!     let acceptor = TlsAcceptor::new(Arc::new(server_config));
//!
//!     // asyncio: await start_server(handle, "127.0.0.1", 0, ssl=server_ctx)
//!     let server = start_server("127.0.0.1:0", acceptor, |mut reader, mut writer| async move {
//!         let mut line = String::new();
//!         reader.read_line(&mut line).await?;
//!         writer.write_all(line.to_uppercase().as_bytes()).await?;
//!         writer.close().await // flushes, sends close_notify
//!     })
//!     .await?;
//!
//!     // The client trusts that one certificate.
//!     let mut roots = RootCertStore::empty();
//!     roots.add(cert)?;
//!     let client_config = ClientConfig::builder().with_root_certificates(roots).with_no_client_auth();
//!     let connector = TlsConnector::new(Arc::new(client_config));
//!
//!     // asyncio: await open_connection("localhost", port, ssl=client_ctx)
//!     let port = server.local_addr().port();
//!     let (mut reader, mut writer) = open_connection("localhost", port, &connector).await?;
//!     writer.write_all(b"hello\n").await?;
//!     writer.flush().await?;
//!     let mut line = String::new();
//!     reader.read_line(&mut line).await?;
//!     assert_eq!(line, "HELLO\n");
//!     Ok(())
//! }
//! ```

pub use weft_io::net::tls::*;

use super::server::{serve_tcp, Serve};
use super::Server;
use crate::time::timeout;
use std::future::Future;
use std::io;
use std::sync::Arc;
use std::time::Duration;
use weft_io::io::{split, BufReader, ReadHalf, WriteHalf};
use weft_io::net::{TcpStream, ToSocketAddrs};

/// How long [`start_server`] waits for a client's handshake: asyncio's
/// `ssl_handshake_timeout` default.
pub const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(60);

/// asyncio's `start_server(client_connected_cb, host, port, ssl=ctx)`: listens on
/// `addr`, runs the TLS handshake with `acceptor` for every connection, and then
/// `handler(reader, writer)` over the TLS stream, each connection in a task of its own.
///
/// As [`weft::net::start_server`](super::start_server) in everything else: the same
/// [`Server`] (`local_addr`, `close`, `wait_closed`), a handler's error ends its own
/// connection only. The reader is a [`BufReader`] over the stream's [`ReadHalf`], the
/// writer its [`WriteHalf`]; flush after writing, and close the writer to end with
/// `close_notify` — a writer dropped without closing cuts the connection, and the
/// client reads `UnexpectedEof`.
///
/// A handshake runs in the connection's task, so a slow client delays no other. One
/// that fails (the client rejected the certificate, spoke no TLS) or takes longer than
/// [`HANDSHAKE_TIMEOUT`] ends that connection, without calling `handler`.
///
/// # Errors
///
/// The OS's error if `addr` does not resolve or cannot be bound.
///
/// # Cancel safety
///
/// Dropping the future before it completes binds nothing (or closes what it bound).
///
/// # Panics
///
/// Outside a weft runtime (it spawns tasks on the current one).
pub async fn start_server<A, H, F>(addr: A, acceptor: TlsAcceptor, handler: H) -> io::Result<Server>
where
    A: ToSocketAddrs,
    H: Fn(BufReader<ReadHalf<TlsStream>>, WriteHalf<TlsStream>) -> F + Send + Sync + 'static,
    F: Future<Output = io::Result<()>> + Send + 'static,
{
    let handshaking = Handshaking {
        acceptor,
        handler: Arc::new(handler),
    };
    serve_tcp(addr, handshaking).await
}

/// A TLS server's connections: the handshake, then the handler, in the connection's
/// task.
struct Handshaking<H> {
    acceptor: TlsAcceptor,
    handler: Arc<H>,
}

impl<H, F> Serve<TcpStream> for Handshaking<H>
where
    H: Fn(BufReader<ReadHalf<TlsStream>>, WriteHalf<TlsStream>) -> F + Send + Sync + 'static,
    F: Future<Output = io::Result<()>> + Send + 'static,
{
    fn serve(&self, stream: TcpStream) -> impl Future<Output = io::Result<()>> + Send + 'static {
        let handshake = self.acceptor.accept(stream);
        let handler = self.handler.clone();
        async move {
            let tls = timeout(HANDSHAKE_TIMEOUT, handshake).await.map_err(|_| {
                io::Error::new(
                    io::ErrorKind::TimedOut,
                    "the client did not finish its TLS handshake in time",
                )
            })??;
            let (read, write) = split(tls);
            handler(BufReader::new(read), write).await
        }
    }
}
