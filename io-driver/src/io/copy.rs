//! [`copy`]: pump every byte from a reader into a writer.

use futures_io::{AsyncRead, AsyncWrite};
use std::fmt;
use std::future::Future;
use std::io;
use std::pin::Pin;
use std::task::{ready, Context, Poll};

/// The size of the buffer a [`Copy`] carries bytes in.
const COPY_BUFFER: usize = 8 * 1024;

/// Copies everything `reader` yields into `writer` until EOF, then flushes `writer`;
/// returns the number of bytes copied. The writer is not closed.
///
/// While the reader has nothing new, the writer is flushed, so a buffering writer
/// never sits on bytes the peer is waiting for.
///
/// # Errors
///
/// The first error from either side; `WriteZero` when the writer stops taking bytes.
///
/// # Cancel safety
///
/// Not cancel safe: bytes read but not yet written (at most 8 KiB) are lost when the
/// future is dropped.
///
/// ```no_run
/// use weft_io::io::copy;
///
/// # async fn demo(stream: weft_io::net::TcpStream) -> std::io::Result<()> {
/// // An echo: what comes in goes back out.
/// let (mut reader, mut writer) = stream.into_split();
/// let echoed = copy(&mut reader, &mut writer).await?;
/// # Ok(()) }
/// ```
pub fn copy<'a, R, W>(reader: &'a mut R, writer: &'a mut W) -> Copy<'a, R, W>
where
    R: AsyncRead + Unpin + ?Sized,
    W: AsyncWrite + Unpin + ?Sized,
{
    Copy {
        reader,
        writer,
        buf: vec![0; COPY_BUFFER].into_boxed_slice(),
        pos: 0,
        end: 0,
        eof: false,
        unflushed: false,
        total: 0,
    }
}

/// The future of [`copy`].
#[must_use = "futures do nothing unless polled"]
pub struct Copy<'a, R: ?Sized, W: ?Sized> {
    reader: &'a mut R,
    writer: &'a mut W,
    buf: Box<[u8]>,
    /// `buf[pos..end]` is read and not yet written.
    pos: usize,
    end: usize,
    eof: bool,
    /// Bytes were written since the last flush.
    unflushed: bool,
    total: u64,
}

impl<R, W> Future for Copy<'_, R, W>
where
    R: AsyncRead + Unpin + ?Sized,
    W: AsyncWrite + Unpin + ?Sized,
{
    type Output = io::Result<u64>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<u64>> {
        let this = self.get_mut();
        loop {
            if this.pos == this.end && !this.eof {
                match Pin::new(&mut *this.reader).poll_read(cx, &mut this.buf) {
                    Poll::Ready(Ok(0)) => this.eof = true,
                    Poll::Ready(Ok(n)) => {
                        this.pos = 0;
                        this.end = n;
                    }
                    Poll::Ready(Err(err)) => return Poll::Ready(Err(err)),
                    Poll::Pending => {
                        if this.unflushed {
                            ready!(Pin::new(&mut *this.writer).poll_flush(cx))?;
                            this.unflushed = false;
                        }
                        return Poll::Pending;
                    }
                }
            }
            while this.pos < this.end {
                let n = ready!(
                    Pin::new(&mut *this.writer).poll_write(cx, &this.buf[this.pos..this.end])
                )?;
                if n == 0 {
                    return Poll::Ready(Err(io::ErrorKind::WriteZero.into()));
                }
                this.pos += n;
                this.total += n as u64;
                this.unflushed = true;
            }
            if this.eof {
                ready!(Pin::new(&mut *this.writer).poll_flush(cx))?;
                return Poll::Ready(Ok(this.total));
            }
        }
    }
}

impl<R: ?Sized, W: ?Sized> fmt::Debug for Copy<'_, R, W> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Copy")
            .field("copied", &self.total)
            .field("pending", &(self.end - self.pos))
            .field("eof", &self.eof)
            .finish_non_exhaustive()
    }
}
