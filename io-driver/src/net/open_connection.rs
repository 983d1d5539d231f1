//! asyncio's `open_connection`: a connected stream as a buffered reader and a writer.

use super::{OwnedReadHalf, OwnedWriteHalf, TcpStream, ToSocketAddrs, UnixStream};
use crate::io::BufReader;
use std::io;
use std::path::Path;

/// Connects to `addr` and returns asyncio's `(reader, writer)` pair: a
/// [`BufReader`] over the read half (with `read_line`/`read_until`) and the write half.
///
/// Dropping or closing the writer shuts down the write direction (the peer reads EOF);
/// the reader keeps reading until the peer closes. A host name is resolved off-thread.
///
/// # Errors
///
/// As [`TcpStream::connect`]: `ConnectionRefused`, the resolver's error, no current
/// reactor, the runtime-shut-down error.
///
/// # Cancel safety
///
/// Dropping the future abandons the connection attempt and closes its socket.
///
/// ```no_run
/// use weft_io::io::AsyncWriteExt;
///
/// # async fn demo() -> std::io::Result<()> {
/// let (mut reader, mut writer) = weft_io::net::open_connection("127.0.0.1:8888").await?;
/// writer.write_all(b"hello\n").await?;
/// let mut line = String::new();
/// reader.read_line(&mut line).await?;
/// writer.close().await?;
/// # Ok(()) }
/// ```
pub async fn open_connection(
    addr: impl ToSocketAddrs,
) -> io::Result<(
    BufReader<OwnedReadHalf<TcpStream>>,
    OwnedWriteHalf<TcpStream>,
)> {
    let (reader, writer) = TcpStream::connect(addr).await?.into_split();
    Ok((BufReader::new(reader), writer))
}

/// asyncio's `open_unix_connection`: [`open_connection`] over the Unix socket at
/// `path`.
///
/// # Errors
///
/// As [`UnixStream::connect`].
///
/// # Cancel safety
///
/// Dropping the future abandons the connection attempt and closes its socket.
///
/// ```no_run
/// # async fn demo() -> std::io::Result<()> {
/// let (reader, writer) = weft_io::net::open_unix_connection("/tmp/weft.sock").await?;
/// # Ok(()) }
/// ```
pub async fn open_unix_connection(
    path: impl AsRef<Path>,
) -> io::Result<(
    BufReader<OwnedReadHalf<UnixStream>>,
    OwnedWriteHalf<UnixStream>,
)> {
    let (reader, writer) = UnixStream::connect(path).await?.into_split();
    Ok((BufReader::new(reader), writer))
}
