//! [`WeftIo`]: hyper's I/O traits for a futures-io stream, and futures-io's for a hyper
//! stream — hyper-util's `TokioIo` for weft.
//!
//! # Rules
//!
//! 1. **No unsafe, and no zeroing of hyper's buffer on every poll.** hyper hands a
//!    reader an *uninitialized* region (`ReadBufCursor`); safe code may only fill it by
//!    copying (`put_slice`). A read therefore goes into a per-thread scratch buffer,
//!    zeroed once when the thread first reads, and the bytes actually read are copied
//!    across: a copy of `n` read bytes per read, nothing on `Pending`. The
//!    alternative open to safe code — `initialize_unfilled`, what smol-hyper's
//!    `FuturesIo` does by hand — zeroes all of hyper's spare capacity (8 KiB at the
//!    least, up to 400 KiB) on every poll, `Pending` ones included.
//!    `benches/benches/hyper_io.rs` measures the three ways (scratch copy, zeroing,
//!    hyper-util's unsafe uninitialized read).
//! 2. **The scratch is borrowed for one `poll_read` only** (a `RefCell` borrow that
//!    ends before returning): nothing is held across an await, and a nested read (an
//!    inner stream that itself reads through a `WeftIo`) finds it borrowed and reads
//!    through a fresh buffer of its own instead of sharing one.
//! 3. **A read never returns more than hyper asked for**: at most
//!    `min(cursor.remaining(), SCRATCH_LEN)` bytes are read from the stream, so every
//!    byte read is handed over and none is lost.
//! 4. **Vectored writes pass through.** `poll_write_vectored` goes to the stream's
//!    own (weft's sockets issue one `writev`), and `is_write_vectored` is `true` unless
//!    the adapter was built with [`WeftIo::with_vectored`]`(_, false)`, so hyper queues
//!    head and body as separate buffers instead of copying them into one, as it does
//!    on tokio.

use futures_io::{AsyncRead, AsyncWrite};
use std::cell::RefCell;
use std::fmt;
use std::io::{self, IoSlice};
use std::pin::Pin;
use std::task::{Context, Poll};

/// The most one read takes from the stream (rule 3). hyper offers at least 8 KiB and
/// grows its offer while reads fill it; 64 KiB keeps big transfers at few system
/// calls per megabyte while the scratch stays one small buffer per thread.
const SCRATCH_LEN: usize = 64 * 1024;

thread_local! {
    /// This thread's read scratch (rules 1, 2): empty until the first read; borrowed
    /// for the length of one read.
    static SCRATCH: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
}

/// An adapter between weft's streams and hyper (hyper-util's `TokioIo`, smol-hyper's
/// `FuturesIo`).
///
/// - Over any futures-io stream (`AsyncRead + AsyncWrite + Unpin`, which every weft
///   socket is), it implements [`hyper::rt::Read`] and [`hyper::rt::Write`]: wrap a
///   connection to hand it to hyper's `serve_connection` or `handshake`.
/// - Over a hyper stream ([`hyper::upgrade::Upgraded`], say), it implements
///   futures-io's [`AsyncRead`] and [`AsyncWrite`], so weft's `io` helpers work on it.
///
/// Safe code throughout; reads copy through a per-thread scratch buffer instead of
/// zeroing hyper's buffer, and vectored writes reach the socket as one `writev` (see
/// the module's rules).
///
/// ```
/// use http_body_util::Full;
/// use hyper::body::Bytes;
/// use hyper::server::conn::http1;
/// use hyper::service::service_fn;
/// use weft_hyper::rt::WeftIo;
///
/// weft::run(async {
///     let listener = weft::net::TcpListener::bind("127.0.0.1:0").await?;
///     let addr = listener.local_addr()?;
///     weft::spawn(async move {
///         let (stream, _) = listener.accept().await?;
///         let hello = service_fn(|_req| async {
///             Ok::<_, std::convert::Infallible>(hyper::Response::new(Full::new(Bytes::from("hi"))))
///         });
///         // hyper's own connection API, over a weft socket.
///         http1::Builder::new().serve_connection(WeftIo::new(stream), hello).await.ok();
///         std::io::Result::Ok(())
///     });
///     let text = weft_hyper::get(format!("http://{addr}/")).await?.text().await?;
///     assert_eq!(text, "hi");
///     Ok::<_, Box<dyn std::error::Error>>(())
/// })
/// .unwrap();
/// ```
pub struct WeftIo<T> {
    inner: T,
    vectored: bool,
}

impl<T> WeftIo<T> {
    /// Wraps a stream. Vectored writes are passed through (rule 4).
    ///
    /// ```
    /// # async fn demo() -> std::io::Result<()> {
    /// let stream = weft::net::TcpStream::connect("127.0.0.1:8080").await?;
    /// let mut io = weft_hyper::rt::WeftIo::new(stream);
    /// println!("{}", io.inner().peer_addr()?);
    /// io.inner_mut().set_nodelay(true)?;
    /// let stream: weft::net::TcpStream = io.into_inner();
    /// # drop(stream); Ok(()) }
    /// ```
    pub fn new(inner: T) -> WeftIo<T> {
        WeftIo::with_vectored(inner, true)
    }

    /// Wraps a stream, saying whether its `poll_write_vectored` writes several buffers
    /// at once (`true` for weft's sockets and their halves). futures-io has no
    /// `is_write_vectored`; for a stream whose vectored write only writes the first
    /// buffer (futures-io's default), `false` makes hyper copy head and body into one
    /// buffer and write it in one call instead of one call per buffer.
    ///
    /// ```
    /// # async fn demo(stream: weft::net::TcpStream) {
    /// use hyper::rt::Write as _;
    /// let io = weft_hyper::rt::WeftIo::with_vectored(stream, false);
    /// assert!(!io.is_write_vectored());
    /// # }
    /// ```
    pub fn with_vectored(inner: T, vectored: bool) -> WeftIo<T> {
        WeftIo { inner, vectored }
    }

    /// The wrapped stream.
    ///
    /// ```
    /// # async fn demo() -> std::io::Result<()> {
    /// let stream = weft::net::TcpStream::connect("127.0.0.1:8080").await?;
    /// let mut io = weft_hyper::rt::WeftIo::new(stream);
    /// println!("{}", io.inner().peer_addr()?);
    /// io.inner_mut().set_nodelay(true)?;
    /// let stream: weft::net::TcpStream = io.into_inner();
    /// # drop(stream); Ok(()) }
    /// ```
    pub fn inner(&self) -> &T {
        &self.inner
    }

    /// The wrapped stream, mutably.
    ///
    /// ```
    /// # async fn demo() -> std::io::Result<()> {
    /// let stream = weft::net::TcpStream::connect("127.0.0.1:8080").await?;
    /// let mut io = weft_hyper::rt::WeftIo::new(stream);
    /// println!("{}", io.inner().peer_addr()?);
    /// io.inner_mut().set_nodelay(true)?;
    /// let stream: weft::net::TcpStream = io.into_inner();
    /// # drop(stream); Ok(()) }
    /// ```
    pub fn inner_mut(&mut self) -> &mut T {
        &mut self.inner
    }

    /// Unwraps the stream.
    ///
    /// ```
    /// # async fn demo() -> std::io::Result<()> {
    /// let stream = weft::net::TcpStream::connect("127.0.0.1:8080").await?;
    /// let mut io = weft_hyper::rt::WeftIo::new(stream);
    /// println!("{}", io.inner().peer_addr()?);
    /// io.inner_mut().set_nodelay(true)?;
    /// let stream: weft::net::TcpStream = io.into_inner();
    /// # drop(stream); Ok(()) }
    /// ```
    pub fn into_inner(self) -> T {
        self.inner
    }
}

impl<T: Unpin> WeftIo<T> {
    /// The wrapped stream, pinned, to forward a poll to.
    fn pinned(self: Pin<&mut Self>) -> Pin<&mut T> {
        Pin::new(&mut self.get_mut().inner)
    }
}

impl<T: fmt::Debug> fmt::Debug for WeftIo<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WeftIo")
            .field("inner", &self.inner)
            .field("vectored", &self.vectored)
            .finish()
    }
}

/// Reads from `inner` into `cursor` through this thread's scratch buffer (rules 1-3).
fn read_through_scratch<T: AsyncRead + Unpin>(
    inner: &mut T,
    cx: &mut Context<'_>,
    cursor: &mut hyper::rt::ReadBufCursor<'_>,
) -> Poll<io::Result<()>> {
    let want = cursor.remaining().min(SCRATCH_LEN);
    if want == 0 {
        return Poll::Ready(Ok(()));
    }
    let mut read_into = |scratch: &mut [u8]| {
        let polled = Pin::new(&mut *inner).poll_read(cx, &mut scratch[..want]);
        if let Poll::Ready(Ok(n)) = polled {
            cursor.put_slice(&scratch[..n]);
        }
        polled.map_ok(drop)
    };
    SCRATCH.with(|slot| match slot.try_borrow_mut() {
        Ok(mut scratch) => {
            if scratch.is_empty() {
                // The thread's first read: zeroed once (rule 1).
                *scratch = vec![0; SCRATCH_LEN];
            }
            read_into(&mut scratch)
        }
        // A nested read (rule 2): a buffer of its own.
        Err(_) => read_into(&mut vec![0; want]),
    })
}

impl<T: AsyncRead + Unpin> hyper::rt::Read for WeftIo<T> {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        mut buf: hyper::rt::ReadBufCursor<'_>,
    ) -> Poll<io::Result<()>> {
        read_through_scratch(&mut self.get_mut().inner, cx, &mut buf)
    }
}

impl<T: AsyncWrite + Unpin> hyper::rt::Write for WeftIo<T> {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        self.pinned().poll_write(cx, buf)
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        self.pinned().poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        self.pinned().poll_close(cx)
    }

    fn is_write_vectored(&self) -> bool {
        self.vectored
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        self.pinned().poll_write_vectored(cx, bufs)
    }
}

impl<T: hyper::rt::Read + Unpin> AsyncRead for WeftIo<T> {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut [u8],
    ) -> Poll<io::Result<usize>> {
        // `buf` is initialized already: hyper's ReadBuf over it needs no unsafe.
        let mut read_buf = hyper::rt::ReadBuf::new(buf);
        match self.pinned().poll_read(cx, read_buf.unfilled()) {
            Poll::Ready(Ok(())) => Poll::Ready(Ok(read_buf.filled().len())),
            Poll::Ready(Err(err)) => Poll::Ready(Err(err)),
            Poll::Pending => Poll::Pending,
        }
    }
}

impl<T: hyper::rt::Write + Unpin> AsyncWrite for WeftIo<T> {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        self.pinned().poll_write(cx, buf)
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        self.pinned().poll_write_vectored(cx, bufs)
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        self.pinned().poll_flush(cx)
    }

    fn poll_close(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        self.pinned().poll_shutdown(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A futures-io reader over a byte string, `chunk` bytes per read at most.
    struct Chunks {
        data: Vec<u8>,
        at: usize,
        chunk: usize,
    }

    impl AsyncRead for Chunks {
        fn poll_read(
            mut self: Pin<&mut Self>,
            _cx: &mut Context<'_>,
            buf: &mut [u8],
        ) -> Poll<io::Result<usize>> {
            let n = buf.len().min(self.chunk).min(self.data.len() - self.at);
            buf[..n].copy_from_slice(&self.data[self.at..self.at + n]);
            self.at += n;
            Poll::Ready(Ok(n))
        }
    }

    /// Reads everything through hyper's trait into buffers of `cap` bytes.
    fn read_all(reader: Chunks, cap: usize) -> Vec<u8> {
        let mut io = WeftIo::new(reader);
        let mut out = Vec::new();
        loop {
            let mut backing = vec![0u8; cap];
            let mut buf = hyper::rt::ReadBuf::new(&mut backing);
            let polled = futures_poll(|cx| {
                hyper::rt::Read::poll_read(Pin::new(&mut io), cx, buf.unfilled())
            });
            polled.unwrap();
            if buf.filled().is_empty() {
                return out;
            }
            out.extend_from_slice(buf.filled());
        }
    }

    fn futures_poll<T>(mut f: impl FnMut(&mut Context<'_>) -> Poll<T>) -> T {
        let mut cx = Context::from_waker(std::task::Waker::noop());
        match f(&mut cx) {
            Poll::Ready(v) => v,
            Poll::Pending => panic!("the test reader never blocks"),
        }
    }

    #[test]
    fn reads_arrive_whole_and_in_order_through_the_scratch() {
        let data: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8).collect();
        for (chunk, cap) in [(1, 7), (100, 8192), (70_000, 8192), (200_000, 300_000)] {
            let reader = Chunks {
                data: data.clone(),
                at: 0,
                chunk,
            };
            assert_eq!(read_all(reader, cap), data, "chunk {chunk}, cap {cap}");
        }
    }

    #[test]
    fn a_full_cursor_reads_nothing_and_is_not_eof() {
        let mut io = WeftIo::new(Chunks {
            data: vec![1, 2, 3],
            at: 0,
            chunk: 3,
        });
        let mut backing = [0u8; 0];
        let mut buf = hyper::rt::ReadBuf::new(&mut backing);
        futures_poll(|cx| hyper::rt::Read::poll_read(Pin::new(&mut io), cx, buf.unfilled()))
            .unwrap();
        assert_eq!(io.inner().at, 0, "nothing was taken from the stream");
    }

    #[test]
    fn a_nested_read_gets_its_own_scratch() {
        /// Reads through a `WeftIo` of its own while the outer read has the scratch.
        struct Nested(WeftIo<Chunks>);

        impl hyper::rt::Read for Nested {
            fn poll_read(
                mut self: Pin<&mut Self>,
                cx: &mut Context<'_>,
                buf: hyper::rt::ReadBufCursor<'_>,
            ) -> Poll<io::Result<()>> {
                Pin::new(&mut self.0).poll_read(cx, buf)
            }
        }

        // hyper -> WeftIo (futures-io side) -> Nested -> WeftIo (hyper side) -> Chunks.
        let inner = WeftIo::new(Chunks {
            data: b"nested".to_vec(),
            at: 0,
            chunk: 64,
        });
        let mut outer = WeftIo::new(WeftIo::new(Nested(inner)));
        let mut backing = [0u8; 16];
        let mut buf = hyper::rt::ReadBuf::new(&mut backing);
        futures_poll(|cx| hyper::rt::Read::poll_read(Pin::new(&mut outer), cx, buf.unfilled()))
            .unwrap();
        assert_eq!(buf.filled(), b"nested");
    }

    #[test]
    fn futures_io_reads_through_a_hyper_stream() {
        let mut io = WeftIo::new(WeftIo::new(Chunks {
            data: b"round trip".to_vec(),
            at: 0,
            chunk: 4,
        }));
        let mut out = [0u8; 16];
        let n = futures_poll(|cx| AsyncRead::poll_read(Pin::new(&mut io), cx, &mut out)).unwrap();
        assert_eq!(&out[..n], b"roun");
    }
}
