//! Stream I/O: the runtime-neutral `futures-io` traits, extension methods that turn
//! them into futures, [`copy`], asyncio's buffered line reading ([`BufReader`], and
//! [`Lines`] for `async for line in reader`) and [`BufWriter`].
//!
//! [`AsyncRead`], [`AsyncWrite`] and [`AsyncSeek`] are the `futures-io` traits, so
//! weft's streams and files work with any library written against them, and theirs
//! with weft.
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
mod write_ext;

pub use buf_reader::{BufReader, ReadLine, ReadUntil};
pub use buf_writer::BufWriter;
pub use copy::{copy, Copy};
pub use futures_io::{AsyncBufRead, AsyncRead, AsyncSeek, AsyncWrite};
pub use lines::{Lines, NextLine};
pub use read_ext::{AsyncReadExt, Read, ReadExact, ReadToEnd, ReadToString};
pub use seek_ext::{AsyncSeekExt, Seek};
pub use write_ext::{AsyncWriteExt, Close, Flush, Write, WriteAll};
