//! Stream I/O: the runtime-neutral `futures-io` traits, extension methods that turn
//! them into futures, [`copy`], asyncio's buffered line reading ([`BufReader`], and
//! [`Lines`] for `async for line in reader`), [`BufWriter`], and [`split`], which makes
//! a reader and a writer of any duplex stream.
//!
//! [`AsyncRead`], [`AsyncWrite`] and [`AsyncSeek`] are the `futures-io` traits, so
//! weft's streams and files work with any library written against them, and theirs
//! with weft.
//!
//! With the `tokio-io` feature, weft's streams — the sockets, their owned halves,
//! [`BufReader`], [`ReadHalf`]/[`WriteHalf`] and TLS streams — also implement tokio's
//! `AsyncRead`/`AsyncWrite` (`AsyncBufRead` for `BufReader`), forwarding to their
//! futures-io impls: a tokio read fills (and first zeroes, where tokio has not) the
//! unfilled part of its `ReadBuf`; `poll_shutdown` is `poll_close`. Import one crate's
//! extension traits per module: a stream with both has two `read_exact`s.
//!
//! ```no_run
//! use weft_io::io::{AsyncReadExt, AsyncWriteExt};
//!
//! # async fn demo(mut stream: weft_io::net::TcpStream) -> std::io::Result<()> {
//! stream.write_all(b"ping").await?;
//! let mut reply = Vec::new();
//! stream.read_to_end(&mut reply).await?;
//! # Ok(()) }
//! ```

mod buf_reader;
mod buf_writer;
mod copy;
mod lines;
mod read_ext;
mod seek_ext;
mod split;
#[cfg(feature = "tokio-io")]
mod tokio_bridge;
mod write_ext;

pub use buf_reader::{BufReader, ReadLine, ReadUntil};
pub use buf_writer::BufWriter;
pub use copy::{copy, Copy};
pub use futures_io::{AsyncBufRead, AsyncRead, AsyncSeek, AsyncWrite};
pub use lines::{Lines, NextLine};
pub use read_ext::{AsyncReadExt, Read, ReadExact, ReadToEnd, ReadToString};
pub use seek_ext::{AsyncSeekExt, Seek};
pub use split::{split, ReadHalf, ReuniteError, WriteHalf};
pub use write_ext::{AsyncWriteExt, Close, Flush, Write, WriteAll};
