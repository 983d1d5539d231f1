//! [`BufWriter`]: a buffer in front of a writer, so many small writes become few
//! large ones.
//!
//! # Rules
//!
//! 1. `buf[written..]` holds bytes accepted from callers and not yet taken by the
//!    inner writer; `written > 0` only while a flush of the buffer is under way.
//! 2. Bytes are accepted — copied into the buffer, or taken by the inner writer —
//!    only in a poll that returns `Ready(Ok(n))`. A poll that returns `Pending` or an
//!    error has accepted nothing, so a write retried after either, or dropped, is
//!    never duplicated.
//! 3. A write that does not fit beside the buffered bytes first flushes the buffer.
//!    A write of at least [`BufWriter::capacity`] bytes then goes straight to the
//!    inner writer; a smaller one is copied into the buffer.
//! 4. Flushing the buffer resumes where the last attempt stopped (`written`), so no
//!    byte reaches the inner writer twice; after an error the bytes the inner writer
//!    took are dropped from the buffer and the rest stay for the next attempt.
//! 5. `flush` and `close` flush the buffer first, then flush (or close) the inner
//!    writer.
//! 6. Dropping a `BufWriter` drops its buffered bytes: async code cannot write in
//!    `drop`. `flush().await` or `close().await` first, or take the bytes back with
//!    [`BufWriter::into_parts`].

use futures_io::AsyncWrite;
use std::fmt;
use std::io;
use std::pin::Pin;
use std::task::{ready, Context, Poll};

/// The buffer size of [`BufWriter::new`].
const DEFAULT_CAPACITY: usize = 8 * 1024;

/// Buffers an [`AsyncWrite`]: small writes are collected and handed on in large ones
/// (std's and tokio's `BufWriter`).
///
/// A write of at least [`capacity`](BufWriter::capacity) bytes goes straight
/// through, after what is buffered. `flush` and `close` flush the buffer first.
/// **Dropping a `BufWriter` drops the bytes still buffered** — flush or close it
/// first. Requires an `Unpin` writer; wrap others in `Box::pin`.
///
/// ```no_run
/// use weft_io::io::{AsyncWriteExt, BufWriter};
///
/// # async fn demo(stream: weft_io::net::TcpStream) -> std::io::Result<()> {
/// let mut writer = BufWriter::new(stream);
/// for i in 0..100 {
///     writer.write_all(format!("line {i}\n").as_bytes()).await?; // no system call
/// }
/// writer.flush().await?; // one write of every line
/// # Ok(()) }
/// ```
pub struct BufWriter<W> {
    inner: W,
    buf: Vec<u8>,
    /// How much of `buf` the inner writer has taken during a flush (rule 1).
    written: usize,
    capacity: usize,
}

impl<W: AsyncWrite + Unpin> BufWriter<W> {
    /// A writer with an 8 KiB buffer.
    ///
    /// ```
    /// let writer = weft_io::io::BufWriter::new(Vec::<u8>::new());
    /// assert_eq!(writer.capacity(), 8 * 1024);
    /// ```
    pub fn new(inner: W) -> BufWriter<W> {
        BufWriter::with_capacity(DEFAULT_CAPACITY, inner)
    }

    /// A writer with a `capacity`-byte buffer (at least 1).
    ///
    /// ```
    /// let writer = weft_io::io::BufWriter::with_capacity(64 * 1024, Vec::<u8>::new());
    /// assert_eq!(writer.capacity(), 64 * 1024);
    /// ```
    pub fn with_capacity(capacity: usize, inner: W) -> BufWriter<W> {
        let capacity = capacity.max(1);
        BufWriter {
            inner,
            buf: Vec::with_capacity(capacity),
            written: 0,
            capacity,
        }
    }

    /// Hands the buffered bytes to the inner writer (rule 4), without flushing it.
    fn poll_flush_buf(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        while self.written < self.buf.len() {
            let taken = Pin::new(&mut self.inner).poll_write(cx, &self.buf[self.written..]);
            match taken {
                Poll::Ready(Ok(0)) => {
                    self.drop_written();
                    return Poll::Ready(Err(io::Error::new(
                        io::ErrorKind::WriteZero,
                        "the inner writer took no bytes; the rest stay buffered",
                    )));
                }
                Poll::Ready(Ok(n)) => self.written += n,
                Poll::Ready(Err(err)) => {
                    self.drop_written();
                    return Poll::Ready(Err(err));
                }
                Poll::Pending => return Poll::Pending,
            }
        }
        self.buf.clear();
        self.written = 0;
        Poll::Ready(Ok(()))
    }

    /// Drops the bytes the inner writer took, keeping the rest (rule 4).
    fn drop_written(&mut self) {
        self.buf.drain(..self.written);
        self.written = 0;
    }
}

impl<W> BufWriter<W> {
    /// The buffer's size: writes at least this long bypass it.
    ///
    /// ```
    /// let writer = weft_io::io::BufWriter::with_capacity(16, Vec::<u8>::new());
    /// assert_eq!(writer.capacity(), 16);
    /// ```
    pub fn capacity(&self) -> usize {
        self.capacity
    }

    /// The bytes accepted and not yet handed to the inner writer.
    ///
    /// ```
    /// # futures_lite::future::block_on(async {
    /// use weft_io::io::{AsyncWriteExt, BufWriter};
    ///
    /// let mut writer = BufWriter::new(Vec::<u8>::new());
    /// writer.write_all(b"held").await?;
    /// assert_eq!(writer.buffer(), b"held");
    /// assert!(writer.get_ref().is_empty());
    /// # Ok::<(), std::io::Error>(()) }).unwrap();
    /// ```
    pub fn buffer(&self) -> &[u8] {
        &self.buf[self.written..]
    }

    /// The inner writer.
    ///
    /// ```
    /// let writer = weft_io::io::BufWriter::new(Vec::<u8>::new());
    /// assert!(writer.get_ref().is_empty());
    /// ```
    pub fn get_ref(&self) -> &W {
        &self.inner
    }

    /// The inner writer, mutably. Writing to it directly puts those bytes before the
    /// ones still buffered.
    ///
    /// ```
    /// let mut writer = weft_io::io::BufWriter::new(Vec::<u8>::new());
    /// writer.get_mut().clear();
    /// ```
    pub fn get_mut(&mut self) -> &mut W {
        &mut self.inner
    }

    /// The inner writer. **The bytes still buffered are dropped** (rule 6): call
    /// `flush().await` first, or use [`BufWriter::into_parts`] to keep them.
    ///
    /// ```
    /// # futures_lite::future::block_on(async {
    /// use weft_io::io::{AsyncWriteExt, BufWriter};
    ///
    /// let mut writer = BufWriter::new(Vec::<u8>::new());
    /// writer.write_all(b"data").await?;
    /// writer.flush().await?;
    /// assert_eq!(writer.into_inner(), b"data");
    /// # Ok::<(), std::io::Error>(()) }).unwrap();
    /// ```
    pub fn into_inner(self) -> W {
        self.inner
    }

    /// The inner writer and the bytes still buffered (not yet handed to it).
    ///
    /// ```
    /// # futures_lite::future::block_on(async {
    /// use weft_io::io::{AsyncWriteExt, BufWriter};
    ///
    /// let mut writer = BufWriter::new(Vec::<u8>::new());
    /// writer.write_all(b"unflushed").await?;
    /// let (inner, buffered) = writer.into_parts();
    /// assert!(inner.is_empty());
    /// assert_eq!(buffered, b"unflushed");
    /// # Ok::<(), std::io::Error>(()) }).unwrap();
    /// ```
    pub fn into_parts(mut self) -> (W, Vec<u8>) {
        self.buf.drain(..self.written);
        (self.inner, self.buf)
    }
}

impl<W: AsyncWrite + Unpin> AsyncWrite for BufWriter<W> {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        src: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        if this.buf.len() + src.len() > this.capacity {
            ready!(this.poll_flush_buf(cx))?;
        }
        if src.len() >= this.capacity {
            return Pin::new(&mut this.inner).poll_write(cx, src);
        }
        this.buf.extend_from_slice(src);
        Poll::Ready(Ok(src.len()))
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        ready!(this.poll_flush_buf(cx))?;
        Pin::new(&mut this.inner).poll_flush(cx)
    }

    fn poll_close(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        ready!(this.poll_flush_buf(cx))?;
        Pin::new(&mut this.inner).poll_close(cx)
    }
}

impl<W: fmt::Debug> fmt::Debug for BufWriter<W> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BufWriter")
            .field("inner", &self.inner)
            .field("buffered", &(self.buf.len() - self.written))
            .field("capacity", &self.capacity)
            .finish()
    }
}
