//! [`AsyncReadExt`]: `read`, `read_exact`, `read_to_end` and `read_to_string` as
//! futures, for every [`AsyncRead`].

use futures_io::AsyncRead;
use std::future::Future;
use std::io;
use std::pin::Pin;
use std::task::{ready, Context, Poll};
use weft_core::waiting::{self, WaitOn};

/// The initial room `read_to_end` makes when the vector has none.
const READ_TO_END_CHUNK: usize = 1024;
/// The most one read of `read_to_end` asks for (a pipe's whole buffer): the room a
/// read is given must be zeroed first, so offering all the spare capacity of a
/// large vector to every read would make reading `n` bytes cost O(n²).
const READ_TO_END_WINDOW: usize = 64 * 1024;

/// Reading helpers for every [`AsyncRead`] (asyncio's `StreamReader.read`,
/// `readexactly` and `read()`-to-EOF).
///
/// ```no_run
/// use weft_io::io::AsyncReadExt;
///
/// # async fn demo(mut stream: weft_io::net::TcpStream) -> std::io::Result<()> {
/// let mut header = [0; 4];
/// stream.read_exact(&mut header).await?;
/// let mut rest = Vec::new();
/// stream.read_to_end(&mut rest).await?;
/// # Ok(()) }
/// ```
pub trait AsyncReadExt: AsyncRead {
    /// Reads at most `buf.len()` bytes; returns how many, 0 at EOF (or for an empty
    /// `buf`).
    ///
    /// # Cancel safety
    ///
    /// Cancel safe: bytes are taken from the reader only in the poll that returns
    /// them, so a dropped future has read nothing.
    ///
    /// ```no_run
    /// use weft_io::io::AsyncReadExt;
    ///
    /// # async fn demo(mut stream: weft_io::net::TcpStream) -> std::io::Result<()> {
    /// let mut buf = [0; 1024];
    /// let n = stream.read(&mut buf).await?;
    /// # Ok(()) }
    /// ```
    fn read<'a>(&'a mut self, buf: &'a mut [u8]) -> Read<'a, Self>
    where
        Self: Unpin,
    {
        Read { reader: self, buf }
    }

    /// Fills `buf` completely (asyncio's `readexactly`).
    ///
    /// # Errors
    ///
    /// `UnexpectedEof` if the stream ends first (the bytes read so far are in `buf`),
    /// or the reader's error.
    ///
    /// # Cancel safety
    ///
    /// Not cancel safe: the bytes read before the future is dropped are consumed from
    /// the reader and sit in a prefix of `buf`, but how many is lost with the future;
    /// a new `read_exact` fills `buf` from the start again, so those bytes are lost
    /// to it. In a `select!` loop, read into a buffer of your own with
    /// [`read`](AsyncReadExt::read), or keep one `read_exact` future across turns.
    ///
    /// ```no_run
    /// use weft_io::io::AsyncReadExt;
    ///
    /// # async fn demo(mut stream: weft_io::net::TcpStream) -> std::io::Result<()> {
    /// let mut len = [0; 4];
    /// stream.read_exact(&mut len).await?;
    /// # Ok(()) }
    /// ```
    fn read_exact<'a>(&'a mut self, buf: &'a mut [u8]) -> ReadExact<'a, Self>
    where
        Self: Unpin,
    {
        ReadExact {
            reader: self,
            buf,
            filled: 0,
        }
    }

    /// Reads until EOF, appending to `buf`; returns the number of bytes appended.
    ///
    /// # Errors
    ///
    /// The reader's error; the bytes read before it stay appended to `buf`.
    ///
    /// # Cancel safety
    ///
    /// Cancel safe: every byte read before the future is dropped stays appended to
    /// `buf`, and a new `read_to_end` on the same `buf` goes on from there (its count
    /// is of the bytes it appended itself).
    ///
    /// ```no_run
    /// use weft_io::io::AsyncReadExt;
    ///
    /// # async fn demo(mut stream: weft_io::net::TcpStream) -> std::io::Result<()> {
    /// let mut body = Vec::new();
    /// stream.read_to_end(&mut body).await?;
    /// # Ok(()) }
    /// ```
    fn read_to_end<'a>(&'a mut self, buf: &'a mut Vec<u8>) -> ReadToEnd<'a, Self>
    where
        Self: Unpin,
    {
        let start = buf.len();
        ReadToEnd {
            reader: self,
            buf,
            start,
        }
    }

    /// Reads until EOF, appending to `buf` as UTF-8; returns the number of bytes
    /// appended.
    ///
    /// # Errors
    ///
    /// `InvalidData` when the bytes are not UTF-8 (nothing is appended), or the
    /// reader's error (nothing is appended).
    ///
    /// # Cancel safety
    ///
    /// Not cancel safe: the bytes read so far are held by the future until EOF (to
    /// check they are UTF-8) and are lost if it is dropped: they are consumed from the
    /// reader, and `buf` is unchanged.
    ///
    /// ```no_run
    /// use weft_io::io::AsyncReadExt;
    ///
    /// # async fn demo(mut stream: weft_io::net::TcpStream) -> std::io::Result<()> {
    /// let mut text = String::new();
    /// stream.read_to_string(&mut text).await?;
    /// # Ok(()) }
    /// ```
    fn read_to_string<'a>(&'a mut self, buf: &'a mut String) -> ReadToString<'a, Self>
    where
        Self: Unpin,
    {
        ReadToString {
            reader: self,
            buf,
            bytes: Vec::new(),
        }
    }
}

impl<R: AsyncRead + ?Sized> AsyncReadExt for R {}

/// The future of [`AsyncReadExt::read`].
#[must_use = "futures do nothing unless polled"]
#[derive(Debug)]
pub struct Read<'a, R: ?Sized> {
    reader: &'a mut R,
    buf: &'a mut [u8],
}

impl<R: AsyncRead + Unpin + ?Sized> Future for Read<'_, R> {
    type Output = io::Result<usize>;

    /// `#[track_caller]`: the task's wait record names the line of the `.await`.
    #[track_caller]
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        let poll = Pin::new(&mut *this.reader).poll_read(cx, this.buf);
        waiting::outer(&WaitOn("AsyncRead::read"), poll)
    }
}

/// The future of [`AsyncReadExt::read_exact`].
#[must_use = "futures do nothing unless polled"]
#[derive(Debug)]
pub struct ReadExact<'a, R: ?Sized> {
    reader: &'a mut R,
    buf: &'a mut [u8],
    filled: usize,
}

impl<R: AsyncRead + Unpin + ?Sized> Future for ReadExact<'_, R> {
    type Output = io::Result<()>;

    /// `#[track_caller]`: the task's wait record names the line of the `.await`.
    #[track_caller]
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let poll = (move || -> Poll<io::Result<()>> {
            let this = self.get_mut();
            while this.filled < this.buf.len() {
                let n = ready!(
                    Pin::new(&mut *this.reader).poll_read(cx, &mut this.buf[this.filled..])
                )?;
                if n == 0 {
                    return Poll::Ready(Err(io::Error::new(
                        io::ErrorKind::UnexpectedEof,
                        format!(
                            "the stream ended after {} of {} bytes",
                            this.filled,
                            this.buf.len()
                        ),
                    )));
                }
                this.filled += n;
            }
            Poll::Ready(Ok(()))
        })();
        waiting::outer(&WaitOn("AsyncRead::read_exact"), poll)
    }
}

/// The future of [`AsyncReadExt::read_to_end`].
#[must_use = "futures do nothing unless polled"]
#[derive(Debug)]
pub struct ReadToEnd<'a, R: ?Sized> {
    reader: &'a mut R,
    buf: &'a mut Vec<u8>,
    /// `buf.len()` when the future was made.
    start: usize,
}

impl<R: AsyncRead + Unpin + ?Sized> Future for ReadToEnd<'_, R> {
    type Output = io::Result<usize>;

    /// `#[track_caller]`: the task's wait record names the line of the `.await`.
    #[track_caller]
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        let poll = read_to_end(&mut *this.reader, cx, this.buf, this.start);
        waiting::outer(&WaitOn("AsyncRead::read_to_end"), poll)
    }
}

/// Appends to `buf` until EOF; the count is measured from `start`. Only bytes
/// actually read ever stay in `buf`.
fn read_to_end<R: AsyncRead + Unpin + ?Sized>(
    reader: &mut R,
    cx: &mut Context<'_>,
    buf: &mut Vec<u8>,
    start: usize,
) -> Poll<io::Result<usize>> {
    loop {
        if buf.capacity() == buf.len() {
            buf.reserve(READ_TO_END_CHUNK.max(buf.len() - start));
        }
        let filled = buf.len();
        buf.resize(buf.capacity().min(filled + READ_TO_END_WINDOW), 0);
        let read = Pin::new(&mut *reader).poll_read(cx, &mut buf[filled..]);
        let n = match read {
            Poll::Ready(Ok(n)) => n,
            other => {
                buf.truncate(filled);
                return other;
            }
        };
        buf.truncate(filled + n);
        if n == 0 {
            return Poll::Ready(Ok(filled - start));
        }
    }
}

/// The future of [`AsyncReadExt::read_to_string`].
#[must_use = "futures do nothing unless polled"]
#[derive(Debug)]
pub struct ReadToString<'a, R: ?Sized> {
    reader: &'a mut R,
    buf: &'a mut String,
    /// The bytes read so far, appended to `buf` once they are whole and valid.
    bytes: Vec<u8>,
}

impl<R: AsyncRead + Unpin + ?Sized> Future for ReadToString<'_, R> {
    type Output = io::Result<usize>;

    /// `#[track_caller]`: the task's wait record names the line of the `.await`.
    #[track_caller]
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<usize>> {
        let poll = (move || -> Poll<io::Result<usize>> {
            let this = self.get_mut();
            let n = ready!(read_to_end(&mut *this.reader, cx, &mut this.bytes, 0))?;
            let text = std::str::from_utf8(&this.bytes)
                .map_err(|err| io::Error::new(io::ErrorKind::InvalidData, err))?;
            this.buf.push_str(text);
            this.bytes.clear();
            Poll::Ready(Ok(n))
        })();
        waiting::outer(&WaitOn("AsyncRead::read_to_string"), poll)
    }
}
