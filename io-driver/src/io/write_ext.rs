//! [`AsyncWriteExt`]: `write`, `write_all`, `flush` and `close` as futures, for
//! every [`AsyncWrite`].

use futures_io::AsyncWrite;
use std::future::Future;
use std::io;
use std::pin::Pin;
use std::task::{ready, Context, Poll};
use weft_core::waiting::{self, WaitOn};

/// Writing helpers for every [`AsyncWrite`] (asyncio's `StreamWriter.write` +
/// `drain`, and `close`).
///
/// ```no_run
/// use weft_io::io::AsyncWriteExt;
///
/// # async fn demo(mut stream: weft_io::net::TcpStream) -> std::io::Result<()> {
/// stream.write_all(b"GET / HTTP/1.0\r\n\r\n").await?;
/// stream.close().await?; // half-close: the peer reads EOF
/// # Ok(()) }
/// ```
pub trait AsyncWriteExt: AsyncWrite {
    /// Writes some of `buf`; returns how many bytes (0 only for an empty `buf`, or a
    /// writer that can take no more).
    ///
    /// # Cancel safety
    ///
    /// Cancel safe: bytes are handed to the writer only in the poll that returns the
    /// count, so a dropped future has written nothing.
    ///
    /// ```no_run
    /// use weft_io::io::AsyncWriteExt;
    ///
    /// # async fn demo(mut stream: weft_io::net::TcpStream) -> std::io::Result<()> {
    /// let n = stream.write(b"hello").await?;
    /// # Ok(()) }
    /// ```
    fn write<'a>(&'a mut self, buf: &'a [u8]) -> Write<'a, Self>
    where
        Self: Unpin,
    {
        Write { writer: self, buf }
    }

    /// Writes all of `buf` (asyncio's `write` followed by `drain`).
    ///
    /// # Errors
    ///
    /// `WriteZero` when the writer stops taking bytes, or the writer's error
    /// (`BrokenPipe`/`ConnectionReset` when the peer is gone).
    ///
    /// # Cancel safety
    ///
    /// Not cancel safe: when the future is dropped, a prefix of `buf` may have been
    /// handed to the writer, and its length is lost with the future; writing `buf`
    /// again sends that prefix twice. In a `select!` loop, use
    /// [`write`](AsyncWriteExt::write) and advance past what it reports, or keep one
    /// `write_all` future across turns.
    ///
    /// ```no_run
    /// use weft_io::io::AsyncWriteExt;
    ///
    /// # async fn demo(mut stream: weft_io::net::TcpStream) -> std::io::Result<()> {
    /// stream.write_all(b"hello\n").await?;
    /// # Ok(()) }
    /// ```
    fn write_all<'a>(&'a mut self, buf: &'a [u8]) -> WriteAll<'a, Self>
    where
        Self: Unpin,
    {
        WriteAll { writer: self, buf }
    }

    /// Flushes buffered bytes to the OS (a no-op for weft's sockets, which buffer
    /// nothing).
    ///
    /// # Cancel safety
    ///
    /// Cancel safe: a dropped flush leaves the buffered bytes buffered.
    ///
    /// ```no_run
    /// use weft_io::io::AsyncWriteExt;
    ///
    /// # async fn demo(mut stream: weft_io::net::TcpStream) -> std::io::Result<()> {
    /// stream.flush().await?;
    /// # Ok(()) }
    /// ```
    fn flush(&mut self) -> Flush<'_, Self>
    where
        Self: Unpin,
    {
        Flush { writer: self }
    }

    /// Flushes and closes the writer. For weft's streams and write halves: shuts down
    /// the write direction (the peer reads EOF; this side can still read).
    ///
    /// # Cancel safety
    ///
    /// Cancel safe for weft's sockets (their close completes in one poll); for a
    /// buffering writer, a dropped close may leave some bytes unflushed.
    ///
    /// ```no_run
    /// use weft_io::io::AsyncWriteExt;
    ///
    /// # async fn demo(mut stream: weft_io::net::TcpStream) -> std::io::Result<()> {
    /// stream.close().await?;
    /// # Ok(()) }
    /// ```
    fn close(&mut self) -> Close<'_, Self>
    where
        Self: Unpin,
    {
        Close { writer: self }
    }
}

impl<W: AsyncWrite + ?Sized> AsyncWriteExt for W {}

/// The future of [`AsyncWriteExt::write`].
#[must_use = "futures do nothing unless polled"]
#[derive(Debug)]
pub struct Write<'a, W: ?Sized> {
    writer: &'a mut W,
    buf: &'a [u8],
}

impl<W: AsyncWrite + Unpin + ?Sized> Future for Write<'_, W> {
    type Output = io::Result<usize>;

    /// `#[track_caller]`: the task's wait record names the line of the `.await`.
    #[track_caller]
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        let poll = Pin::new(&mut *this.writer).poll_write(cx, this.buf);
        waiting::outer(&WaitOn("AsyncWrite::write"), poll)
    }
}

/// The future of [`AsyncWriteExt::write_all`].
#[must_use = "futures do nothing unless polled"]
#[derive(Debug)]
pub struct WriteAll<'a, W: ?Sized> {
    writer: &'a mut W,
    /// What is left to write.
    buf: &'a [u8],
}

impl<W: AsyncWrite + Unpin + ?Sized> Future for WriteAll<'_, W> {
    type Output = io::Result<()>;

    /// `#[track_caller]`: the task's wait record names the line of the `.await`.
    #[track_caller]
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let poll = (move || -> Poll<io::Result<()>> {
            let this = self.get_mut();
            while !this.buf.is_empty() {
                let n = ready!(Pin::new(&mut *this.writer).poll_write(cx, this.buf))?;
                if n == 0 {
                    return Poll::Ready(Err(io::ErrorKind::WriteZero.into()));
                }
                this.buf = &this.buf[n..];
            }
            Poll::Ready(Ok(()))
        })();
        waiting::outer(&WaitOn("AsyncWrite::write_all"), poll)
    }
}

/// The future of [`AsyncWriteExt::flush`].
#[must_use = "futures do nothing unless polled"]
#[derive(Debug)]
pub struct Flush<'a, W: ?Sized> {
    writer: &'a mut W,
}

impl<W: AsyncWrite + Unpin + ?Sized> Future for Flush<'_, W> {
    type Output = io::Result<()>;

    /// `#[track_caller]`: the task's wait record names the line of the `.await`.
    #[track_caller]
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let poll = Pin::new(&mut *self.get_mut().writer).poll_flush(cx);
        waiting::outer(&WaitOn("AsyncWrite::flush"), poll)
    }
}

/// The future of [`AsyncWriteExt::close`].
#[must_use = "futures do nothing unless polled"]
#[derive(Debug)]
pub struct Close<'a, W: ?Sized> {
    writer: &'a mut W,
}

impl<W: AsyncWrite + Unpin + ?Sized> Future for Close<'_, W> {
    type Output = io::Result<()>;

    /// `#[track_caller]`: the task's wait record names the line of the `.await`.
    #[track_caller]
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let poll = Pin::new(&mut *self.get_mut().writer).poll_close(cx);
        waiting::outer(&WaitOn("AsyncWrite::close"), poll)
    }
}
