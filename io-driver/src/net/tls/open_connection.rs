//! asyncio's `open_connection(host, port, ssl=ctx)`: a TLS connection as a buffered
//! reader and a writer.

use super::{TlsConnector, TlsStream};
use crate::io::{split, BufReader, ReadHalf, WriteHalf};
use crate::net::TcpStream;
use std::io;

/// Connects to `host:port`, runs the TLS handshake with `host` as the server name
/// (asyncio's default `server_hostname`), and returns asyncio's `(reader, writer)`
/// pair over the TLS stream: a [`BufReader`] over its read half and its write half.
///
/// Flush the writer before waiting for an answer, and close it to end the connection
/// cleanly (module rules 3 and 4). To check the certificate against another name
/// than the host connected to, connect a [`TcpStream`] and call
/// [`TlsConnector::connect`].
///
/// # Errors
///
/// As [`TcpStream::connect`] and [`TlsConnector::connect`]: a refused connection, an
/// unknown host, a certificate the connector does not trust (module rule 1).
///
/// # Cancel safety
///
/// Dropping the future abandons the connection and its handshake, and closes the
/// socket.
///
/// ```no_run
/// use weft_io::io::AsyncWriteExt;
/// use weft_io::net::tls::{open_connection, TlsConnector};
///
/// # async fn demo() -> std::io::Result<()> {
/// let connector = TlsConnector::with_webpki_roots()?;
/// let (mut reader, mut writer) = open_connection("example.com", 443, &connector).await?;
/// writer.write_all(b"HEAD / HTTP/1.1\r\nHost: example.com\r\n\r\n").await?;
/// writer.flush().await?;
/// let mut status = String::new();
/// reader.read_line(&mut status).await?;
/// # Ok(()) }
/// ```
pub async fn open_connection(
    host: &str,
    port: u16,
    connector: &TlsConnector,
) -> io::Result<(
    BufReader<ReadHalf<TlsStream<TcpStream>>>,
    WriteHalf<TlsStream<TcpStream>>,
)> {
    let tcp = TcpStream::connect((host, port)).await?;
    let (reader, writer) = split(connector.connect(host, tcp).await?);
    Ok((BufReader::new(reader), writer))
}
